import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from conftest import login_verified
from traedesten.accounts.models import AuditEvent, OutsideAccess
from traedesten.accounts.roles import Role
from traedesten.gate import grant_outside_access


def test_viewing_a_citizen_writes_who_what_when(client, guide, make_person, team):
    person = make_person(guide, team=team)
    client.force_login(guide)
    client.get(reverse("people:overview", args=[person.pk]))
    event = AuditEvent.objects.filter(person_id=person.pk, action="view").latest("at")
    assert event.user == guide
    assert event.section == "overview"
    assert "network" in event.fields
    assert event.at is not None


def test_audit_events_are_append_only_in_the_model(guide, make_person, team):
    person = make_person(guide, team=team)
    event = AuditEvent.objects.filter(person_id=person.pk).first()
    event.reason = "rettet"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_database_refuses_to_change_audit_events(guide, make_person, team):
    make_person(guide, team=team)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().update(reason="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL traedesten.audit_truncate = 'deny'")  # the test run allows it for its own flushes
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks in the way of the TRUNCATE
        cursor.execute("TRUNCATE accounts_auditevent")
    assert AuditEvent.objects.exists()


def test_who_has_looked_page_lists_readers(client, guide, make_user, make_person, team):
    person = make_person(guide, team=team, first_name="Aase", last_name="Kirk")
    client.force_login(guide)
    client.get(reverse("people:overview", args=[person.pk]))
    manager = make_user(Role.MANAGER, [team], first_name="Lene", last_name="Leder")
    client.force_login(manager)
    url = reverse("accounts:person_audit", args=[person.pk])
    form = client.get(url).content.decode()
    assert "Begrundelse" in form and "Test guide" not in form  # a manager states a reason first
    assert "mindst 10 tegn" in client.post(url, {"reason": "kort"}).content.decode()
    page = client.post(url, {"reason": "Borgeren har bedt om at se loggen"}).content.decode()
    assert "Test guide" in page and "Læst" in page and "Oprettet" in page
    flag = OutsideAccess.objects.get(user=manager, person=person)
    assert flag.kind == "access_log" and "bedt om" in flag.reason
    assert AuditEvent.objects.filter(user=manager, person_id=person.pk, section="access_log", flagged=True).exists()


def test_the_data_protection_officer_opens_the_log_without_a_reason_but_is_flagged(client, guide, make_user,
                                                                                   make_person, team):
    person = make_person(guide, team=team)
    dpo = make_user(Role.DPO)
    login_verified(client, dpo)
    page = client.post(reverse("accounts:person_audit", args=[person.pk]), {}).content.decode()
    assert "Test guide" in page
    assert OutsideAccess.objects.filter(user=dpo, person=person, kind="access_log", reviewed_at__isnull=True).exists()
    assert client.get(reverse("people:overview", args=[person.pk])).status_code == 403  # the office is not a caseload


def test_nobody_reviews_their_own_flag(client, guide, make_user, make_person, team):
    person = make_person(guide, team=team)
    manager, other_manager = make_user(Role.MANAGER, [team]), make_user(Role.MANAGER, [team])
    client.force_login(manager)
    client.post(reverse("accounts:person_audit", args=[person.pk]), {"reason": "Klage over sagsbehandlingen"})
    flag = OutsideAccess.objects.get(user=manager)
    page = client.get(reverse("accounts:flagged")).content.decode()
    assert "Dit eget opslag" in page
    client.post(reverse("accounts:review_access", args=[flag.pk]))
    assert OutsideAccess.objects.get(pk=flag.pk).reviewed_at is None
    client.force_login(other_manager)
    client.post(reverse("accounts:review_access", args=[flag.pk]))
    assert OutsideAccess.objects.get(pk=flag.pk).reviewed_by == other_manager


def test_dpo_export_has_person_ids_and_never_cpr(client, guide, make_user, make_person, team):
    person = make_person(guide, team=team, first_name="Bent", last_name="Fog", cpr="0808881235")
    client.force_login(guide)
    client.get(reverse("people:overview", args=[person.pk]))
    admin = make_user(Role.DPO)
    login_verified(client, admin)
    form = client.get(reverse("accounts:audit_export"))
    assert form.status_code == 200
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = client.get(reverse("accounts:audit_export"), {"start": today, "end": today})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert "0808881235" not in text and "080888" not in text and "Fog" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["action"] for r in rows if r["person_id"] == str(person.pk)} >= {"create", "view"}
    assert AuditEvent.objects.filter(user=admin, action="export", section="audit_log").exists()


def test_export_with_end_before_start_gets_a_message(client, make_user):
    login_verified(client, make_user(Role.DPO))
    response = client.get(reverse("accounts:audit_export"), {"start": "2026-02-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "Slutdatoen ligger før startdatoen" in response.content.decode()


def test_cpr_search_never_puts_the_number_in_the_url_or_log(client, guide, make_person, team, caplog):
    make_person(guide, team=team, first_name="Karen", last_name="Blix", cpr="1212851234")
    client.force_login(guide)
    response = client.post(reverse("people:search"), {"cpr": "121285-1234"})
    assert "Karen Blix" in response.content.decode()
    assert response.request["PATH_INFO"] == reverse("people:search")
    assert "1212851234" not in response.request.get("QUERY_STRING", "")
    assert "1212851234" not in caplog.text and "121285" not in caplog.text
    # A GET with the number does not search.
    get = client.get(reverse("people:search"), {"cpr": "1212851234"})
    assert "Karen Blix" not in get.content.decode()


def test_flagged_access_can_be_marked_reviewed(client, make_user, make_person, team, other_team):
    guide = make_user(Role.GUIDE, [team])
    person = make_person(make_user(Role.GUIDE, [other_team]), team=other_team)
    grant = grant_outside_access(guide, person, "Borgeren ringede og bad om hjælp")
    manager = make_user(Role.MANAGER, [team])
    client.force_login(manager)
    assert "ringede" in client.get(reverse("accounts:flagged")).content.decode()
    client.post(reverse("accounts:review_access", args=[grant.pk]))
    grant = OutsideAccess.objects.get(pk=grant.pk)
    assert grant.reviewed_by == manager and grant.reviewed_at is not None
