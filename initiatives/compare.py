"""Two versions of an agreement side by side: which words were removed and added."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "del" (only in the old text) or "ins" (only in the new one)
    text: str


def same_line_breaks(text: str) -> str:
    """A browser sends a textarea's line breaks as CRLF, the seed and older versions have
    LF: one kind, so an unchanged line never shows as removed and added."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def word_diff(old: str, new: str) -> tuple[list, list, bool]:
    """(segments of the old text, segments of the new text, changed?) on words; the
    whitespace between words is kept, so line breaks stay where they were."""
    a, b = TOKENS.findall(same_line_breaks(old)), TOKENS.findall(same_line_breaks(new))
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(Segment("same", "".join(a[i1:i2])))
            right.append(Segment("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Segment("del", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(Segment("ins", "".join(b[j1:j2])))
    changed = any(s.kind != "same" for s in left + right)
    return left, right, changed


def as_html(segments):
    """The segments as HTML: a change is <del>/<ins> with a hidden word for screen
    readers; the visible markers [− ] and [+ ] come from the style sheet, so the change
    never shows by colour only."""
    hidden = {"del": _("weggehaald:"), "ins": _("toegevoegd:")}
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<{0}><span class="visually-hidden">{1} </span>{2}</{0}>',
                    s.kind,
                    hidden[s.kind],
                    s.text,
                )
                if s.kind in hidden
                else s.text,
            )
            for s in segments
        ),
    )


@dataclass(frozen=True)
class ComparedField:
    label: str
    old: list
    new: list
    changed: bool

    @property
    def old_html(self):
        return as_html(self.old)

    @property
    def new_html(self):
        return as_html(self.new)


def compare_versions(old, new, labels) -> list:
    """The text and the conditions of two versions, each as a ComparedField."""
    fields = []
    for name in ("text", "conditions"):
        left, right, changed = word_diff(getattr(old, name), getattr(new, name))
        fields.append(ComparedField(labels[name], left, right, changed))
    return fields
