"""Numbers typed in a URL or a form field by anybody: parsed without ever raising."""

from __future__ import annotations

# Beyond this many digits a number is no key of ours (and would overflow the database's integers).
MAX_DIGITS = 18


def as_int(value, default: int | None = None) -> int | None:
    """The integer written in ASCII digits in ``value`` (spaces around allowed), else ``default``.

    ``str.isdigit`` accepts "²" and other digits ``int()`` refuses; this does not.
    """
    text = str(value if value is not None else "").strip()
    if text.isascii() and text.isdecimal() and len(text) <= MAX_DIGITS:
        return int(text)
    return default
