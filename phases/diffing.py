"""Differences between two texts of the Vision, word by word, for people (not for patch tools)."""

from __future__ import annotations

import difflib
import html as html_lib
import re
from dataclasses import dataclass

import nh3

BLOCK_END = re.compile(r"</(p|h2|h3|h4|li|blockquote|tr|caption)>|<br\s*/?>", re.IGNORECASE)


def plain_paragraphs(html: str) -> list[str]:
    """The text of sanitised HTML, one string per block."""
    # Source line breaks inside a paragraph are just spaces; only block ends separate paragraphs.
    marked = BLOCK_END.sub("\n", re.sub(r"\s+", " ", html or ""))
    text = nh3.clean(marked, tags=set())
    return [" ".join(line.split()) for line in html_lib.unescape(text).split("\n") if line.strip()]


@dataclass(frozen=True)
class Chunk:
    op: str  # "equal", "insert", "delete"
    text: str


def word_diff(old_html: str, new_html: str) -> list[list[Chunk]]:
    """Paragraphs of chunks: words kept, removed or added between the two versions."""
    old = [w for p in plain_paragraphs(old_html) for w in (*p.split(" "), "\n")]
    new = [w for p in plain_paragraphs(new_html) for w in (*p.split(" "), "\n")]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    paragraphs: list[list[Chunk]] = [[]]

    def emit(op: str, words: list[str]) -> None:
        buffer: list[str] = []
        for word in words:
            if word == "\n":
                if buffer:
                    paragraphs[-1].append(Chunk(op, " ".join(buffer)))
                    buffer = []
                paragraphs.append([])
            else:
                buffer.append(word)
        if buffer:
            paragraphs[-1].append(Chunk(op, " ".join(buffer)))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", new[j1:j2])
        else:
            if i2 > i1:
                emit("delete", [w for w in old[i1:i2] if w != "\n"])
            if j2 > j1:
                emit("insert", new[j1:j2])
    return [p for p in paragraphs if p]
