"""Every page in real Chromium, with real content (a patient, a saved program, a clinic exercise, a logo), signed
in and not: axe-core 4 finds no serious or critical accessibility problem (issue 14, hole 11); no user text
becomes an outside image or a live link (hole 3); no table offers its own unguarded "Download as CSV" (hole 4).

axe-core is vendored (tests/e2e/vendor/axe.min.js, MPL-2.0, see the LICENSE beside it) so the test runs offline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from .conftest import AppServer, add_admin, evidence_on_failure, open_page, sign_in

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ADMIN = "admin@example.org"
# Text a colleague may type that Markdown would turn into an outside image and live links.
HOSTILE = "![i](http://127.0.0.1:9/x.png) Ann http://evil.example www.evil.example"
FORMULA = '=HYPERLINK("http://evil.example","Click")'
# (page title in the sidebar, a text that shows once the page has its content)
PAGES = [("Patients", None), ("Review visit", "How did each exercise go?"), ("Exercise library", "Show details for"),
         ("Program templates", "Template"), ("Clinic settings", "Clinic name"),
         ("Accounts", "Everyone who can sign in"), ("Audit log", "entries shown"), ("Your account", "Signed in as")]


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line per rule and element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {node['target'][0]} {_colours(node)}"
            for v in results if v["impact"] in ("serious", "critical") for node in v["nodes"]]


def _colours(node: dict) -> str:
    """For a contrast problem: the colours axe measured, to fix the theme with."""
    data = next((check["data"] for check in node["any"] if isinstance(check.get("data"), dict)), {})
    if "fgColor" not in data:
        return ""
    return f"{data['fgColor']} on {data.get('bgColor')} = {data.get('contrastRatio')}:1"


def outside_links_and_images(page, origin: str) -> list[str]:
    """Images and links that point anywhere but the app itself (or an inline data: image)."""
    return page.evaluate(
        """origin => [...document.querySelectorAll('img[src], a[href]')]
            .map(e => e.tagName + ' ' + (e.src || e.href))
            .filter(t => !/^(IMG|A) (data:|blob:)/.test(t) && !t.startsWith('IMG ' + origin + '/')
                         && !t.startsWith('A ' + origin + '/'))""",
        origin,
    )


def settle(page) -> None:
    page.wait_for_timeout(500)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # images, charts and grids finish drawing


def seed(database_url: str) -> None:
    """The content a busy clinic has: hostile names on purpose (they must show as typed)."""
    from PIL import Image

    from rehab import services
    from rehab.config import Settings
    from rehab.program.templates import program_from_template
    from rehab.services import accounts
    from tests.support.storage_samples import custom_exercise

    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": database_url}))
    try:
        patient = services.patients.add_patient({"name": HOSTILE, "email": "ann@example.org", "email_consent": True},
                                      repo=repo, actor=ADMIN)
        program = program_from_template("phase1_settle", patient.as_patient(), start_date=dt.date(2026, 1, 5))
        services.programs.save_program(program, repo=repo, actor=ADMIN, patient_id=patient.id)
        for weeks, pain, score in [(6, 6, 58), (3, 5, 62), (0, 3, 70)]:  # two charts with a trend
            services.outcomes.add_outcome(patient.id, {"recorded_on": dt.date.today() - dt.timedelta(weeks=weeks),
                                             "worst_pain": pain, "function_score": score,
                                             "instrument": "Kujala (AKPS)"}, repo=repo, actor=ADMIN)
        formula = custom_exercise("clinic_wall_slide").model_copy(update={"name": FORMULA})
        services.exercises.save_custom_exercise(formula, repo=repo, actor=ADMIN)
        logo = Path(database_url.removeprefix("sqlite:///")).with_name("logo.png")
        Image.new("RGB", (240, 80), (31, 111, 139)).save(logo)
        clinic = services.clinic.get_clinic(repo=repo)
        services.clinic.save_clinic(clinic.model_copy(update={"logo": logo.read_bytes()}), repo=repo, actor=ADMIN)
        accounts.add_user("bo@example.org", HOSTILE, "a long test passphrase", role="clinician", clinic_id=1,
                          repo=repo, actor=ADMIN)
    finally:
        repo.engine.dispose()


def check(page, origin: str, name: str, found: dict[str, list[str]], folder: Path) -> None:
    settle(page)
    page.screenshot(path=folder / f"a11y_{name}.png", full_page=True)
    found[name] = serious_violations(page) + [f"outside {x}" for x in outside_links_and_images(page, origin)]


@pytest.mark.slow
def test_every_page_has_no_serious_accessibility_problem_and_no_live_user_markup(app_server: AppServer, web,
                                                                                  screenshot_dir):
    from playwright.sync_api import expect

    page = web
    found: dict[str, list[str]] = {}
    with evidence_on_failure(web, app_server, screenshot_dir, "a11y_"):
        page.goto(app_server.url)
        expect(page.get_by_text("Set up your clinic").first).to_be_visible(timeout=30_000)
        check(page, app_server.url, "setup", found, screenshot_dir)

        add_admin(app_server.database_url, ADMIN)
        seed(app_server.database_url)
        page.goto(app_server.url)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
        check(page, app_server.url, "sign_in", found, screenshot_dir)

        sign_in(page, app_server.url, ADMIN)
        open_page(page, "Patients")
        page.get_by_test_id("stRadio").get_by_text("Ann", exact=False).first.click()
        settle(page)
        page.get_by_role("tab", name="Programs").click()
        expect(page.get_by_role("button", name="Open in Build program")).to_be_visible(timeout=30_000)
        check(page, app_server.url, "patients", found, screenshot_dir)
        for tab in ("Outcomes", "Emails"):
            page.get_by_role("tab", name=tab).click()
            check(page, app_server.url, f"patients_{tab.lower()}", found, screenshot_dir)
        page.get_by_role("tab", name="Programs").click()
        settle(page)

        page.get_by_role("button", name="Open in Build program").click()
        expect(page.get_by_text("1. Quad set").first).to_be_visible(timeout=30_000)
        check(page, app_server.url, "build", found, screenshot_dir)
        page.get_by_role("tab", name="Handout preview").click()  # the page image and the dose stepper beside it
        expect(page.locator("[data-testid=stImage] img[alt^='Handout page 1 of ']")).to_be_visible(timeout=30_000)
        check(page, app_server.url, "build_preview", found, screenshot_dir)

        for title, ready in PAGES[1:]:
            open_page(page, title)
            expect(page.get_by_text(ready).first).to_be_visible(timeout=30_000)
            check(page, app_server.url, title.lower().replace(" ", "_"), found, screenshot_dir)
            if title == "Exercise library":
                table = page.get_by_test_id("stDataFrame").first
                table.hover()
                page.wait_for_timeout(500)
                # The table's toolbar would write the clinic exercise's formula into a CSV unguarded.
                expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
                for tab in ("Add or edit your own", "Import or export CSV"):
                    page.get_by_role("tab", name=tab).click()
                    check(page, app_server.url, f"library_{tab.split()[0].lower()}", found, screenshot_dir)

    problems = {name: hits for name, hits in found.items() if hits}
    # 11 pages, two more tabs each of Patients and the library, and Build's handout preview
    assert len(found) == 11 + 5, sorted(found)
    assert not problems, "\n".join(f"{name}: {hit}" for name, hits in problems.items() for hit in hits)
