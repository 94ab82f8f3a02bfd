"""Every record the regions app edits in the app (region, location, school, the school's
building, SWV, municipality) refuses a stale save: two coordinators load the form, both
save, the second gets 409 with the first one's value shown and nothing overwritten."""

import re
from datetime import date

import pytest
from django.urls import reverse

from regions.models import Location
from tests.factories import coordinator_of

pytestmark = pytest.mark.django_db

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


def _location(region, school):
    return Location.objects.create(
        institution=region.institution, region=region, name="Locatie Noord", place="Zwolle"
    )


# (name, the record, its edit URL, the text field both people change)
RECORDS = [
    (
        "region",
        lambda r, s: r,
        lambda r, o: reverse("regions:region_edit", args=[r.pk]),
        "description",
    ),
    (
        "location",
        _location,
        lambda r, o: reverse("regions:location_edit", args=[r.pk, o.pk]),
        "notes",
    ),
    ("school", lambda r, s: s, lambda r, o: reverse("regions:school_edit", args=[o.pk]), "place"),
    (
        "building",
        lambda r, s: s,
        lambda r, o: reverse("regions:school_suitability", args=[o.pk]) + "?bewerken=1",
        "building_notes",
    ),
    (
        "building-htmx",  # saved in place: the 409 answers the section, which htmx swaps
        lambda r, s: s,
        lambda r, o: reverse("regions:school_suitability", args=[o.pk]) + "?bewerken=1",
        "building_notes",
    ),
    (
        "swv",
        lambda r, s: r.swvs.first(),
        lambda r, o: reverse("regions:swv_edit", args=[o.pk]),
        "notes",
    ),
    (
        "gemeente",
        lambda r, s: r.gemeenten.first(),
        lambda r, o: reverse("regions:gemeente_edit", args=[o.pk]),
        "transport_policy",
    ),
]


def loaded_form(client, url):
    """What the browser would post back: the form's fields as loaded."""
    form = client.get(url).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(value)
    return data


@pytest.mark.parametrize("name,make,url_of,field", RECORDS, ids=[r[0] for r in RECORDS])
def test_second_of_two_forms_loaded_at_once_is_refused(
    client, region, school, alice, name, make, url_of, field
):
    record = make(region, school)
    url = url_of(region, record)
    colleague = coordinator_of(region)
    client.force_login(alice)
    first = loaded_form(client, url)
    client.force_login(colleague)
    second = loaded_form(client, url)
    headers = {"HTTP_HX_REQUEST": "true"} if name.endswith("htmx") else {}

    client.force_login(alice)
    saved = client.post(url, {**first, field: "Waarde van Alice"}, **headers)
    assert saved.status_code in (200, 302)
    client.force_login(colleague)
    refused = client.post(url, {**second, field: "Waarde van de collega"}, **headers)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert CONFLICT in page
    assert "Waarde van Alice" in page  # the current value is shown
    assert "Waarde van de collega" in page  # what the colleague typed is kept
    # The message takes the focus (static/js/htmx-focus.js focuses data-focus-summary on
    # a page load and after an htmx swap): a keyboard or screen reader user hears it.
    alert = re.search(r'<div[^>]*id="conflict"[^>]*>', page).group(0)
    assert 'tabindex="-1"' in alert and "data-focus-summary" in alert
    record.refresh_from_db()
    assert getattr(record, field) == "Waarde van Alice"
    assert record.version == 1


def _loaded_by_coordinator(client, alice, school):
    url = reverse("regions:school_edit", args=[school.pk])
    client.force_login(alice)
    return url, loaded_form(client, url)


def test_a_form_loaded_before_a_duo_import_changed_the_school_is_refused(
    client, alice, region, school
):
    from regions.imports import run_confirm
    from tests.regions.test_partner_data_versions import previewed_duo_job

    url, loaded = _loaded_by_coordinator(client, alice, school)
    row = (
        f"{school.brin};{school.vestigingsnummer};Naam van DUO;Stad van DUO;"
        f"{school.gemeente.code};{school.gemeente.name};20001;HAVO/VWO;{school.swv.code}"
    )
    run_confirm(previewed_duo_job(region, alice, row))

    refused = client.post(url, {**loaded, "website": "https://oud.example"})
    assert refused.status_code == 409
    school.refresh_from_db()
    assert (school.name, school.place) == ("Naam van DUO", "Stad van DUO")


def test_a_form_loaded_before_a_save_in_the_admin_is_refused(client, alice, school):
    from tests.factories import UserFactory
    from tests.regions.test_partner_data_versions import _inline_management

    url, loaded = _loaded_by_coordinator(client, alice, school)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin_url = reverse("admin:regions_school_change", args=[school.pk])
    page = client.get(admin_url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(place="Plaats uit beheer", levels=[level.pk for level in school.levels.all()])
    assert client.post(admin_url, {**data, **_inline_management(page)}).status_code == 302

    client.force_login(alice)
    refused = client.post(url, {**loaded, "website": "https://oud.example"})
    assert refused.status_code == 409
    school.refresh_from_db()
    assert school.place == "Plaats uit beheer"


def test_a_save_in_the_admin_over_a_coordinators_newer_one_is_refused(client, alice, school):
    from tests.factories import UserFactory
    from tests.regions.test_partner_data_versions import _inline_management

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    admin_url = reverse("admin:regions_school_change", args=[school.pk])
    page = client.get(admin_url)
    loaded = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    assert 'name="loaded_version"' in page.text
    loaded["loaded_version"] = page.context["adminform"].form["loaded_version"].value()

    url, form = _loaded_by_coordinator(client, alice, school)
    assert client.post(url, {**form, "place": "Plaats van de coordinator"}).status_code == 302

    client.force_login(admin)
    loaded.update(place="Plaats uit beheer", levels=[level.pk for level in school.levels.all()])
    refused = client.post(admin_url, {**loaded, **_inline_management(page)})
    assert refused.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in refused.text
    school.refresh_from_db()
    assert school.place == "Plaats van de coordinator"
