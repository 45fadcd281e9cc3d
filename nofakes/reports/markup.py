"""Text from the input made inert in the markup formats: HTML, Markdown and XML.

A partner name, a message or a waiver reason comes from the user's files and may hold
markup (`<script>`, `"><img onerror=...>`, `|` that splits a Markdown table, `]]>`),
control characters, bidi overrides or lone surrogates (which no UTF-8 file can hold and
XML forbids). Every input string reaches these formats through one of the functions
here: first `core.text.safe_text` (no control characters or bidi overrides, line breaks
as spaces, long values shortened), then the escaping of the format.
"""

from __future__ import annotations

import html
import re

from nofakes.core.text import LONG_TEXT_CHARS, TEXT_CHARS, safe_text

# Characters safe_text leaves that XML 1.0 cannot hold (and UTF-8 cannot encode): surrogates, U+FFFE, U+FFFF
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
# Markdown (CommonMark and GitHub) punctuation that can start emphasis, code, links, tables, strikethrough,
# math or headings; each is shown literally when preceded by a backslash
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#$])")
# an @ where GitHub and GitLab see a mention (not inside a word, as in an e-mail address, and before a name):
# a zero-width space after it keeps "@team" from notifying anyone (a backslash does not: mentions are
# found in the rendered text)
_MENTION = re.compile(r"(?<!\w)@(?=\w)")
MENTION_BREAK = "@\u200b"


def clean(value: object, limit: int = LONG_TEXT_CHARS) -> str:
    """`value` as plain text every format can hold: `safe_text` without the characters XML forbids."""
    text = safe_text(value, limit)
    return _NOT_XML.sub("", text) if not text.isascii() else text


def html_text(value: object, limit: int = LONG_TEXT_CHARS) -> str:
    """Input text for HTML element content or a quoted attribute value."""
    return html.escape(clean(value, limit), quote=True)


def html_name(value: object) -> str:
    """A name or an id for HTML (at most `TEXT_CHARS`)."""
    return html_text(value, TEXT_CHARS)


def markdown_text(value: object, limit: int = LONG_TEXT_CHARS) -> str:
    """Input text for Markdown inline content (a table cell, the rest of a list item).

    `<`, `>` and `&` become entities (no raw HTML), Markdown punctuation is backslash-escaped
    (a `|` no longer splits a table cell), line breaks are spaces (a table row stays one line), and
    an @ that would mention someone ("@security-team") is followed by a zero-width space.
    The caller never puts input text at the start of a line, where `-`, `+`, `>` or `1.` would
    start a block.
    """
    text = clean(value, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "@" in text:
        text = _MENTION.sub(MENTION_BREAK, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_name(value: object) -> str:
    return markdown_text(value, TEXT_CHARS)
