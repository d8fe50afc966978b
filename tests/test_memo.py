"""The per-process memo (``psm_portal.lib.memo``): fresh for its seconds, then read again; cleared on demand."""

from __future__ import annotations

import pytest

from psm_portal.lib import memo
from psm_portal.lib.memo import Memo


@pytest.fixture
def clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    return now


def test_a_value_is_kept_for_its_seconds_then_loaded_again(clock):
    loads = []
    kept = Memo("test.kept", 5)

    def load():
        loads.append(1)
        return len(loads)

    assert kept.get_or_load("k", load) == 1
    clock[0] += 4.9
    assert kept.get_or_load("k", load) == 1
    clock[0] += 0.1
    assert kept.get_or_load("k", load) == 2
    assert len(loads) == 2


def test_seconds_are_read_on_every_call(clock):
    seconds = [5]
    kept = Memo("test.setting", lambda: seconds[0])
    kept.set("k", "v")
    seconds[0] = 0  # a setting switched off: nothing is kept any more, nor stored
    assert kept.get("k") is None
    kept.set("k", "w")
    assert kept.get("k") is None


def test_none_keeps_until_cleared_and_keep_refuses_values(clock):
    forever = Memo("test.forever")
    assert forever.get_or_load(None, lambda: frozenset(), keep=bool) == frozenset()
    assert forever.get(None, "absent") == "absent"  # an empty value is not kept
    forever.set(None, "codes")
    clock[0] += 10**6
    assert forever.get() == "codes"
    forever.forget()
    assert forever.get() is None


def test_clear_all_forgets_every_memo():
    one, two = Memo("test.one", 60), Memo("test.two")
    one.set("a", 1)
    two.set("b", 2)
    memo.clear_all()
    assert one.get("a") is None and two.get("b") is None
