"""The patient link's routes (issue 16): the page, its PDF and its check-in form, served beside the app.

No Streamlit session and no cookie: each request is resolved from the token in its address alone, so any
number of app processes can answer it. The token never goes into a log (uvicorn's access log is off; our own
lines name the link's id at most), and every outcome for a link that does not work is the same 404 page.
"""

from __future__ import annotations

import collections
import gzip
import hashlib
import hmac
import logging
import threading
from urllib.parse import parse_qs

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from rehab.domain.links import CheckInInput
from rehab.errors import RehabError
from rehab.services import patient_links, patient_page
from rehab.services.link_reminders import STOP_PATH
from rehab.services.patient_links import LinkUnavailable, TooManyCheckIns
from server import patient_page as html
from server.sign_in_route import same_origin
from ui.context import accounts_repository

log = logging.getLogger("rehab.app")

PREFIX = "/p"
BODY_MAX = 4096  # a check-in form: a few ids and numbers
FIELDS_MAX = 50
HEADERS = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex, nofollow",
    "x-content-type-options": "nosniff",
}


def form_token(token: str) -> str:
    """The check-in form's hidden field: tied to this link, checked on every post (with the request's origin)."""
    return hmac.new(patient_links.token_hash(token).encode(), b"rehab check-in form", hashlib.sha256).hexdigest()


def _response(request: Request, body: bytes, media_type: str, status: int = 200, extra: dict | None = None) -> Response:
    headers = {**HEADERS, **(extra or {})}
    if len(body) > 1024 and "gzip" in request.headers.get("accept-encoding", ""):
        body = gzip.compress(body, compresslevel=6)
        headers["content-encoding"] = "gzip"
        headers["vary"] = "Accept-Encoding"
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def _html(request: Request, text: str, status: int = 200) -> Response:
    return _response(request, text.encode(), "text/html; charset=utf-8", status,
                     {"content-security-policy": html.content_security_policy(text)})


def _browser(request: Request) -> str:
    """The language of a page that names no program (the 404 and the reminders' stop page): the browser's."""
    return html.browser_language(request.headers.get("accept-language", ""))


def _gone(request: Request) -> Response:
    return _html(request, html.gone_page(_browser(request)), 404)


# The page's HTML without the two parts that name the link, per page and message: a reload only fills them in.
_BASE, _CSRF = "\x00base\x00", "\x00csrf\x00"
_TEXTS: collections.OrderedDict[tuple, tuple[object, str]] = collections.OrderedDict()
_LOCK = threading.Lock()


def _text(page: patient_page.PatientPage, saved: str | None, problem: str | None) -> str:
    key = (id(page), saved if saved in html.SAVED else None, problem if problem in html.PROBLEMS else None)
    with _LOCK:
        found = _TEXTS.get(key)
        if found is not None and found[0] is page:
            return found[1]
    text = html.render(page, base=_BASE, csrf=_CSRF, saved=key[1], problem=key[2])
    with _LOCK:
        _TEXTS[key] = (page, text)
        while len(_TEXTS) > 256:
            _TEXTS.popitem(last=False)
    return text


def link_address(request: Request, token: str) -> str:
    """The link's own path as this request reached it (``/p/<token>``, under the server's base path if any)."""
    path = request.url.path
    return path[: path.rindex(f"{PREFIX}/{token}") + len(PREFIX) + 1 + len(token)]


def _show(token: str, base: str, saved: str | None, problem: str | None) -> str:
    return _shown(token, base, saved, problem)[1]


def _shown(token: str, base: str, saved: str | None, problem: str | None) -> tuple[patient_page.PatientPage, str]:
    resolved = patient_links.resolve(token, repo=accounts_repository())
    patient_links.record_open(resolved)
    page = patient_page.patient_page(resolved)
    text = _text(page, saved, problem).replace(_BASE, base).replace(_CSRF, form_token(token))
    return page, text


