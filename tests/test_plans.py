import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from traedesten.accounts.models import AuditEvent, CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.core.locking import VersionConflict
from traedesten.people.consent import consented_scopes, give_consent, withdraw_consent
from traedesten.plans import diff, services
from traedesten.plans.content import PlanContent
from traedesten.plans.models import Plan, PlanVersion
from traedesten.plans.sharing import visible


def goal(text="Jeg vil have en fast døgnrytme", **extra):
    return {"citizen_text": text, **extra}


@pytest.fixture
def person(guide, make_person, team):
    return make_person(guide, team=team, first_name="Sara", last_name="Holm", cpr="0101901234")


def test_first_save_creates_the_plan_and_version_one(guide, person):
    version = services.save_plan(guide, person, {"reason": "Ensom", "dreams": ["Et job"], "goals": [goal()]},
                                 expected_version=0)
    plan = Plan.objects.get(person=person)
    assert (version.number, plan.version, plan.coordinator, plan.started_on) == (1, 1, guide, timezone.localdate())
    assert AuditEvent.objects.filter(person_id=person.pk, section="plan", action="create").exists()


@pytest.mark.parametrize("content, message", [
    ({"goals": [goal("   ")]}, "borgerens egne ord"),
    ({"goals": [goal(actions=[{"text": "Ring til jobcentret"}])]}, "mangler en ansvarlig"),
    ({"goals": [goal(actions=[{"text": "Ring", "responsible": "relative"}])]}, "mangler en ansvarlig"),
    ({"goals": [goal(status="replaced")]}, "hvorfor målet"),
    ({"goals": [goal(actions=[{"text": "Søg job", "responsible": "citizen", "due": "2001-01-01"}])]}, "før planen startede"),
])
def test_bad_plans_are_refused_and_nothing_is_saved(guide, person, content, message):
    with pytest.raises(ValidationError, match=message):
        services.save_plan(guide, person, content, expected_version=0)
    assert not PlanVersion.objects.exists()


def test_a_stale_version_is_a_conflict_not_an_overwrite(guide, make_user, team, person):
    services.save_plan(guide, person, {"reason": "A"}, expected_version=0)
    colleague = make_user(Role.GUIDE, [team])
    services.save_plan(colleague, person, {"reason": "B"}, expected_version=1)
    with pytest.raises(VersionConflict) as exc:
        services.save_plan(guide, person, {"reason": "C"}, expected_version=1)
    assert exc.value.current.content["reason"] == "B"
    assert PlanContent.model_validate(Plan.objects.get().current.content).reason == "B"


def test_more_goals_than_the_cap_warns_and_can_be_confirmed(guide, person, settings):
    goals = [goal(f"Mål {n}") for n in range(4)]
    with pytest.raises(services.GoalCapExceeded, match="højst 3"):
        services.save_plan(guide, person, {"goals": goals}, expected_version=0)
    services.save_plan(guide, person, {"goals": goals}, expected_version=0, confirm_over_cap=True)
    settings.TRAEDESTEN_MAX_GOALS = 5
    services.save_plan(guide, person, {"goals": goals}, expected_version=1)


def test_diff_names_what_changed_and_a_replaced_goal_keeps_its_history(guide, person):
    v1 = services.save_plan(guide, person, {"dreams": ["Et job"], "goals": [goal(sub_goals=[{"text": "Stå op kl. 8"}])]},
                            expected_version=0)
    old = PlanContent.model_validate(v1.content)
    data = old.model_dump(mode="json")
    data["goals"][0]["sub_goals"][0]["status"] = "done"
    data["goals"][0]["status"] = "replaced"
    data["goals"][0]["replaced_reason"] = "Rytmen er på plads"
    data["goals"].append(goal("Jeg vil i praktik"))
    data["dreams"].append("En kæreste")
    v2 = services.save_plan(guide, person, data, expected_version=1, follow_up=True)
    changes = diff.diff(old, PlanContent.model_validate(v2.content))
    described = {(c.kind, c.label, c.old, c.new) for c in changes}
    assert ("added", "Drøm", "", "En kæreste") in described
    assert ("added", "Mål", "", "Jeg vil i praktik") in described
    assert ("changed", "Mål »Jeg vil have en fast døgnrytme«: status", "aktivt", "erstattet") in described
    assert ("changed", "Trædesten under »Jeg vil have en fast døgnrytme« »Stå op kl. 8«: status", "ikke startet", "nået") in described
    latest = PlanContent.model_validate(Plan.objects.get().current.content)
    replaced = latest.goals[0]
    assert (replaced.status, replaced.replaced_reason, replaced.progress) == ("replaced", "Rytmen er på plads", (1, 1))
    assert services.last_follow_up(Plan.objects.get()).number == 2


