"""The reproductions from the issue "One gate", each as a test that failed before the gate and passes with it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified
from traedesten.accounts.models import AuditEvent, CaseloadAssignment, Department, OutsideAccess, Recusal, Team
from traedesten.accounts.roles import Role
from traedesten.authority.models import AgendaItem, CaseConference
from traedesten.courses import groups, services as courses
from traedesten.courses.models import Course, Offer
from traedesten.frontdoor.models import Contact
from traedesten.gate import Section, clearance, grant_outside_access
from traedesten.measures.models import Instrument
from traedesten.measures.services import administer
from traedesten.people import services as people
from traedesten.people.consent import give_consent
from traedesten.people.models import Consent
from traedesten.plans.services import save_plan

TODAY = datetime.date(2026, 3, 2)
ORS = {k: Decimal(5) for k in ("individual", "interpersonal", "social", "overall")}


@pytest.fixture
def social_team(db):
    return Team.objects.create(name="Din Indgang", department=Department.objects.get(code="social"))


@pytest.fixture
def guide(make_user, social_team):
    return make_user(Role.GUIDE, [social_team], username="guide")


@pytest.fixture
def jobcenter(make_user):
    """As in the demo: the authority role, in the jobcentre department."""
    team = Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))
    return make_user(Role.AUTHORITY, [team], username="jobcenter")


@pytest.fixture
def shared(guide, social_team, jobcenter, make_person):
    """A citizen on both caseloads who shares story, goals and actions with the jobcentre, nothing else."""
    person = make_person(guide, team=social_team, first_name="Sanne", last_name="Delt", phone="40404040")
    CaseloadAssignment.objects.create(person=person, team=jobcenter.teams.get())
    people.add_network_person(guide, person, {"name": "Søster Sørensen", "relation": "sibling", "phone": "12341234"})
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=TODAY)
    courses.record_activity(guide, person, kind="coaching", on=TODAY, course=course, topic="Hemmeligt emne")
    administer(guide, person, Instrument.objects.get(code="ORS"), on=TODAY, values=ORS)
    save_plan(guide, person, {"reason": "Min historie", "goals": [{"citizen_text": "Arbejde"}],
                              "crisis": {"contacts": [{"name": "Akutkontakt", "phone": "70707070"}]}},
              expected_version=0)
    give_consent(guide, person, recipient=Department.objects.get(code="jobcentre"),
                 scope=["story", "goals", "actions"], purpose="Én plan", given_on=TODAY)
    return person


def _api(client, user):
    client.force_login(user)
    return lambda path: client.get(f"/api/v1{path}")


def test_consent_holds_on_every_channel_not_only_the_plan_page(client, jobcenter, shared):
    get = _api(client, jobcenter)
    for path in (f"/people/{shared.pk}/network", f"/people/{shared.pk}/courses", f"/people/{shared.pk}/activities",
                 f"/people/{shared.pk}/trajectories/ORS"):
        response = get(path)
        assert response.status_code == 403, path
        assert "Søster" not in response.content.decode() and "12341234" not in response.content.decode()
    for url in (reverse("measures:person", args=[shared.pk]), reverse("measures:trajectory", args=[shared.pk, "ORS"]),
                reverse("people:network_map", args=[shared.pk])):
        assert client.get(url).status_code == 403, url
    overview = client.get(reverse("people:overview", args=[shared.pk])).content.decode()
    assert "Sanne Delt" in overview and "Søster" not in overview and "Hemmeligt emne" not in overview
    plan = client.get(reverse("plans:plan", args=[shared.pk])).content.decode()
    assert "Min historie" in plan and "Akutkontakt" not in plan
    assert client.get(reverse("plans:print", args=[shared.pk, "akut"])).status_code == 403


def test_the_receiving_department_cannot_give_itself_consent(client, jobcenter, shared):
    client.force_login(jobcenter)
    before = Consent.objects.count()
    response = client.post(reverse("people:consents", args=[shared.pk]), {
        "recipient": Department.objects.get(code="jobcentre").pk, "scope": ["network", "coping", "measures"],
        "purpose": "Vi vil se det hele", "given_on": TODAY.isoformat(), "form": "oral", "given_by": "citizen"})
    assert response.status_code == 403 and Consent.objects.count() == before
    assert client.get(reverse("people:network_map", args=[shared.pk])).status_code == 403
    assert client.get(reverse("plans:print", args=[shared.pk, "akut"])).status_code == 403
    assert client.get(reverse("people:consents", args=[shared.pk])).status_code == 403


def test_the_owning_department_records_consent_but_never_to_itself(guide, shared):
    c = clearance(guide, shared)
    from traedesten.usecases.people import give_consent as record

    with pytest.raises(Exception, match="ser allerede hele planen"):
        record(c, recipient=Department.objects.get(code="social"), scope=["goals"], purpose="x", given_on=TODAY)


def test_department_not_role_decides_authority_records(client, jobcenter, guide, social_team, make_person, make_user):
    """The jobcentre's caseworker has the authority role but is not the authority: no authority conference, no
    decision, whatever the citizen's consent to the authority."""
    authority = make_user(Role.AUTHORITY, [Team.objects.create(name="Myndighed", department=Department.objects.get(
        code="authority"))])
    person = make_person(guide, team=social_team)
    give_consent(guide, person, recipient=Department.objects.get(code="authority"), scope=["handover"],
                 purpose="Overdragelse", given_on=TODAY)
    conference = CaseConference.objects.create(held_on=TODAY, team=None, chair=authority)
    item = AgendaItem.objects.create(conference=conference, person=person, kind="new")
    client.force_login(jobcenter)
    assert client.get(reverse("authority:conference", args=[conference.pk])).status_code == 404
    client.post(reverse("authority:conference_decide", args=[item.pk]), {f"i{item.pk}-decision": "handover"})
    assert AgendaItem.objects.get(pk=item.pk).decision == ""
    assert client.get(reverse("authority:grant_new", args=[person.pk])).status_code in (302, 403)
    assert not clearance(jobcenter, person).may_decide
    client.force_login(authority)
    assert client.get(reverse("authority:conference", args=[conference.pk])).status_code == 200


