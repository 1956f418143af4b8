"""A large municipality over many years, generated in bulk for benchmarks: realistic volumes, deterministic per seed.

Each citizen follows one of a few paths seen in the reports: ad hoc help at the front door, a front-door course
(4-20 weeks), an individual §82b course, bostøtte after a grant (often via a front-door course that ended at the
authority), and a few long histories in bostøtte. ORS and SRS are scored at about 60 % of attended sessions.
"""

import datetime
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from traedesten.accounts.models import CaseloadAssignment
from traedesten.authority import ffb
from traedesten.authority.models import GoalExpectation, Grant, GrantGoal
from traedesten.core.bulk import BulkWriter
from traedesten.courses.models import Activity, Course, StaffTime
from traedesten.demo.data.authority import GOALS as GRANT_GOALS, SERVICES, TARGET_GROUPS
from traedesten.demo.data.plans import ACTIONS, DREAMS, GOALS as PLAN_GOALS, REASONS
from traedesten.economy.models import ShadowAssessment
from traedesten.frontdoor.models import Contact, GuideConversation
from traedesten.measures.models import Administration, score_texts
from traedesten.people.models import Person
from traedesten.plans.content import PlanContent
from traedesten.plans.models import Plan, PlanVersion

MODELS = [Person, CaseloadAssignment, Contact, Course, Activity, StaffTime, GuideConversation, Administration,
          Plan, PlanVersion, Grant, GrantGoal, GoalExpectation, ShadowAssessment]
PATHS = ["ad_hoc", "front_door", "individual", "bostotte", "long"]
PATH_WEIGHTS = [20, 50, 10, 19, 1]
FIRST_NAMES = {"female": ["Anne", "Mette", "Kirsten", "Hanne", "Camilla", "Sara", "Louise", "Maria", "Julie", "Ida",
                          "Emma", "Sofie", "Lene", "Pia", "Fatima", "Aylin"],
               "male": ["Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Mads", "Rasmus", "Jonas",
                        "Emil", "Oliver", "Kim", "Ali", "Ahmed", "Niels"]}
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
              "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Knudsen",
              "Mortensen", "Møller", "Yilmaz", "Hussein"]
STREETS = ["Vestergade", "Østergade", "Nørregade", "Søndergade", "Skolevej", "Kirkevej", "Parkvej", "Engvej",
           "Birkevej", "Bøgevej", "Stationsvej", "Havnegade"]
TOWNS = [("8000", "Aarhus C"), ("8200", "Aarhus N"), ("8210", "Aarhus V"), ("8220", "Brabrand"), ("8260", "Viby J"),
         ("8270", "Højbjerg"), ("8240", "Risskov"), ("8250", "Egå")]
DESTINATIONS = ["no_further_help"] * 4 + ["civil_society"] * 4 + ["authority", "dropped_out", "outreach", "moved"]
ATTENDANCE = (["attended"] * 85) + (["cancelled"] * 8) + (["no_show"] * 7)
BOSTOTTE_CHANNELS = ["home", "home", "home", "walk", "office", "phone", "video", "sms", "drop_in"]
ORS_ITEMS = ["individual", "interpersonal", "social", "overall"]
SRS_ITEMS = ["relationship", "goals", "approach", "overall"]
ONE, HALF, QUARTER = Decimal(1), Decimal("0.5"), Decimal("0.25")
DAY = datetime.timedelta(days=1)


@dataclass
class District:
    front_team: int
    bostotte_team: int
    host: int
    guides: list[int]
    bostotte: list[int]


@dataclass
class World:
    """What the citizens are generated against: offers, instruments, staff by district, catalogues."""

    districts: list[District]
    caseworkers: list[int]
    offers: dict[str, int]
    instruments: dict[str, tuple[int, int]]  # code → (instrument id, current version id)
    rem_items: list[str]
    topics: list[str]
    partners: list[int]
    price_items: list[int]
    backgrounds: dict[int, str] = field(default_factory=dict)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def _plan_variants(rnd: random.Random, count: int = 30) -> list[list[str]]:
    """Plan contents as JSON, each as its versions: written, then sub-goals done at each follow-up."""
    variants = []
    for _n in range(count):
        goals = []
        for text, steps in rnd.sample(PLAN_GOALS, rnd.randint(1, 3)):
            action_text, who, extra = rnd.choice(ACTIONS)
            goals.append({"citizen_text": text, "sub_goals": [{"text": s} for s in steps],
                          "actions": [{"text": action_text, "responsible": who, **extra}]})
        content = PlanContent.model_validate({"reason": rnd.choice(REASONS), "goals": goals,
                                              "dreams": rnd.sample(DREAMS, rnd.randint(1, 3))}).model_dump(mode="json")
        versions = [json.dumps(content)]
        for step in range(3):
            for goal in content["goals"]:
                if step < len(goal["sub_goals"]):
                    goal["sub_goals"][step]["status"] = "done"
            versions.append(json.dumps(content))
        content["goals"][0]["status"] = "achieved"
        versions.append(json.dumps(content))
        variants.append(versions)
    return variants


