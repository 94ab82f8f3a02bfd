"""Server-rendered SVG charts: plain markup, so the same function serves the page and,
later, the PDF of the regional plan (WeasyPrint renders inline SVG).

Each chart has a <title> and <desc> and is followed by a visually hidden table with the
same figures, so colour and shape are never the only carriers of the information.
"""

import textwrap

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Colours from static/css/app.css (all at least 4.5:1 against white).
COLOURS = {
    "not_started": "#767676",
    "in_progress": "#8a4b00",
    "done": "#1d6b2f",
    "not_applicable": "#154273",
}
BAR_COLOUR = "#1d6b2f"
TRACK_COLOUR = "#e8eef5"


# No viewBox: coordinates across are percentages of the chart's width, so the text keeps
# its size in px (at least 12) at any width instead of shrinking with the drawing.
FONT_PX = 13
LINE_PX = 17
WRAP_AT = 40  # characters per label line: fits a 390 px wide screen at FONT_PX


def _wrapped_text(text, *, x, y):
    """A <text> whose long label wraps into <tspan> lines instead of being cut off."""
    lines = textwrap.wrap(text, WRAP_AT) or [""]
    spans = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((x, 0 if i == 0 else LINE_PX, line) for i, line in enumerate(lines)),
    )
    element = format_html(
        '<text x="{}" y="{}" font-size="{}" fill="#1a1a1a">{}</text>', x, y, FONT_PX, spans
    )
    return element, len(lines)


def chart_svg(*, chart_id, title, desc, height, body):
    """The <svg> frame every chart shares: role img, named by its <title> and <desc>."""
    return format_html(
        '<svg class="chart" role="img" width="100%" height="{h}" '
        'aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>',
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        body=body,
    )


def share_bars(rows):
    """Horizontal bars, one per (label, share 0..1, text) row: the label wraps above its
    bar, the text (a percentage) stands at the bar's end. Returns (body, height)."""
    bar_h, bar_pct = 18, 88
    parts, y = [], 4
    for label_text, share, text in rows:
        label, n_lines = _wrapped_text(label_text, x=0, y=y + FONT_PX)
        bar_y = y + n_lines * LINE_PX + 2
        parts.append(
            format_html(
                '<g>{label}<rect x="0" y="{by}" width="{bw}%" height="{bh}" fill="{track}" '
                'stroke="#767676"/><rect x="0" y="{by}" width="{fw}%" height="{bh}" fill="{fill}"/>'
                '<text x="100%" y="{ty}" text-anchor="end" font-size="{fs}" fill="#1a1a1a">'
                "{text}</text></g>",
                label=label,
                by=bar_y,
                bw=bar_pct,
                bh=bar_h,
                track=TRACK_COLOUR,
                fw=round(bar_pct * (share or 0), 1),
                fill=BAR_COLOUR,
                ty=bar_y + 14,
                fs=FONT_PX,
                text=text,
            )
        )
        y = bar_y + bar_h + 12
    return mark_safe("".join(parts)), y  # noqa: S308 - each part built with format_html


def stacked_bar(parts, *, chart_id, title):
    """One stacked bar of (label, n, colour) parts with a legend that names each part and
    its number, and a visually hidden list with the same figures."""
    total = sum(n for _l, n, _c in parts) or 1
    x = 0.0
    rects, legend = [], []
    for i, (label, n, colour) in enumerate(parts):
        w = round(100 * n / total, 1)
        if n:
            rects.append(
                format_html(
                    '<rect x="{}%" y="0" width="{}%" height="26" fill="{}" stroke="#fff"/>',
                    round(x, 1),
                    w,
                    colour,
                )
            )
        x += w
        ly = 38 + i * 22  # one legend entry a line: fits any width
        legend.append(
            format_html(
                '<rect x="0" y="{}" width="14" height="14" fill="{}"/>'
                '<text x="20" y="{}" font-size="{}" fill="#1a1a1a">{} ({})</text>',
                ly,
                colour,
                ly + 12,
                FONT_PX,
                label,
                n,
            )
        )
    svg = chart_svg(
        chart_id=chart_id,
        title=title,
        desc="; ".join(f"{label}: {n}" for label, n, _c in parts),
        height=38 + 22 * len(parts),
        body=mark_safe("".join(rects) + "".join(legend)),  # noqa: S308 - built with format_html
    )
    items = format_html_join("", "<li>{}: {}</li>", ((label, n) for label, n, _c in parts))
    return svg + format_html('<ul class="visually-hidden" aria-label="{}">{}</ul>', title, items)


def line_progress_chart(progress, *, chart_id="lijnvoortgang"):
    """Horizontal bars, one per werkagenda line: share of adopted measures with a done action.

    Each line's title stands above its bar, wrapped; the percentage at the bar's end."""
    body, height = share_bars(
        (f"{p.line.number}. {p.line.title}", p.share, f"{p.percent}%") for p in progress
    )
    description = "; ".join(
        _("lijn %(n)s: %(done)s van %(adopted)s overgenomen maatregelen met een afgeronde actie")
        % {"n": p.line.number, "done": p.with_done_action, "adopted": p.adopted}
        for p in progress
    )
    svg = chart_svg(
        chart_id=chart_id,
        title=_("Voortgang per werkagendalijn"),
        desc=description,
        height=height,
        body=body,
    )
    table = format_html(
        '<div class="visually-hidden"><table><caption>{cap}</caption><thead><tr>'
        '<th scope="col">{c1}</th><th scope="col">{c2}</th><th scope="col">{c3}</th>'
        '<th scope="col">{c4}</th></tr></thead><tbody>{body}</tbody></table></div>',
        cap=_("Voortgang per werkagendalijn"),
        c1=_("Lijn"),
        c2=_("Overgenomen maatregelen"),
        c3=_("Met afgeronde actie"),
        c4=_("Percentage"),
        body=format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}%</td></tr>',
            ((str(p.line), p.adopted, p.with_done_action, p.percent) for p in progress),
        ),
    )
    return svg + table


def status_chart(counts, *, chart_id="tipstatus"):
    """One stacked bar of the toolkit items per status, with a legend that names each part."""
    return stacked_bar(
        [(label, n, COLOURS.get(status, "#767676")) for status, label, n in counts],
        chart_id=chart_id,
        title=_("Toolkititems per status"),
    )
