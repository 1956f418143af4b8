"""Plans at every stage: just written, followed up, achieved, a replaced goal, coping plans, and consents to share."""

import datetime
import random
from typing import Any

from traedesten.accounts.models import CaseloadAssignment, Department
from traedesten.courses.models import Course
from traedesten.people.consent import give_consent, withdraw_consent
from traedesten.plans import services
from traedesten.plans.content import PlanContent
from traedesten.plans.models import Plan, PlanVersion

REASONS = ["Jeg er ensom og kommer ikke ud", "Jeg har svært ved at åbne mine breve", "Min økonomi er løbet løbsk",
           "Jeg har angst og har mistet mit job", "Jeg vil gerne have struktur på min hverdag",
           "Jeg er lige flyttet hertil og kender ingen"]
DREAMS = ["Et arbejde med dyr", "En uddannelse som tømrer", "En ven at gå tur med", "At kunne tage bussen selv",
          "At få styr på min økonomi", "At se mine børn oftere", "At spille fodbold igen"]
GOALS = [("Komme ud af lejligheden hver dag", ["Gå ned med skraldet", "Gå en tur rundt om blokken", "Tage bussen til byen"]),
         ("Få styr på min post", ["Åbne e-Boks sammen med guiden", "Lave en mappe til breve", "Betale regninger til tiden"]),
         ("Få en fast døgnrytme", ["Stå op kl. 8", "Spise morgenmad", "Gå i seng før midnat"]),
         ("Finde et fællesskab", ["Besøge væresteddet", "Prøve en gruppe", "Melde mig til en aktivitet"]),
         ("Komme tættere på et job", ["Lave et CV", "Tale med jobcentret", "Prøve en praktik"])]
ACTIONS = [("Følges til væresteddet første gang", "relative", {"responsible_name": "Søster"}),
           ("Praktik i dyrehandel", "department", {"department": "jobcentre", "legal_basis": "LAB"}),
           ("Ansøge om boligstøtte", "citizen", {}), ("Samtale om søvn hos egen læge", "department", {"department": "gp", "legal_basis": "SUL"})]


class DemoPlans:
    def __init__(self, rnd: random.Random, today: datetime.date, staff: dict, teams: dict):
        self.rnd, self.today, self.staff, self.teams = rnd, today, staff, teams

    def build(self) -> int:
        made = 0
        courses = Course.objects.filter(offer__front_door=True, group=None).select_related("person", "responsible").order_by("pk")
        for n, course in enumerate(courses):
            if Plan.objects.filter(person=course.person).exists() or self.rnd.random() < 0.3:
                continue
            self._plan(course, n)
            made += 1
        for n, course in enumerate(Course.objects.filter(offer__kind="bostotte", status="active").order_by("pk")[:20]):
            if not Plan.objects.filter(person=course.person).exists():
                self._plan(course, n, coping=True)
                made += 1
        self._share()
        return made

    def _content(self, n: int, coping: bool) -> dict:
        rnd = self.rnd
        goals = []
        for text, steps in rnd.sample(GOALS, rnd.randint(1, 3)):
            action_text, who, extra = rnd.choice(ACTIONS)
            goals.append({"citizen_text": text, "sub_goals": [{"text": s} for s in steps],
                          "actions": [{"text": action_text, "responsible": who, **extra}]})
        content: dict[str, Any] = {"reason": rnd.choice(REASONS), "dreams": rnd.sample(DREAMS, rnd.randint(1, 3)), "goals": goals,
                   "success_criteria": "Jeg kommer ud mindst fem dage om ugen." if n % 2 else ""}
        if coping:
            content["coping"] = {"warning_signs": ["Jeg sover dårligt", "Jeg holder op med at åbne døren"],
                                 "strategies": ["Gå en tur", "Ringe til min søster"],
                                 "people": [{"name": "Søster", "phone": "20 30 40 50"}, {"name": "Bostøtten", "phone": "72 10 00 00"}]}
            content["crisis"] = {"about_me": "Jeg bliver stille, når jeg er bange.", "what_helps": "Tal roligt og giv mig tid.",
                                 "avoid": "Mange mennesker på én gang."}
        return content

    def _plan(self, course: Course, n: int, coping: bool = False) -> None:
        worker = course.responsible or self.staff["guide"]
        content = self._content(n, coping)
        version = services.save_plan(worker, course.person, content, expected_version=0, started_on=course.start)
        self._date(version, course.start)
        end = course.closed_on or self.today
        follow_ups = min(3, (end - course.start).days // 28)
        for k in range(1, follow_ups + 1):
            for goal in content["goals"]:
                for step in goal["sub_goals"][:k]:
                    step["status"] = "done"
                if k == 2 and n % 5 == 0 and goal is content["goals"][0]:
                    goal["status"], goal["replaced_reason"] = "replaced", "Borgeren vil hellere arbejde med noget andet"
                    content["goals"].append({"citizen_text": "Tage min datter med i svømmehallen",
                                             "sub_goals": [{"text": "Finde åbningstider"}]})
                    break
            if course.closed_on and k == follow_ups:
                for goal in content["goals"]:
                    if goal.get("status", "active") == "active":
                        goal["status"] = "achieved"
                content["citizen_can_do_after"] = "Jeg kommer selv ud og har fået faste aftaler i ugen."
            current = Plan.objects.get(person=course.person)
            content = _saved(current).model_dump(mode="json") | {
                k2: v for k2, v in content.items() if k2 != "goals"} | {"goals": _merge(current, content["goals"])}
            version = services.save_plan(worker, course.person, content, expected_version=current.version, follow_up=True,
                                         confirm_over_cap=True)
            self._date(version, min(end, course.start + datetime.timedelta(weeks=4 * k)))

    @staticmethod
    def _date(version: PlanVersion, day: datetime.date) -> None:
        PlanVersion.objects.filter(pk=version.pk).update(
            created_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC))

    def _share(self) -> None:
        jobcentre = Department.objects.get(code="jobcentre")
        team = self.teams["jobcentre"]
        for n, plan in enumerate(Plan.objects.select_related("person").order_by("pk")[:25]):
            CaseloadAssignment.objects.create(person=plan.person, team=team, worker=self.staff["jobcenter"])
            if n % 5 == 4:
                continue  # on the jobcentre's caseload, but no consent: the jobcentre sees nothing of the plan
            consent = give_consent(plan.coordinator or self.staff["guide"], plan.person, recipient=jobcentre,
                                   scope=["goals", "actions"] + (["story"] if n % 2 else []), purpose="Én plan med jobcentret",
                                   given_on=plan.started_on)
            if n % 7 == 6:
                withdraw_consent(plan.coordinator or self.staff["guide"], consent)


def _saved(plan: Plan) -> PlanContent:
    content = services.current_content(plan)
    assert content is not None, "a saved plan has a version"
    return content


def _merge(plan: Plan, goals: list[dict]) -> list[dict]:
    """Carry the generated statuses onto the saved goals (which now have ids)."""
    saved = _saved(plan).model_dump(mode="json")["goals"]
    by_text = {g["citizen_text"]: g for g in saved}
    merged = []
    for goal in goals:
        base = by_text.get(goal["citizen_text"], {})
        subs = {s["text"]: s for s in base.get("sub_goals", [])}
        merged.append(base | {k: v for k, v in goal.items() if k not in ("sub_goals", "actions")} | {
            "sub_goals": [subs.get(s["text"], {}) | s for s in goal["sub_goals"]],
            "actions": base.get("actions") or goal.get("actions", [])})
    return merged
