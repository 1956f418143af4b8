
import pytest
from django.utils import timezone

from traedesten.accounts.api_auth import issue_token
from traedesten.accounts.models import CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.people.consent import give_consent


@pytest.fixture
def call(client):
    def make(user):
        token = issue_token(user, "t")
        return lambda method, path, **kw: getattr(client, method)(
            f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, content_type="application/json", **kw)
    return make


def test_plan_write_read_versions_and_conflict(call, guide, make_person, team):
    api = call(guide)
    person = make_person(guide, team=team)
    assert api("get", f"/people/{person.pk}/plan").status_code == 404
    body = {"version": 0, "content": {"reason": "Ensom", "goals": [{"citizen_text": "Gå til fodbold",
                                                                     "sub_goals": [{"text": "Find et hold"}]}]}}
    first = api("put", f"/people/{person.pk}/plan", data=body)
    assert first.status_code == 200, first.content
    goal_id = first.json()["content"]["goals"][0]["id"]
    body2 = {"version": 1, "content": dict(first.json()["content"], reason="Ensom, men bedre")}
    assert api("put", f"/people/{person.pk}/plan", data=body2).json()["version"] == 2
    stale = api("put", f"/people/{person.pk}/plan", data=dict(body2, version=1))
    assert stale.status_code == 409 and stale.json()["errors"][0]["current_version"] == 2
    assert [v["number"] for v in api("get", f"/people/{person.pk}/plan/versions").json()] == [2, 1]
    assert api("get", f"/people/{person.pk}/plan/versions/1").json()["content"]["reason"] == "Ensom"
    assert api("get", f"/people/{person.pk}/plan").json()["content"]["goals"][0]["id"] == goal_id
    blank = api("put", f"/people/{person.pk}/plan", data={"version": 2, "content": {"goals": [{"citizen_text": "  "}]}})
    assert blank.status_code == 422 and "borgerens egne ord" in str(blank.json())


def test_other_departments_get_only_consented_parts_and_cannot_write(call, guide, make_user, make_person, team):
    person = make_person(guide, team=team)
    call(guide)("put", f"/people/{person.pk}/plan", data={"version": 0, "content": {
        "reason": "Privat", "goals": [{"citizen_text": "Arbejde med dyr"}]}})
    jobteam = Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))
    api = call(make_user(Role.AUTHORITY, [jobteam]))
    CaseloadAssignment.objects.create(person=person, team=jobteam)
    give_consent(guide, person, recipient=jobteam.department, scope=["goals"], purpose="Én plan", given_on=timezone.localdate())
    shared = api("get", f"/people/{person.pk}/plan").json()
    assert shared["content"]["reason"] == "" and shared["content"]["goals"][0]["citizen_text"] == "Arbejde med dyr"
    assert "Borgerens fortælling og drømme" in shared["hidden_parts"]
    assert api("put", f"/people/{person.pk}/plan", data={"version": 1, "content": {}}).status_code == 403
    assert api("get", f"/people/{person.pk}/plan/versions").status_code == 403
