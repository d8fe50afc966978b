"""Values a process keeps for a few seconds, in one small helper instead of module-level lists.

A ``Memo`` holds values by key, each with the moment it was stored. ``seconds`` says how long a
value stays fresh: a number, or a callable read on every call (so a setting changed by a test
applies at once); ``None`` keeps values until cleared; 0 or less keeps nothing. ``clear()``
forgets one memo, ``clear_all()`` every memo of the process (the test suite calls it before each test).

A memo is per process: other processes see a change only when their copy expires. Use it for
reads that every request repeats (the phases' dates, the questionnaire being answered), never
for anything a user must see at once in every process.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()
_ALL: weakref.WeakSet[Memo] = weakref.WeakSet()


class Memo:
    def __init__(self, name: str, seconds: float | Callable[[], float] | None = None):
        self.name = name
        self._seconds = seconds
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        _ALL.add(self)

    def __repr__(self) -> str:
        return f"<Memo {self.name}: {len(self._entries)} values>"

    def seconds(self) -> float | None:
        return self._seconds() if callable(self._seconds) else self._seconds

    def get(self, key: Hashable = None, default: Any = None) -> Any:
        """The fresh value stored under ``key``, else ``default`` (an expired value is dropped)."""
        entry = self._entries.get(key)
        if entry is None:
            return default
        seconds = self.seconds()
        if seconds is not None and time.monotonic() - entry[0] >= seconds:
            self._entries.pop(key, None)
            return default
        return entry[1]

    def set(self, key: Hashable, value: Any) -> Any:
        """Store ``value`` under ``key`` (nothing when the memo keeps nothing) and return it."""
        seconds = self.seconds()
        if seconds is None or seconds > 0:
            self._entries[key] = (time.monotonic(), value)
        return value

    def get_or_load(self, key: Hashable, load: Callable[[], Any], *, keep: Callable[[Any], bool] | None = None) -> Any:
        """The fresh value under ``key``, or ``load()`` stored there (only when ``keep(value)`` says so)."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = load()
            if keep is None or keep(value):
                self.set(key, value)
            else:
                self.forget(key)
        return value

    def forget(self, key: Hashable = None) -> None:
        self._entries.pop(key, None)

    def clear(self, **_signal_kwargs) -> None:
        """Forget every value (usable as a signal receiver)."""
        self._entries.clear()


def clear_all() -> None:
    """Forget the values of every memo of this process."""
    for memo in list(_ALL):
        memo.clear()
