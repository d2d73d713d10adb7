"""One email rule (rehab.domain.email_address) for every address the app keeps or sends to: a patient record, an
account, the clinic profile and the mailer accept and refuse the same addresses."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rehab.domain.clinic import Clinic
from rehab.domain.email_address import LINE_BREAK, email_problem
from rehab.domain.records import PatientDetails
from rehab.errors import InvalidEmail
from rehab.mail.message import build_test_email

GOOD = ["ana@example.org", "o.brien+knee@clinic.example.co.uk", "lukasz@bücher.de"]
BAD = ["ana@", "łukasz@example.org", "ana example.org", "ana@example.org\r\nBcc: x@example.org", "![i](http://host/x.png)@x.org",
       '"quoted"@example.org', "ana@example.org\u202e", "a" * 250 + "@example.org"]


def _mailer_takes(address: str) -> bool:
    try:
        build_test_email(to=address, mail_from="clinic@example.org", reply_to=None, server="test")
    except InvalidEmail:
        return False
    return True


def _record_takes(address: str) -> bool:
    try:
        PatientDetails(name="Test Patient", email=address)
    except ValidationError:
        return False
    return True


def _clinic_takes(address: str) -> bool:
    try:
        Clinic(name="Clinic", email=address)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("address", GOOD + BAD)
def test_every_place_that_keeps_an_address_agrees_with_the_mailer(address):
    expected = email_problem(address) is None
    assert (address in GOOD) == expected
    assert _mailer_takes(address) == expected
    assert _record_takes(address) == expected
    assert _clinic_takes(address) == expected


def test_a_line_break_is_named_as_such():
    assert email_problem("ana@example.org\nBcc: x@example.org") == LINE_BREAK
    with pytest.raises(ValidationError, match="must be one line"):
        Clinic(name="Clinic", email="ana@example.org\nBcc: x@example.org")
    assert Clinic(name="Clinic", email="  ").email == ""  # no address is fine
