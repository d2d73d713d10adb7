"""The sign-in form's target: checks the email and password, starts a server-side session and sets its cookie.

Streamlit widgets cannot set cookies, so the sign-in page is a plain HTML form that posts to the address it is
shown at (every page's address takes a POST here; GETs still go to Streamlit). On success the browser is sent
back to that address with the session cookie, and Streamlit's gate reads the cookie; on failure it comes back
with a short code in the query (never the email). Forms from other sites are refused (Sec-Fetch-Site, else
Origin), and the cookies are SameSite=Strict, so no site can sign a browser in to an account of its choosing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from rehab.services import accounts, sessions
from rehab.services.accounts import SignInFailed, SignInThrottled
from server import cookies
from ui.context import accounts_repository, settings

log = logging.getLogger("rehab.app")

PAGES = Path(__file__).resolve().parent.parent / "app_pages"
BODY_MAX = 4096  # an email (254) and a password (1024), form-encoded, with room to spare
RESULT = "sign_in"  # the query parameter the sign-in page reads: empty, failed, wait (with seconds) or error


ENTRY_PAGES = {"sign_in", "setup"}  # shown at other pages' addresses, never at their own


def page_paths(base_path: str = "") -> list[str]:
    """Every address the sign-in form can be shown at: the app's root and each page's own, under ``base_path``
    (Streamlit's ``server.baseUrlPath``, when the app is served below a path such as ``/rehab``)."""
    base = "/".join(part for part in base_path.split("/") if part)
    prefix = f"/{base}" if base else ""
    roots = [f"{prefix}/", prefix] if prefix else ["/"]
    return roots + sorted(f"{prefix}/{path.stem}" for path in PAGES.glob("*.py") if path.stem not in ENTRY_PAGES)


def same_origin(request: Request) -> bool:
    """The form was posted by a page of this app.

    Browsers mark every request with Sec-Fetch-Site, which no page can forge. Origin is the fallback for older
    browsers; under our ``Referrer-Policy: no-referrer`` a browser may send ``Origin: null``, which is refused.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    host = request.headers.get("host")
    return bool(origin and host) and origin == f"{request.url.scheme}://{host}"


def _check(email: str, password: str, client: str, device: str, user_agent: str) -> tuple[str, str]:
    if not email.strip() or not password:
        return "empty", ""
    repo = accounts_repository()
    try:
        account = accounts.sign_in(email, password, client_id=client, device=device, repo=repo)
    except SignInThrottled as exc:
        return "wait", str(exc.wait_seconds)
    except SignInFailed:
        return "failed", ""
    return "ok", sessions.start(account, user_agent, repo=repo, idle_minutes=settings().idle_minutes)


async def _form(request: Request) -> dict[str, list[str]] | None:
    """The posted fields, or None when the body is too large or not a form (read no further than the limit)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            return None
    try:
        return parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    except ValueError:
        return None


def _device(request: Request) -> str:
    """The browser's device cookie when it looks like one of ours, else a new id (set only after a success)."""
    device = request.cookies.get(cookies.DEVICE, "")
    return device if 32 <= len(device) <= 64 else sessions.new_token()


async def sign_in(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse("Sign-in refused: the form did not come from this app.", status_code=403)
    fields = await _form(request)
    if fields is None:
        return PlainTextResponse("Sign-in refused: that is not the sign-in form.", status_code=400)
    email, password = (fields.get(name, [""])[0] for name in ("email", "password"))
    device = _device(request)
    client = f"ip {request.client.host}" if request.client else "ip unknown"
    page = request.url.path
    try:
        outcome, value = await run_in_threadpool(_check, email, password, client, device,
                                                 request.headers.get("user-agent", ""))
    except Exception as exc:  # the database is down: the page says so; the reason goes to the log, no data
        log.warning("sign-in route: %s", type(exc).__name__)
        outcome, value = "error", ""
    if outcome == "ok":
        response = RedirectResponse(page, status_code=303)
        cookies.set_cookie(response, request, cookies.SESSION, value)
        cookies.set_cookie(response, request, cookies.DEVICE, device, max_age=cookies.DEVICE_MAX_AGE)
        return response
    query = f"{RESULT}=wait&seconds={value}" if outcome == "wait" else f"{RESULT}={outcome}"
    return RedirectResponse(f"{page}?{query}", status_code=303)


def routes(base_path: str = "") -> list[Route]:
    return [Route(path, sign_in, methods=["POST"]) for path in page_paths(base_path)]
