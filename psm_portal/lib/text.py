"""Text folded for searching: lower case, no accents, one spelling of the apostrophe."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents or apostrophe variants: "Sant’Agata" and "SANT'AGATA" match."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("\u2019", "'").replace("`", "'")
    return " ".join(stripped.lower().split())