# The last pages sent compressed, per link (by its token's hash), page and message: gzip is most of a reload's work.
_PACKED: collections.OrderedDict[tuple, tuple[object, bytes, str]] = collections.OrderedDict()


def _packed(token: str, base: str, saved: str | None, problem: str | None) -> tuple[bytes, str]:
    """The page gzip-compressed, and its Content-Security-Policy."""
    page, text = _shown(token, base, saved, problem)
    key = (patient_links.token_hash(token), base.removesuffix(token), saved, problem)
    with _LOCK:
        found = _PACKED.get(key)
        if found is not None and found[0] is page:
            return found[1], found[2]
    packed, policy = gzip.compress(text.encode(), compresslevel=6), html.content_security_policy(text)
    with _LOCK:
        _PACKED[key] = (page, packed, policy)
        while len(_PACKED) > 512:
            _PACKED.popitem(last=False)
    return packed, policy


async def show(request: Request) -> Response:
    token = request.path_params["token"]
    saved, problem = request.query_params.get("saved"), request.query_params.get("problem")
    saved, problem = (saved if saved in html.SAVED else None), (problem if problem in html.PROBLEMS else None)
    base = link_address(request, token)
    try:
        if "gzip" not in request.headers.get("accept-encoding", ""):
            return _html(request, await run_in_threadpool(_show, token, base, saved, problem))
        packed, policy = await run_in_threadpool(_packed, token, base, saved, problem)
    except LinkUnavailable:
        return _gone(request)
    headers = {**HEADERS, "content-security-policy": policy, "content-encoding": "gzip", "vary": "Accept-Encoding"}
    return Response(packed, media_type="text/html; charset=utf-8", headers=headers)


def _pdf(token: str) -> bytes:
    return patient_page.page_pdf(patient_links.resolve(token, repo=accounts_repository()))


async def pdf(request: Request) -> Response:
    try:
        data = await run_in_threadpool(_pdf, request.path_params["token"])
    except LinkUnavailable:
        return _gone(request)
    return _response(request, data, "application/pdf",
                     extra={"content-disposition": 'attachment; filename="my-exercises.pdf"',
                            "content-security-policy": "default-src 'none'; frame-ancestors 'none'"})


async def _fields(request: Request) -> dict[str, list[str]] | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            return None
    try:
        return parse_qs(body.decode("utf-8", "replace"), max_num_fields=FIELDS_MAX)
    except ValueError:
        return None


def _entry(fields: dict[str, list[str]]) -> CheckInInput:
    def one(name: str) -> str | None:
        values = fields.get(name, [])
        return values[0] if values else None

    pain = one("pain")
    return CheckInInput(kind=one("kind") or "", done=tuple(fields.get("done", [])),
                        pain=int(pain) if pain is not None and pain.isdigit() and len(pain) <= 2 else pain,
                        morning=one("morning"))


def _check_in(token: str, entry: CheckInInput) -> None:
    resolved = patient_links.resolve(token, repo=accounts_repository())
    page = patient_page.patient_page(resolved)
    patient_links.record_check_in(resolved, entry, {eid for eid, _ in page.today})


def _refused(key: str, language: str, status: int) -> Response:
    """A refusal in plain text, in ``language`` (server/patient_page.py's ``refusal``)."""
    return Response(html.refusal(key, language), status_code=status, media_type="text/plain",
                    headers={**HEADERS, "content-language": html.refusal_language(language)})


def _language(resolved: patient_links.Resolved) -> str:
    """The language of the link's program, as its page speaks it (the page is kept, so this is seldom work)."""
    return patient_page.patient_page(resolved).language


