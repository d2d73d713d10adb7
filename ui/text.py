"""Showing user text safely in Streamlit: names like `O'Brien & <Sons>`, `*Ann*` or `![i](http://host/x.png)`
print literally in markdown, captions, widget labels and options, and never become images or live links."""

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$:])")
# Streamlit's Markdown (remark-gfm) turns bare "http://…", "www.…" and "name@host.org" into links after the
# backslash escapes are gone, so escaping alone cannot stop them. An invisible WORD JOINER before the ":" of
# "http(s):", the "." after "www" and every "@" breaks the pattern and leaves the text looking the same. The
# same joiner after the ":" of ":material/" keeps Streamlit from drawing an icon there.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)|(?<=:)(?=material/)")
WORD_JOINER = "\u2060"


def md(text: str) -> str:
    """Escape markdown (and HTML-looking) characters, and break bare-URL and email autolinks, so st.markdown,
    st.caption and every widget label or option show the text exactly as typed."""
    unlinked = _AUTOLINK_STARTS.sub(WORD_JOINER, text)
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", unlinked)
    return escaped.replace("\n", "  \n")
