"""The closing survey sent to citizens whose front-door course closed, with answers, reminders and non-responses."""

import datetime
import random

from traedesten.courses.models import Course
from traedesten.insights import surveys
from traedesten.insights.models import Invitation, NonResponse, Questionnaire

BASE = "http://127.0.0.1:8000/"


def build(rnd: random.Random, today: datetime.date, staff: dict) -> dict:
    survey = Questionnaire.objects.get(code="en-plan-afslutning")
    closed = Course.objects.filter(status=Course.Status.CLOSED, offer__front_door=True, closed_on__gte=today - datetime.timedelta(days=300))
    answered = non_response = 0
    for course in closed.select_related("person").order_by("closed_on")[:60]:
        invitation, created = surveys.invite(staff["guide"], survey, course.person, course=course, base_url=BASE)
        if not created:
            continue
        roll = rnd.random()
        if roll < 0.55:
            goals = rnd.sample(["health", "wellbeing", "community", "work", "education"], k=rnd.randint(1, 3))
            raw = {"goal_areas": goals, "work_status": [rnd.choice(["part_time", "flex", "unpaid", "not_yet"])],
                   "education_status": [rnd.choice(["started", "closer", "not_closer"])]}
            for key in ("coherence", "own_goals", "important", "trust", "coping", "satisfied", "helped", "hopeful"):
                raw[key] = [rnd.choices(["5", "4", "3", "2", "1"], weights=[4, 5, 3, 1, 1])[0]]
            surveys.answer(invitation, raw, helped=rnd.random() < 0.2)
            answered += 1
        elif roll < 0.75:
            Invitation.objects.filter(pk=invitation.pk).update(
                non_response=rnd.choice([NonResponse.DECLINED, NonResponse.UNREACHABLE, NonResponse.MOVED, NonResponse.UNABLE]))
            non_response += 1
    return {"survey answers": answered, "survey non-responses": non_response}
