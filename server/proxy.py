"""Believing a reverse proxy: REHAB_TRUSTED_PROXY names the proxies whose X-Forwarded-For (the browser's address)
and X-Forwarded-Proto (HTTPS) headers are taken as true.

Behind a proxy that ends TLS the app sees plain HTTP from the proxy's address: without this, the session cookie
would not be marked Secure and every stranger would share the proxy's sign-in count. A header from anyone not
named is ignored, so a browser cannot claim another address or HTTPS by sending the headers itself. Uvicorn, as
Streamlit starts it, already believes a proxy on this machine (127.0.0.1, its FORWARDED_ALLOW_IPS default).
"""

from __future__ import annotations

from starlette.middleware import Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def proxy_middleware(trusted: tuple[str, ...]) -> list[Middleware]:
    """Uvicorn's own proxy-header middleware for the named proxies (IP addresses or networks); none if empty."""
    return [Middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted))] if trusted else []
