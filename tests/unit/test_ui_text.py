"""User text shown through st.markdown is escaped so it prints literally."""

import pytest

from ui.text import md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("O'Brien & <Sons>", "O'Brien \\& \\<Sons\\>"),
        ("*bold* _it_", "\\*bold\\* \\_it\\_"),
        ("[link](http://x)", r"\[link\]\(http\://x\)"),
        ("# 1. Юлия Żółć", "\\# 1\\. Юлия Żółć"),
        ("line one\nline two", "line one  \nline two"),
    ],
)
def test_markdown_specials_are_escaped(raw, escaped):
    assert md(raw) == escaped
