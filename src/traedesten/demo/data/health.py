"""Health in the plan and relatives (issue 27, decisions 0050 and 0051): a few citizens with a health section, one
due for the annual health check within the week, a consent to share with the GP, escorts to health appointments,
relatives' advice conversations and joint sessions. Built last, so the other demo data keep their random sequence."""

import datetime
import random
from decimal import Decimal

from traedesten.courses import services as courses
from traedesten.courses.models import Course
from traedesten.people import services as people
from traedesten.people.consent import give_consent
from traedesten.plans import services as plans
from traedesten.plans.models import Plan

GPS = [("Læge Birgitte Holm", "Lægehuset Vestergade", "86 12 34 56"), ("Læge Omar Khalil", "Lægerne i Viby", "86 14 22 10"),
       ("Læge Anne Friis", "Lægehuset ved Åen", "86 19 08 80")]
MEDICATION = ["pharmacy", "citizen", "bostotte", "home_care", "citizen", "none"]


def build(rnd: random.Random, today: datetime.date, staff: dict) -> dict:
    active = {c.person_id: c for c in Course.objects.filter(status=Course.Status.ACTIVE, group=None)
              .select_related("person", "responsible").order_by("pk")}
    plans_with_course = [p for p in Plan.objects.select_related("coordinator").order_by("pk") if p.person_id in active]
    sections = 0
    for n, plan in enumerate(plans_with_course[:6]):
        content = plans.current_content(plan)
        if content is None:
            continue
        actor = plan.coordinator or staff["guide"]
        name, clinic, phone = GPS[n % len(GPS)]
        content.health.gp_name, content.health.gp_clinic, content.health.gp_phone = name, clinic, phone
        content.health.medication = MEDICATION[n]  # type: ignore[assignment]
        if n == 0:  # due within the week: on the worklist, not overdue
            content.health.annual_check = True
            content.health.last_check = today - datetime.timedelta(days=361)
        elif n in (1, 2):  # checked this year: not due for months
            content.health.annual_check = True
            content.health.last_check = today - datetime.timedelta(days=rnd.randint(60, 200))
        plans.save_plan(actor, plan.person, content, expected_version=plan.version, confirm_over_cap=True,
                        note="Sundhedsdelen udfyldt")
        if n == 0:
            give_consent(actor, plan.person, recipient=None, external="gp", scope=["health", "goals"],
                         purpose="Sundhedsdelen til egen læge før det årlige helbredstjek",
                         given_on=today - datetime.timedelta(days=14))
        sections += 1
    activities = {"health_escort": 0, "relative_advice": 0, "joint_session": 0}
    for n, course in enumerate(list(active.values())[:12]):
        actor = course.responsible or staff["guide"]
        days = max(0, min(28, (today - course.start).days))
        on = today - datetime.timedelta(days=rnd.randint(0, days))
        if n % 3 == 0:
            courses.record_activity(actor, course.person, kind="health_escort", on=on, course=course, channel="walk",
                                    delivered_hours=Decimal(2), staff_hours={actor: Decimal(2)}, topic="Til egen læge")
            activities["health_escort"] += 1
            continue
        relative = course.person.network.first() or people.add_network_person(
            actor, course.person, {"name": rnd.choice(["Lene", "Jørgen", "Hanne", "Brian"]) + " " +
                                   (course.person.last_name or "Hansen"), "relation": rnd.choice(["parent", "sibling", "partner"])})
        kind = "relative_advice" if n % 3 == 1 else "joint_session"
        courses.record_activity(actor, course.person, kind=kind, on=on, course=course, relative=relative,
                                channel="phone" if kind == "relative_advice" else "office", delivered_hours=Decimal(1),
                                staff_hours={actor: Decimal(1)})
        activities[kind] += 1
    return {"health sections": sections, "escorts to health appointments": activities["health_escort"],
            "relatives' advice conversations": activities["relative_advice"],
            "joint sessions": activities["joint_session"]}