def test_sensitive_tools_need_a_reason_and_are_flagged(client, guide, social_team, make_person, make_user):
    person = make_person(guide, team=social_team, cpr="0101801233")
    manager = make_user(Role.MANAGER, [social_team])
    client.force_login(manager)
    url = reverse("accounts:subject_access", args=[person.pk])
    assert client.get(url).status_code == 200 and not client.get(url).has_header("Content-Disposition")
    assert client.post(url, {"reason": ""}).status_code == 200  # asks again
    download = client.post(url, {"reason": "Borgerens anmodning om indsigt af 1. marts"})
    assert "attachment" in download["Content-Disposition"]
    flag = OutsideAccess.objects.get(user=manager, kind="subject_access")
    client.post(reverse("accounts:review_access", args=[flag.pk]))
    assert OutsideAccess.objects.get(pk=flag.pk).reviewed_at is None  # nobody reviews their own
    admin = make_user(Role.ADMIN)
    login_verified(client, admin)
    assert client.get(reverse("accounts:person_audit", args=[person.pk])).status_code == 403
    assert client.get(reverse("accounts:flagged")).status_code == 403


def test_groups_follow_the_gate(client, guide, social_team, make_person, make_user):
    coordinator = make_user(Role.VOLUNTEER_COORDINATOR, [social_team])
    peer = make_user(Role.PEER, [social_team])
    volunteer = make_user(Role.VOLUNTEER)
    recused = make_user(Role.GUIDE, [social_team])
    elsewhere = Team.objects.create(name="Et andet team", department=social_team.department)
    group = groups.create_group(guide, Offer.objects.filter(kind="group").first(), theme="Gåtur", start=TODAY,
                                planned_sessions=4, session_hours=Decimal(2), facilitators=[guide, peer, volunteer],
                                team=elsewhere)
    members = [make_person(guide, team=social_team, first_name=f"Deltager{n}", last_name=f"Efternavn{n}")
               for n in range(2)]
    for person in members:
        groups.enrol(guide, group, person)
    Recusal.objects.create(user=recused, person=members[0], reason="Nabo")
    # The coordinator cannot list another team's group, nor carry its participants into a new group.
    client.force_login(coordinator)
    assert client.get(reverse("courses:group", args=[group.pk])).status_code == 403
    before = Course.objects.count()
    client.post(reverse("civil:continue_group", args=[group.pk]),
                {"start": TODAY.isoformat(), "persons": [p.pk for p in members]})
    assert Course.objects.count() == before
    # A recused worker who co-facilitates neither sees the citizen on the group's pages nor registers them.
    group.facilitators.add(recused)
    client.force_login(recused)
    page = client.get(reverse("courses:group", args=[group.pk])).content.decode()
    assert "Deltager0" not in page and "Deltager1" in page and "1 deltager vises ikke" in page
    assert "Deltager0" not in client.get(reverse("courses:session_new", args=[group.pk])).content.decode()
    client.post(reverse("courses:session_new", args=[group.pk]), {"on": TODAY.isoformat(), "hours": "2",
                                                                   f"p{members[0].pk}": "no_show"})
    assert not members[0].activities.filter(kind="group_session").exists()
    # Facilitating peers and volunteers see first names only, and the visit is audited.
    for user in (peer, volunteer):
        client.force_login(user)
        page = client.get(reverse("courses:group", args=[group.pk])).content.decode()
        assert "Deltager0" in page and "Efternavn0" not in page
        assert AuditEvent.objects.filter(user=user, person_id=members[0].pk, section="group").exists()


