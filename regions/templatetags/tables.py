"""One Utrecht table for every page: `{% table %}` renders templates/_table.html.

    {% load tables %}
    {% table _("Code") _("Naam") _("Scholen") caption=_("Samenwerkingsverbanden") num="3"
       empty=_("Geen samenwerkingsverbanden gevonden.") %}
      {% for swv in swvs %}<tr>...</tr>{% endfor %}
    {% endtable %}

Positional arguments are the column headers; an empty one is left out (a column only
some users see: `{% if show_region %}{% translate "Regio" as region %}{% endif %}`).
Options:
- `caption` (required): the visually hidden caption; the scrollable region is named
  after it ("<caption> (tabel)").
- `num`: the numbers (from 1) of the right-aligned number columns, e.g. "3 4".
- `edit_column`: true adds a last column whose header `edit_label` (default "Bewerken")
  is visually hidden.
- `empty`: the row shown when the block renders nothing.
- `show_caption`: true shows the caption.
- `class`: extra classes on <table>.
- `bodies`: true when the block brings its own <tbody> elements (groups of rows).
- `head`: false when the block brings its own <thead> (e.g. sortable headers).
Inside the block, `table_columns` is the number of columns (for a colspan).
"""

from django import template
from django.template.base import token_kwargs
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

register = template.Library()


class TableNode(template.Node):
    def __init__(self, headers, options, nodelist):
        self.headers = headers
        self.options = options
        self.nodelist = nodelist

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        num = {int(n) for n in str(options.get("num", "")).split()}
        headers = [
            {"text": text, "num": i in num}
            for i, header in enumerate(self.headers, start=1)
            if (text := header.resolve(context))
        ]
        columns = len(headers) + bool(options.get("edit_column"))
        with context.push(table_columns=columns):
            body = self.nodelist.render(context)
        caption = options["caption"]
        return render_to_string(
            "_table.html",
            {
                "caption": caption,
                # Named apart from the section around it (axe: landmark-unique).
                "region_label": f"{caption} ({_('tabel')})",
                "show_caption": options.get("show_caption", False),
                "headers": headers,
                "head": options.get("head", True),
                "edit_column": options.get("edit_column", False),
                "edit_label": options.get("edit_label") or _("Bewerken"),
                "columns": columns,
                "empty": options.get("empty", "") if not body.strip() else "",
                "extra_class": options.get("class", ""),
                "bodies": options.get("bodies", False),
                "body": body,
            },
        )


@register.tag
def table(parser, token):
    bits = token.split_contents()[1:]
    headers = []
    while bits and "=" not in bits[0].split("|")[0].split("(")[0]:
        headers.append(parser.compile_filter(bits.pop(0)))
    options = token_kwargs(bits, parser)
    if bits or "caption" not in options:
        raise template.TemplateSyntaxError("{% table %} takes headers, then caption= and options")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(headers, options, nodelist)