def test_consent_decides_what_another_department_sees(guide, make_user, person):
    jobcentre = Department.objects.get(code="jobcentre")
    content = PlanContent.model_validate({"reason": "Privat", "goals": [goal(actions=[
        {"text": "Praktik", "responsible": "department", "department": "jobcentre"}])],
        "coping": {"warning_signs": ["Sover dårligt"]}})
    assert consented_scopes(person, jobcentre) == set()
    consent = give_consent(guide, person, recipient=jobcentre, scope=["goals", "actions"], purpose="Én plan",
                           given_on=timezone.localdate())
    shown, hidden = visible(content, consented_scopes(person, jobcentre))
    assert shown.reason == "" and shown.goals[0].actions[0].text == "Praktik" and shown.coping.warning_signs == []
    assert "Borgerens fortælling og drømme" in hidden
    withdraw_consent(guide, consent)
    assert consented_scopes(person, jobcentre) == set()
    assert any("withdrawn" in e.fields for e in AuditEvent.objects.filter(person_id=person.pk, section="consent"))


def test_expired_and_future_consents_do_not_share(guide, person):
    jobcentre, today = Department.objects.get(code="jobcentre"), timezone.localdate()
    give_consent(guide, person, recipient=jobcentre, scope=["goals"], purpose="Én plan",
                 given_on=today - datetime.timedelta(days=30), expires_on=today - datetime.timedelta(days=1))
    assert consented_scopes(person, jobcentre) == set()
    with pytest.raises(ValidationError, match="fremtiden"):
        give_consent(guide, person, recipient=jobcentre, scope=["goals"], purpose="x", given_on=today + datetime.timedelta(days=1))


def test_jobcentre_user_sees_only_consented_parts_in_the_browser_view(client, guide, make_user, person):
    services.save_plan(guide, person, {"reason": "Hemmelig grund", "goals": [goal("Jeg vil arbejde med dyr")]},
                       expected_version=0)
    jobteam = Team.objects.create(name="Jobcenter Ungeindsats", department=Department.objects.get(code="jobcentre"))
    jobuser = make_user(Role.AUTHORITY, [jobteam])
    CaseloadAssignment.objects.create(person=person, team=jobteam)
    client.force_login(jobuser)
    page = client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    assert "ikke givet samtykke" in page and "Jeg vil arbejde med dyr" not in page
    give_consent(guide, person, recipient=jobteam.department, scope=["goals"], purpose="Én plan", given_on=timezone.localdate())
    page = client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    assert "Jeg vil arbejde med dyr" in page and "Hemmelig grund" not in page
    assert client.get(reverse("plans:edit", args=[person.pk])).status_code == 403
    overview = client.get(reverse("people:overview", args=[person.pk])).content.decode()
    assert "Din afdeling ser kun det" in overview and "Guidesamtale" not in overview


