import datetime

import pytest
from django.db import IntegrityError, transaction

from traedesten.accounts.models import AuditEvent, CaseloadAssignment
from traedesten.core.locking import VersionConflict
from traedesten.people import services
from traedesten.people.models import NetworkPerson, Person
from traedesten.usecases.people import search


def test_create_derives_birth_date_and_sex_from_cpr(guide, team):
    person = services.create_person(guide, {"first_name": "Ole", "last_name": "Jensen", "cpr": "010165-1235"})
    assert person.cpr == "0101651235"
    assert person.birth_date == datetime.date(1965, 1, 1)
    assert person.sex == "male"
    assert CaseloadAssignment.objects.filter(person=person, team=team, worker=guide).exists()
    event = AuditEvent.objects.get(person_id=person.pk, action="create")
    assert event.user == guide and "cpr" in event.fields


def test_duplicate_cpr_is_refused_and_names_the_existing_person(guide):
    first = services.create_person(guide, {"first_name": "Ole", "last_name": "Jensen", "cpr": "0101651235"})
    with pytest.raises(services.DuplicatePerson) as err:
        services.create_person(guide, {"first_name": "Anden", "last_name": "Person", "cpr": "010165-1235"})
    assert err.value.existing == first
    assert Person.objects.count() == 1


def test_similar_name_and_same_birth_date_asks_for_confirmation(guide):
    services.create_person(guide, {"first_name": "Søren", "last_name": "Kjærgård", "birth_date": datetime.date(1980, 5, 4)})
    with pytest.raises(services.PossibleDuplicates):
        services.create_person(guide, {"first_name": "Soren", "last_name": "Kjaergaard", "birth_date": datetime.date(1980, 5, 4)})
    # A different birth date is not a duplicate.
    services.create_person(guide, {"first_name": "Soren", "last_name": "Kjaergaard", "birth_date": datetime.date(1981, 5, 4)})
    # Confirming creates it.
    services.create_person(guide, {"first_name": "Soren", "last_name": "Kjaergaard", "birth_date": datetime.date(1980, 5, 4)},
                           confirm_similar=True)
    assert Person.objects.count() == 3


def test_pseudonymous_label_and_identification(guide):
    person = services.create_pseudonymous(guide, sex="male", approx_age=31)
    assert person.display_name == "Anonym, mand, ca. 30 år"
    person = services.update_person(guide, person, {"first_name": "Kim", "last_name": "Larsen", "cpr": "0202901233"},
                                    expected_version=person.version)
    assert not person.is_pseudonymous
    assert person.display_name == "Kim Larsen"
    assert person.birth_date == datetime.date(1990, 2, 2)


def test_merge_moves_network_and_caseload_and_keeps_a_tombstone(guide, other_team):
    anon = services.create_pseudonymous(guide, sex="female", approx_age=40)
    services.add_network_person(guide, anon, {"name": "Bo Nielsen", "relation": "friend"})
    CaseloadAssignment.objects.create(person=anon, team=other_team)
    known = services.create_person(guide, {"first_name": "Lise", "last_name": "Berg", "cpr": "0303861234"})
    services.merge_persons(guide, source=anon, target=known)
    anon.refresh_from_db()
    assert anon.merged_into == known
    assert NetworkPerson.objects.get().person == known
    assert set(known.caseload.values_list("team__name", flat=True)) == {"Din Indgang", "Bostøtte Syd"}
    assert AuditEvent.objects.filter(action="merge").count() == 2


def test_stale_version_is_a_conflict_not_an_overwrite(guide):
    person = services.create_person(guide, {"first_name": "Ida", "last_name": "Holm"})
    services.update_person(guide, person, {"phone": "22334455"}, expected_version=1)
    with pytest.raises(VersionConflict) as err:
        services.update_person(guide, person, {"phone": "99887766"}, expected_version=1)
    assert err.value.current.phone == "22334455"
    person.refresh_from_db()
    assert person.phone == "22334455" and person.version == 2


def test_database_refuses_unnamed_identified_person(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(first_name="", last_name="", is_pseudonymous=False)


def test_search_by_name_phone_and_cpr_only_within_rules(guide, make_user, other_team, make_person, team):
    mine = make_person(guide, team=team, first_name="Jonas", last_name="Vestergaard", phone="40112233", cpr="0505751235")
    outsider = make_user("guide", [other_team])
    theirs = make_person(outsider, team=other_team, first_name="Jonas", last_name="Vestergaard-Møller")
    hits = search(guide, text="jonas vest")
    assert {(h.person, h.on_caseload) for h in hits} == {(mine, True), (theirs, False)}
    assert [h.person for h in search(guide, text="4011 2233")] == [mine]
    assert [h.person for h in search(guide, text="40112233")] == [mine]
    assert [h.person for h in search(guide, cpr="050575-1235")] == [mine]
    assert AuditEvent.objects.filter(user=guide, action="search").count() >= 3


def test_identifying_a_pseudonym_as_a_known_citizen_offers_a_merge(client, guide, make_person, team):
    known = make_person(guide, team=team, first_name="Per", last_name="Holm", cpr="0606661235")
    anon = services.create_pseudonymous(guide, sex="male", approx_age=60)
    services.add_network_person(guide, anon, {"name": "Søster Holm", "relation": "sibling"})
    client.force_login(guide)
    page = client.post(f"/borgere/{anon.pk}/ret/", {"first_name": "Per", "last_name": "Holm", "cpr": "060666-1235",
                                                    "sex": "male", "contact_wish": "none", "version": anon.version})
    body = page.content.decode()
    assert "Der findes allerede en borger med dette CPR-nummer" in body
    assert f"/borgere/{anon.pk}/saml/{known.pk}/" in body
    response = client.post(f"/borgere/{anon.pk}/saml/{known.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/borgere/{known.pk}/"
    assert known.network.get().name == "Søster Holm"
    assert client.get(f"/borgere/{anon.pk}/").status_code == 302


def test_only_pseudonymous_records_can_be_merged_from_the_page(client, guide, make_person, team):
    a = make_person(guide, team=team, first_name="A", last_name="A")
    b = make_person(guide, team=team, first_name="B", last_name="B")
    client.force_login(guide)
    assert client.post(f"/borgere/{a.pk}/saml/{b.pk}/").status_code == 403
