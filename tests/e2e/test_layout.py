"""At a laptop's 1280 x 800 in Chromium: the Build page with 12 exercises shows every grid column without
scrolling sideways, Save and Download stay in view while the page scrolls, the Review visit table fits too, and
keyboard focus is never hidden under the header or that bar.
Screenshots of Build, Review visit and Patients are kept for a person to look at (REHAB_SCREENSHOT_DIR)."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import AppServer, add_admin, evidence_on_failure, open_page, sign_in

PHYSIO = "physio@example.org"
LAPTOP = {"width": 1280, "height": 800}
TWELVE = ("standing_band_hip_abduction", "lateral_band_walk", "side_plank", "step_up", "squat_to_chair",
          "eccentric_step_down", "single_leg_balance", "standing_quad_stretch", "standing_calf_stretch",
          "glute_bridge", "clamshell", "leg_press_0_45")


def seed_twelve(database_url: str) -> None:
    """A patient with a saved 12-exercise program, each exercise at its library starting dose."""
    from rehab import services
    from rehab.content.library import load_library
    from rehab.domain import Patient, Program, ProgramItem, Side
    from rehab.storage.db import make_engine

    library = load_library()
    engine = make_engine(database_url)
    try:
        repo = services.bootstrap.connect(engine=engine)
        patient = services.patients.add_patient({"name": "Zoë O'Brien & <Sons>", "affected_side": "left"}, repo=repo,
                                      actor=PHYSIO)
        ids = [e for e in TWELVE if e in library] + [e.id for e in library if e.id not in TWELVE]
        items = [ProgramItem(exercise=e, side=Side.LEFT if library.get(e).one_leg else None,
                             **library.get(e).default_dose.model_dump()) for e in ids[:12]]
        program = Program(patient=Patient(name=patient.name), phase="strengthen", start_date=dt.date(2026, 12, 7),
                          items=items, title="Strength for the left knee")
        services.programs.save_program(program, repo=repo, actor=PHYSIO, patient_id=patient.id)
    finally:
        engine.dispose()


def idle(page) -> None:
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)
    page.wait_for_timeout(700)  # the grid draws on its canvas after the run ends


def grid_fits(page, index: int = 0) -> dict:
    """The grid's box and whether its columns need sideways scrolling (st.data_editor draws on a canvas, so the
    scroller's widths tell whether any column is cut)."""
    grid = page.get_by_test_id("stDataFrame").nth(index)
    grid.scroll_into_view_if_needed()
    scroller = grid.locator(".dvn-scroller").first
    sizes = scroller.evaluate("e => ({scroll: e.scrollWidth, client: e.clientWidth})")
    return {**sizes, "box": grid.bounding_box()}


# The focused element, and whether the app's header or the sticky action bar covers it entirely (None: focus is in the
# sidebar, the bar itself, or Streamlit's own skip link, which shows on top of the header while focused).
_FOCUS_HIDDEN = """() => {
  const el = document.activeElement;
  const main = document.querySelector('[data-testid=stMain]');
  if (!el || !main || !main.contains(el) || el.closest('.st-key-page_actions')) return null;
  if (el.tagName === 'A' && el.textContent.trim() === 'Skip to main content') return null;
  const bar = document.querySelector('.st-key-page_actions');
  const cover = (bar ? bar.parentElement : document.querySelector('[data-testid=stHeader]')).getBoundingClientRect();
  const box = el.getBoundingClientRect();
  return {name: (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40),
          hidden: box.bottom <= cover.bottom + 1};
}"""


def hidden_focus(page, presses: int = 60) -> tuple[int, list[str]]:
    """Shift+Tab up the page from its last control: how many controls took focus, and the ones left hidden under
    the header or the action bar (WCAG 2.2, 2.4.11)."""
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 1e7)")
    page.wait_for_timeout(300)
    page.locator("[data-testid=stMain] :is(input, button, textarea)").last.focus()
    seen, hidden = 0, []
    for _ in range(presses):
        page.keyboard.press("Shift+Tab")
        page.wait_for_timeout(40)  # the browser scrolls the focused control into view
        focus = page.evaluate(_FOCUS_HIDDEN)
        if focus is not None:
            seen += 1
            if focus["hidden"]:
                hidden.append(focus["name"])
    return seen, hidden


def review_texts() -> dict[str, list[str]]:
    """The Exercise and Dose now cells of the Review visit table for the seeded program, as the page writes them."""
    from rehab.content.library import load_library
    from rehab.program.progression import side_for
    from ui.review.grid import dose_now

    library = load_library()
    ids = [e for e in TWELVE if e in library] + [e.id for e in library if e.id not in TWELVE]
    names, doses = [], []
    for exercise_id in ids[:12]:
        exercise = library.get(exercise_id)
        item = exercise.default_dose
        names.append(exercise.name)
        doses.append(dose_now(exercise, item, side_for(exercise, _item(exercise))))
    return {"Exercise": names, "Dose now": doses}


