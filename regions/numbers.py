"""Whole numbers typed by people or in URLs. str.isdigit() accepts "²" and "①", which
int() refuses (a 500); str.isdecimal() accepts Arabic-Indic digits. Only ASCII digits
count, and at most 18 of them, so the number fits a database integer."""

import re

PLAIN_NUMBER = re.compile(r"[0-9]{1,18}")


def plain_int(value) -> int | None:
    """The number in `value` (surrounding spaces allowed), or None."""
    text = "" if value is None else str(value).strip()
    return int(text) if PLAIN_NUMBER.fullmatch(text) else None
