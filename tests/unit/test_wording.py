"""Doses in plain words: side, sets, reps or holds, and how often — no ambiguity for the patient."""

import pytest

from rehab.domain import Dosage, Side
from rehab.wording import dose_in_words, frequency_in_words, rest_in_words


@pytest.mark.parametrize(
    ("dose", "one_leg", "side", "expected"),
    [
        (Dosage(sets=3, reps=12), True, Side.BOTH, "3 sets of 12, each leg"),
        (Dosage(sets=3, reps=12), False, None, "3 sets of 12"),
        (Dosage(sets=3, reps=12), True, Side.LEFT, "3 sets of 12, left leg only"),
        (Dosage(sets=1, reps=3, hold_seconds=30), True, Side.BOTH, "Hold 30 seconds, 3 times, each leg"),
        (Dosage(sets=3, reps=1, hold_seconds=30), False, None, "Hold 30 seconds, 3 times"),
        (Dosage(sets=1, reps=1, hold_seconds=45), False, None, "Hold 45 seconds"),
        (Dosage(sets=3, reps=10, hold_seconds=5), True, Side.RIGHT,
         "3 sets of 10, hold each for 5 seconds, right leg only"),
        (Dosage(minutes=20), False, None, "20 minutes"),
        (Dosage(sets=1, minutes=1), True, Side.BOTH, "1 minute, each leg"),
        (Dosage(sets=2, reps=15, load="a light loop band"), False, None, "2 sets of 15, with a light loop band"),
    ],
)
def test_dose_in_words(dose, one_leg, side, expected):
    assert dose_in_words(dose, one_leg, side) == expected


@pytest.mark.parametrize(
    ("days", "times", "expected"),
    [(3, 1, "3 days a week"), (7, 1, "Every day"), (1, 1, "1 day a week"), (7, 2, "Twice a day, every day"),
     (5, 3, "3 times a day, 5 days a week")],
)
def test_frequency_in_words(days, times, expected):
    assert frequency_in_words(Dosage(reps=10, days_per_week=days, times_per_day=times)) == expected


def test_rest_in_words():
    assert rest_in_words(Dosage(sets=3, reps=10, rest_seconds=90)) == "Rest 90 seconds between sets."
    assert rest_in_words(Dosage(sets=3, reps=10, rest_seconds=120)) == "Rest 2 minutes between sets."
    assert rest_in_words(Dosage(sets=1, reps=1, hold_seconds=30)) == ""
    assert rest_in_words(Dosage(sets=1, reps=3, hold_seconds=30, rest_seconds=15)) == "Rest 15 seconds between holds."
    assert rest_in_words(Dosage(sets=3, reps=10, rest_seconds=0)) == ""
