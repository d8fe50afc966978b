"""Numbers from URLs and form fields: parsed without raising."""

from __future__ import annotations

import pytest

from psm_portal.lib.params import as_int


@pytest.mark.parametrize(
    "value, expected",
    [("12", 12), (" 7 ", 7), ("0", 0), (3, 3), ("", None), (None, None), ("²", None), ("١٢", None), ("-1", None),
     ("1.5", None), ("12a", None), ("9" * 18, int("9" * 18)), ("9" * 19, None)],
)  # fmt: skip
def test_as_int_takes_ascii_digits_only(value, expected):
    assert as_int(value) == expected


def test_as_int_default():
    assert as_int("x", default=4) == 4
