"""A physiotherapist in real Chromium: sign in, add a patient, build from a template, change a dose in the grid,
save, download the PDF and find the changed dose in it; leaving with unsaved changes warns; after a server restart
(and signing in again) the program is found again. Every page is screenshotted along the way."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import require_tool
from ui.build.exercises import WIDTHS

from .conftest import AppServer, add_admin, evidence_on_failure, open_page, sign_in

PAGES = {"build": "Build program", "review": "Review visit", "patients": "Patients", "library": "Exercise library",
         "templates": "Program templates", "settings": "Clinic settings", "accounts": "Accounts", "audit": "Audit log",
         "password": "Your account"}
PHYSIO = "physio@example.org"
# Pixel x of the middle of the Sets column: the Exercise and Side columns' widths plus half of Sets'. Cells are
# found by position because st.data_editor draws on a <canvas>.
SETS_X = WIDTHS["exercise"] + WIDTHS["side"] + WIDTHS["sets"] / 2


def wait_script_idle(page, timeout: int = 30_000) -> None:
    # Elements stream in page order, so waiting for one text is not enough: a later element (the download
    # button) can still hold the old program. Wait for the whole run to end (stack-recipes §4b, the race).
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout)


def settled(page, text: str, timeout: int = 30_000) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text(text).first).to_be_visible(timeout=timeout)
    wait_script_idle(page)


def edit_grid_cell(page, grid, row: int, x: float, value: str, header_h: int = 36, row_h: int = 35) -> None:
    from playwright.sync_api import expect

    expect(grid).to_be_visible()
    editor = page.locator("#portal input, #portal textarea").first
    for _ in range(10):  # after other input the first double-click can be ignored (stack-recipes §4b)
        box = grid.bounding_box()
        page.mouse.dblclick(box["x"] + x, box["y"] + header_h + row_h * row + row_h / 2)
        try:
            editor.wait_for(timeout=1000)
            break
        except Exception:
            continue
    editor.fill(value)
    editor.press("Enter")


def choose(page, label: str, option: str) -> None:
    """Pick an option of a st.selectbox by its label, the box first scrolled into the middle of the view."""
    field = page.get_by_label(label, exact=True)
    field.evaluate("box => box.scrollIntoView({block: 'center'})")
    field.click()
    page.get_by_role("option", name=option).first.click()
    wait_script_idle(page)


def shoot(page, folder, name: str) -> None:
    wait_script_idle(page)
    page.wait_for_timeout(1000)  # lazily loaded widgets (grid, number inputs) finish drawing
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def pdf_text(path) -> str:
    tool = require_tool("pdftotext", "poppler-utils")
    return subprocess.run([tool, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def template_program_open(page, app_server: AppServer) -> None:
    """Signed in as a new physiotherapist, a new patient's program started from the first template."""
    add_admin(app_server.database_url, PHYSIO)
    sign_in(page, app_server.url, PHYSIO)
    settled(page, "Start here.")
    page.get_by_label("Name", exact=True).fill("Ada Lovelace")
    page.get_by_role("button", name="Add patient").click()
    settled(page, "Start from this template")
    page.get_by_role("button", name="Start from this template").click()
    settled(page, "1. Quad set: 2 sets of 10")


def downloaded(page) -> tuple[bytes, str]:
    """The PDF the Download button gives now, and its first page's text."""
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    path = download.value.path()
    return path.read_bytes(), pdf_text(path).split("\f")[0]


def test_build_save_download_and_find_again_after_a_restart(app_server: AppServer, web, tmp_path, screenshot_dir):
    with evidence_on_failure(web, app_server, screenshot_dir, ""):
        physiotherapist_session(app_server, web, tmp_path, screenshot_dir)


