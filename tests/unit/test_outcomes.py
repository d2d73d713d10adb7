"""Outcome scores over time: the minimal important change from the clinical reference, and the change in words."""

import datetime as dt

import pytest

from rehab.domain.records import OutcomeInput
from rehab.program.outcomes import (
    AKPS,
    AKPS_MIC,
    GLOBAL_CHANGE_LABELS,
    INSTRUMENTS,
    KOOS_PF,
    PAIN_MIC,
    Change,
    describe_change,
    function_change,
    function_mic,
    mic_band,
    pain_change,
)

D = dt.date(2026, 1, 5)


def entry(days: int, pain: int, score: int | None = None, instrument: str | None = None) -> OutcomeInput:
    return OutcomeInput(recorded_on=D + dt.timedelta(days=days), worst_pain=pain, function_score=score,
                        instrument=instrument)


def test_the_minimal_important_changes_are_the_references_values():
    assert (PAIN_MIC.points, PAIN_MIC.higher_is_better) == (2, False)
    assert (AKPS_MIC.points, AKPS_MIC.higher_is_better) == (10, True)
    assert function_mic(AKPS) is AKPS_MIC
    assert function_mic("akps") is AKPS_MIC and function_mic("Kujala") is AKPS_MIC
    assert function_mic(KOOS_PF) is None and function_mic("Other") is None and function_mic(None) is None
    assert INSTRUMENTS == ("Kujala (AKPS)", "KOOS-PF", "Other")


def test_global_change_labels_cover_minus_three_to_plus_three_in_order():
    assert list(GLOBAL_CHANGE_LABELS) == [-3, -2, -1, 0, 1, 2, 3]
    assert GLOBAL_CHANGE_LABELS[0] == "About the same"


def test_pain_change_compares_the_first_and_latest_entries_by_date_not_by_entry_order():
    entries = [entry(28, 3), entry(0, 6), entry(14, 5)]
    change = pain_change(entries)
    assert (change.first, change.latest, change.difference) == (6, 3, -3)
    assert change.reaches_mic and change.improved


@pytest.mark.parametrize(
    ("first", "latest", "reaches", "improved"),
    [(6, 4, True, True), (6, 5, False, True), (6, 6, False, False), (4, 6, True, False), (4, 5, False, False)],
)
def test_pain_reaches_the_mic_at_two_points_either_way(first, latest, reaches, improved):
    change = pain_change([entry(0, first), entry(7, latest)])
    assert change.reaches_mic is reaches
    assert change.improved is improved


def test_one_entry_is_not_a_change():
    assert pain_change([entry(0, 5)]) is None
    assert pain_change([]) is None
    assert function_change([entry(0, 5, 60, AKPS)]) is None


def test_function_change_uses_only_the_latest_questionnaire():
    entries = [entry(0, 6, 40, KOOS_PF), entry(7, 5, 55, AKPS), entry(14, 4, 50, KOOS_PF), entry(21, 4, 66, AKPS),
               entry(28, 3)]
    instrument, change = function_change(entries)
    assert instrument == AKPS
    assert (change.first, change.latest) == (55, 66)
    assert change.reaches_mic and change.improved


def test_an_akps_change_of_nine_points_does_not_reach_the_mic():
    _, change = function_change([entry(0, 6, 60, AKPS), entry(7, 5, 69, AKPS)])
    assert change.reaches_mic is False


def test_a_questionnaire_without_a_known_mic_is_not_judged():
    _, change = function_change([entry(0, 6, 60, KOOS_PF), entry(7, 5, 90, KOOS_PF)])
    assert change.reaches_mic is None and change.improved is False
    assert "not judged" in describe_change(change, "KOOS-PF")


def test_the_band_is_the_first_value_plus_or_minus_the_mic_inside_the_scale():
    assert mic_band(5, PAIN_MIC, (0, 10)) == (3, 7)
    assert mic_band(1, PAIN_MIC, (0, 10)) == (0, 3)
    assert mic_band(95, AKPS_MIC, (0, 100)) == (85, 100)


def _change(first: int, latest: int, mic=PAIN_MIC) -> Change:
    return Change(first=first, latest=latest, first_on=D, latest_on=D + dt.timedelta(days=28), mic=mic)


def test_the_change_in_words_says_direction_size_dates_and_verdict():
    assert describe_change(_change(6, 3), "Worst pain") == (
        "Worst pain went down 3 points (6 to 3) from 2026-01-05 to 2026-02-02. "
        "That reaches the minimal important change of 2 points: a real improvement."
    )
    assert describe_change(_change(3, 5), "Worst pain").endswith("2 points: a real worsening.")
    assert "less than the minimal important change" in describe_change(_change(6, 5), "Worst pain")
    assert describe_change(_change(4, 4), "Worst pain").startswith("Worst pain stayed at 4 from")
    assert "went up 1 point (60 to 61)" in describe_change(_change(60, 61, AKPS_MIC), "Kujala (AKPS)")
