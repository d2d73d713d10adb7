"""One way to show dates to clinicians on every page: ISO (2026-12-07), which no reader can take for another
day, and the same in the date pickers. The handout, written for patients, spells dates out in its own words."""

from __future__ import annotations

import datetime as dt

DATE_INPUT = "YYYY-MM-DD"  # st.date_input's format, matching ``day``


def day(value: dt.date | dt.datetime) -> str:
    """A calendar day; a stored (UTC) moment is shown as its day in the server's local time."""
    if isinstance(value, dt.datetime):
        value = value.astimezone().date()
    return value.isoformat()


def moment(value: dt.datetime) -> str:
    """A stored UTC time in the server's local time, to the minute."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
