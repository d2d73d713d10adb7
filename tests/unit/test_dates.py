"""Clinician-facing dates read one way on every screen: 2026-12-07, through ui.dates (issue 17)."""

from __future__ import annotations

import datetime as dt
import re

from rehab.content.library import load_library
from rehab.domain import Patient, Program, ProgramItem
from rehab.words.summary import program_summary
from tests.conftest import ROOT
from ui.dates import DATE_INPUT, day, moment

# strftime day/month patterns and st.date_input formats other than ISO
OTHER_FORMATS = re.compile(r"%d[ ./-]%[bBm]|%[bB] %Y|:%Y-%m-%d|DD/MM|MM/DD|\.strftime\(")


def test_days_and_moments_are_iso_in_local_time():
    assert day(dt.date(2026, 12, 7)) == "2026-12-07"
    noon_utc = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    assert moment(noon_utc) == noon_utc.astimezone().strftime("%Y-%m-%d %H:%M")
    assert day(noon_utc) == noon_utc.astimezone().date().isoformat()
    assert DATE_INPUT == "YYYY-MM-DD"


def test_no_page_formats_dates_its_own_way():
    sources = [*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/**/*.py")]
    offenders = [f"{path.name}: {line.strip()}" for path in sources if path.name != "dates.py"
                 for line in path.read_text(encoding="utf-8").splitlines() if OTHER_FORMATS.search(line)]
    assert not offenders


def test_the_summary_for_the_clinical_record_uses_the_same_date():
    program = Program(patient=Patient(name="Test"), phase="strengthen", start_date=dt.date(2026, 12, 7),
                      items=[ProgramItem(exercise="glute_bridge", sets=3, reps=12)])
    assert "weeks from 2026-12-07." in program_summary(program, load_library())
