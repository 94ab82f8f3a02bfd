"""Whole numbers typed by people or in URLs. str.isdigit() accepts "²" and "①", which
int() refuses (a 500); str.isdecimal() accepts Arabic-Indic digits. Only ASCII digits
count, by default at most 18 of them, so the number fits a database integer."""

import re

DB_DIGITS = 18


def plain_int(value, *, max_digits=DB_DIGITS) -> int | None:
    """The number in `value` (surrounding spaces allowed), or None."""
    text = "" if value is None else str(value).strip()
    if not re.fullmatch(r"[0-9]+", text) or len(text) > max_digits:
        return None
    return int(text)
