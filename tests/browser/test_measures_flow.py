"""FIT self-scoring on a tablet: the citizen marks four lines; only the worker can take the tablet back."""

import datetime
from decimal import Decimal

from django.utils import timezone

from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.measures import services
from traedesten.measures.models import Administration, Instrument


def test_citizen_scores_ors_on_a_tablet(tablet, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Maja", last_name="Vang")
    courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                         start=timezone.localdate() - datetime.timedelta(weeks=3))
    ors = Instrument.objects.get(code="ORS")
    services.administer(guide, person, ors, on=timezone.localdate() - datetime.timedelta(weeks=2),
                        values={"individual": Decimal(3), "interpersonal": Decimal(4), "social": Decimal(3), "overall": Decimal(3)})
    page = tablet
    page.login("guide")
    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Målinger").click()
    page.get_by_role("region", name="ORS – hvordan har du det").get_by_role("link", name="Ny måling").click()
    page.get_by_role("button", name="Giv tabletten til borgeren").click()

    page.get_by_text("Sæt et mærke på hver linje").wait_for()
    page.wait_for_load_state()  # the lines count as marked once vas.js listens
    assert "Maja" not in page.content() and "Vang" not in page.content()
    assert page.get_by_text("Den grå streg under linjen er dit mærke fra sidst").is_visible()
    page.assert_accessible()
    for label, value in (("Mig selv", "6.5"), ("Familie og nære relationer", "7"), ("Arbejde, skole og venner", "5.2"),
                         ("Alt i alt", "6.8")):
        page.get_by_label(label).fill(value)
    page.screenshot_as("kiosk-ors")
    page.goto(f"/borgere/{person.pk}/")  # the citizen tries to leave the scale
    page.get_by_text("Sæt et mærke på hver linje").wait_for()
    page.wait_for_load_state()  # the lines count as marked once vas.js listens
    for label, value in (("Mig selv", "6.5"), ("Familie og nære relationer", "7"), ("Arbejde, skole og venner", "5.2"),
                         ("Alt i alt", "6.8")):
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Færdig").click()
    page.get_by_text("Tak!").wait_for()
    page.get_by_role("link", name="Medarbejder: tag tabletten tilbage").click()
    page.get_by_label("Din adgangskode").fill("test-password-123")
    page.get_by_role("button", name="Tilbage til medarbejdervisning").click()
    page.get_by_text("Målingen er gemt").wait_for()
    page.get_by_role("heading", name="ORS – hvordan har du det: Maja Vang").wait_for()
    latest = Administration.objects.filter(person=person).latest("pk")
    assert latest.total == Decimal("25.5") and latest.rater == "citizen"
    page.get_by_text("Bedret og over grænsen").wait_for()  # 13 → 25.5: reliable and across the cut-off
    page.assert_accessible()
    page.screenshot_as("ors-trajectory")


def test_citizen_can_decline_without_being_nagged(tablet, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team)
    courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=timezone.localdate())
    tablet.login("guide")
    tablet.goto(f"/maaling/borger/{person.pk}/SRS/ny/")
    tablet.get_by_role("button", name="Giv tabletten til borgeren").click()
    tablet.get_by_role("button", name="Jeg vil ikke svare i dag").click()
    tablet.get_by_text("Tak!").wait_for()
    assert Administration.objects.get().status == "declined"