class Municipality:
    def __init__(self, writer: BulkWriter, world: World, *, seed: int, start: datetime.date, end: datetime.date):
        self.w, self.world, self.start, self.end = writer, world, start, end
        self.rnd = random.Random(seed)
        self.span = (end - start).days
        self.cpr_used: dict[datetime.date, int] = {}
        self.with_plan: set[int] = set()
        self.plans = _plan_variants(random.Random(seed + 1))
        self.ffb: dict[str, Any] = {"services": [ffb.code_named(ffb.services(), s) for s in SERVICES],
                    "targets": [ffb.code_named(ffb.target_groups(), t) for t in TARGET_GROUPS],
                    "offer_type": ffb.code_named(ffb.offer_types(), "Mobilt tilbud"),
                    "needs": [ffb.code_named(ffb.support_needs(), n) for n in ("Let støttebehov", "Moderat støttebehov")],
                    "goal_type": ffb.code_named(ffb.goal_types(), "Udvikle funktionsevne"),
                    "conditions": {c.display: c.code for c in ffb.activity_conditions()}}

    # -- one citizen ------------------------------------------------------------------------------------------

    def citizen(self, number: int) -> None:
        rnd, world = self.rnd, self.world
        district = world.districts[number % len(world.districts)]
        path = rnd.choices(PATHS, PATH_WEIGHTS)[0]
        latest = self.span - (5 * 365 if path == "long" else 0)
        first = self.start + datetime.timedelta(days=rnd.randrange(max(1, latest)))
        person = self._person(first)
        if rnd.random() < 0.3:
            self._anonymous_contact(district)
        if path == "ad_hoc":
            last = self._ad_hoc(person, district, first)
            self._caseload(person, district.front_team, district.host, first, last)
            return
        if path == "long":
            worker = rnd.choice(district.bostotte)
            last = self._bostotte(person, district, worker, first, years=rnd.randint(5, 7), per_week=1.2, fit=True)
            self._caseload(person, district.bostotte_team, worker, first, last)
            return
        guide = rnd.choice(district.guides)
        offer = "individual" if path == "individual" else "front_door"
        destination = "authority" if path == "bostotte" else None
        last, course, closed_on = self._front_door_course(person, district, guide, first, offer, destination)
        if path == "bostotte" and closed_on:
            worker = rnd.choice(district.bostotte)
            start = closed_on + datetime.timedelta(days=rnd.randint(7, 30))
            if start < self.end:
                self._caseload(person, district.front_team, guide, first, closed_on)
                last = self._bostotte(person, district, worker, start, years=rnd.choice([0.5, 1, 1, 2, 3]), per_week=1.3)
                self._caseload(person, district.bostotte_team, worker, start, last)
                return
        if closed_on and rnd.random() < 0.2:
            back = closed_on + datetime.timedelta(days=rnd.randint(30, 200))
            if back < self.end:
                last, _course, _closed = self._front_door_course(person, district, guide, back, "front_door", None,
                                                                 previous=course)
        self._caseload(person, district.front_team, guide, first, last)

    def _person(self, first: datetime.date) -> int:
        rnd = self.rnd
        sex = "female" if rnd.random() < 0.52 else "male"
        birth = datetime.date(rnd.randint(max(1940, first.year - 80), first.year - 18), rnd.randint(1, 12),
                              rnd.randint(1, 28))
        first_name, last_name = rnd.choice(FIRST_NAMES[sex]), rnd.choice(LAST_NAMES)
        postal_code, city = rnd.choice(TOWNS)
        pk = self.w.new_id(Person)
        self.w.add(Person, id=pk, cpr=self._cpr(birth, sex), first_name=first_name, last_name=last_name,
                   birth_date=birth, sex=sex, address=f"{rnd.choice(STREETS)} {rnd.randint(1, 120)}",
                   postal_code=postal_code, city=city, search_name=f"{first_name} {last_name}".lower(),
                   created_at=_at(first, 9), updated_at=_at(first, 9))
        return pk

    def _cpr(self, birth: datetime.date, sex: str) -> str:
        """A valid, unique CPR number for the date: the seventh digit gives the century, the last the sex."""
        n = self.cpr_used.get(birth, 0)
        self.cpr_used[birth] = n + 1
        if birth.year >= 2000:
            seventh, rest = 4, n
        else:
            seventh, rest = n // 500, n % 500
        tail = rest * 2 + (1 if sex == "male" else 0)
        return f"{birth:%d%m%y}{seventh}{tail:03d}"

    def _caseload(self, person: int, team: int, worker: int, start: datetime.date, last: datetime.date) -> None:
        ended = last + datetime.timedelta(days=90)
        self.w.add(CaseloadAssignment, id=self.w.new_id(CaseloadAssignment), person_id=person, team_id=team,
                   worker_id=worker, start=start, end=ended if ended < self.end else None)

    # -- the front door ---------------------------------------------------------------------------------------

    def _contact(self, district: District, at: datetime.datetime, person: int | None, outcome: str) -> int:
        rnd, world = self.rnd, self.world
        origin = rnd.choices(["citizen", "relative", "partner"], [50, 9, 41])[0]
        channel = rnd.choice(["walk_in", "walk_in", "walk_in", "phone", "form"] if origin == "citizen"
                             else ["phone", "phone", "email", "walk_in"])
        pk = self.w.new_id(Contact)
        self.w.add(Contact, id=pk, at=at, origin=origin, channel=channel, person_id=person, outcome=outcome,
                   partner_id=rnd.choice(world.partners) if origin == "partner" else None,
                   registered_by_id=district.host, handled=True)
        return pk

    def _anonymous_contact(self, district: District) -> None:
        day = self.start + datetime.timedelta(days=self.rnd.randrange(self.span))
        self._contact(district, _at(day, self.rnd.randint(8, 15)), None, self.rnd.choice(["information", "none", "ad_hoc"]))

    def _ad_hoc(self, person: int, district: District, first: datetime.date) -> datetime.date:
        rnd, day = self.rnd, first
        for _visit in range(rnd.choices([1, 2, 3, 4], [55, 25, 12, 8])[0]):
            if day >= self.end:
                break
            self._contact(district, _at(day, rnd.randint(8, 15)), person, "ad_hoc")
            hours = rnd.choice([QUARTER, HALF, HALF, ONE, Decimal("1.5")])
            self._activity(person, None, "ad_hoc", day, hours, district.host, channel="front_door",
                           topic=rnd.choice(self.world.topics))
            last, day = day, day + datetime.timedelta(days=rnd.randint(7, 120))
        return last

    def _front_door_course(self, person, district, guide, start, offer, destination, previous=None):
        """A guide conversation, sessions every two weeks or so, and a closing: (last day, course id, closed on)."""
        rnd, world = self.rnd, self.world
        contact = self._contact(district, _at(start, 9), person, "guide_conversation")
        weeks = 26 if offer == "individual" else rnd.randint(4, 20)
        planned_end = start + datetime.timedelta(weeks=weeks)
        closed_on = planned_end if planned_end < self.end else None
        course = self.w.new_id(Course)
        partner = rnd.choice([g for g in district.guides if g != guide] or world.caseworkers)
        talk = self._activity(person, course, "guide_conversation", start, ONE, guide, channel="front_door",
                              outcome="course_offered", second=partner)
        self.w.add(GuideConversation, id=self.w.new_id(GuideConversation), person_id=person, contact_id=contact,
                   activity_id=talk, course_id=course, location="front_door", outcome="course_started",
                   staff_1_id=guide, staff_1_background=world.backgrounds[guide], staff_2_id=partner,
                   staff_2_background=world.backgrounds[partner])
        last, level, slope = start, rnd.gauss(17, 5), rnd.choices([1.8, 0.4, -1.2], [60, 28, 12])[0]
        day, n = start + datetime.timedelta(days=rnd.randint(7, 14)), 0
        while day < (closed_on or self.end):
            kind = "follow_up" if n == 1 else ("assessment" if n == 4 else "coaching")
            attendance = rnd.choice(ATTENDANCE)
            self._activity(person, course, kind, day, ONE, guide, attendance=attendance,
                           channel=rnd.choice(["office", "office", "office", "phone", "video", "walk"]))
            if attendance == "attended" and rnd.random() < 0.6:
                self._fit(person, course, day, guide, level + slope * n)
            last, day, n = day, day + datetime.timedelta(days=rnd.randint(10, 18)), n + 1
        status, ending, kickoff_on = "active", "", None
        if closed_on:
            status, ending = "closed", destination or rnd.choice(DESTINATIONS)
            kickoff_on = closed_on + 7 * DAY if ending == "civil_society" else None
            last = max(last, closed_on)
            if rnd.random() < 0.8:
                self._shadow(course, closed_on, guide)
        self.w.add(Course, id=course, person_id=person, offer_id=world.offers[offer], start=start,
                   status=status, closed_on=closed_on, destination=ending, kickoff_on=kickoff_on, previous_id=previous,
                   responsible_id=guide, team_id=district.front_team, created_at=_at(start))
        if previous is None and rnd.random() < 0.6:
            self._plan(person, guide, start, min(3, weeks // 4), closed_on)
        return last, course, closed_on

    def _shadow(self, course: int, closed_on: datetime.date, assessor: int) -> None:
        rnd, items = self.rnd, self.world.price_items
        self.w.add(ShadowAssessment, id=self.w.new_id(ShadowAssessment), course_id=course,
                   would_have_id=rnd.choice(items) if rnd.random() < 0.57 else None,
                   actually_got_id=rnd.choice(items) if rnd.random() < 0.14 else None,
                   confidence=rnd.choice(["low", "medium", "medium", "high"]), assessed_by_id=assessor,
                   authority_experience=self.world.backgrounds[assessor] == "authority", assessed_at=_at(closed_on, 14))

    # -- bostøtte ---------------------------------------------------------------------------------------------

    def _bostotte(self, person, district, worker, start, *, years: float, per_week: float, fit: bool = False):
        rnd, world = self.rnd, self.world
        planned_end = start + datetime.timedelta(days=int(365 * years))
        closed_on = planned_end if planned_end < self.end else None
        self._grant(person, start)
        course = self.w.new_id(Course)
        self.w.add(Course, id=course, person_id=person, offer_id=world.offers["bostotte"], start=start,
                   status="closed" if closed_on else "active", closed_on=closed_on,
                   destination="no_further_help" if closed_on else "", responsible_id=worker,
                   team_id=district.bostotte_team, hours_package=rnd.choice(["<3", "3-6", "3-6", "6-20"]),
                   created_at=_at(start))
        stop = closed_on or self.end
        day, last, n = start, start, 0
        level, slope = rnd.gauss(15, 5), rnd.choice([0.15, 0.05, -0.05])
        while day < stop:
            channel = rnd.choice(BOSTOTTE_CHANNELS)
            hours = QUARTER if channel in ("sms", "phone") else rnd.choice([ONE, Decimal("1.5"), Decimal(2)])
            attendance = rnd.choice(ATTENDANCE)
            self._activity(person, course, "bostotte_contact", day, hours, worker, attendance=attendance, channel=channel)
            if fit and attendance == "attended" and rnd.random() < 0.6:
                self._fit(person, course, day, worker, level + slope * n)
            last, n = day, n + 1
            day += datetime.timedelta(days=max(1, int(rnd.expovariate(per_week / 7))))
        rem = start + datetime.timedelta(days=rnd.randint(40, 85))
        levels = [rnd.randint(1, 4) for _ in world.rem_items]
        while rem < stop:
            self._rem(person, course, rem, worker, levels)
            levels = [max(0, v - (1 if rnd.random() < 0.5 else 0)) for v in levels]
            rem += datetime.timedelta(days=365)
        self._plan(person, worker, start, min(12, (stop - start).days // 120), closed_on)
        return max(last, closed_on or last)

    def _grant(self, person: int, start: datetime.date) -> None:
        rnd, codes = self.rnd, self.ffb
        decided = start - datetime.timedelta(days=rnd.randint(3, 14))
        pk = self.w.new_id(Grant)
        caseworker = rnd.choice(self.world.caseworkers)
        self.w.add(Grant, id=pk, person_id=person, case_number=f"27.12.20-G01-{pk}-{decided.year}",
                   legal_basis="SEL § 85", service_code=rnd.choice(codes["services"]),
                   offer_type_code=codes["offer_type"], target_groups=json.dumps([rnd.choice(codes["targets"])]),
                   support_need_code=rnd.choice(codes["needs"]), hours_per_week=Decimal(rnd.choice([2, 3, 4])),
                   decided_on=decided, starts_on=start, follow_up_on=start + datetime.timedelta(days=90),
                   appeal_informed=True, decided_by_id=caseworker, created_at=_at(decided), updated_at=_at(decided))
        for title, area in rnd.sample(GRANT_GOALS, 2):
            baseline = rnd.choice([2, 2, 3, 3, 4])
            goal = self.w.new_id(GrantGoal)
            self.w.add(GrantGoal, id=goal, grant_id=pk, title=title, condition_code=codes["conditions"][area],
                       baseline_level=baseline, target_level=max(0, baseline - 2), goal_type_code=codes["goal_type"])
            self.w.add(GoalExpectation, id=self.w.new_id(GoalExpectation), goal_id=goal,
                       due_on=start + datetime.timedelta(days=90), expected_level=max(0, baseline - 1),
                       set_by_id=caseworker)

    # -- activities, measurements and plans -------------------------------------------------------------------

    def _activity(self, person, course, kind, on, hours, worker, *, attendance="attended", channel="", topic="",
                  outcome="", second=None) -> int:
        pk = self.w.new_id(Activity)
        delivered = hours if attendance == "attended" else Decimal(0)
        self.w.add(Activity, id=pk, person_id=person, course_id=course, kind=kind, on=on, delivered_hours=delivered,
                   attendance=attendance, channel=channel, topic=topic, outcome=outcome, registered_by_id=worker)
        for user in (worker, second) if second else (worker,):
            self.w.add(StaffTime, id=self.w.new_id(StaffTime), activity_id=pk, user_id=user,
                       hours=hours if attendance == "attended" else QUARTER)
        return pk

    def _fit(self, person, course, on, worker, level: float) -> None:
        rnd = self.rnd
        ors = min(38.0, max(2.0, level + rnd.uniform(-1.5, 1.5)))
        self._score(person, course, on, worker, "ORS", ORS_ITEMS, ors)
        self._score(person, course, on, worker, "SRS", SRS_ITEMS, 37.5 if rnd.random() > 0.12 else 33.0)

    def _score(self, person, course, on, worker, code, items, total: float) -> None:
        instrument, version = self.world.instruments[code]
        values = [Decimal(f"{min(10.0, max(0.0, total / 4 + self.rnd.uniform(-1.2, 1.2))):.1f}") for _ in items]
        self.w.add(Administration, id=self.w.new_id(Administration), person_id=person, version_id=version,
                   instrument_id=instrument, course_id=course, on=on, rater="citizen", status="complete", total=sum(values),
                   areas="{}", item_scores=json.dumps(score_texts(dict(zip(items, values)))),
                   administered_by_id=worker, created_at=_at(on, 11))

    def _rem(self, person, course, on, worker, levels: list[int]) -> None:
        instrument, version = self.world.instruments["REM-9"]
        scores = json.dumps({item: str(level) for item, level in zip(self.world.rem_items, levels)})
        self.w.add(Administration, id=self.w.new_id(Administration), person_id=person, version_id=version,
                   instrument_id=instrument, course_id=course, on=on, rater="joint", status="complete",
                   total=Decimal(sum(levels)), areas="{}", item_scores=scores, citizen_item_scores=scores,
                   administered_by_id=worker, created_at=_at(on, 11))

    def _plan(self, person, worker, start, follow_ups: int, closed_on) -> None:
        if person in self.with_plan:
            return
        self.with_plan.add(person)
        versions = self.rnd.choice(self.plans)
        plan = self.w.new_id(Plan)
        count = follow_ups + 1
        for number in range(1, count + 1):
            on = min(self.end, start + datetime.timedelta(weeks=4 * (number - 1)))
            content = versions[-1] if closed_on and number == count else versions[min(number - 1, len(versions) - 2)]
            self.w.add(PlanVersion, id=self.w.new_id(PlanVersion), plan_id=plan, number=number, content=content,
                       follow_up=number > 1, created_by_id=worker, created_at=_at(min(on, closed_on or on)))
        self.w.add(Plan, id=plan, person_id=person, coordinator_id=worker, started_on=start, version=count,
                   updated_at=_at(start))
