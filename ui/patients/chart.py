"""Outcome charts for the Patients page: one score over time, with the minimal important change drawn as a band
around the first entry (a dashed line marks the first value)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from rehab.program.outcomes import MinimalChange, mic_band

BAND_COLOUR = "#9ecae1"
LINE_COLOUR = "#1f5f8b"
PATIENT_COLOUR = "#c25e00"


def score_chart(
    points: Sequence[tuple[dt.date, int]],
    *,
    title: str,
    scale: tuple[int, int],
    mic: MinimalChange | None,
    patient_points: Sequence[tuple[dt.date, int]] = (),
) -> alt.LayerChart:
    """A line of (date, score) points; with a MIC, a band from first - MIC to first + MIC. ``patient_points``:
    the patient's own weekly answers (the patient link), drawn as a dashed orange line."""
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
    if patient_points:
        own = pd.DataFrame({"Date": [pd.Timestamp(day) for day, _ in patient_points],
                            "Score": [v for _, v in patient_points]})
        layers.append(alt.Chart(own).mark_line(point=alt.OverlayMarkDef(size=50, shape="square"), color=PATIENT_COLOUR,
                                               strokeDash=[4, 3], strokeWidth=2).encode(
            x=x, y=y, tooltip=[alt.Tooltip("Date:T", format="%Y-%m-%d"),
                               alt.Tooltip("Score:Q", title="Patient's weekly worst pain")]))
    return alt.layer(*layers, line).properties(height=260)