@pytest.mark.parametrize("role", [Role.PEER, Role.VOLUNTEER_COORDINATOR, Role.HOST])
def test_roles_without_case_notes_never_read_the_plan(client, guide, social_team, make_person, make_user, role):
    person = make_person(guide, team=social_team)
    save_plan(guide, person, {"reason": "Hemmelig historie", "crisis": {"about_me": "Akut om mig"}}, expected_version=0)
    user = make_user(role, [social_team])
    CaseloadAssignment.objects.create(person=person, team=social_team, worker=user)
    client.force_login(user)
    for url in (reverse("plans:plan", args=[person.pk]), reverse("plans:versions", args=[person.pk]),
                reverse("plans:print", args=[person.pk, "akut"]), reverse("plans:pdf", args=[person.pk, "akut"])):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Hemmelig" not in response.content and b"Akut om mig" not in response.content


def test_a_contact_id_from_another_citizen_shows_nothing(client, guide, social_team, make_person):
    mine = make_person(guide, team=social_team)
    theirs = make_person(guide, team=social_team)
    contact = Contact.objects.create(origin="citizen", channel="phone", person=theirs, reason="Andens grund",
                                     outcome="ad_hoc")
    client.force_login(guide)
    for name in ("frontdoor:guide_conversation", "frontdoor:ad_hoc"):
        response = client.get(reverse(name) + f"?borger={mine.pk}&henvendelse={contact.pk}")
        assert response.status_code == 404 and b"Andens grund" not in response.content
    assert not AuditEvent.objects.filter(user=guide, person_id=theirs.pk, section__in=["guide_conversation", "ad_hoc"])


def test_the_day_s_contacts_over_the_api_are_only_those_the_caller_may_read(client, guide, social_team, make_person,
                                                                           make_user, other_team):
    mine = make_person(guide, team=social_team)
    stranger = make_person(make_user(Role.GUIDE, [other_team]), team=other_team)
    for person in (mine, stranger, None):
        Contact.objects.create(origin="citizen", channel="phone", person=person, reason="grund", outcome="information")
    client.force_login(guide)
    listed = client.get("/api/v1/contacts").json()
    assert {c["person_id"] for c in listed} == {mine.pk, None}


