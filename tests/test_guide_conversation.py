import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from traedesten.accounts.models import Background
from traedesten.accounts.roles import Role
from traedesten.courses.models import Activity, Course, Offer, StaffTime
from traedesten.frontdoor import services
from traedesten.frontdoor.models import AdHocTopic, GuideConversation, PartnerOrganisation
from traedesten.people.models import Person

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.AUTHORITY, [team], username="raadgiver", background=Background.AUTHORITY)


def _slip(**extra):
    data = {"slip-first_name": "Karin", "slip-last_name": "Møller", "slip-cpr": "", "slip-address": "Vestergade 3",
            "slip-postal_code": "7000", "slip-city": "Fredericia", "slip-phone": "20304050",
            "slip-email": "karin@example.dk", "slip-contact_wish": "sms"}
    return data | extra


def _talk(**extra):
    data = {"on": TODAY.isoformat(), "location": "front_door", "hours": "1", "outcome": "course_started",
            "offer": Offer.objects.get(name="Din Indgang – forløb").pk, "bring_person": "Søster",
            "next_meeting": "2031-11-16T10:00"}
    return data | extra


def test_walk_in_to_guide_conversation_starts_the_course_with_two_staff(client, guide, colleague):
    contact = services.register_contact(guide, origin="citizen", channel="walk_in", reason="Ensom")
    services.route(guide, contact, "guide_conversation")
    client.force_login(guide)
    desk = client.get(reverse("frontdoor:desk")).content.decode()
    assert "Start guidesamtale" in desk
    url = reverse("frontdoor:guide_conversation") + f"?henvendelse={contact.pk}"
    response = client.post(url, _slip() | _talk(staff_2=colleague.pk))
    person = Person.objects.get(first_name="Karin")
    assert response.status_code == 302 and response.url == reverse("people:overview", args=[person.pk])
    conversation = GuideConversation.objects.get()
    assert (conversation.staff_1_background, conversation.staff_2_background) == ("provider", "authority")
    assert conversation.course.offer.name == "Din Indgang – forløb" and conversation.course.start == TODAY
    assert conversation.activity.course == conversation.course
    assert {s.user_id: s.hours for s in StaffTime.objects.all()} == {guide.pk: Decimal(1), colleague.pk: Decimal(1)}
    assert (person.contact_wish, person.postal_code) == ("sms", "7000")
    contact.refresh_from_db()
    assert contact.handled and contact.person == person
    assert "Start guidesamtale" not in client.get(reverse("frontdoor:desk")).content.decode()
    overview = client.get(reverse("people:overview", args=[person.pk])).content.decode()
    assert "Næste møde" in overview and "tager Søster med" in overview


def test_the_entry_slip_updates_a_known_citizen(client, guide, make_person, team):
    person = make_person(guide, team=team, first_name="Per", last_name="Lund")
    client.force_login(guide)
    url = reverse("frontdoor:guide_conversation") + f"?borger={person.pk}"
    page = client.get(url).content.decode()
    assert 'value="Per"' in page
    data = _slip(**{"slip-first_name": "Per", "slip-last_name": "Lund", "slip-version": person.version})
    client.post(url, data | _talk(outcome="sent_home"))
    person.refresh_from_db()
    assert (person.address, person.email) == ("Vestergade 3", "karin@example.dk")
    assert not Course.objects.exists()
    assert GuideConversation.objects.get().outcome == "sent_home"


def test_nothing_is_saved_when_the_course_cannot_start(client, guide, make_person, team):
    client.force_login(guide)
    url = reverse("frontdoor:guide_conversation")
    page = client.post(url, _slip() | _talk(outcome="course_started", offer="")).content.decode()
    assert "Vælg hvilket forløb" in page
    page = client.post(url, _slip(**{"slip-cpr": "3213"}) | _talk()).content.decode()
    assert "CPR" in page
    assert not Person.objects.exists() and not Activity.objects.exists()


def test_a_known_cpr_points_to_the_existing_registration(client, guide, make_person, team):
    person = make_person(guide, team=team, cpr="0102031234")
    client.force_login(guide)
    page = client.post(reverse("frontdoor:guide_conversation"), _slip(**{"slip-cpr": "010203-1234"}) | _talk())
    assert f"?borger={person.pk}" in page.content.decode()
    assert Person.objects.count() == 1 and not GuideConversation.objects.exists()
    assert "0102031234" not in page.content.decode().split("CPR-nummeret tilhører")[1][:200]


