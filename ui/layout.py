"""Page layout: on every page, keyboard focus is never scrolled under the app's header; the wide working pages (Build
program, Review visit, Patients) have less side padding, so their grids fit a 1280-pixel laptop screen next to the
sidebar, and a bar of actions that stays in view while scrolling."""

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
/* What keyboard focus or a jump scrolls into view stops below the app's header and this bar (together about
   7.3rem), not under them (WCAG 2.2, 2.4.11: focus not obscured). */
main[data-testid="stMain"] { scroll-padding-top: 8.5rem; }  /* beats every_page's rule */
</style>"""
# Every page: the same below Streamlit's own header (3.75rem); the working pages above ask for more room.
_EVERY_PAGE_STYLE = '<style>[data-testid="stMain"] { scroll-padding-top: 4.5rem; }</style>'


def every_page() -> None:
    """Call once a run, before the page: focus moved with the keyboard is never hidden under the header."""
    st.html(_EVERY_PAGE_STYLE)


def wide_working_page() -> None:
    """Call once, near the top of the page. A style-only st.html takes no room on the page."""
    st.html(_STYLE)


def action_bar():
    """A container that stays at the top of the screen while the page scrolls (fill it later in the run)."""
    return st.container(key=ACTIONS)
