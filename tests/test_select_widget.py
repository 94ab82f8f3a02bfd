"""templates/django/forms/widgets/select.html: a select writes its options itself (the
pupil list's school filter has hundreds; one template include per option was a fifth of
the page's time) and gives the same HTML as Django's own template."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.signals import template_rendered


class Choose(forms.Form):
    school = forms.ChoiceField(
        choices=[("", "---"), ("1", "De Eik"), ("Regio", [("2", "Het Baken & Co")])],
        required=False,
    )
    schools = forms.MultipleChoiceField(choices=[("1", "De Eik"), ("2", "Baken")])


def test_select_options_render_without_an_include_each_and_as_django_does():
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    form = Choose({"school": "2", "schools": ["1", "2"]})
    template_rendered.connect(record)
    try:
        ours = [form["school"].as_widget(), form["schools"].as_widget()]
    finally:
        template_rendered.disconnect(record)
    assert "django/forms/widgets/select_option.html" not in rendered
    form.renderer = DjangoTemplates()  # Django's own widget templates
    django_own = [form["school"].as_widget(), form["schools"].as_widget()]
    assert ours == django_own
    assert '<option value="2" selected>Het Baken &amp; Co</option>' in ours[0]