def test_soft_cap_on_offers_asks_for_a_reason(client, guide, make_person, team):
    person = make_person(guide, team=team)
    from traedesten.courses import services as courses
    for name in ("Individuelt §82b-forløb (6 måneder)", "Akut rådgivning (§82c)", "Opsøgende SKP (§99)"):
        courses.start_course(guide, person, Offer.objects.get(name=name), start=TODAY)
    client.force_login(guide)
    url = reverse("frontdoor:guide_conversation") + f"?borger={person.pk}"
    data = _slip(**{"slip-first_name": person.first_name, "slip-last_name": person.last_name,
                    "slip-version": person.version})
    page = client.post(url, data | _talk()).content.decode()
    assert "loftet er 3" in page and not GuideConversation.objects.exists()
    client.post(url, data | _talk(cap_reason_text="Borgeren har brug for et samlet forløb"))
    assert GuideConversation.objects.get().course.cap_override_reason == "Borgeren har brug for et samlet forløb"


def test_next_meeting_before_the_conversation_is_refused(guide, make_person, team):
    person = make_person(guide, team=team)
    with pytest.raises(ValidationError, match="Næste møde"):
        services.hold_guide_conversation(guide, person=person, on=TODAY, location="phone", outcome="ad_hoc_only",
                                         hours=Decimal(1), next_meeting=datetime.datetime(2026, 10, 1, 10, tzinfo=datetime.UTC))


def test_ad_hoc_help_for_an_anonymous_walk_in(client, guide):
    contact = services.register_contact(guide, origin="citizen", channel="walk_in", reason="Brev")
    services.route(guide, contact, "ad_hoc")
    client.force_login(guide)
    topic = AdHocTopic.objects.get(name="Forstå et brev")
    url = reverse("frontdoor:ad_hoc") + f"?henvendelse={contact.pk}"
    page = client.post(url, {"hours": "0.5", "on": TODAY.isoformat(), "anon-sex": "female", "anon-approx_age": "40"})
    assert "Vælg hvad borgeren fik hjælp til" in page.content.decode() and not Person.objects.exists()
    response = client.post(url, {"topic": topic.pk, "hours": "0.5", "on": TODAY.isoformat(), "anon-sex": "female",
                                 "anon-approx_age": "40"})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.kind, activity.topic, activity.delivered_hours) == ("ad_hoc", "Forstå et brev", Decimal("0.5"))
    assert activity.person.is_pseudonymous and activity.staff_time.get().user == guide
    contact.refresh_from_db()
    assert contact.handled and contact.person == activity.person


def test_home_visit_request_registered_with_its_assessment(client, guide, make_person, team):
    person = make_person(guide, team=team)
    contact = services.register_contact(guide, origin="partner", channel="phone", person=person, outcome="home_visit",
                                        partner=PartnerOrganisation.objects.get(name="Jobcenter"))
    client.force_login(guide)
    url = reverse("courses:activity", args=[person.pk]) + f"?type=home_visit&henvendelse={contact.pk}"
    base = {"kind": "home_visit", "on": TODAY.isoformat(), "attendance": "attended", "channel": "home",
            "delivered_hours": "1.5"}
    page = client.post(url, base).content.decode()
    assert "Vælg vurderingen" in page and not Activity.objects.exists()
    client.post(url, base | {"outcome": "course_offered"})
    activity = Activity.objects.get()
    assert (activity.kind, activity.outcome, activity.channel) == ("home_visit", "course_offered", "home")
    contact.refresh_from_db()
    assert contact.handled


def test_the_same_name_without_cpr_asks_before_creating_a_second_citizen(client, guide, make_person, team):
    make_person(guide, team=team, first_name="Laust", last_name="Paulsen")
    client.force_login(guide)
    data = _slip(**{"slip-first_name": "Laust", "slip-last_name": "Paulsen"}) | _talk(outcome="sent_home")
    page = client.post(reverse("frontdoor:guide_conversation"), data).content.decode()
    assert "lignende navn" in page and Person.objects.filter(first_name="Laust").count() == 1
    client.post(reverse("frontdoor:guide_conversation"), data | {"slip-confirm_similar": "True"})
    assert Person.objects.filter(first_name="Laust").count() == 2
