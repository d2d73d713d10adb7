"""A physiotherapist in real Chromium makes clinic templates: copies a built-in one to the clinic, renames it, starts
a patient's program from it on the Build page, and saves that program as a second clinic template. The Templates
page is screenshotted along the way."""

from __future__ import annotations

import pytest

from .conftest import AppServer, add_admin, evidence_on_failure, open_page, sign_in
from .test_build_flow import choose, settled, shoot

PHYSIO = "physio@example.org"
TITLE = "Łukasz's strength block & <more>"


@pytest.mark.slow
def test_copy_a_built_in_template_rename_it_and_start_a_program_from_it(app_server: AppServer, web, screenshot_dir):
    from playwright.sync_api import expect

    page = web
    with evidence_on_failure(web, app_server, screenshot_dir, "templates_"):
        add_admin(app_server.database_url, PHYSIO)
        sign_in(page, app_server.url, PHYSIO)
        open_page(page, "Program templates")
        settled(page, "No clinic templates yet")

        page.get_by_role("tab", name="Built-in templates").click()
        choose(page, "Built-in template", "Phase 2: Build strength")
        settled(page, "Make your hip and thigh stronger")
        page.get_by_role("button", name="Copy to clinic").click()
        settled(page, "Copied “Phase 2: Build strength” to your clinic's templates.")

        page.get_by_role("tab", name="Your clinic's templates").click()
        page.get_by_text("Edit title, phase, purpose, criteria, education and notes").click()
        title = page.get_by_label("Title", exact=True)
        title.fill(TITLE)
        title.press("Tab")  # the form keeps the typed value once the field is left
        expect(title).to_have_value(TITLE)
        page.wait_for_timeout(300)
        page.get_by_role("button", name="Save changes").click()
        settled(page, f"Saved “{TITLE}”.")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        shoot(page, screenshot_dir, "templates_page_clinic")
        page.get_by_role("tab", name="Built-in templates").click()
        shoot(page, screenshot_dir, "templates_page_builtin")
        page.get_by_role("tab", name="Your clinic's templates").click()

        page.get_by_role("button", name="Start a program").click()
        settled(page, "Start here.")
        page.get_by_label("Name", exact=True).fill("Ολυμπία")
        page.get_by_role("button", name="Add patient").click()
        settled(page, "Start from this template")
        expect(page.get_by_role("combobox", name="Template")).to_have_value(f"{TITLE} · your clinic")
        page.get_by_role("button", name="Start from this template").click()
        settled(page, f"Template: {TITLE}")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        shoot(page, screenshot_dir, "templates_build_started")

        # The program on screen, kept as a second clinic template from the Build page.
        page.get_by_role("button", name="Save as clinic template").click()
        name = page.get_by_label("Template title", exact=True)
        name.fill("Ολυμπία's block")
        name.press("Tab")
        page.wait_for_timeout(300)
        page.get_by_role("button", name="Save template").click()
        settled(page, "Saved the clinic template")
        page.get_by_test_id("stPopoverBody").screenshot(path=screenshot_dir / "templates_build_saved_popover.png")
        page.keyboard.press("Escape")  # closes the popover; a click elsewhere would only close it too
        expect(page.get_by_test_id("stPopoverBody")).to_have_count(0)
        open_page(page, "Program templates")
        settled(page, "Program templates")
        choose(page, "Clinic template", "Ολυμπία's block")
        expect(page.get_by_role("heading", name="Ολυμπία's block")).to_be_visible()
        shoot(page, screenshot_dir, "templates_page_two")
