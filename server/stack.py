"""What serve.py puts around Streamlit, in one place (the tests serve the same): our routes and middleware."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import Route

from server import patient_route
from server.headers import SecurityHeaders
from server.proxy import proxy_middleware
from server.sign_in_route import routes as sign_in_routes


def middleware(trusted_proxy: tuple[str, ...]) -> list[Middleware]:
    """Outermost first: a trusted proxy's headers are applied before anything reads the address or the scheme."""
    return [*proxy_middleware(trusted_proxy), Middleware(SecurityHeaders)]


def routes(base_path: str = "") -> list[Route]:
    return patient_route.routes(base_path) + sign_in_routes(base_path)
