"""The error summary at the top of a refused form: `{% error_summary %}` renders
templates/_error_summary.html around the block's list items.

    {% load error_summary %}
    {% error_summary _("Het formulier bevat fouten; er is niets opgeslagen.") %}
      <li><a href="#id_name">Naam</a>: Vul dit veld in.</li>
    {% enderror_summary %}

The summary takes the focus (static/js/htmx-focus.js); each item links to its field.
"""

from django import template
from django.template.loader import render_to_string

register = template.Library()


class ErrorSummaryNode(template.Node):
    def __init__(self, heading, nodelist):
        self.heading = heading
        self.nodelist = nodelist

    def render(self, context):
        return render_to_string(
            "_error_summary.html",
            {"heading": self.heading.resolve(context), "items": self.nodelist.render(context)},
        )


@register.tag
def error_summary(parser, token):
    bits = token.split_contents()[1:]
    if len(bits) != 1:
        raise template.TemplateSyntaxError("{% error_summary %} takes one heading")
    nodelist = parser.parse(("enderror_summary",))
    parser.delete_first_token()
    return ErrorSummaryNode(parser.compile_filter(bits[0]), nodelist)