def physiotherapist_session(app_server: AppServer, web, tmp_path, screenshot_dir) -> None:
    from playwright.sync_api import expect

    page = web
    add_admin(app_server.database_url, PHYSIO)
    sign_in(page, app_server.url, PHYSIO)
    settled(page, "Start here.")
    shoot(page, screenshot_dir, "1_build_empty")

    # A new patient, with characters that break careless markup.
    page.get_by_label("Name", exact=True).fill("Zoë O'Brien & <Sons>")
    page.get_by_role("button", name="Add patient").click()
    settled(page, "Start from this template")
    expect(page.get_by_text("Zoë O'Brien & <Sons>", exact=True)).to_be_visible()

    # Start from the first template (phase 1: quad set 2 sets of 10 first) and change its sets to 4.
    page.get_by_role("button", name="Start from this template").click()
    settled(page, "1. Quad set: 2 sets of 10")
    expect(page.get_by_text("Unsaved changes.")).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first
    edit_grid_cell(page, grid, row=0, x=SETS_X, value="4")
    settled(page, "1. Quad set: 4 sets of 10")

    page.get_by_role("button", name="Save new program").click()
    settled(page, "Save as version 2")
    expect(page.get_by_text("Unsaved changes.")).to_have_count(0)
    shoot(page, screenshot_dir, "2_build_saved")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == "exercise-program.pdf"
    pdf = tmp_path / "download.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "4 sets of 10" in text and "2 sets of 10, hold each for 5" not in text
    assert "Zoë O'Brien & <Sons>" in text

    # Every page of the app, with a patient and a saved program in the database (through the sidebar: a new
    # address would be a new session, signed out).
    for name, title in PAGES.items():
        open_page(page, title)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        shoot(page, screenshot_dir, f"3_page_{name}")

    # Unsaved changes: the banner shows and closing the tab asks first (beforeunload).
    open_page(page, "Build program")
    page.get_by_role("button", name="Change patient").click()  # the session still has the patient open
    settled(page, "Find a patient")
    choose(page, "Patient", "Zoë O'Brien & <Sons>")
    settled(page, "A saved program")
    page.get_by_role("button", name="Edit").click()
    settled(page, "1. Quad set: 4 sets of 10")
    grid = page.get_by_test_id("stDataFrame").first
    edit_grid_cell(page, grid, row=0, x=SETS_X, value="3")
    settled(page, "1. Quad set: 3 sets of 10")
    expect(page.get_by_text("Unsaved changes.")).to_be_visible()
    # One click swaps row 8 (standing quad stretch) for the easier exercise on its ladder.
    page.locator(".st-key-build_easier_7").get_by_role("button", name="Easier").click()
    settled(page, "8. Side-lying quad stretch: hold")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    pump = web.context.new_page()  # runs Playwright's event loop while the first page shows its dialog
    page.close(run_before_unload=True)
    for _ in range(100):
        if dialogs:
            break
        pump.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    page.close()

    # Restart the server on the same database: the saved program and the unsaved draft are both still there.
    app_server.stop()
    app_server.start()
    page = pump
    page.goto(app_server.url)  # the session cookie outlives the server: still signed in
    settled(page, "Find a patient")
    page.get_by_label("Find a patient").fill("zoe obrien")
    page.get_by_label("Find a patient").press("Enter")
    wait_script_idle(page)
    choose(page, "Patient", "Zoë O'Brien & <Sons>")
    settled(page, "Continue your unsaved draft from")
    page.get_by_role("button", name="Edit").click()
    settled(page, "1. Quad set: 4 sets of 10")
    shoot(page, screenshot_dir, "4_build_after_restart")
    page.get_by_role("button", name="Continue").click()
    settled(page, "1. Quad set: 3 sets of 10")
    expect(page.get_by_text("8. Side-lying quad stretch: hold")).to_be_visible()
    expect(page.get_by_text("Unsaved changes.")).to_be_visible()

    # The server logs of both runs hold no patient name (issue 8: logs carry no patient data).
    logs = "".join(path.read_text(encoding="utf-8", errors="replace")
                   for path in app_server.log_dir.glob("streamlit-*.log"))
    assert "Zoë" not in logs and "O'Brien" not in logs


def shown_image(page, image) -> bytes:
    """The bytes of the image the browser shows (fetched again by the page, with its session)."""
    import base64

    encoded = image.evaluate("""async img => {
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let text = ''; for (const b of bytes) text += String.fromCharCode(b); return btoa(text); }""")
    return base64.b64decode(encoded)


def new_first_page(page, first, source: str, before: bytes, dose: str, screenshot_dir, name: str,
                   runs: int = 1) -> bytes:
    """After a change, the first page on screen (no longer ``source``, after ``runs`` runs of the page) is page 1 of
    the PDF Download gives, which prints ``dose``, and differs from ``before``; shot as ``name``."""
    from playwright.sync_api import expect

    from rehab.images import pdf_page_images
    from ui.build.cache import PREVIEW_SCALE

    expect(first).not_to_have_attribute("src", source)
    for _ in range(runs):
        wait_script_idle(page)
    shown = shown_image(page, first)
    pdf, first_page = downloaded(page)
    assert dose in first_page
    assert shown == pdf_page_images(pdf, PREVIEW_SCALE, range(0, 1), image_format="JPEG")[0] != before
    shoot(page, screenshot_dir, name)
    return shown


@pytest.mark.slow
def test_after_a_dose_change_the_preview_shows_the_new_first_page(app_server: AppServer, web, tmp_path,
                                                                    screenshot_dir):
    """Issue 17 in Chromium: after a dose typed in the grid, the first page on screen is page 1 of the handout
    Download gives for the changed program (drawn here from that PDF), not the page from before the change."""
    from playwright.sync_api import expect

    with evidence_on_failure(web, app_server, screenshot_dir, "preview_"):
        page = web
        template_program_open(page, app_server)
        page.get_by_role("tab", name="Handout preview").click()
        wait_script_idle(page)
        first = page.locator("[data-testid=stImage] img[alt^='Handout page 1 of ']")
        expect(first).to_be_visible()
        before, source = shown_image(page, first), first.get_attribute("src")

        grid = page.get_by_test_id("stDataFrame").first
        grid.evaluate("grid => grid.scrollIntoView({block: 'center'})")  # opening the tab scrolled down to it
        edit_grid_cell(page, grid, row=0, x=SETS_X, value="4")
        after = new_first_page(page, first, source, before, "4 sets of 10", screenshot_dir, "preview_after_dose_change")

        # + on Reps beside the preview: the same, without typing in the grid (the preview's own run, then the page's)
        source = first.get_attribute("src")
        page.get_by_test_id("stNumberInput").filter(has_text="Reps").get_by_test_id("stNumberInputStepUp").click()
        new_first_page(page, first, source, after, "4 sets of 11", screenshot_dir, "preview_after_dose_stepper", runs=2)
