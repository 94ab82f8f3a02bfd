"""One Utrecht table for every page: {% table %} (regions/templatetags/tables.py)."""

from django.template import Context, Template

from tests.templates import templates_with

TABLE = (
    '{% load tables %}{% table _("Naam") _("Aantal") caption=caption num="2" '
    'edit_column=edit empty=_("Niets gevonden.") %}{% for r in rows %}<tr><th scope="row">'
    '{{ r }}</th><td class="num">1</td><td colspan="{{ table_columns }}"></td></tr>'
    "{% endfor %}{% endtable %}"
)


def render(**context):
    html = Template(TABLE).render(Context({"caption": "Scholen in de regio", **context}))
    return " ".join(html.split())


def test_the_table_is_a_scrollable_region_named_after_its_caption():
    html = render(rows=["A"], edit=False)
    assert (
        '<div class="table-wrap" role="region" tabindex="0" '
        'aria-label="Scholen in de regio (tabel)">'
    ) in html
    assert '<caption class="visually-hidden">Scholen in de regio</caption>' in html
    assert '<th scope="col">Naam</th><th scope="col" class="num">Aantal</th>' in html
    assert '<th scope="row">A</th>' in html
    assert 'colspan="2"' in html
    assert "Niets gevonden." not in html


def test_an_edit_column_and_the_empty_row_span_every_column():
    html = render(rows=[], edit=True)
    assert '<th scope="col"><span class="visually-hidden">Bewerken</span></th>' in html
    assert '<td colspan="3">Niets gevonden.</td>' in html


def test_no_template_builds_a_table_region_by_hand():
    assert templates_with('class="table-wrap"', except_for="_table.html") == []


def test_an_empty_header_leaves_its_column_out():
    template = Template(
        '{% load tables %}{% table _("Naam") region _("Aantal") caption="T" num="3" '
        'empty="Niets." %}{% endtable %}'
    )
    html = " ".join(template.render(Context({"region": ""})).split())
    assert '<th scope="col">Naam</th><th scope="col" class="num">Aantal</th>' in html
    assert '<td colspan="2">Niets.</td>' in html
