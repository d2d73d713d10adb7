"""Branding never cuts: every page's header and footer print the whole clinic name, address, phone, email, web
address and footer note, however long and in whatever script, on every paper and print size (read back with
poppler's pdftotext in content order, as a screen reader would)."""

from __future__ import annotations

import functools
import re
import subprocess

import pytest

from rehab.domain.clinic import Clinic
from rehab.handout.words import w
from tests.conftest import require_tool
from tests.support.handout_samples import render, sample_program

LONG = Clinic(  # every text field at about 80 characters, words and one unbroken web address
    name="Riverside Knee and Sports Physiotherapy Centre for Runners, Walkers and Hikers",
    address="Unit 14, Long Riverside Business Park Buildings\n1234 Extraordinarily Long Avenue, Northampton NN1 1AA",
    phone="+44 20 7946 0958 extension 1234",
    email="appointments.and.enquiries@riverside-knee-and-sports-physiotherapy.example.org",
    website="https://www.riverside-knee-and-sports-physiotherapy-centre.example.org/patients",
    footer_note="Ask us if anything is unclear. Bring this handout to every visit, and tell us how it went.",
    primary_color="#FFD500",
    emergency_number="999",
)
HOSTILE = Clinic(
    name="Łukasz Żółć · Ολυμπία · Юлия · O'Brien & <Sons> Physiotherapy and Rehabilitation",
    address="ул. Юлии 5, Ολυμπία\nO'Brien & <Sons> House, Łódź",
    phone="+48 22 123 45 67",
    email="biuro@łukasz-żółć.example.pl",
    website="www.example.org/Ολυμπία",
    footer_note="Юлия & <Sons>: Ολυμπία",
    primary_color="#FFEB3B",
)
COMBINATIONS = [(paper, large) for paper in ("a4", "letter") for large in (False, True)]


def squash(text: str) -> str:
    """Text without any white space: a wrapped line joins up again, wherever it broke."""
    return re.sub(r"\s+", "", text)


@functools.cache
def pages(clinic: Clinic, paper: str, large_print: bool) -> tuple[str, ...]:
    pdf = render(sample_program(), clinic, paper=paper, large_print=large_print)
    done = subprocess.run([require_tool("pdftotext", "poppler-utils"), "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, timeout=120, check=True)
    return tuple(done.stdout.decode("utf-8").split("\f")[:-1])


@pytest.mark.parametrize("clinic", [LONG, HOSTILE], ids=["long", "hostile"])
@pytest.mark.parametrize("paper, large_print", COMBINATIONS)
def test_every_page_prints_the_whole_clinic_name_and_footer(clinic, paper, large_print):
    text = pages(clinic, paper, large_print)
    assert len(text) >= 4  # several pages: the compact handout is 5 to 7 in normal print
    footer = [f"Phone {clinic.phone}", clinic.email, clinic.website, clinic.footer_note, "Prepared 20 November 2026"]
    for number, page in enumerate(text, start=1):
        page = squash(page)
        assert squash(clinic.name) in page, f"page {number}: clinic name cut"
        for part in footer:
            assert squash(part) in page, f"page {number}: {part!r} missing"
        assert squash(f"Page {number} of {len(text)}") in page
        assert "…" not in page.replace(squash(w("help_heading")), "")  # nothing shortened with an ellipsis


@pytest.mark.parametrize("clinic", [LONG, HOSTILE], ids=["long", "hostile"])
@pytest.mark.parametrize("paper, large_print", COMBINATIONS)
def test_page_one_prints_the_whole_address_and_the_help_box_the_emergency_number(clinic, paper, large_print):
    text = pages(clinic, paper, large_print)
    first = squash(text[0])
    for line in clinic.address.splitlines():
        assert squash(line) in first, line
    assert squash(clinic.phone) in first
    urgent = squash(f"For urgent care, call {clinic.emergency_number} or go to the emergency department.")
    assert urgent in squash(" ".join(text))
