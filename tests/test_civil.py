import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from traedesten.accounts.models import CaseloadAssignment
from traedesten.accounts.recusals import recuse
from traedesten.accounts.roles import Role
from traedesten.civil import services
from traedesten.civil.models import Escort, LocalOffer, Match, Volunteer
from traedesten.gate import Section, Tool, clearance, may_use, persons_reached
from traedesten.gate.policy import may_open_group
from traedesten.usecases.courses import continue_group
from traedesten.usecases.people import search

CSV = """navn;type;arrangør;hvornår;sted;postnummer;kontakt;målgruppe;interesser;ledige_pladser
Gåklubben;Forening;DGI Fredericia;Tirsdage 10-12;Madsby Park;7000;Jonna 20202020;Alle;walks sport;6
Strikkecaféen;Frivilligt tilbud;Røde Kors;Torsdage 14-16;Kirkens hus;7000;;Voksne;creative talk;
"""


@pytest.fixture
def directory(db):
    result = services.import_offers(CSV.encode())
    assert (result.created, result.updated, result.errors) == (2, 0, [])
    return {o.name: o for o in LocalOffer.objects.all()}


@pytest.fixture
def coordinator(make_user, team):
    return make_user(Role.VOLUNTEER_COORDINATOR, [team], username="koordinator")


@pytest.fixture
def volunteer_user(make_user):
    user = make_user(Role.VOLUNTEER, username="frivillig")
    Volunteer.objects.create(user=user, name="Birthe Frivillig", interests=["walks"], postal_code="7000",
                             availability="Hverdage formiddag", agreement_on=datetime.date(2026, 1, 1))
    return user


def test_import_updates_by_name_and_organiser_and_refuses_bad_rows(directory):
    again = services.import_offers(CSV.replace(";6\n", ";2\n").encode())
    assert (again.created, again.updated) == (0, 2) and LocalOffer.objects.get(name="Gåklubben").free_seats == 2
    bad = services.import_offers("navn;type;arrangør;interesser\nX;Café;Nogen;\nY;Forening;Z;flying\n".encode())
    assert len(bad.errors) == 2 and "Linje 2" in bad.errors[0] and "flying" in bad.errors[1]
    assert not LocalOffer.objects.filter(name__in=["X", "Y"]).exists()
    with pytest.raises(ValidationError, match="kolonnerne"):
        services.import_offers(b"name,kind\nA,B\n")
    with pytest.raises(ValidationError, match="UTF-8"):
        services.import_offers(b"\xff\xfe\x00n\x00a")
    with pytest.raises(ValidationError, match="for stor"):
        services.import_offers(b"navn;type;arr\xc3\xb8ng\xc3\xb8r\n" + b"x;y;z\n" * 200_000)


def test_directory_search_and_filters(directory):
    assert [o.name for o in services.search_offers(interest="creative")] == ["Strikkecaféen"]
    assert [o.name for o in services.search_offers(text="dgi")] == ["Gåklubben"]
    LocalOffer.objects.filter(name="Gåklubben").update(free_seats=0)
    assert [o.name for o in services.search_offers(free_only=True)] == ["Strikkecaféen"]


def test_suggestions_rank_by_interest_and_area_and_skip_recused_volunteers(guide, make_person, team, directory,
                                                                          volunteer_user, make_user):
    person = make_person(guide, team=team, postal_code="7000")
    assert [o.name for o in services.suggest_offers(["walks"], "7000")] == ["Gåklubben"]
    assert [v.name for v in services.suggest_volunteers(person, ["walks"], "7000")] == ["Birthe Frivillig"]
    recuse(guide, volunteer_user, person, "Nabo til borgeren")
    assert services.suggest_volunteers(person, ["walks"], "7000") == []
    with pytest.raises(ValidationError, match="inhabil"):
        services.make_match(guide, person, offer=None, volunteer=volunteer_user.volunteer,
                            meet_at=timezone.now(), meet_place="Torvet")


def test_a_volunteer_without_a_required_record_check_is_not_suggested(guide, make_person, team):
    person = make_person(guide, team=team)
    Volunteer.objects.create(name="Uden attest", interests=["walks"], record_check_required=True)
    Volunteer.objects.create(name="Med attest", interests=["walks"], record_check_required=True,
                             record_check_on=timezone.localdate())
    assert [v.name for v in services.suggest_volunteers(person, ["walks"])] == ["Med attest"]


def test_recused_worker_cannot_open_or_find_the_citizen(guide, make_user, make_person, team):
    colleague = make_user(Role.GUIDE, [team])
    person = make_person(guide, team=team, first_name="Inhabil", last_name="Borger")
    assert Section.IDENTITY in clearance(colleague, person).readable
    recuse(guide, colleague, person, "Familie")
    assert not clearance(colleague, person).readable and not clearance(colleague, person).by_reason
    assert person not in persons_reached(colleague)
    assert search(colleague, text="Inhabil") == []


