"""`make run` starts the st.App entry (serve.py), which Streamlit recognises as an ASGI app and which serves
app.py with our sign-in route and security headers."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app

from tests.conftest import ROOT


def test_make_run_starts_serve_py():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    plan = subprocess.run([make, "-n", "run"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert "-m streamlit run serve.py " in plan


def test_streamlit_finds_the_app_in_serve_py():
    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app"


def test_serve_py_serves_app_py_with_our_routes_and_headers():
    import serve
    from server.headers import SecurityHeaders

    assert serve.app.script_path.name == "app.py"
    assert [m.cls for m in serve.app._user_middleware] == [SecurityHeaders]
    assert {route.path for route in serve.app._user_routes} >= {"/", "/patients", "/password"}


def test_a_bad_trusted_proxy_stops_the_server_naming_the_setting():
    run = subprocess.run([sys.executable, "-c", "import serve"], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "REHAB_TRUSTED_PROXY": "proxy.example.org"}, check=False)
    assert run.returncode != 0
    assert "REHAB_TRUSTED_PROXY: 'proxy.example.org' is not an IP address or network" in run.stderr
