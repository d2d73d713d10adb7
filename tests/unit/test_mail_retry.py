"""The retry schedule: 1 min, 5 min, 15 min, 1 h, 4 h, then give up; permanent errors fail at once."""

import pytest

from rehab.mail import MAX_ATTEMPTS, PermanentMailError, TemporaryMailError, after_failure, next_attempt_delay


def test_the_schedule_backs_off_then_gives_up():
    delays = [next_attempt_delay(n) for n in range(1, MAX_ATTEMPTS + 2)]
    assert delays == [60, 300, 900, 3600, 14400, None, None]
    assert sum(d for d in delays if d) == 5 * 3600 + 21 * 60


def test_attempts_count_from_one():
    with pytest.raises(ValueError, match="at least 1"):
        next_attempt_delay(0)


def test_a_temporary_error_stays_queued_with_its_reason():
    decision = after_failure(2, TemporaryMailError("the mail server replied: 451 try later", 451))
    assert (decision.status, decision.delay_seconds, decision.reason) == (
        "queued", 300, "the mail server replied: 451 try later"
    )


def test_the_last_temporary_error_fails_with_the_attempt_count():
    decision = after_failure(MAX_ATTEMPTS, TemporaryMailError("connection refused"))
    assert (decision.status, decision.delay_seconds) == ("failed", None)
    assert decision.reason == "gave up after 6 attempts: connection refused"


def test_a_permanent_error_fails_at_once_with_the_servers_reason():
    decision = after_failure(1, PermanentMailError("the mail server refused the message: 554 rejected", 554))
    assert (decision.status, decision.delay_seconds, decision.reason) == (
        "failed", None, "the mail server refused the message: 554 rejected"
    )
