"""Citizen surveys: invited once, reminded after 1 and 3 weeks, one answer each, branching, non-response, report."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from traedesten.accounts.models import AuditEvent
from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.insights import surveys
from traedesten.insights.catalogue import EN_PLAN
from traedesten.insights.models import Invitation, OutboxMessage, Questionnaire, Response

BASE = "https://traedesten.example.dk/"


@pytest.fixture
def survey(db):
    return Questionnaire.objects.get(code="en-plan-afslutning")


@pytest.fixture
def closed(guide, make_person, team):
    """A citizen who wants SMS, with a closed course."""
    person = make_person(guide, team=team, phone="20304050", contact_wish="sms")
    din = Offer.objects.get(name="Din Indgang – forløb")
    course = courses.start_course(guide, person, din, start=datetime.date(2026, 9, 1))
    return courses.close_course(guide, course, closed_on=datetime.date(2026, 10, 1), destination="no_further_help",
                                expected_version=course.version)


def test_the_built_in_survey_is_valid_data():
    defn = surveys.parse(EN_PLAN)
    assert [q.key for q in defn.questions if q.show_if] == ["work_status", "education_status"]
    with pytest.raises(ValidationError, match="tidligere spørgsmål"):
        surveys.parse({"questions": [{"key": "a", "text": "?", "type": "degree", "show_if": {"question": "b", "includes": "x"}}]})


def test_a_citizen_is_invited_once_and_reminded_after_one_and_three_weeks(guide, survey, closed):
    with time_machine.travel(datetime.datetime(2026, 10, 2, 9, tzinfo=datetime.UTC)):
        invitation, created = surveys.invite(guide, survey, closed.person, course=closed, base_url=BASE)
        again, created_again = surveys.invite(guide, survey, closed.person, course=closed, base_url=BASE)
    assert created and not created_again and again.pk == invitation.pk
    sms = OutboxMessage.objects.get()
    assert sms.to == "20304050" and f"{BASE}svar/{invitation.token}/" in sms.body
    day = lambda n: datetime.datetime(2026, 10, 2, 10, tzinfo=datetime.UTC) + datetime.timedelta(days=n)  # noqa: E731
    assert surveys.send_reminders(BASE, now=day(5)) == 0
    assert surveys.send_reminders(BASE, now=day(7)) == 1
    assert surveys.send_reminders(BASE, now=day(8)) == 0
    assert surveys.send_reminders(BASE, now=day(21)) == 1
    assert surveys.send_reminders(BASE, now=day(60)) == 0
    assert OutboxMessage.objects.filter(body__startswith="Påmindelse").count() == 2


def test_no_reminder_after_an_answer_or_a_registered_reason(guide, survey, closed, make_person, team):
    invitation, _ = surveys.invite(guide, survey, closed.person, base_url=BASE)
    surveys.answer(invitation, {"satisfied": ["4"]})
    other = make_person(guide, team=team, phone="30405060", contact_wish="sms")
    second, _ = surveys.invite(guide, survey, other, base_url=BASE)
    surveys.set_non_response(guide, second, "hospital")
    later = invitation.sent_at + datetime.timedelta(days=30)
    assert surveys.send_reminders(BASE, now=later) == 0


def test_the_citizen_answers_once_through_the_link(client, guide, survey, closed):
    invitation, _ = surveys.invite(guide, survey, closed.person, base_url=BASE)
    page = client.get(f"/svar/{invitation.token}/")
    assert page.status_code == 200 and "Er du begyndt at arbejde?" in page.content.decode()
    client.post(f"/svar/{invitation.token}/", {"satisfied": "5", "goal_areas": ["work"], "work_status": "flex",
                                               "education_status": "started", "assisted": "1"})
    response = Response.objects.get()
    assert response.answers == {"satisfied": "5", "goal_areas": ["work"], "work_status": "flex"}  # education was hidden
    assert response.helped_by_professional and not response.complete
    second = client.post(f"/svar/{invitation.token}/", {"satisfied": "1"})
    assert "allerede svaret" in second.content.decode()
    assert Response.objects.get().answers["satisfied"] == "5"
    assert client.get("/svar/ukendt-token/").status_code == 404


def test_staff_invite_their_closed_citizens_and_register_why_one_did_not_answer(client, guide, survey, closed):
    client.force_login(guide)
    # The page lists courses closed in the last 60 days; the course closed on 1 October 2026.
    with time_machine.travel(datetime.datetime(2026, 10, 20, 9, tzinfo=datetime.UTC)):
        page = client.get(f"/indsigt/undersoegelser/{survey.code}/").content.decode()
        assert closed.person.display_name in page
        assert AuditEvent.objects.filter(user=guide, person_id=closed.person_id, action="view", section="survey").exists()
        client.post(f"/indsigt/undersoegelser/{survey.code}/inviter/", {"course": [closed.pk]})
    invitation = Invitation.objects.get()
    assert invitation.channel == "sms" and invitation.course == closed
    client.post(f"/indsigt/invitation/{invitation.pk}/aarsag/", {"reason": "unreachable"})
    assert Invitation.objects.get().non_response == "unreachable"


def test_the_report_collapses_the_scale_and_publishes_rounded_counts(guide, survey, make_person, team, make_user, client):
    """Invitations of March 2026; the page in May shows the twelve months that have ended."""
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC)):
        for n in range(30):
            invitation, _ = surveys.invite(guide, survey, make_person(guide, team=team), base_url=BASE)
            if n < 24:
                surveys.answer(invitation, {"helped": ["5" if n < 20 else "2"], "goal_areas": ["work"]})
            elif n == 24:
                surveys.set_non_response(guide, invitation, "declined")
    result = surveys.report(survey, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert (result["invited"], result["answered"], result["rate"]) == (30, 25, 83)  # 30 and 24, rounded to 5
    helped = next(collapsed for q, _d, collapsed in result["questions"] if q.key == "helped")
    assert [row.values[0] for row in helped.rows] == [20, 0, 5]  # 20, 0 and 4 answers
    assert helped.total.values[0] == 25
    assert surveys.report(survey, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))["invited"] == 0
    client.force_login(make_user(Role.ANALYST, [], username="analytiker"))
    with time_machine.travel(datetime.datetime(2026, 5, 2, 9, tzinfo=datetime.UTC)):
        page = client.get(f"/indsigt/undersoegelser/{survey.code}/").content.decode()
    assert "Svarprocent: 83 %" in page and "30 inviteret, 25 har svaret" in page


def test_reminders_command_runs(db, capsys):
    call_command("send_survey_reminders")
    assert "påmindelser sendt" in capsys.readouterr().out
