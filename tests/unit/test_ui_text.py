"""User text shown through st.markdown, captions and widget labels is escaped so it prints literally, and a bare
web or email address in it never becomes a live link."""

import re

import pytest

from ui.text import WORD_JOINER, md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("O'Brien & <Sons>", "O'Brien \\& \\<Sons\\>"),
        ("*bold* _it_", "\\*bold\\* \\_it\\_"),
        ("[link](http://x)", rf"\[link\]\(http{WORD_JOINER}\://x\)"),
        ("# 1. Юлия Żółć", "\\# 1\\. Юлия Żółć"),
        ("line one\nline two", "line one  \nline two"),
    ],
)
def test_markdown_specials_are_escaped(raw, escaped):
    assert md(raw) == escaped


# The patterns remark-gfm (mdast-util-gfm-autolink-literal) links after Markdown escapes are resolved.
URL_LINK = re.compile(r"(?i)(https?://|www\.)[-.\w]+")
EMAIL_LINK = re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+")


@pytest.mark.parametrize("raw", ["see http://bare.example.com now", "HTTPS://up.example.com", "www.example.com",
                                 "ana@clinic.example.org", "![i](http://127.0.0.1:9/x.png)", ":material/home:"])
def test_bare_addresses_and_icons_no_longer_match_after_escaping(raw):
    unescaped = md(raw).replace("\\", "")
    assert not URL_LINK.search(unescaped) and not EMAIL_LINK.search(unescaped) and ":material/" not in unescaped
    assert unescaped.replace(WORD_JOINER, "") == raw  # reads the same


def test_plain_words_are_left_alone():
    assert md("Ana Silva, born 1990") == "Ana Silva, born 1990"
