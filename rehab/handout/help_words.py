"""The two numbers the "get help" box always gives: how to reach the clinic, and the local emergency number.

Pure words from the clinic profile, so the layout code holds no English. The phone and the emergency number are
user text: the layout escapes them (``Handout.safe``) before putting them into markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..clinic import Clinic

HELP_WORDS: dict[str, str] = {
    "call_us": "Call us on {phone}.",
    "call_us_no_phone": "Call your physio, or your doctor if you cannot reach them.",
    "urgent": "For urgent care, call {number} or go to the emergency department.",
}


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
    call_us = HELP_WORDS["call_us"].format(phone=phone) if phone else HELP_WORDS["call_us_no_phone"]
    return HelpContacts(call_us=call_us, urgent=HELP_WORDS["urgent"].format(number=clinic.emergency_number))
