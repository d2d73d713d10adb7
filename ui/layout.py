"""Page layout shared by the wide working pages (Build program, Review visit, Patients): less side padding, so
their grids fit a 1280-pixel laptop screen next to the sidebar, and a bar of actions that stays in view while
scrolling."""

from __future__ import annotations

import streamlit as st

ACTIONS = "page_actions"  # the key of the sticky bar: Streamlit gives its container the class st-key-page_actions

_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; }
/* .st-key-page_actions: the container keyed ACTIONS. Its wrapper (of its own size) is what sticks. */
[data-testid="stLayoutWrapper"]:has(> .st-key-page_actions) {
  position: sticky; top: 3.75rem; z-index: 990; background: #fff;
  padding: 0.5rem 0; border-bottom: 1px solid rgba(49, 51, 63, 0.15);
}
</style>"""


def wide_working_page() -> None:
    """Call once, near the top of the page. A style-only st.html takes no room on the page."""
    st.html(_STYLE)


def action_bar():
    """A container that stays at the top of the screen while the page scrolls (fill it later in the run)."""
    return st.container(key=ACTIONS)
