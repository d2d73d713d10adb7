"""Search keys: folding names so a typed prefix finds them, and the index range that holds a prefix."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rehab.storage.search import name_terms, prefix_range, search_key


def test_names_fold_to_plain_lower_case_words():
    assert search_key("Zoë Ñúñez") == "zoe nunez"
    assert search_key("Łukasz Żółć") == "lukasz zolc"
    assert search_key("O'Brien & <Sons>") == "obrien sons"
    assert search_key("Ολυμπία") == "ολυμπια"
    assert search_key("Юлия") == "юлия"
    assert search_key("  Anna-Maria   SMITH ") == "anna maria smith"
    assert search_key("Straße Søren Æsa") == "strasse soren aesa"


def test_every_name_part_starts_a_search_term():
    assert name_terms("Zoë Ñúñez Ruiz") == ["zoe nunez ruiz", "nunez ruiz", "ruiz"]
    assert name_terms("Ann Ann") == ["ann ann", "ann"]
    assert name_terms("&&") == []


@given(st.text(max_size=12), st.text(min_size=1, max_size=6))
def test_the_prefix_range_holds_exactly_the_strings_with_that_prefix(candidate, prefix):
    low, high = prefix_range(prefix)
    inside = low <= candidate and (high is None or candidate < high)
    assert inside == candidate.startswith(prefix)


@given(st.text(max_size=30))
def test_folding_is_stable(name):
    assert search_key(search_key(name)) == search_key(name)
