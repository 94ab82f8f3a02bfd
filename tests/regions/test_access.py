"""Every regions view with three users: one who may (alice, coordinator), one who may
only read (bob, manager) and one outside the scope (charlie, another region's coordinator)."""

import pytest
from django.urls import reverse

from regions.models import Location, SchoolContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(region, school):
    location = Location.objects.create(
        institution=region.institution, region=region, name="vso Test", place="X"
    )
    contact = SchoolContact.objects.create(school=school, name="A. IB", role="ib")
    return {
        "region": region.pk,
        "school": school.pk,
        "swv": region.swvs.first().pk,
        "gemeente": region.gemeenten.first().pk,
        "location": location.pk,
        "contact": contact.pk,
    }


READ_VIEWS = [
    ("regions:region_detail", lambda o: [o["region"]]),
    ("regions:school_detail", lambda o: [o["school"]]),
    ("regions:swv_detail", lambda o: [o["swv"]]),
    ("regions:school_suitability", lambda o: [o["school"]]),
]
WRITE_VIEWS = [
    ("regions:region_edit", lambda o: [o["region"]]),
    ("regions:location_edit", lambda o: [o["region"], o["location"]]),
    ("regions:location_create", lambda o: [o["region"]]),
    ("regions:school_edit", lambda o: [o["school"]]),
    ("regions:swv_edit", lambda o: [o["swv"]]),
    ("regions:gemeente_edit", lambda o: [o["gemeente"]]),
]
POST_ONLY = [
    ("regions:contact_add", lambda o: [o["school"]]),
    ("regions:contact_delete", lambda o: [o["school"], o["contact"]]),
]


@pytest.mark.parametrize(("name", "args"), READ_VIEWS + WRITE_VIEWS)
def test_coordinator_may(client, alice, objects, name, args):
    client.force_login(alice)
    assert client.get(reverse(name, args=args(objects))).status_code == 200


@pytest.mark.parametrize(("name", "args"), READ_VIEWS)
def test_reader_may_read(client, bob, objects, name, args):
    client.force_login(bob)
    assert client.get(reverse(name, args=args(objects))).status_code == 200


@pytest.mark.parametrize(("name", "args"), WRITE_VIEWS + POST_ONLY)
def test_reader_gets_403_on_write(client, bob, objects, name, args):
    client.force_login(bob)
    url = reverse(name, args=args(objects))
    assert client.post(url, {"name": "x"}).status_code == 403


@pytest.mark.parametrize(("name", "args"), READ_VIEWS + WRITE_VIEWS)
def test_outsider_gets_404(client, charlie, objects, name, args):
    client.force_login(charlie)
    url = reverse(name, args=args(objects))
    assert client.get(url).status_code == 404
    # Pages that only show refuse every POST (405) before looking anything up.
    shows_only = name in {"regions:region_detail", "regions:school_detail", "regions:swv_detail"}
    assert client.post(url, {"name": "x"}).status_code == (405 if shows_only else 404)


@pytest.mark.parametrize(("name", "args"), POST_ONLY)
def test_outsider_gets_404_on_post_only_views(client, charlie, objects, name, args):
    client.force_login(charlie)
    url = reverse(name, args=args(objects))
    # GET is refused for everyone before any lookup; the POST is what could leak.
    assert client.get(url).status_code == 405
    assert client.post(url, {"name": "x"}).status_code == 404


def test_reader_cannot_open_inline_editor(client, bob, school):
    client.force_login(bob)
    url = reverse("regions:school_suitability", args=[school.pk]) + "?bewerken=1"
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("regions:region_list", lambda region, school: region.name),
        ("regions:school_list", lambda region, school: school.name),
        ("regions:swv_list", lambda region, school: region.swvs.first().name),
        ("regions:gemeente_list", lambda region, school: region.gemeenten.first().name),
    ],
)
def test_lists_only_show_scope(client, alice, objects, region, school, other_region, name, visible):
    from tests.factories import school_in

    # Names that are no part of each other ("Regio 1" is part of "Regio 12").
    other_region.name = "Verborgen regio"
    other_region.save()
    other_region.swvs.update(name="Verborgen samenwerkingsverband")
    other_region.gemeenten.update(name="Verborgen gemeente")
    school_in(other_region, name="Verborgen school")
    client.force_login(alice)
    body = client.get(reverse(name)).content.decode()
    # The list shows what alice may see (so the test fails on a list that is empty)...
    assert visible(region, school) in body
    # ...and nothing of the other region.
    assert "Verborgen" not in body


def test_school_leader_sees_only_own_school(client, leader, school, region, other_region):
    from tests.factories import school_in

    neighbour = school_in(region, name="Buurschool")
    client.force_login(leader)
    body = client.get(reverse("regions:school_list")).content.decode()
    assert school.name in body
    assert "Buurschool" not in body
    assert client.get(reverse("regions:school_detail", args=[neighbour.pk])).status_code == 404
    assert client.get(reverse("regions:region_detail", args=[region.pk])).status_code == 404
    assert client.get(reverse("regions:school_detail", args=[school.pk])).status_code == 200
    # Seeing the school does not mean changing it.
    assert client.post(reverse("regions:school_edit", args=[school.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, school):
    response = client.get(reverse("regions:school_detail", args=[school.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_import_needs_coordinator_or_admin(client, bob, leader):
    for user in (bob, leader):
        client.force_login(user)
        assert client.get(reverse("regions:duo_import")).status_code == 403


def test_home_shows_what_needs_attention(client, alice, region):
    from datetime import timedelta

    from django.utils import timezone

    from toolkit.models import RegionAction, WerkagendaLine

    RegionAction.objects.create(
        region=region,
        line=WerkagendaLine.objects.get(number=1),
        title="Scholing plannen",
        deadline=timezone.localdate() - timedelta(days=3),
    )
    client.force_login(alice)
    body = client.get(reverse("plans:home")).content.decode()
    assert "deadlines te laat" in body
    assert "0 toolkit-items en 1 acties" in body


def test_the_menu_offers_only_pages_the_role_may_open(client, alice, bob, leader, region):
    """The menu asks the same Scope as the views: no link that answers 404 or 403."""
    import re

    from regions.models import Role
    from tests.factories import user_with_role

    admin = user_with_role(Role.BEHEERDER)
    seen = {}
    for user in (alice, bob, leader, admin):
        client.force_login(user)
        page = client.get(reverse("plans:home")).content.decode()
        menu = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        links = re.findall(r'href="([^"]+)"', menu)
        seen[user.pk] = links
        for url in links:
            assert client.get(url).status_code == 200, (user, url)
    # The leader has no region: no regions, SWVs, municipalities or deadlines in his menu.
    assert reverse("regions:swv_list") in seen[alice.pk]
    assert reverse("regions:swv_list") not in seen[leader.pk]
    assert reverse("learners:deadlines") not in seen[leader.pk]
    assert reverse("learners:pupil_list") not in seen[admin.pk]
