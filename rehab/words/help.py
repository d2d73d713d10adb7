"""The two numbers the "get help" box always gives: how to reach the clinic, and the local emergency number.

Pure words from the clinic profile (the sentences are in handout.py), so layout code holds no English. The
phone and the emergency number are user text: the layout escapes the lines (``Handout.safe``) before putting
them into markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.clinic import Clinic
from .handout import w


@dataclass(frozen=True)
class HelpContacts:
    """``call_us`` answers the red flags that say "Call us", ``urgent`` the ones that say "Get urgent care"."""

    call_us: str
    urgent: str

    def lines(self) -> tuple[str, str]:
        return self.call_us, self.urgent


def help_contacts(clinic: Clinic) -> HelpContacts:
    """The clinic's phone (or a plain line when it has none) and its emergency number, as two sentences."""
    phone = " ".join(clinic.phone.split())
    return HelpContacts(
        call_us=w("help_phone", phone=phone) if phone else w("help_no_phone"),
        urgent=w("help_urgent", number=clinic.emergency_number),
    )
