"""Admin fields for the toolkit's JSON lists: typed as lines, stored as the same JSON.

Links stay a list of {"label": ..., "url": ...}; checklists, measure items and actors a
list of strings, so templates, the loader and content.json are unchanged."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LINK_SEPARATOR = "|"


class LinesField(forms.CharField):
    """One item per line; empty lines are skipped."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 80})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", gettext_lazy("Eén punt per regel."))
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(self.line(item) for item in value)
        return value

    def line(self, item):
        return str(item)

    def to_python(self, value):
        text = super().to_python(value) or ""
        lines = [line.strip() for line in text.splitlines()]
        return [self.item(line, number) for number, line in enumerate(lines, 1) if line]

    def item(self, line, number):
        return line


class LinksField(LinesField):
    """One link per line: "title | https://...". Only http(s) addresses."""

    validate_url = URLValidator(schemes=["http", "https"])

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Eén link per regel: titel | adres, bijvoorbeeld: Rijksoverheid | https://www.rijksoverheid.nl/"
            ),
        )
        super().__init__(**kwargs)

    def line(self, item):
        return f"{item.get('label', '')} {LINK_SEPARATOR} {item.get('url', '')}"

    def item(self, line, number):
        label, separator, url = (part.strip() for part in line.rpartition(LINK_SEPARATOR))
        if not separator or not label or not url:
            raise ValidationError(
                _("Regel %(n)d: schrijf titel | adres.") % {"n": number}, code="format"
            )
        try:
            self.validate_url(url)
        except ValidationError:
            raise ValidationError(
                _("Regel %(n)d: %(url)s is geen geldig webadres (https://...).")
                % {"n": number, "url": url},
                code="url",
            ) from None
        return {"label": label, "url": url}
