"""Outcome charts for the Patients page: one score over time, with the minimal important change drawn as a band
around the first entry (a dashed line marks the first value)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from rehab.outcomes import MinimalChange, mic_band

BAND_COLOUR = "#9ecae1"
LINE_COLOUR = "#1f5f8b"


def score_chart(
    points: Sequence[tuple[dt.date, int]],
    *,
    title: str,
    scale: tuple[int, int],
    mic: MinimalChange | None,
) -> alt.LayerChart:
    """A line of (date, score) points; with a MIC, a band from first - MIC to first + MIC."""
    data = pd.DataFrame({"Date": [pd.Timestamp(day) for day, _ in points], "Score": [v for _, v in points]})
    y = alt.Y("Score:Q", title=title, scale=alt.Scale(domain=list(scale)))
    x = alt.X("Date:T", title="Date", axis=alt.Axis(format="%Y-%m-%d", labelAngle=0, tickCount=6))
    line = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), color=LINE_COLOUR, strokeWidth=2.5)
        .encode(x=x, y=y, tooltip=[alt.Tooltip("Date:T", format="%Y-%m-%d"), alt.Tooltip("Score:Q", title=title)])
    )
    layers: list[alt.Chart] = []
    if mic is not None and points:
        first = points[0][1]
        low, high = mic_band(first, mic, scale)
        band = pd.DataFrame({"low": [low], "high": [high], "first": [first]})
        layers.append(alt.Chart(band).mark_rect(color=BAND_COLOUR, opacity=0.35).encode(y="low:Q", y2="high:Q"))
        layers.append(alt.Chart(band).mark_rule(color=LINE_COLOUR, strokeDash=[6, 4], opacity=0.7).encode(y="first:Q"))
    return alt.layer(*layers, line).properties(height=260)
