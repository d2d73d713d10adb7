"""Issue 18 in Chromium at 1280 px: the second language beside the handout language on Build program, chosen as a
physiotherapist does; the row is screenshotted (not cramped, nothing cut), axe-core finds no serious problem on
the page, and the downloaded PDF prints both languages."""

from __future__ import annotations

import pytest

from .conftest import AppServer, evidence_on_failure
from .test_accessibility import serious_violations
from .test_build_flow import choose, pdf_text, template_program_open

SECOND = "Second language (printed beneath, smaller)"


@pytest.mark.slow
def test_a_second_language_is_chosen_beside_the_first_and_downloaded_in_both(app_server: AppServer, web,
                                                                             screenshot_dir):
    from playwright.sync_api import expect

    page = web
    page.set_viewport_size({"width": 1280, "height": 3000})
    with evidence_on_failure(web, app_server, screenshot_dir, "second_language_"):
        template_program_open(page, app_server)
        choose(page, "Handout language", "Spanish (español)")
        choose(page, SECOND, "Polish (polski)")
        second = page.get_by_label(SECOND, exact=True)
        expect(second).to_be_visible()
        row = second.locator("xpath=ancestor::div[@data-testid='stHorizontalBlock'][1]")
        row.evaluate("row => row.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(500)
        box = row.bounding_box()
        assert box["width"] > 900  # the row spans the page's content, each box about half of it
        page.screenshot(path=screenshot_dir / "second_language_row.png",
                        clip={"x": 0, "y": box["y"] - 60, "width": 1280, "height": box["height"] + 200})
        for label, shown in (("Handout language", "Spanish (español)"), (SECOND, "Polish (polski)")):
            field = page.get_by_label(label, exact=True)
            expect(field).to_have_value(shown)
            assert field.evaluate("f => f.scrollWidth <= f.clientWidth")  # the choice is not cut off
        expect(page.get_by_text("Polish (polski): 16 text(s) translated by us").first).to_be_visible()
        assert serious_violations(page) == []
        with page.expect_download() as download:
            page.get_by_role("button", name="Download PDF").click()
        text = " ".join(pdf_text(download.value.path()).split())
        assert "Cómo hacer cada ejercicio" in text and "Jak robić każde ćwiczenie" in text
