"""The handout's own words: plain (reading grade), all used, dates unambiguous."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import textstat

from rehab.handout.words import WORDS, long_date, settle_time, short_date, w, weeks_in_words

SAMPLE = dict(name="Glute bridge", green=2, amber=5, tip="Hold it for longer.", minutes=30, time="an hour", high=5,
              low=3, phone="0123 456 789", date="1 May 2026", weeks="6 weeks", n=1, page=1, total=2,
              label="strength", days="Mon, Wed and Fri", card=3, number="112", load="a light band", dose="3 sets of 10")
REHAB = Path(__file__).resolve().parents[2] / "rehab"


def sentences() -> dict[str, str]:
    out = {}
    for key, text in WORDS.items():
        plain = re.sub(r"<[^>]+>", " ", text.format(**SAMPLE))
        if len(plain.split()) >= 6:
            out[key] = plain
    return out


def test_every_sentence_is_at_most_grade_7_and_the_mean_at_most_grade_6():
    grades = {key: textstat.flesch_kincaid_grade(text) for key, text in sentences().items()}
    assert len(grades) >= 10
    assert all(grade <= 7 for grade in grades.values()), grades
    assert sum(grades.values()) / len(grades) <= 6


def test_every_word_is_used_by_the_layout_or_content_code():
    files = [*(REHAB / "handout").glob("*.py"), *(REHAB / "handout_content").glob("*.py"),
             REHAB / "words" / "handout.py", REHAB / "words" / "help.py"]  # the sentences' own helpers use some
    code = "\n".join(p.read_text(encoding="utf-8") for p in files)
    unused = [key for key in WORDS if not re.search(rf"[\"']{key}[\"'](?!:)", code)]  # a use, not the definition
    assert unused == []


@pytest.mark.parametrize(("minutes", "text"), [(0, "a few minutes"), (30, "30 minutes"), (60, "an hour"),
                                               (120, "2 hours"), (90, "90 minutes")])
def test_settle_time_in_words(minutes, text):
    assert settle_time(minutes) == text


def test_dates_spell_the_month():
    day = dt.date(2026, 11, 2)
    assert long_date(day) == "2 November 2026" and short_date(day) == "2 Nov"
    assert weeks_in_words(1) == "1 week" and weeks_in_words(6) == "6 weeks"
    assert w("footer_page", page=2, total=9) == "Page 2 of 9"
