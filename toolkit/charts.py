"""Server-rendered SVG charts: plain markup, so the same function serves the page and,
later, the PDF of the regional plan (WeasyPrint renders inline SVG).

Each chart has a <title> and <desc> and is followed by a visually hidden table with the
same figures, so colour and shape are never the only carriers of the information.
"""

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


def line_progress_chart(progress, *, chart_id="lijnvoortgang"):
    """Horizontal bars, one per werkagenda line: share of adopted measures with a done action."""
    row_h, label_w, bar_w, pct_w = 34, 330, 300, 60
    width = label_w + bar_w + pct_w
    height = row_h * len(progress) + 8
    rows = []
    for i, p in enumerate(progress):
        y = 4 + i * row_h
        filled = round(bar_w * p.share)
        label = f"{p.line.number}. {p.line.title}"
        short = label if len(label) <= 44 else label[:42] + "…"
        rows.append(
            format_html(
                '<g><text x="0" y="{ty}" font-size="13" fill="#1a1a1a">{short}</text>'
                '<rect x="{lx}" y="{y}" width="{bw}" height="20" fill="{track}" stroke="#767676"/>'
                '<rect x="{lx}" y="{y}" width="{fw}" height="20" fill="{fill}"/>'
                '<text x="{px}" y="{ty}" font-size="13" fill="#1a1a1a">{pct}%</text></g>',
                ty=y + 15,
                short=short,
                lx=label_w,
                y=y,
                bw=bar_w,
                track=TRACK_COLOUR,
                fw=filled,
                fill=BAR_COLOUR,
                px=label_w + bar_w + 8,
                pct=p.percent,
            )
        )
    description = "; ".join(
        _("lijn %(n)s: %(done)s van %(adopted)s overgenomen maatregelen met een afgeronde actie")
        % {"n": p.line.number, "done": p.with_done_action, "adopted": p.adopted}
        for p in progress
    )
    svg = format_html(
        '<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{rows}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=_("Voortgang per werkagendalijn"),
        desc=description,
        rows=mark_safe("".join(rows)),  # noqa: S308 - each row built with format_html
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
    total = sum(n for _s, _l, n in counts) or 1
    bar_w, width, height = 600, 720, 70
    x = 0
    parts, legend = [], []
    for i, (status, label, n) in enumerate(counts):
        w = round(bar_w * n / total)
        if n:
            parts.append(
                format_html(
                    '<rect x="{}" y="0" width="{}" height="26" fill="{}" stroke="#fff"/>',
                    x,
                    w,
                    COLOURS.get(status, "#767676"),
                )
            )
        x += w
        lx = i * 175
        legend.append(
            format_html(
                '<rect x="{}" y="40" width="14" height="14" fill="{}"/>'
                '<text x="{}" y="52" font-size="13" fill="#1a1a1a">{} ({})</text>',
                lx,
                COLOURS.get(status, "#767676"),
                lx + 20,
                label,
                n,
            )
        )
    desc = "; ".join(f"{label}: {n}" for _s, label, n in counts)
    svg = format_html(
        '<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{parts}{legend}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=_("Toolkititems per status"),
        desc=desc,
        parts=mark_safe("".join(parts)),  # noqa: S308 - built with format_html
        legend=mark_safe("".join(legend)),  # noqa: S308 - built with format_html
    )
    items = format_html_join("", "<li>{}: {}</li>", ((label, n) for _s, label, n in counts))
    return svg + format_html(
        '<ul class="visually-hidden" aria-label="{}">{}</ul>', _("Toolkititems per status"), items
    )
