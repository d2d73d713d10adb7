"""The red flags (clinical/reference.md §5): every urgent and prompt sign, and the right action for each."""

from __future__ import annotations

import pytest
import textstat

from rehab.content.content import load_education

URGENT = "Get urgent care."
CALL = "Call us."


def points() -> list[str]:
    return list(load_education()["red_flags"].points)


def said(action: str) -> list[str]:
    return [p.lower() for p in points() if p.endswith(action)]


@pytest.mark.parametrize("sign", ["put weight", "very bad", "after a fall", "badly swollen", "locks",
                                  "out of shape", "fever", "calf", "cancer", "numb", "pale"])
def test_each_urgent_sign_says_get_urgent_care(sign):
    assert any(sign in p for p in said(URGENT)), sign


@pytest.mark.parametrize("sign", ["at night", "lose weight", "30 minutes", "other joints", "4 to 6 weeks",
                                  "worse week by week"])
def test_each_prompt_review_sign_says_call_us(sign):
    assert any(sign in p for p in said(CALL)), sign


def test_giving_way_after_an_injury_is_urgent_and_without_one_it_is_a_call():
    giving_way = [p for p in points() if "gives way" in p]
    assert len(giving_way) == 2
    injured = [p for p in giving_way if "did not" not in p]
    uninjured = [p for p in giving_way if "did not" in p]
    assert len(injured) == len(uninjured) == 1
    assert "fall or twist" in injured[0] and injured[0].endswith(URGENT)
    assert "fall or twist" in uninjured[0] and uninjured[0].endswith(CALL)


def test_every_point_ends_with_one_action_in_second_person():
    for point in points():
        assert point.endswith((URGENT, CALL)), point
        assert point.lower().startswith(("you ", "your ")), point


def test_every_point_reads_at_grade_7_or_below():
    for point in points():
        assert textstat.flesch_kincaid_grade(point) <= 7, point


def test_the_topic_tells_where_the_emergency_number_is():
    text = " ".join(load_education()["red_flags"].paragraphs).lower()
    assert "emergency number" in text and "help box" in text