async def _this_pages_form(request: Request, token: str,
                           resolved: patient_links.Resolved) -> dict[str, list[str]] | Response:
    """The posted fields of this link's own form, or the refusal to send, in the program's language: a post from
    another site (403) or without this page's form token (400). Check-ins and reminder changes share this guard."""
    if not same_origin(request):
        return _refused("refused_origin", await run_in_threadpool(_language, resolved), 403)
    fields = await _fields(request)
    if fields is None or not hmac.compare_digest((fields.get("csrf") or [""])[0], form_token(token)):
        return _refused("refused_form", await run_in_threadpool(_language, resolved), 400)
    return fields


async def check_in(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        resolved = await run_in_threadpool(patient_links.resolve, token, repo=accounts_repository())
    except LinkUnavailable:
        return _gone(request)
    fields = await _this_pages_form(request, token, resolved)
    if isinstance(fields, Response):
        return fields
    try:
        entry = _entry(fields)
        await run_in_threadpool(_check_in, token, entry)
    except LinkUnavailable:
        return _gone(request)
    except TooManyCheckIns:
        return _html(request, await run_in_threadpool(_show, token, link_address(request, token), None, "busy"), 429)
    except (ValidationError, RehabError) as exc:  # never logged with its values: they are the patient's answers
        log.info("patient link check-in refused: %s", type(exc).__name__)
        return _html(request, await run_in_threadpool(_show, token, link_address(request, token), None, "form"), 400)
    return RedirectResponse(f"{link_address(request, token)}?saved={entry.kind.value}#check-in", status_code=303,
                            headers=HEADERS)


async def reminders(request: Request) -> Response:
    """The patient's reminder days (consent recorded), or stop: this page's form only, like a check-in."""
    token = request.path_params["token"]
    try:
        resolved = await run_in_threadpool(patient_links.resolve, token, repo=accounts_repository())
    except LinkUnavailable:
        return _gone(request)
    fields = await _this_pages_form(request, token, resolved)
    if isinstance(fields, Response):
        return fields
    raw = [] if fields.get("stop") else fields.get("day", [])
    if not resolved.has_email or any(not (d.isdigit() and len(d) == 1) for d in raw):
        return _html(request, await run_in_threadpool(_show, token, link_address(request, token), None, "form"), 400)
    days = tuple(sorted({int(d) for d in raw}))
    try:
        await run_in_threadpool(patient_links.set_reminders, resolved, days)
    except RehabError:
        return _html(request, await run_in_threadpool(_show, token, link_address(request, token), None, "form"), 400)
    saved = "reminders" if days else "reminders_off"
    return RedirectResponse(f"{link_address(request, token)}?saved={saved}#remind", status_code=303, headers=HEADERS)


async def stop_reminders(request: Request) -> Response:
    """The reminder emails' stop link. GET shows one button (mail scanners open links); POST stops, from that
    button or from a mail program's one-click unsubscribe (RFC 8058), so no same-site check here: the random id
    in the address is the permission, and it can only stop reminders. Known or not, the answer is the same."""
    stop = request.path_params["stop"]
    if request.method == "GET":
        return _html(request, html.stop_page(request.url.path, stopped=False, language=_browser(request)))
    if await _fields(request) is None:
        return _refused("refused_size", _browser(request), 400)  # no program is known here
    await run_in_threadpool(patient_links.stop_reminders, stop, repo=accounts_repository())
    return _html(request, html.stop_page(request.url.path, stopped=True, language=_browser(request)))


def routes(base_path: str = "") -> list[Route]:
    """The link's routes, under the server's base path (``server.baseUrlPath``) like the app itself."""
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return [
        Route(base + PREFIX + "/{token}", show, methods=["GET"]),
        Route(base + PREFIX + "/{token}/handout.pdf", pdf, methods=["GET"]),
        Route(base + PREFIX + "/{token}/check-in", check_in, methods=["POST"]),
        Route(base + PREFIX + "/{token}/reminders", reminders, methods=["POST"]),
        Route(base + STOP_PATH.rstrip("/") + "/{stop}", stop_reminders, methods=["GET", "POST"]),
    ]
