"""Showing user text safely in Streamlit markdown: names like `O'Brien & <Sons>` or `*Ann*` print literally."""

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$:])")


def md(text: str) -> str:
    """Escape markdown (and HTML-looking) characters so st.markdown shows the text exactly as typed."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")
