"""End-to-end fixtures: the real app (`streamlit run serve.py`, as `make run` starts it) on a free port with a
temporary SQLite database, driven by Debian's Chromium through Playwright (stack-recipes §3-4). Without Chromium
or Playwright the tests skip locally and fail under CI=true."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, missing, without_developer_settings
from tests.support.servers import free_port

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
START_TIMEOUT_S = 60


class AppServer:
    """`streamlit run serve.py` on 127.0.0.1, stoppable and restartable on the same database."""

    def __init__(self, database_url: str, log_dir: Path, extra_env: dict[str, str] | None = None,
                 base_path: str = ""):
        self.database_url = database_url
        self.log_dir = log_dir
        self.extra_env = extra_env or {}  # added to this server's environment only (e.g. a test's SMTP server)
        self.base_path = base_path  # Streamlit's server.baseUrlPath: the app is served below /<base_path>/
        self.proc: subprocess.Popen | None = None
        self.log = None
        self.url = ""
        self.starts = 0

    def start(self) -> str:
        port = free_port()
        self.starts += 1
        self.log = open(self.log_dir / f"streamlit-{self.starts}.log", "w+", encoding="utf-8")  # noqa: SIM115
        # No app setting from the developer's shell or secrets files: a stray mail server never gets test email.
        env = {**without_developer_settings(os.environ), "REHAB_DATABASE_URL": self.database_url, **self.extra_env}
        secrets = self.log_dir / "empty-secrets.toml"  # instead of .streamlit/secrets.toml and ~/.streamlit/
        secrets.write_text("", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(secrets), "--server.baseUrlPath", self.base_path],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        self.url = f"http://127.0.0.1:{port}" + (f"/{self.base_path}" if self.base_path else "")
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if urllib.request.urlopen(self.url + "/_stcore/health", timeout=1).read() == b"ok":
                    return self.url
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("streamlit did not start:\n" + self.read_log())
            time.sleep(0.1)

    def read_log(self) -> str:
        return (self.log_dir / f"streamlit-{self.starts}.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None
        if self.log is not None:
            self.log.close()  # an unclosed log fails `-W error` runs with PytestUnraisableExceptionWarning
            self.log = None


@pytest.fixture
def app_server(tmp_path) -> Iterator[AppServer]:
    server = AppServer(f"sqlite:///{tmp_path / 'e2e.db'}", tmp_path)
    server.start()
    yield server
    server.stop()


E2E_PASSWORD = "e2e test passphrase"  # noqa: S105 - the test accounts' password


def add_admin(database_url: str, email: str, *, clinic: str = "Knee Clinic", new_clinic: bool = False):
    """An admin account in the server's database (the first one names its clinic; later ones make new clinics)."""
    from rehab.services import accounts
    from rehab.storage.db import make_engine, upgrade
    from rehab.storage.repository import Repository

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        repo = Repository(engine)
        name = email.split("@")[0].capitalize()
        if new_clinic:
            return accounts.add_clinic_with_admin(clinic, email, name, E2E_PASSWORD, repo=repo, actor="e2e setup")
        return accounts.create_clinic_with_admin(clinic, email, name, E2E_PASSWORD, repo=repo)
    finally:
        engine.dispose()


def sign_in(page, url: str, email: str, password: str = E2E_PASSWORD) -> None:
    """Open ``url`` and sign in; returns when the app has run the page after the sign-in."""
    from playwright.sync_api import expect

    page.goto(url)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)


def open_page(page, title: str) -> None:
    """Go to another page through the sidebar, as a person does: a new address would be a new, signed-out session."""
    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)


@contextlib.contextmanager
def evidence_on_failure(web, server: AppServer, folder: Path, prefix: str) -> Iterator[None]:
    """On a failure, a screenshot of every open tab and the server log's tail, for the CI log."""
    try:
        yield
    except Exception:
        for number, tab in enumerate(web.context.pages):
            tab.screenshot(path=folder / f"{prefix}failure_{number}.png", full_page=True)
        print(server.read_log()[-5000:])
        raise


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed; run: .venv/bin/pip install -r requirements-dev.txt")
    exe = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(exe):
        missing("chromium not found; install it with: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def web(chromium):
    # Tall enough that the whole Build page is laid out (Streamlit scrolls inside its own container).
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1400, "height": 3000})
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    folder = Path(os.environ.get("REHAB_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
