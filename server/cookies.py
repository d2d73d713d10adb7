"""The app's two cookies. Both are httpOnly (no script can read them) and SameSite=Strict (no other site's page
can send them along), and Secure when the app is served over HTTPS."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

SESSION = "rehab_session"  # the server-side session's random id; lasts until the browser closes or it ends
DEVICE = "rehab_device"  # a random id naming this browser for the sign-in throttle; kept a year
DEVICE_MAX_AGE = 365 * 24 * 3600


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=request.url.scheme == "https",
                        httponly=True, samesite="strict")