def test_a_duplicate_cpr_over_the_api_is_audited_and_shows_no_id_outside_reach(client, make_user, other_team,
                                                                              social_team, make_person):
    owner = make_user(Role.GUIDE, [other_team])
    existing = make_person(owner, team=other_team, cpr="0202821238")
    outsider = make_user(Role.GUIDE, [social_team])
    client.force_login(outsider)
    response = client.post("/api/v1/people", {"first_name": "Ny", "cpr": "020282-1238"},
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["errors"][0]["existing_id"] is None
    assert AuditEvent.objects.filter(user=outsider, person_id=existing.pk, action="search",
                                     section="duplicate_check").exists()


def test_a_similar_name_and_birth_date_over_the_api_is_audited_and_shows_no_id_outside_reach(
        client, make_user, other_team, social_team, make_person):
    owner = make_user(Role.GUIDE, [other_team])
    existing = make_person(owner, team=other_team, first_name="Kirsten", last_name="Bøgh",
                           birth_date=datetime.date(1982, 2, 2))
    outsider = make_user(Role.GUIDE, [social_team])
    client.force_login(outsider)
    response = client.post("/api/v1/people", {"first_name": "Kirsten", "last_name": "Bøgh", "birth_date": "1982-02-02"},
                           content_type="application/json")
    assert response.status_code == 409
    assert [e["existing_id"] for e in response.json()["errors"]] == [None]
    assert AuditEvent.objects.filter(user=outsider, person_id=existing.pk, action="search",
                                     section="duplicate_check").exists()
    client.force_login(owner)
    response = client.post("/api/v1/people", {"first_name": "Kirsten", "last_name": "Bøgh", "birth_date": "1982-02-02"},
                           content_type="application/json")
    assert [e["existing_id"] for e in response.json()["errors"]] == [existing.pk]


@pytest.mark.parametrize("name, ids", [("courses:close", "course"), ("courses:package", "bostotte"),
                                       ("courses:start", "person"), ("courses:enrol", "person"),
                                       ("economy:shadow", "closed"), ("people:consents", "person")])
def test_every_page_with_citizen_data_writes_a_read_event(client, guide, social_team, make_person, name, ids):
    person = make_person(guide, team=social_team)
    front = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=TODAY)
    bostotte = courses.start_course(guide, person, Offer.objects.filter(kind="bostotte").first(), start=TODAY,
                                    hours_package="<3")
    closed = courses.close_course(guide, courses.start_course(guide, person, Offer.objects.get(
        name="Individuelt §82b-forløb (6 måneder)"), start=TODAY), closed_on=TODAY, destination="other",
        expected_version=1)
    arg = {"course": front.pk, "bostotte": bostotte.pk, "person": person.pk, "closed": closed.pk}[ids]
    client.force_login(guide)
    before = AuditEvent.objects.filter(user=guide, person_id=person.pk, action="view").count()
    assert client.get(reverse(name, args=[arg])).status_code == 200
    assert AuditEvent.objects.filter(user=guide, person_id=person.pk, action="view").count() == before + 1


def test_after_a_reason_every_page_is_flagged(client, guide, social_team, make_person, make_user, other_team):
    stranger = make_person(make_user(Role.GUIDE, [other_team]), team=other_team)
    save_plan(guide, stranger, {"reason": "Historie"}, expected_version=0)
    client.force_login(guide)
    assert client.get(reverse("plans:plan", args=[stranger.pk])).status_code == 302
    grant_outside_access(guide, stranger, "Borgeren står i skranken")
    for url in (reverse("plans:plan", args=[stranger.pk]), reverse("measures:person", args=[stranger.pk]),
                reverse("people:network_map", args=[stranger.pk]), f"/api/v1/people/{stranger.pk}/courses"):
        assert client.get(url).status_code == 200, url
    reads = AuditEvent.objects.filter(user=guide, person_id=stranger.pk, action="view").exclude(section="outside_access")
    assert reads.count() == 4 and all(e.flagged and "skranken" in e.reason for e in reads)


