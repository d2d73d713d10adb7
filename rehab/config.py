"""Settings from the environment (or the app's secrets), described by one table of names, defaults and help.

``Settings.from_env()`` parses and checks every value, naming the variable in any error;
``Settings.redacted()`` is the only form fit for display or logs (passwords hidden).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .errors import RehabError

SMTP_SECURITY = ("starttls", "ssl", "none")
DEFAULT_SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class SettingsError(RehabError):
    """A setting has a value the app cannot use; the message names the variable."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    secret: bool = False

    @property
    def field(self) -> str:
        return self.name.removeprefix("REHAB_").lower()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "REHAB_DATABASE_URL",
        "sqlite:///data/rehab.db",
        "Where records live. A SQLite file for one machine, or postgresql+psycopg://user:pw@host/db "
        "for several app instances sharing one database.",
    ),
    Setting("REHAB_SMTP_HOST", None, "Mail server host name; email is off while this is empty."),
    Setting("REHAB_SMTP_PORT", None, "Mail server port; empty means 587 for starttls, 465 for ssl, 25 for none."),
    Setting("REHAB_SMTP_SECURITY", "starttls", "How to protect the mail connection: starttls, ssl or none."),
    Setting("REHAB_SMTP_USERNAME", None, "Login name at the mail server; empty means no login."),
    Setting("REHAB_SMTP_PASSWORD", None, "Password at the mail server. Secret: never shown or logged.", secret=True),
    Setting("REHAB_MAIL_FROM", None, "Sender address of handout emails, e.g. Clinic <desk@example.org>."),
    Setting("REHAB_MAIL_REPLY_TO", None, "Address patient replies go to; empty means the sender address."),
    Setting("REHAB_SMTP_TIMEOUT", "15", "Seconds to wait for the mail server before giving up on this try."),
    Setting("REHAB_IDLE_MINUTES", "30", "Minutes without a click before the app signs a person out (1-1440)."),
    Setting("REHAB_TRUSTED_PROXY", None, "Reverse proxies in front of the app (IP addresses or networks, "
            "comma-separated) whose X-Forwarded-For and X-Forwarded-Proto headers are believed: the browser's real "
            "address for the sign-in limits, and HTTPS for the Secure cookie. Empty: only a proxy on this machine."),
    Setting("REHAB_CLINIC_ID", "1", "Which clinic the command line works in when one database holds several "
            "(`user add` lists them); the app always uses the signed-in account's clinic."),
)


def _text(name: str, raw: str | None) -> str | None:
    return (raw.strip() or None) if raw is not None else None


def _port(name: str, raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: {raw!r} is not a whole number") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"{name}: {port} is not a port number (1-65535)")
    return port


def _security(name: str, raw: str | None) -> str:
    value = (raw or "starttls").strip().lower()
    if value not in SMTP_SECURITY:
        raise SettingsError(f"{name}: {raw!r} is not allowed; use one of {', '.join(SMTP_SECURITY)}")
    return value


def _seconds(name: str, raw: str | None) -> float:
    try:
        value = float(raw or "")
    except ValueError:
        raise SettingsError(f"{name}: {raw!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise SettingsError(f"{name}: {value:g} is out of range (more than 0, at most 600 seconds)")
    return value


def _minutes(name: str, raw: str | None) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        raise SettingsError(f"{name}: {raw!r} is not a whole number of minutes") from None
    if not 1 <= value <= 1440:
        raise SettingsError(f"{name}: {value} is out of range (1 to 1440 minutes)")
    return value


def _clinic_id(name: str, raw: str | None) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        raise SettingsError(f"{name}: {raw!r} is not a clinic number (a whole number, 1 or more)") from None
    if value < 1:
        raise SettingsError(f"{name}: {value} is not a clinic number (a whole number, 1 or more)")
    return value


def _proxies(name: str, raw: str | None) -> tuple[str, ...]:
    found = []
    for item in (raw or "").split(","):
        if not item.strip():
            continue
        try:
            found.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise SettingsError(f"{name}: {item.strip()!r} is not an IP address or network (such as 10.0.0.5 or "
                                "10.0.0.0/24)") from None
    return tuple(found)


def _database_url(name: str, raw: str | None) -> str:
    value = (raw or "").strip()
    if not value.startswith(("sqlite:", "postgresql:", "postgresql+")):
        raise SettingsError(f"{name}: must start with sqlite:/// or postgresql+psycopg://")
    return value


_PARSERS: dict[str, Callable[[str, str | None], Any]] = {
    "REHAB_DATABASE_URL": _database_url,
    "REHAB_SMTP_PORT": _port,
    "REHAB_SMTP_SECURITY": _security,
    "REHAB_SMTP_TIMEOUT": _seconds,
    "REHAB_IDLE_MINUTES": _minutes,
    "REHAB_TRUSTED_PROXY": _proxies,
    "REHAB_CLINIC_ID": _clinic_id,
}


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///data/rehab.db"
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: str = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = dataclasses.field(default=None, repr=False)
    mail_from: str | None = None
    mail_reply_to: str | None = None
    smtp_timeout: float = 15.0
    idle_minutes: int = 30
    trusted_proxy: tuple[str, ...] = ()
    clinic_id: int = 1

    @classmethod
    def from_env(cls, environ: Mapping[str, Any] | None = None) -> Settings:
        """Read each setting from ``environ`` (default os.environ; st.secrets works too); empty means default."""
        source = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = source.get(setting.name)
            raw = None if raw is None or str(raw).strip() == "" else str(raw)
            parse = _PARSERS.get(setting.name, _text)
            values[setting.field] = parse(setting.name, raw if raw is not None else setting.default)
        return cls(**values)

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or DEFAULT_SMTP_PORTS[self.smtp_security]

    def redacted(self) -> dict[str, str]:
        """Every setting by variable name, safe to show: secrets and passwords inside URLs are masked."""
        shown = {}
        for setting in SETTINGS:
            value = getattr(self, setting.field)
            if value is None:
                shown[setting.name] = ""
            elif setting.secret:
                shown[setting.name] = "********"
            elif isinstance(value, tuple):
                shown[setting.name] = ", ".join(value)
            elif setting.name == "REHAB_DATABASE_URL":
                shown[setting.name] = redact_url(value)
            else:
                shown[setting.name] = str(value)
        return shown

    def __repr__(self) -> str:
        return f"Settings({self.redacted()!r})"


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