def _item(exercise):
    from rehab.domain import ProgramItem, Side

    return ProgramItem(exercise=exercise.id, side=Side.LEFT if exercise.one_leg else None,
                       **exercise.default_dose.model_dump())


def cut_texts(page, texts: list[str], width: int) -> list[str]:
    """The texts that do not fit a grid column ``width`` pixels wide: st.data_editor draws on a canvas, so each text
    is measured in the grid's own font (14 px of the app's body font) with the cell's padding (8 px a side)."""
    return page.evaluate(
        """([texts, width]) => {
            const family = getComputedStyle(document.querySelector('[data-testid=stDataFrame]')).fontFamily;
            const context = document.createElement('canvas').getContext('2d');
            context.font = `14px ${family}`;
            return texts.filter(t => context.measureText(t).width + 16 > width);
        }""", [texts, width])


@pytest.mark.slow
def test_build_and_review_fit_a_laptop_screen(app_server: AppServer, chromium, screenshot_dir):
    add_admin(app_server.database_url, PHYSIO)
    seed_twelve(app_server.database_url)
    context = chromium.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    try:
        with evidence_on_failure(page, app_server, screenshot_dir, "layout_"):
            check_pages(page, app_server, screenshot_dir)
    finally:
        context.close()


def check_pages(page, app_server: AppServer, screenshot_dir) -> None:
    from playwright.sync_api import expect

    sign_in(page, app_server.url, PHYSIO)
    open_page(page, "Patients")
    # Adding an outcome entry keeps the Outcomes tab (and its chart) open.
    page.get_by_role("tab", name="Outcomes").click()
    idle(page)
    page.locator("[class*='st-key-patients_outcome_'][class*='_pain'] input").fill("4")
    page.get_by_role("button", name="Add entry").click()
    idle(page)
    expect(page.get_by_text("Outcome entry added.")).to_be_visible()
    expect(page.get_by_role("tab", name="Outcomes")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Add another entry at a later visit")).to_be_visible()
    page.get_by_role("tab", name="Programs").click()
    idle(page)
    page.screenshot(path=screenshot_dir / "layout_patients.png")
    page.get_by_role("button", name="Open in Build program").click()
    idle(page)
    expect(page.get_by_text("12. ", exact=False).first).to_be_attached()

    fits = grid_fits(page)
    idle(page)
    page.screenshot(path=screenshot_dir / "layout_build_grid.png")
    assert fits["scroll"] <= fits["client"], fits  # every column in view: nothing cut or hidden to the right
    assert fits["box"]["x"] + fits["box"]["width"] <= LAPTOP["width"], fits

    # Save, Download, Email and Save as clinic template stay on screen, in one row, wherever the clinician scrolls.
    bar = [page.get_by_role("button", name=name).first for name in
           ("Save as version 2", "Download PDF", "Email to patient", "Save as clinic template")]
    for bottom in (1500, 3000, 100_000):
        page.evaluate(f"document.querySelector('[data-testid=stMain]').scrollTo(0, {bottom})")
        page.wait_for_timeout(400)
        boxes = [button.bounding_box() for button in bar]
        for box in boxes:
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"], (bottom, box)
        assert len({round(box["y"]) for box in boxes}) == 1, boxes  # one row: the bar leaves room for the page
    page.screenshot(path=screenshot_dir / "layout_build_bottom.png")
    # Moving up the page with the keyboard, no control ends up hidden under the header or the bar.
    seen, hidden = hidden_focus(page)
    assert seen >= 30 and hidden == [], (seen, hidden)

    open_page(page, "Clinic settings")
    idle(page)
    seen, hidden = hidden_focus(page)
    assert seen >= 30 and hidden == [], (seen, hidden)

    open_page(page, "Review visit")
    idle(page)
    fits = grid_fits(page)
    page.screenshot(path=screenshot_dir / "layout_review.png")
    assert fits["scroll"] <= fits["client"], fits
    # Every exercise and every "Dose now" reads whole: no text cut at the column's edge.
    from ui.review.grid import column_width

    for column, texts in review_texts().items():
        assert cut_texts(page, texts, column_width(column, texts)) == [], column
    # Every row in view: the table is as tall as its 12 rows and a header (35 pixels each), no scrolling inside it.
    assert fits["box"]["height"] >= 13 * 35, fits