def test_no_page_with_personal_data_may_be_cached(client, guide, social_team, make_person):
    person = make_person(guide, team=social_team, cpr="0101801233")
    client.force_login(guide)
    for url in (reverse("people:overview", args=[person.pk]), f"/api/v1/people/{person.pk}", reverse("home")):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_the_api_documentation_has_a_content_security_policy(client):
    policy = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-eval" not in policy


def test_patching_a_person_with_empty_names_is_a_clear_400(client, guide, social_team, make_person):
    person = make_person(guide, team=social_team)
    client.force_login(guide)
    response = client.patch(f"/api/v1/people/{person.pk}", {"version": person.version, "first_name": "",
                                                            "last_name": ""}, content_type="application/json")
    assert response.status_code == 400 and "fornavn eller et efternavn" in response.json()["detail"]


def test_the_administrator_sees_no_citizen_and_no_secret(client, make_user, guide, social_team, make_person):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = make_person(guide, team=social_team, first_name="Hemmelig", last_name="Borger")
    Recusal.objects.create(user=guide, person=person, reason="Nabo")
    device = TOTPDevice.objects.create(user=guide, name="app", confirmed=True)
    admin = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    login_verified(client, admin)
    assert client.get("/admin/accounts/recusal/").status_code == 404
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page and "Hemmelig" not in page
    for view in ("config", "qrcode"):  # django-otp's own views that show the secret are not there
        response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{view}/", follow=True)
        assert device.key not in response.content.decode() and "otpauth://" not in response.content.decode()
    assert client.get(reverse("people:overview", args=[person.pk])).status_code == 403


def test_a_recused_worker_is_refused_everywhere_even_with_a_reason(guide, social_team, make_person, make_user):
    colleague = make_user(Role.GUIDE, [social_team])
    person = make_person(guide, team=social_team)
    Recusal.objects.create(user=colleague, person=person, reason="Familie")
    c = clearance(colleague, person)
    assert not c.readable and not c.by_reason
    with pytest.raises(PermissionDenied):
        grant_outside_access(colleague, person, "Jeg vil alligevel se borgeren")
    assert not clearance(colleague, person).readable and not OutsideAccess.objects.filter(user=colleague).exists()


def test_the_reason_page_only_opens_what_a_reason_can_open(client, make_user, make_person, social_team, other_team):
    peer = make_user(Role.PEER, [social_team])
    stranger = make_person(make_user(Role.GUIDE, [other_team]), team=other_team)
    client.force_login(peer)
    assert client.get(reverse("accounts:outside_access", args=[stranger.pk])).status_code == 403
    assert Section.IDENTITY not in clearance(peer, stranger).by_reason


def test_tokens_expire_can_be_revoked_and_follow_the_second_factor(client, guide, make_user, make_person, social_team):
    from traedesten.accounts.api_auth import issue_token
    from traedesten.accounts.models import ApiToken

    person = make_person(guide, team=social_team)
    token = issue_token(guide, "tablet", days=1)
    call = lambda: client.get(f"/api/v1/people/{person.pk}", headers={"Authorization": f"Bearer {token}"})  # noqa: E731
    assert call().status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert call().status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))
    client.force_login(guide)
    client.post(reverse("accounts:token_revoke", args=[ApiToken.objects.get().pk]))
    client.logout()
    assert call().status_code == 401
    dpo = make_user(Role.DPO)
    with pytest.raises(Exception, match="tofaktorkode"):
        issue_token(dpo, "uden kode")
    client.force_login(dpo)
    page = client.post(reverse("accounts:tokens"), {"name": "script", "days": 30}, follow=True).content.decode()
    assert not ApiToken.objects.filter(user=dpo).exists()
    login_verified(client, dpo)
    page = client.post(reverse("accounts:tokens"), {"name": "script", "days": 30}).content.decode()
    assert ApiToken.objects.filter(user=dpo).exists() and "vises kun denne ene gang" in page
