"""Min side on a phone: MitID through the local OpenID Provider, a ticked stepping stone, a score from home, a
withdrawn consent and the staff look-ups in Min log; then the guide sees the tick and the home score. axe-core checks
every citizen page, in Danish and in English."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login_verified
from local_idp import LocalIdp
from traedesten.accounts.models import Department
from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.measures.models import Administration
from traedesten.people.consent import give_consent
from traedesten.plans.models import Plan
from traedesten.plans.services import save_plan

CPR = "0707771237"


@pytest.fixture
def idp(live_server, settings):
    provider = LocalIdp([f"{live_server.url}/min-side/log-ind/svar/"])
    settings.TRAEDESTEN_CITIZEN_OIDC = provider.citizen_settings()
    from traedesten.citizen import oidc

    oidc._DISCOVERY.clear()
    yield provider
    provider.stop()


def _world(make_user, make_person, team, other_team):
    guide = make_user(Role.GUIDE, [team], username="guide", first_name="Mette", last_name="Guide")
    person = make_person(guide, team=team, worker=guide, first_name="Ane", last_name="Borgersen", cpr=CPR)
    courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                         start=timezone.localdate() - datetime.timedelta(days=21), team=team)
    save_plan(guide, person, {
        "dreams": ["En hverdag med mere ro"],
        "goals": [{"id": "g1", "citizen_text": "Jeg vil selv klare min post",
                   "professional_text": "Øget mestring af digital kommunikation",
                   "sub_goals": [{"id": "s1", "text": "Åbne e-Boks sammen med Mette"},
                                 {"id": "s2", "text": "Åbne e-Boks alene"}],
                   "actions": [{"text": "Vi øver hver tirsdag", "responsible": "worker", "worker_id": guide.pk}]}],
        "coping": {"warning_signs": ["Jeg sover dårligt"], "strategies": ["Ringer til min søster"],
                   "people": [{"name": "Søster Lise", "phone": "12 34 56 78"}]},
        "crisis": {"what_helps": "Ro og en kop te", "contacts": [{"name": "Psykiatrisk akutmodtagelse",
                                                                  "phone": "70 20 30 40"}]},
    }, expected_version=0)
    jobcentre = Department.objects.get(code="jobcentre")
    give_consent(guide, person, recipient=jobcentre, scope=["goals"], purpose="Møde om job og praktik",
                 given_on=timezone.localdate())
    # Staff look-ups before the citizen logs in: the guide, and a colleague outside the caseload with a reason.
    outsider = make_user(Role.GUIDE, [other_team], username="kollega")
    staff = Client()
    login_verified(staff, guide)
    assert staff.get(f"/borgere/{person.pk}/").status_code == 200
    login_verified(staff, outsider)
    staff.post(f"/adgang/borger/{person.pk}/begrundelse/", {"reason": "Borgeren ringede til skranken"})
    assert staff.get(f"/plan/{person.pk}/").status_code == 200
    return guide, person


def test_a_citizen_on_a_phone(phone, page, idp, transactional_db, make_user, make_person, team, other_team):
    guide, person = _world(make_user, make_person, team, other_team)
    p = phone
    p.goto("/min-side/plan/")
    p.get_by_role("link", name="Log ind med MitID").wait_for()
    p.assert_accessible()
    p.get_by_role("link", name="Log ind med MitID").click()
    p.get_by_label("Bruger-id eller CPR-nummer").fill(CPR)  # the local provider's stand-in for MitID
    p.get_by_role("button", name="Log ind").click()
    p.get_by_role("heading", name="Hej Ane").wait_for()
    assert CPR not in p.content() and "070777-1237" not in p.content()
    p.assert_accessible()
    p.screenshot_as("min-side-home-phone")

    p.get_by_role("navigation", name="Min side").get_by_role("link", name="Min plan").click()
    p.get_by_role("heading", name="Jeg vil selv klare min post").wait_for()
    assert "Øget mestring" not in p.content()  # professional wording stays with the staff
    p.assert_accessible()
    p.get_by_role("button", name="Jeg har nået den: Åbne e-Boks sammen med Mette").click()
    p.get_by_text("Godt gået!").wait_for()
    p.get_by_role("button", name="Ikke nået alligevel: Åbne e-Boks sammen med Mette").wait_for()
    p.assert_accessible()
    p.screenshot_as("min-side-plan-phone")

    p.get_by_role("link", name="Mine målinger").click()
    p.get_by_role("link", name="Giv din vurdering nu").click()
    p.wait_for_load_state()  # the lines count as marked once vas.js listens
    for label, value in (("Mig selv", "6.5"), ("Familie og nære relationer", "7"),
                         ("Arbejde, skole og venner", "5.2"), ("Alt i alt", "6.8")):
        p.get_by_label(label).fill(value)
    p.assert_accessible()
    p.get_by_role("button", name="Gem min vurdering").click()
    p.get_by_text("givet hjemmefra", exact=True).first.wait_for()
    p.get_by_text("25,5 ud af 40").wait_for()
    p.assert_accessible()

    p.get_by_role("link", name="Mine samtykker").click()
    p.get_by_role("heading", name="Jobcenter").wait_for()
    p.assert_accessible()
    p.get_by_role("button", name="Træk samtykket tilbage (Jobcenter)").click()
    p.get_by_text("er trukket tilbage").wait_for()
    p.get_by_text("Du har ikke givet samtykke til, at andre afdelinger må se dine oplysninger.").wait_for()
    p.assert_accessible()

    p.get_by_role("link", name="Min log").click()
    log = p.get_by_role("main")
    log.get_by_text("Socialafdelingen").first.wait_for()  # a team without a department belongs to the owning one
    assert log.get_by_text("Arbejder ikke med dig til daglig og skrev en begrundelse").count() >= 1
    assert "kollega" not in p.content() and "Mette Guide" not in p.content()  # role and department, no names
    p.assert_accessible()
    p.screenshot_as("min-side-log-phone")

    for name in ("Breve og spørgeskemaer", "Mine data", "Forside"):
        p.get_by_role("navigation", name="Min side").get_by_role("link", name=name).click()
        p.wait_for_load_state()
        p.assert_accessible()
    p.get_by_role("button", name="English").click()
    p.get_by_role("heading", name="Hi Ane").wait_for()
    p.assert_accessible()
    p.get_by_role("navigation", name="My page").get_by_role("link", name="My plan").click()
    p.get_by_role("button", name="Not reached after all: Åbne e-Boks sammen med Mette").wait_for()
    p.assert_accessible()
    menu = p.get_by_role("navigation", name="My page").get_by_role("link")
    pages = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
    assert len(pages) >= 6
    for width, height in ((390, 844), (1280, 800)):  # every page in English, on the phone and on a desktop
        p.set_viewport_size({"width": width, "height": height})
        for href in pages:
            p.goto(href)
            p.get_by_role("navigation", name="My page").wait_for()
            p.wait_for_load_state()
            p.assert_accessible()
    p.get_by_role("button", name="Log out").click()
    p.get_by_role("link", name="Log in with MitID").wait_for()

    # The guide sees the ticked stone and the score given at home.
    page.login("guide")
    page.get_by_text("har nået »Åbne e-Boks sammen med Mette«").wait_for()
    page.goto(f"/plan/{person.pk}/")
    page.get_by_text("Borgeren har selv markeret »Åbne e-Boks sammen med Mette« som nået.").wait_for()
    assert Plan.objects.get(person=person).current.by_citizen
    page.goto(f"/maaling/borger/{person.pk}/ORS/")
    page.get_by_text("givet hjemmefra").wait_for()
    assert Administration.objects.get(person=person).at_home
