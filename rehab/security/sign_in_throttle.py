"""How long sign-in waits after failures: the rules only, as pure functions over ``Throttle`` rows.

Failures are counted per account and per client, or, for a browser that signed in to the account before (its
device cookie is known), per account and device instead: guesses from elsewhere never lock that browser out.
After ``LOCK_AFTER`` (5) failures in a row, the n-th failure
locks that account or client for 2^(n-5) seconds (1 s, 2 s, 4 s, ...), at most 15 minutes. Attempts
before ``locked_until`` are refused without checking the password, so waiting happens in the browser, never in
a server thread. Counts are forgotten after a day without failures. Unknown emails are counted exactly like
real ones, so the delays do not reveal which emails have accounts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable

from ..domain.records import Throttle

LOCK_AFTER = 5
MAX_DELAY = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)

ACCOUNT = "account"
CLIENT = "client"
DEVICE = "device"


def throttle_key(scope: str, value: str) -> str:
    """What the table stores instead of an email or client id."""
    return hashlib.sha256(f"{scope}\0{value}".encode("utf-8", "surrogatepass")).hexdigest()


def delay_after(failures: int) -> dt.timedelta:
    """The lock that follows the ``failures``-th failure in a row."""
    if failures < LOCK_AFTER:
        return dt.timedelta(0)
    exponent = min(failures - LOCK_AFTER, 20)  # 2^20 s is far past the cap already
    return min(dt.timedelta(seconds=2**exponent), MAX_DELAY)


def wait_left(states: Iterable[Throttle], now: dt.datetime) -> dt.timedelta:
    """How long until every one of ``states`` accepts an attempt again (zero: now)."""
    ends = [s.locked_until for s in states if s.locked_until is not None and s.locked_until > now]
    return max(ends) - now if ends else dt.timedelta(0)


def after_failure(state: Throttle, now: dt.datetime) -> Throttle:
    recent = state.last_failed_at is not None and now - state.last_failed_at < FORGET_AFTER
    failures = (state.failures if recent else 0) + 1
    delay = delay_after(failures)
    return Throttle(state.scope, state.key, failures, now, now + delay if delay else None)


def wait_message(wait: dt.timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        amount = f"{seconds} second" + ("s" if seconds != 1 else "")
    else:
        minutes = math.ceil(seconds / 60)
        amount = f"{minutes} minute" + ("s" if minutes != 1 else "")
    return f"Too many failed sign-ins. Wait {amount}, then try again."
