"""The Library page's moving drawing in real Chromium: it plays (two screenshots a moment apart differ), and a
reader who asks for reduced motion gets a still picture."""

from __future__ import annotations

import io

from .conftest import AppServer, add_admin, evidence_on_failure, open_page, sign_in
from .test_build_flow import settled, shoot, wait_script_idle

PHYSIO = "physio@example.org"


def _changed_pixels(a: bytes, b: bytes) -> int:
    from PIL import Image, ImageChops

    first, second = (Image.open(io.BytesIO(x)).convert("L") for x in (a, b))
    return sum(ImageChops.difference(first, second).histogram()[48:])


def _show(page, name: str) -> None:
    """Pick an exercise in the long "Show details for" list by typing, as a person does."""
    page.get_by_label("Show details for", exact=True).click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name).first.click()
    settled(page, "Stand on one leg next to a chair")


def _drawing(page):
    from playwright.sync_api import expect

    image = page.locator(".exercise-drawing img:visible").first
    expect(image).to_be_visible(timeout=30_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return image


def test_the_library_drawing_moves_and_holds_still_for_reduced_motion(app_server: AppServer, web, chromium,
                                                                      screenshot_dir):
    add_admin(app_server.database_url, PHYSIO)
    with evidence_on_failure(web, app_server, screenshot_dir, "library_"):
        sign_in(web, app_server.url, PHYSIO)
        open_page(web, "Exercise library")
        _show(web, "Single-leg squat")
        image = _drawing(web)
        web.wait_for_timeout(400)
        early = image.screenshot(path=screenshot_dir / "library_animation_1.png")
        web.wait_for_timeout(1300)
        later = image.screenshot(path=screenshot_dir / "library_animation_2.png")
        shoot(web, screenshot_dir, "library_page")
        assert _changed_pixels(early, later) > 200, "the drawing did not move"

        calm = chromium.new_context(viewport={"width": 1400, "height": 2000}, reduced_motion="reduce")
        try:
            page = calm.new_page()
            sign_in(page, app_server.url, PHYSIO)
            open_page(page, "Exercise library")
            _show(page, "Single-leg squat")
            wait_script_idle(page)
            image = _drawing(page)
            first = image.screenshot(path=screenshot_dir / "library_still_1.png")
            page.wait_for_timeout(1300)
            second = image.screenshot(path=screenshot_dir / "library_still_2.png")
            assert _changed_pixels(first, second) == 0, "the drawing moved although reduced motion was asked for"
        finally:
            calm.close()
