"""The plan's SVG charts, drawn from the snapshot's dicts (a frozen version has no model
objects left), with the frame and bars of toolkit.charts. Each chart has a <title> and
<desc> and a visually hidden table with the same figures."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from toolkit.charts import COLOURS, chart_svg, share_bars, stacked_bar


def _hidden_table(caption, headers, rows, *, on_paper=True):
    """The chart's figures as a table for screen readers; on paper it is printed under the
    chart, unless the section prints the same table itself (`on_paper=False`)."""
    first, *numbers = headers
    return format_html(
        '<div class="visually-hidden{}"><table><caption>{}</caption><thead><tr>'
        '<th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>',
        "" if on_paper else " no-print",
        caption,
        first,
        format_html_join("", '<th scope="col" class="num">{}</th>', ((h,) for h in numbers)),
        format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (label, format_html_join("", '<td class="num">{}</td>', ((c,) for c in rest)))
                for label, *rest in rows
            ),
        ),
    )


def band_middle(count: str) -> float:
    """Where a published count ("0", "<5", "5-9", "12") sits, for the length of its bar:
    the bar is a picture of the band, the text beside it says the band itself."""
    if count == "<5":
        return 2.5
    low, _sep, high = count.partition("-")
    try:
        return (int(low) + int(high)) / 2 if high else float(int(low))
    except ValueError:
        return 0.0


def pupil_chart(chart, *, chart_id="plan-leerlingen"):
    rows = chart["rows"]
    largest = max((band_middle(r["count"]) for r in rows), default=0) or 1
    body, height = share_bars(
        (r["label"], band_middle(r["count"]) / largest, r["count"]) for r in rows
    )
    svg = chart_svg(
        chart_id=chart_id,
        title=chart["title"],
        desc="; ".join(f"{r['label']}: {r['count']}" for r in rows),
        height=height,
        body=body,
    )
    # The pupils section prints this table itself ("Naar plaatsingsstatus").
    table = _hidden_table(
        chart["title"],
        [_("Status"), _("Leerlingen")],
        [(r["label"], r["count"]) for r in rows],
        on_paper=False,
    )
    return svg + table


def line_chart(lines, *, chart_id="plan-lijnen"):
    title = _("Voortgang per werkagendalijn")
    body, height = share_bars(
        (f"{ln['number']}. {ln['title']}", ln["percent"] / 100, f"{ln['percent']}%") for ln in lines
    )
    desc = "; ".join(
        _("lijn %(n)s: %(done)s van %(adopted)s overgenomen maatregelen met een afgeronde actie")
        % {"n": ln["number"], "done": ln["done"], "adopted": ln["total"]}
        for ln in lines
    )
    svg = chart_svg(chart_id=chart_id, title=title, desc=desc, height=height, body=body)
    table = _hidden_table(
        title,
        [_("Lijn"), _("Overgenomen maatregelen"), _("Met afgeronde actie"), _("Percentage")],
        [
            (f"{ln['number']}. {ln['title']}", ln["total"], ln["done"], f"{ln['percent']}%")
            for ln in lines
        ],
    )
    return svg + table


def toolkit_chart(status_counts, *, chart_id="plan-toolkit"):
    return stacked_bar(
        [(c["label"], c["count"], COLOURS.get(c["status"], "#767676")) for c in status_counts],
        chart_id=chart_id,
        title=_("Toolkititems per status"),
    )
