import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import Role, RoleAssignment, Samenwerkingsverband, School, normalise_swv_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("brin", ["12A", "12ABC", "AB12", "1 AB"])
def test_bad_brin_is_rejected_with_a_dutch_message(brin):
    school = School(brin=brin, vestigingsnummer="00", name="X", sector="vo")
    with pytest.raises(ValidationError) as exc:
        school.full_clean()
    assert "BRIN" in str(exc.value)


@pytest.mark.parametrize("nummer", ["0", "123", "a1"])
def test_bad_vestigingsnummer(nummer):
    school = School(brin="12AB", vestigingsnummer=nummer, name="X", sector="vo")
    with pytest.raises(ValidationError, match="2 cijfers"):
        school.full_clean()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("VO 28-01", "VO 28-01"),
        ("vo2801", "VO 28-01"),
        ("PO 20.01", "PO 20-01"),
        ("VO-28-01", "VO 28-01"),
    ],
)
def test_swv_codes_are_written_as_duo_writes_them(raw, code):
    assert normalise_swv_code(raw) == code


@pytest.mark.parametrize("code", ["XO 28-01", "VO 2801 1", "VO 28"])
def test_bad_swv_code_is_rejected(code):
    swv = Samenwerkingsverband(code=code, name="X", sector="vo")
    with pytest.raises(ValidationError, match="geen geldige code"):
        swv.full_clean()


def test_swv_form_shows_the_error_and_saves_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("regions:swv_create"),
        {
            "code": "VO 2",
            "name": "Fout",
            "sector": "vo",
            "allocation_model": "onbekend",
            "stance_on_ad": "onbekend",
        },
    )
    assert response.status_code == 200
    assert "geen geldige code" in response.content.decode()
    assert not Samenwerkingsverband.objects.filter(name="Fout").exists()


def _create_school(client, user, region, *, brin, vestigingsnummer):
    """Post the new-school form as `user` with this BRIN and vestigingsnummer."""
    client.force_login(user)
    return client.post(
        reverse("regions:school_create"),
        {
            "name": "Nieuwe school",
            "brin": brin,
            "vestigingsnummer": vestigingsnummer,
            "sector": "vo",
            "swv": region.swvs.first().pk,
            "acoustics": "onbekend",
            "low_stimulus_room": "onbekend",
            "accessibility": "onbekend",
        },
    )


def test_school_form_rerenders_with_errors(client, alice, region):
    response = _create_school(client, alice, region, brin="1", vestigingsnummer="0")
    body = response.content.decode()
    assert "geen geldig BRIN-nummer" in body
    assert "precies 2 cijfers" in body
    assert not School.objects.filter(name="Nieuwe school").exists()


def test_coordinator_creates_school_in_region(client, alice, region):
    response = _create_school(client, alice, region, brin="45xy", vestigingsnummer="01")
    school = School.objects.get(name="Nieuwe school")
    assert response.status_code == 302
    assert school.brin == "45XY"


def test_role_must_match_its_scope(region, alice):
    assignment = RoleAssignment(user=alice, role="schoolleider", region=region)
    with pytest.raises(ValidationError, match="precies een school"):
        assignment.full_clean()


def test_a_role_with_the_wrong_scope_says_which_field_to_fill_in(region, school):

    from tests.factories import UserFactory

    wrong = RoleAssignment(user=UserFactory(), role=Role.SCHOOLLEIDER, region=region)
    with pytest.raises(ValidationError) as error:
        wrong.clean()
    assert "precies een school: vul dat veld in en laat de" in str(error.value)
