"""Every form renders as NL Design System (Utrecht) form fields through one renderer."""

from django import forms


class PupilLikeForm(forms.Form):
    code = forms.CharField(label="Code", help_text="Zes tekens")
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A")], required=False)
    consent = forms.BooleanField(label="Toestemming", required=False)
    note = forms.CharField(label="Notitie", widget=forms.Textarea, required=False)

    def clean(self):
        raise forms.ValidationError("Dit klopt niet samen.")


def test_a_field_is_a_utrecht_form_field_with_label_description_error_and_input():
    form = PupilLikeForm(data={})
    form.is_valid()
    html = " ".join(str(form).split())  # djLint may break a tag over lines
    assert 'class="utrecht-form-field utrecht-form-field--invalid"' in html
    assert 'class="utrecht-form-label" for="id_code">Code <span class="required-marker">' in html
    assert 'utrecht-form-field-description" id="id_code_helptext"' in html
    assert 'role="alert" id="id_code_error">Dit veld is verplicht.</div>' in html
    assert 'aria-describedby="id_code_helptext id_code_error"' in html
    assert "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--invalid" in html
    assert 'class="utrecht-select utrecht-select--html-select"' in html
    assert 'class="utrecht-checkbox utrecht-checkbox--html-input"' in html
    assert 'class="utrecht-textarea utrecht-textarea--html-textarea"' in html
    assert 'class="utrecht-alert utrecht-alert--error error-summary" role="alert"' in html
    assert "Dit klopt niet samen." in html


def test_the_error_summary_names_each_field_with_a_link_and_takes_the_focus():
    form = PupilLikeForm(data={})
    form.is_valid()
    html = " ".join(str(form).split())
    assert 'tabindex="-1" data-focus-summary' in html
    assert '<a href="#id_code">Code</a>: Dit veld is verplicht.' in html
    assert "er is niets opgeslagen" in html


def test_a_widget_keeps_its_own_class():
    class F(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"class": "own"}))

    assert 'class="own utrecht-textbox utrecht-textbox--html-input"' in str(F()["day"])


def test_a_field_group_uses_the_same_template():
    assert "utrecht-form-field" in PupilLikeForm()["code"].as_field_group()


def test_a_help_text_is_escaped_unless_the_form_marks_it_safe():
    from django.utils.safestring import mark_safe

    class HelpForm(forms.Form):
        typed = forms.CharField(help_text='<b hx-post="indienen/">x</b>')
        marked = forms.CharField(help_text=mark_safe("<em>zo</em>"))  # noqa: S308 - literal

    html = str(HelpForm())
    assert "&lt;b hx-post=" in html and "<b hx-post" not in html
    assert "<em>zo</em>" in html
