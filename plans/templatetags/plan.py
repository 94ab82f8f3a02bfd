"""Filters and tags of the plan page and its PDF: the coordinator's text with simple
formatting, and the charts drawn from the snapshot."""

from datetime import date
from itertools import groupby

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from plans import charts

register = template.Library()


def _is_item(line):
    return line.startswith(("- ", "* "))


@register.filter
def plan_text(text):
    """Plain text as paragraphs (a blank line between them) and lists (lines that start
    with "- "). Everything is escaped: the text never carries markup of its own."""
    blocks = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        for is_list, group in groupby(lines, key=_is_item):
            group = list(group)
            if is_list:
                items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in group))
                blocks.append(format_html("<ul>{}</ul>", items))
            else:
                lines_html = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in group))
                blocks.append(format_html("<p>{}</p>", lines_html))
    return mark_safe("".join(blocks))  # noqa: S308 - every part built with format_html


@register.simple_tag
def pupil_chart(chart, suffix=""):
    return charts.pupil_chart(chart, chart_id=f"plan-leerlingen{suffix}")


@register.simple_tag
def line_chart(lines, suffix=""):
    return charts.line_chart(lines, chart_id=f"plan-lijnen{suffix}")


@register.simple_tag
def toolkit_chart(status_counts, suffix=""):
    return charts.toolkit_chart(status_counts, chart_id=f"plan-toolkit{suffix}")


@register.filter
def iso_date(value, fmt="j F Y"):
    """A snapshot date ("2026-11-27") shown as a date; "–" when there is none."""
    if not value:
        return "–"
    try:
        return date_format(date.fromisoformat(value), fmt)
    except (TypeError, ValueError):
        return value