def test_editor_round_trip_keeps_ids_and_adds_sub_goals(client, guide, person):
    client.force_login(guide)
    url = reverse("plans:edit", args=[person.pk])
    client.post(url, {"version": "0", "reason": "Jeg har det svært\nog er ensom", "dreams": "Et job\nEn hund",
                      "goal-new0-citizen_text": "Komme ud af huset", "goal-new0-sub-new0-text": "Gå en tur",
                      "goal-new0-action-new0-text": "Følges med Lene", "goal-new0-action-new0-responsible": "relative",
                      "goal-new0-action-new0-responsible_name": "Lene"})
    plan = Plan.objects.get()
    first = PlanContent.model_validate(plan.current.content)
    assert first.reason == "Jeg har det svært\nog er ensom" and first.dreams == ["Et job", "En hund"]
    gid, sid, aid = first.goals[0].id, first.goals[0].sub_goals[0].id, first.goals[0].actions[0].id
    page = client.get(url).content.decode()
    assert f'value="{gid}"' in page and "Gå en tur" in page
    client.post(url, {"version": "1", "goal_ids": gid, f"goal-{gid}-citizen_text": "Komme ud af huset",
                      f"goal-{gid}-sub_ids": sid, f"goal-{gid}-sub-{sid}-text": "Gå en tur", f"goal-{gid}-sub-{sid}-status": "done",
                      f"goal-{gid}-sub-new0-text": "Tage bussen", f"goal-{gid}-action_ids": aid,
                      f"goal-{gid}-action-{aid}-text": "Følges med Lene", f"goal-{gid}-action-{aid}-responsible": "relative",
                      f"goal-{gid}-action-{aid}-responsible_name": "Lene", "follow_up": "1"})
    second = PlanContent.model_validate(Plan.objects.get().current.content)
    assert second.goals[0].id == gid and [s.text for s in second.goals[0].sub_goals] == ["Gå en tur", "Tage bussen"]
    assert second.goals[0].progress == (1, 2)
    overview = client.get(reverse("people:overview", args=[person.pk])).content.decode()
    assert "1 mål, 1 af 2 trædesten nået" in overview
    page = client.get(reverse("plans:versions", args=[person.pk])).content.decode()
    assert "Tage bussen" in page


def test_the_editor_shows_a_conflict_with_both_versions(client, guide, make_user, team, person):
    services.save_plan(guide, person, {"reason": "Start"}, expected_version=0)
    other = make_user(Role.GUIDE, [team], first_name="Ole")
    services.save_plan(other, person, {"reason": "Oles tekst"}, expected_version=1)
    client.force_login(guide)
    page = client.post(reverse("plans:edit", args=[person.pk]), {"version": "1", "reason": "Min tekst"}).content.decode()
    assert "gemte planen" in page and "Oles tekst" in page and "Min tekst" in page
    assert PlanContent.model_validate(Plan.objects.get().current.content).reason == "Oles tekst"


def test_citizen_pdf_has_the_citizens_words_and_no_cpr(client, guide, person):
    import pypdfium2

    services.save_plan(guide, person, {"reason": "Jeg vil gerne være mindre alene", "goals": [goal(
        sub_goals=[{"text": "Stå op kl. 8", "status": "done"}], professional_text="Døgnrytmeregulering")],
        "coping": {"warning_signs": ["Jeg sover dårligt"], "people": [{"name": "Mor", "phone": "20304050"}]}},
        expected_version=0)
    client.force_login(guide)
    for part, expected in (("plan", "Jeg vil gerne være mindre alene"), ("mestring", "Jeg sover dårligt"), ("akut", "Mor: 20304050")):
        response = client.get(reverse("plans:pdf", args=[person.pk, part]))
        assert response["Content-Type"] == "application/pdf"
        doc = pypdfium2.PdfDocument(response.content)
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        assert expected in text and "0101901234" not in text and "010190" not in text
        if part == "plan":
            assert "Døgnrytmeregulering" not in text and "Stå op kl. 8" in text
    assert AuditEvent.objects.filter(person_id=person.pk, action="export", section="plan_print_plan").exists()


def test_network_meeting_needs_agreements(guide, person):
    services.save_plan(guide, person, {"reason": "x"}, expected_version=0)
    plan, today = Plan.objects.get(), timezone.localdate()
    with pytest.raises(ValidationError, match="aftaler"):
        services.hold_meeting(guide, plan, template="inddrag_nu", held_on=today, participants=["Sara", "Mor"],
                              agreements=[" "], works=["Morgenturen"])
    meeting = services.hold_meeting(guide, plan, template="inddrag_nu", held_on=today, participants=["Sara", "Mor"],
                                    agreements=["Mor ringer om fredagen"], works=["Morgenturen"], challenges=["Aftener"],
                                    wants=["Et job"])
    assert (meeting.works, meeting.agreements) == (["Morgenturen"], ["Mor ringer om fredagen"])
