"""Security headers on every HTTP response, Streamlit's own included (pure ASGI, so streaming is untouched)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",  # no other site may show the app in a frame
    "x-frame-options": "DENY",  # the same, for browsers that predate frame-ancestors
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # page addresses never leak to other sites
}

OWN_POLICY_ALLOWED = {"content-security-policy"}  # must still say frame-ancestors 'none'


def _framing_refused(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """A response's own Content-Security-Policy, with frame-ancestors 'none' added when it has no frame-ancestors."""
    if name.decode("latin-1").lower() != "content-security-policy" or b"frame-ancestors" in value.lower():
        return name, value
    return name, value.rstrip(b"; ") + b"; frame-ancestors 'none'"


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [_framing_refused(k, v) for k, v in message.get("headers", [])]
                # a route with its own stricter policy keeps it (the patient page: server/patient_route.py)
                own = {k.decode("latin-1").lower() for k, _ in headers} & OWN_POLICY_ALLOWED
                kept = [(k, v) for k, v in headers if k.decode("latin-1").lower() in own
                        or k.decode("latin-1").lower() not in SECURITY_HEADERS]
                added = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
                         if k not in own]
                message = {**message, "headers": kept + added}
            await send(message)

        await self.app(scope, receive, send_with_headers)
