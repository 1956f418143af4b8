"""GDPR: the right of access, the rectification log and the retention policy."""

import datetime
import json

from django.core.management import call_command
from django.urls import reverse

from traedesten.accounts.models import AuditEvent
from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Course, Offer
from traedesten.frontdoor.models import Contact
from traedesten.people import services as people
from traedesten.people.gdpr import run_retention, subject_access
from traedesten.people.models import Person, Rectification
from traedesten.plans.services import save_plan

TODAY = datetime.date(2026, 11, 24)


def test_subject_access_holds_everything_and_who_looked(client, guide, make_user, make_person, team):
    person = make_person(guide, team=team, first_name="Inge", last_name="Indsigt", cpr="1010901233")
    people.add_network_person(guide, person, {"name": "Søster Sørensen", "relation": "sibling"})
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=TODAY)
    courses.record_activity(guide, person, kind="coaching", on=TODAY, course=course)
    save_plan(guide, person, {"reason": "Min egen historie", "goals": [{"citizen_text": "Arbejde"}]}, expected_version=0)
    client.force_login(guide)
    client.get(reverse("people:overview", args=[person.pk]))
    data = subject_access(person)
    text = json.dumps(data, default=str, ensure_ascii=False)
    for expected in ("Inge", "1010901233", "Søster Sørensen", "Min egen historie", "coaching"):
        assert expected in text, expected
    assert any(k.startswith("plans.planversion") for k in data)  # a child of the plan
    assert any(e["user"] == guide.get_full_name() and e["section"] == "overview" for e in data["who_has_looked"])
    manager = make_user(Role.MANAGER, [team])
    client.force_login(manager)
    url = reverse("accounts:subject_access", args=[person.pk])
    assert "Begrundelse" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Borgeren har bedt om indsigt (art. 15)"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "1010901233" not in response["Content-Disposition"]
    assert AuditEvent.objects.filter(user=manager, section="subject_access", action="export", flagged=True).exists()
    client.force_login(guide)
    assert client.get(url).status_code == 403 and client.post(url, {"reason": "x" * 20}).status_code == 403


def test_every_correction_is_logged_with_old_and_new_value(guide, make_person, team):
    person = make_person(guide, team=team, first_name="Jens", last_name="Fejl", phone="11111111")
    people.update_person(guide, person, {"last_name": "Rettet", "phone": "22222222"}, expected_version=person.version)
    log = {r.field: (r.old_value, r.new_value, r.by) for r in Rectification.objects.filter(person=person)}
    assert log == {"last_name": ("Fejl", "Rettet", guide), "phone": ("11111111", "22222222", guide)}
    assert "Fejl" in json.dumps(subject_access(person), default=str)


def test_retention_is_a_dry_run_until_applied(guide, make_person, team):
    old = make_person(guide, team=team, first_name="Gammel", last_name="Sag", cpr="0707771237")
    recent = make_person(guide, team=team, first_name="Ny", last_name="Sag")
    offer = Offer.objects.get(name="Din Indgang – forløb")
    long_ago = TODAY.replace(year=TODAY.year - 7)
    course = courses.start_course(guide, old, offer, start=long_ago)
    courses.record_activity(guide, old, kind="coaching", on=long_ago, course=course)
    courses.close_course(guide, course, closed_on=long_ago + datetime.timedelta(days=60), destination="no_further_help",
                         expected_version=course.version)
    save_plan(guide, old, {"reason": "Gammel historie"}, expected_version=0)
    from traedesten.people.models import DataRequest

    DataRequest.objects.create(person=old, kind="rectification", text="Gammel anmodning", status="done",
                               answer="Gammelt svar", due_on=long_ago)
    Person.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC))
    courses.start_course(guide, recent, offer, start=TODAY)
    Contact.objects.create(origin="citizen", channel="phone", at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Contact.objects.create(origin="citizen", channel="phone")
    Contact.objects.create(origin="citizen", channel="phone", person=old, reason="Gammel grund",
                           at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC))

    dry = {r.rule: r.count for r in run_retention(apply=False, today=TODAY)}
    assert dry == {"closed_cases": 1, "anonymous_contacts": 1}
    assert Person.objects.get(pk=old.pk).cpr == "0707771237" and Contact.objects.count() == 3
    assert "Gammel anmodning" in json.dumps(subject_access(old), default=str)  # in the export until anonymised

    call_command("retention", "--apply")
    gone = Person.objects.get(pk=old.pk)
    assert (gone.cpr, gone.first_name, gone.last_name, gone.is_pseudonymous) == (None, "", "", True)
    assert Course.objects.filter(person=gone).count() == 1 and gone.activities.count() == 1  # statistics stay
    left = json.dumps(subject_access(gone), default=str)
    assert "Gammel historie" not in left and "Gammel anmodning" not in left and "Gammelt svar" not in left
    assert Person.objects.get(pk=recent.pk).first_name == "Ny" and Contact.objects.count() == 2
    assert Contact.objects.get(person=gone).reason == ""  # each app's declared free text is blanked
    assert AuditEvent.objects.filter(person_id=old.pk, section="retention").exists()


def test_sensitive_target_groups_are_shown_only_where_the_grant_is_decided(client, make_user, make_person, team):
    """Purpose limitation: the FFB target group (e.g. abuse) is used on the grant and in statistics, not elsewhere."""
    from conftest import goal_input, grant_kwargs
    from traedesten.accounts.models import CaseloadAssignment, Department, Team
    from traedesten.authority import ffb, grants

    authority_team = Team.objects.create(name="Myndighed", department=Department.objects.get(code="authority"))
    caseworker = make_user(Role.AUTHORITY, [authority_team])
    guide = make_user(Role.GUIDE, [team])
    person = make_person(guide, team=team)
    CaseloadAssignment.objects.create(person=person, team=authority_team, worker=caseworker)
    abuse = ffb.code_named(ffb.target_groups(), "Alkoholmisbrug")
    grant = grants.create_grant(caseworker, person, goals=[goal_input()], **grant_kwargs(target_groups=[abuse]))
    for user in (guide, caseworker):
        client.force_login(user)
        for url in (reverse("people:overview", args=[person.pk]), reverse("plans:plan", args=[person.pk]),
                    f"/api/v1/people/{person.pk}", f"/api/v1/people/{person.pk}/courses"):
            assert "Alkoholmisbrug" not in client.get(url).content.decode(), url
    client.force_login(caseworker)
    assert "Alkoholmisbrug" in client.get(reverse("authority:grant", args=[grant.pk])).content.decode()


def test_every_declared_free_text_and_retention_field_exists(db):
    from django.apps import apps

    from traedesten.core import citizen_data

    for label, declared in citizen_data.about().items():
        model = apps.get_model(label)
        for name in [*declared.free_text, *filter(None, [declared.dated_by])]:
            model._meta.get_field(name)
        if declared.citizen:
            model.objects.filter(**{declared.citizen: None}).exists()  # the path resolves