def test_match_with_escort_seen_by_the_volunteer_as_first_name_only(client, guide, make_person, team, directory,
                                                                    volunteer_user, coordinator):
    person = make_person(guide, team=team, first_name="Karen", last_name="Hemmelig", cpr="0101901234")
    CaseloadAssignment.objects.create(person=person, team=coordinator.teams.get())
    client.force_login(coordinator)
    url = reverse("civil:citizen", args=[person.pk])
    assert "Gåklubben" in client.get(url, {"interests": ["walks"], "postal_code": "7000"}).content.decode()
    meet = (timezone.localtime() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    client.post(url, {"offer": directory["Gåklubben"].pk, "volunteer": volunteer_user.volunteer.pk,
                      "meet_at": meet.strftime("%Y-%m-%dT%H:%M"), "meet_place": "Ved biblioteket",
                      "task": "Gå med til første gåtur"})
    escort = Escort.objects.get()
    assert escort.match.offer.name == "Gåklubben" and LocalOffer.objects.get(name="Gåklubben").free_seats == 5
    client.force_login(volunteer_user)
    page = client.get(reverse("civil:volunteer_home")).content.decode()
    assert "Karen" in page and "Ved biblioteket" in page
    assert "Hemmelig" not in page and "0101901234" not in page and "010190" not in page
    assert client.get(reverse("people:overview", args=[person.pk])).status_code == 403
    assert client.get(reverse("plans:plan", args=[person.pk])).status_code == 403
    assert client.get(reverse("measures:person", args=[person.pk])).status_code == 403
    client.post(reverse("civil:follow_up", args=[escort.pk]), {"arrived": "yes"})
    escort.refresh_from_db()
    assert escort.arrived is True and escort.match.status == "started"


def test_peer_worker_sees_only_assigned_citizens_without_cpr(client, guide, make_user, make_person, team):
    peer = make_user(Role.PEER, [team])
    assigned = make_person(guide, team=team, cpr="0101901234", first_name="Tildelt")
    other = make_person(guide, team=team, first_name="Andet")
    CaseloadAssignment.objects.create(person=assigned, team=team, worker=peer)
    client.force_login(peer)
    page = client.get(reverse("people:overview", args=[assigned.pk])).content.decode()
    assert "Tildelt" in page and "010190" not in page
    assert client.get(reverse("people:overview", args=[other.pk])).status_code == 403


def test_closing_to_civil_society_puts_the_kickoff_on_the_coordinators_list(client, guide, make_person, team, coordinator):
    from traedesten.courses import services as courses
    from traedesten.courses.models import Offer

    person = make_person(guide, team=team)
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=datetime.date(2026, 1, 5))
    client.force_login(guide)
    kickoff = timezone.localdate() + datetime.timedelta(days=3)
    client.post(reverse("courses:close", args=[course.pk]), {"closed_on": timezone.localdate().isoformat(),
                "destination": "civil_society", "kickoff_on": kickoff.isoformat(), "version": course.version,
                "shadow-confidence": "medium", "ending-what_helped": "Fællesskabet"})
    match = Match.objects.get(person=person)
    assert (match.kickoff_on, match.status) == (kickoff, "proposed")
    client.force_login(coordinator)
    assert person.display_name in client.get(reverse("civil:coordinator")).content.decode()


def test_a_group_continues_run_by_volunteers(guide, make_person, team, volunteer_user):
    from decimal import Decimal

    from traedesten.courses import groups
    from traedesten.courses.models import Offer

    group = groups.create_group(guide, Offer.objects.get(name="Gruppeforløb"), theme="Gåture", start=datetime.date(2026, 1, 5),
                                planned_sessions=8, session_hours=Decimal(2), facilitators=[guide])
    people = [make_person(guide, team=team) for _ in range(3)]
    for p in people:
        groups.enrol(guide, group, p)
    follow_on = continue_group(guide, group, start=datetime.date(2026, 3, 2), volunteers=[volunteer_user.volunteer],
                                        person_ids=[people[0].pk, people[1].pk])
    assert follow_on.continues_from == group and list(follow_on.facilitators.all()) == [volunteer_user]
    assert set(follow_on.enrolments.values_list("person_id", flat=True)) == {people[0].pk, people[1].pk}
    assert may_open_group(volunteer_user, follow_on) and not may_open_group(volunteer_user, group)
    assert may_use(volunteer_user, Tool.GROUPS)


def test_network_map_links_plan_and_meetings(client, guide, make_person, team):
    from traedesten.people.services import add_network_person
    from traedesten.plans import services as plans

    person = make_person(guide, team=team)
    add_network_person(guide, person, {"name": "Lene", "relation": "sibling", "closeness": 1})
    add_network_person(guide, person, {"name": "Dr. Holm", "relation": "professional", "closeness": 3})
    plans.save_plan(guide, person, {"goals": [{"citizen_text": "Ud af huset", "actions": [
        {"text": "Gåtur", "responsible": "relative", "responsible_name": "Lene"}]}]}, expected_version=0)
    client.force_login(guide)
    page = client.get(reverse("people:network_map", args=[person.pk])).content.decode()
    assert "<svg" in page and "ansvarlig for en handling" in page and "Dr. Holm" in page


def test_suggestions_respect_when_the_citizen_can(guide, make_person, team):
    person = make_person(guide, team=team)
    LocalOffer.objects.create(name="Morgengåtur", kind="association", organiser="A", interests=["walks"],
                              slots=["weekday_morning"])
    LocalOffer.objects.create(name="Aftengåtur", kind="association", organiser="B", interests=["walks"], slots=["evening"])
    Volunteer.objects.create(name="Dagfrivillig", interests=["walks"], slots=["weekday_morning"])
    Volunteer.objects.create(name="Aftenfrivillig", interests=["walks"], slots=["evening"])
    assert [o.name for o in services.suggest_offers(["walks"], slots=["evening"])] == ["Aftengåtur"]
    assert [v.name for v in services.suggest_volunteers(person, ["walks"], slots=["evening"])] == ["Aftenfrivillig"]
    bad = services.import_offers("navn;type;arrangør;tidspunkter\nX;Forening;Y;midnight\n".encode())
    assert "midnight" in bad.errors[0]
