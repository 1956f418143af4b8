"""Trajectories worth looking at: ORS and SRS at sessions, group SRS, REM in bostøtte, Fremtidsplanen and stars."""

import datetime
import random
from decimal import Decimal

from traedesten.courses.models import Activity, Course
from traedesten.measures import services
from traedesten.measures.models import Instrument

ORS_ITEMS = ["individual", "interpersonal", "social", "overall"]
SRS_ITEMS = ["relationship", "goals", "approach", "overall"]


def _split(total: float, rnd: random.Random, items: list[str], low=0.0, high=10.0, step=Decimal("0.1")) -> dict:
    per = total / len(items)
    return {code: Decimal(str(round(min(high, max(low, per + rnd.uniform(-1.2, 1.2))), 1))).quantize(step) for code in items}


class DemoMeasures:
    def __init__(self, rnd: random.Random, today, staff: dict):
        self.rnd, self.today, self.staff = rnd, today, staff
        self.instrument = {i.code: i for i in Instrument.objects.all()}

    def build(self) -> int:
        return self._fit() + self._groups() + self._bostotte() + self._stars()

    def _fit(self) -> int:
        made = 0
        courses = Course.objects.filter(offer__instruments__code="ORS", group=None).select_related("responsible").order_by("pk")
        for course in courses:
            sessions = list(course.activities.filter(attendance="attended").order_by("on", "pk"))
            if not sessions:
                continue
            level = self.rnd.gauss(17, 5)
            slope = self.rnd.choices([1.8, 0.4, -1.2], weights=[60, 28, 12])[0]
            worker = course.responsible or self.staff["guide"]
            for n, session in enumerate(sessions):
                if self.rnd.random() < 0.06:  # the citizen would not score today; the talk itself is still rated
                    services.decline(worker, course.person, self.instrument["ORS"], on=session.on, course=course)
                else:
                    total = min(38.0, max(2.0, level + slope * min(n, 8) + self.rnd.uniform(-1.5, 1.5)))
                    services.administer(worker, course.person, self.instrument["ORS"], on=session.on, course=course,
                                        values=_split(total, self.rnd, ORS_ITEMS))
                alliance = 37.5 if self.rnd.random() > 0.12 else 33
                services.administer(worker, course.person, self.instrument["SRS"], on=session.on, course=course,
                                    values=_split(alliance + self.rnd.uniform(-1, 2), self.rnd, SRS_ITEMS, low=5))
                made += 2
        return made

    def _groups(self) -> int:
        made = 0
        for activity in Activity.objects.filter(kind="group_session", attendance="attended").select_related("course").order_by("pk")[:400]:
            if self.rnd.random() < 0.5:
                services.administer(self.staff["guide"], activity.person, self.instrument["GSRS"], on=activity.on,
                                    course=activity.course, values=_split(36 + self.rnd.uniform(-4, 3), self.rnd, SRS_ITEMS, low=4))
                made += 1
        return made

    def _bostotte(self) -> int:
        rem, plan = self.instrument["REM-9"], self.instrument["FREMTIDSPLAN"]
        codes = [i.code for i in rem.current.parsed.items]
        worker, made = self.staff["bostotte"], 0
        for course in Course.objects.filter(offer__kind="bostotte").order_by("pk"):
            end = course.closed_on or self.today
            start_levels = [self.rnd.randint(1, 4) for _ in codes]
            when, n = course.start + datetime.timedelta(days=self.rnd.randint(40, 85)), 0
            while when <= end:
                levels = [max(0, lv - (n if self.rnd.random() < 0.6 else 0)) for lv in start_levels]
                worker_values = dict(zip(codes, map(Decimal, levels)))
                citizen_values, note = dict(worker_values), ""
                if self.rnd.random() < 0.3 and levels[5] > 0:
                    citizen_values[codes[5]] = Decimal(levels[5] - 1)
                    note = "Borgeren vurderer økonomien lidt bedre end bostøtten."
                services.administer(worker, course.person, rem, on=when, rater="joint", course=course,
                                    citizen_values=citizen_values, worker_values=worker_values, note=note)
                made, n, when = made + 1, n + 1, when + datetime.timedelta(days=self.rnd.randint(330, 355))
            if course.pk % 3 == 0 and course.start + datetime.timedelta(days=25) <= end:
                areas = plan.current.parsed
                values = {item.code: Decimal(self.rnd.randint(2, 10)) for item in areas.items}
                services.administer(worker, course.person, plan, on=course.start + datetime.timedelta(days=25), rater="joint",
                                    course=course, values=values)
                made += 1
        return made

    def _stars(self) -> int:
        star = self.instrument["STJERNE"]
        codes = [i.code for i in star.current.parsed.items]
        made = 0
        # a running course measures its star at the start and every three months
        for course in Course.objects.filter(offer__front_door=True, group=None, status="active").order_by("pk"):
            worker = course.responsible or self.staff["guide"]
            on, values = course.start, {c: Decimal(self.rnd.randint(2, 6)) for c in codes}
            while on <= self.today:
                services.administer(worker, course.person, star, on=on, course=course, values=values)
                values = {c: min(Decimal(10), v + self.rnd.choice([0, 1, 1, 2])) for c, v in values.items()}
                on, made = on + datetime.timedelta(days=self.rnd.randint(80, 90)), made + 1
        for course in Course.objects.filter(offer__front_door=True, group=None, status="closed").order_by("pk")[:60]:
            before = {c: Decimal(self.rnd.randint(2, 6)) for c in codes}
            after = {c: min(Decimal(10), v + self.rnd.choice([0, 1, 2, 3])) for c, v in before.items()}
            worker = course.responsible or self.staff["guide"]
            services.administer(worker, course.person, star, on=course.start, course=course, values=before)
            assert course.closed_on is not None, "a closed course has its closing day"
            services.administer(worker, course.person, star, on=course.closed_on, course=course, values=after)
            made += 2
        return made
