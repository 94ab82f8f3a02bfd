"""The roll-up's charts, drawn with the dashboard's helpers (toolkit/charts.py): a bar
per section (the mean score of the selection) and per question a stacked bar of how many
schools gave each answer. Each chart names its figures in <title>/<desc> and a hidden
list or table; the page shows the same figures in visible tables too."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from toolkit.charts import chart_svg, share_bars, stacked_bar

from . import scoring

# At least 3:1 against white and each other's neighbours; the legend names every part.
ANSWER_COLOURS = {"ja": "#1d6b2f", "deels": "#8a4b00", "nee": "#a4262c", "nvt": "#767676"}
SCALE_COLOURS = ("#a4262c", "#8a4b00", "#6b5b00", "#154273", "#3b6b1d", "#1d6b2f", "#0b4f1f")
UNANSWERED_COLOUR = "#c8c8c8"


def option_colour(question, value, index):
    if question.type == "yes_partly_no":
        return ANSWER_COLOURS.get(value, "#767676")
    steps = max(len(question.choices), 2)
    # Spread the steps over the palette: the first step red, the last green.
    return SCALE_COLOURS[round(index * (len(SCALE_COLOURS) - 1) / (steps - 1))]


def distribution_chart(dist, *, chart_id):
    parts = [
        (option.label, option.n, option_colour(dist.question, option.value, i))
        for i, option in enumerate(dist.options)
    ]
    if dist.n_unanswered:
        parts.append((_("niet beantwoord"), dist.n_unanswered, UNANSWERED_COLOUR))
    return stacked_bar(parts, chart_id=chart_id, title=dist.question.text)


def section_chart(sections, *, chart_id="onderdeelscores"):
    rows = [
        (
            section.title,
            section.mean,
            "–" if section.mean is None else f"{scoring.percent(section.mean)}%",
        )
        for section in sections
    ]
    body, height = share_bars(rows)
    title = _("Gemiddelde score per onderdeel")
    desc = "; ".join(f"{label}: {text}" for label, _share, text in rows)
    table = format_html(
        '<div class="visually-hidden"><table><caption>{}</caption><tbody>{}</tbody></table></div>',
        title,
        format_html_join(
            "", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((r[0], r[2]) for r in rows)
        ),
    )
    return chart_svg(chart_id=chart_id, title=title, desc=desc, height=height, body=body) + table


def rollup_charts(result) -> dict:
    """`sections`: the section chart; `questions`: question key -> its distribution chart."""
    questions = {}
    for section in result.sections:
        for dist in section.distributions:
            questions[dist.question.key] = distribution_chart(
                dist, chart_id=f"verdeling-{dist.question.key}"
            )
    return {"sections": section_chart(result.sections), "questions": questions}
