"""The overview cache: database triggers count changes per citizen, and a change shows on the next request."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, User
from traedesten.core import citizen_data
from traedesten.courses import bostotte, services as courses
from traedesten.courses.models import Activity, Course, Offer
from traedesten.overview import page as overview
from traedesten.overview.page import revisions
from traedesten.people.models import Person
from traedesten.people.revisions import trigger_names
from traedesten.plans import services as plans

START = datetime.date(2026, 1, 5)


def _about_a_citizen() -> set[str]:
    return {model._meta.label for model in apps.get_models()
            for f in model._meta.get_fields()
            if isinstance(f, (models.ForeignKey, models.OneToOneField)) and f.related_model is Person}


def test_every_model_about_a_citizen_declares_itself():
    """Each app tells, on its own models, whether the overview shows them (core.citizen_data)."""
    declared = citizen_data.about()
    unplaced = _about_a_citizen() - set(declared)
    assert not unplaced, f"decorate with core.citizen_data.about_citizen(...): {unplaced}"
    assert {label for label, d in declared.items() if d.citizen == "person"} <= _about_a_citizen()


def test_every_declared_free_text_field_exists():
    """Anonymisation blanks the declared fields: a name that is not a field would break it for every citizen."""
    missing = {label: set(d.free_text) - {f.name for f in apps.get_model(label)._meta.concrete_fields}
               for label, d in citizen_data.about().items()}
    assert not {label: names for label, names in missing.items() if names}


def test_every_trigger_is_in_place_after_migrating(db):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    assert trigger_names(connection.vendor) <= present


@pytest.fixture
def course(guide, make_person, team):
    person = make_person(guide, team=team)
    return courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=START)


def _activity(course, on=START, **extra):
    return Activity(person_id=course.person_id, course=course, kind="coaching", on=on, delivered_hours=Decimal(1),
                    **extra)


def test_inserts_updates_and_deletes_count_for_the_citizen(course):
    before = revisions(course.person_id)[0]
    activity = _activity(course)
    activity.save()
    after_insert = revisions(course.person_id)[0]
    Activity.objects.filter(pk=activity.pk).update(topic="Ny")
    after_update = revisions(course.person_id)[0]
    Activity.objects.filter(pk=activity.pk).delete()
    assert before < after_insert < after_update < revisions(course.person_id)[0]


def test_a_bulk_insert_counts_once_for_each_citizen(guide, course, make_person, team):
    other = courses.start_course(guide, make_person(guide, team=team), Offer.objects.get(name="Din Indgang – forløb"),
                                 start=START)
    before = revisions(course.person_id)[0], revisions(other.person_id)[0]
    Activity.objects.bulk_create([_activity(course), _activity(course), _activity(other)])
    after = revisions(course.person_id)[0], revisions(other.person_id)[0]
    assert after[0] > before[0] and after[1] > before[1]


def test_moving_rows_to_another_citizen_counts_for_both(guide, course, make_person, team):
    other = make_person(guide, team=team)
    _activity(course).save()
    before = revisions(course.person_id)[0], revisions(other.pk)[0]
    Activity.objects.filter(person_id=course.person_id).update(person=other)
    after = revisions(course.person_id)[0], revisions(other.pk)[0]
    assert after[0] > before[0] and after[1] > before[1]


def test_a_plan_version_counts_for_the_plans_citizen(guide, course):
    before = revisions(course.person_id)[0]
    plans.save_plan(guide, course.person, {"goals": [{"citizen_text": "Mål"}]}, expected_version=0)
    assert revisions(course.person_id)[0] > before


def test_reading_and_the_audit_trail_do_not_count(guide, course):
    before = revisions(course.person_id)
    list(Activity.objects.filter(person_id=course.person_id))
    audit.record(guide, AuditAction.VIEW, person=course.person, section="overview")
    assert revisions(course.person_id) == before


def test_names_shared_by_many_citizens_count_in_the_shared_revision(guide, team, course):
    before = revisions(course.person_id)[1]
    team.name = "Din Indgang Nord"
    team.save()
    renamed = revisions(course.person_id)[1]
    User.objects.filter(pk=guide.pk).update(last_login=timezone.now())
    assert revisions(course.person_id)[1] == renamed, "a login changes nothing shown"
    User.objects.filter(pk=guide.pk).update(first_name="Anne")
    assert before < renamed < revisions(course.person_id)[1]


def _overview(client, person) -> str:
    response = client.get(reverse("people:overview", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_shows_a_change_on_the_next_request(client, guide, team, course):
    client.force_login(guide)
    assert "Samtale om bolig" not in _overview(client, course.person)
    courses.record_activity(guide, course.person, kind="coaching", on=START, course=course, topic="Samtale om bolig",
                            delivered_hours=Decimal(1))
    assert "Samtale om bolig" in _overview(client, course.person)
    Activity.objects.filter(course=course).update(topic="Samtale om job")
    page = _overview(client, course.person)
    assert "Samtale om job" in page and "Samtale om bolig" not in page
    team.name = "Indgangen Nord"
    team.save()
    assert "Indgangen Nord" in _overview(client, course.person)


def test_a_citizens_name_changed_while_the_page_is_read_is_not_cached_under_the_new_revision(client, guide, course):
    client.force_login(guide)
    _overview(client, course.person)
    Person.objects.filter(pk=course.person_id).update(first_name="Birgitte")
    assert "Birgitte" in _overview(client, course.person)


def test_each_user_gets_their_own_copy(client, guide, make_user, course):
    from traedesten.accounts.roles import Role

    client.force_login(guide)
    assert "Registrér aktivitet" in _overview(client, course.person)
    coordinator = make_user(Role.VOLUNTEER_COORDINATOR, [course.person.caseload.get().team])
    other = Client()
    other.force_login(coordinator)
    assert "Registrér aktivitet" not in _overview(other, course.person), "the guide's copy must not be served"
    assert "Registrér aktivitet" in _overview(client, course.person)


def test_the_way_back_in_form_carries_the_requests_own_csrf_token(guide, course):
    closed = courses.close_course(guide, Course.objects.get(pk=course.pk), closed_on=START, destination="no_further_help",
                                  expected_version=course.version)
    closed.offer = Offer.objects.get(name="Bostøtte (§85)")
    Course.objects.filter(pk=closed.pk).update(offer=closed.offer, hours_package="6-20")
    for _ in range(2):  # the second browser gets the first one's cached body
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(guide)
        page = _overview(browser, course.person)
        token = page.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
        response = browser.post(reverse("courses:reenter", args=[closed.pk]), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        Course.objects.filter(person=course.person, status="active").delete()


def test_a_body_expires_when_the_booked_meeting_is_no_longer_ahead():
    now = timezone.now()

    class Meeting:
        next_meeting = now + datetime.timedelta(minutes=10)

    assert overview.max_age({"upcoming": Meeting()}, now) == 600
    assert overview.max_age({"upcoming": None}, now) == overview.MAX_AGE
    Meeting.next_meeting = now - datetime.timedelta(minutes=1)
    assert overview.max_age({"upcoming": Meeting()}, now) == 0


def test_bostotte_reentry_from_the_overview_shows_the_new_episode(client, guide, make_person, team):
    person = make_person(guide, team=team)
    episode = courses.start_course(guide, person, Offer.objects.get(name="Bostøtte (§85)"), start=START,
                                   hours_package="6-20")
    client.force_login(guide)
    closed = courses.close_course(guide, episode, closed_on=datetime.date(2026, 6, 1), destination="no_further_help",
                                  expected_version=episode.version)
    assert "Tilbage i bostøtte" in _overview(client, person)
    bostotte.reenter(guide, closed, on=datetime.date(2026, 8, 3))
    assert "Tilbage i bostøtte" not in _overview(client, person)
