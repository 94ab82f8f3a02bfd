"""The form renderer: every Django form renders as NL Design System (Utrecht) form fields."""

from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# Widget class -> the Utrecht class its input gets; subclasses come before their bases.
UTRECHT_WIDGET_CLASSES = [
    # A group of options: the class would land on the wrapping div, not on each option.
    (widgets.CheckboxSelectMultiple, None),
    (widgets.RadioSelect, None),
    (widgets.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (widgets.Select, "utrecht-select utrecht-select--html-select"),
    (widgets.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (widgets.FileInput, None),
    (widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


def utrecht_class(widget, invalid):
    for widget_class, css in UTRECHT_WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            if css and invalid:
                base = css.split()[0]
                css = f"{css} {base}--invalid"
            return css
    return None


class UtrechtBoundField(BoundField):
    """Puts the Utrecht class (and its --invalid variant) on the widget, keeping own classes."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = utrecht_class(widget, invalid=bool(self.errors))
        if css and not widget.is_hidden:
            own = attrs.get("class") or widget.attrs.get("class")
            attrs["class"] = f"{own} {css}" if own else css
        return attrs


class UtrechtFormRenderer(TemplatesSetting):
    form_template_name = "forms/utrecht_form.html"
    field_template_name = "forms/utrecht_field.html"
    bound_field_class = UtrechtBoundField
