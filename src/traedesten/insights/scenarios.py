"""Synthetic datasets calibrated to published figures, written as interchange records and loaded by the importer.

Fredericia: "Din Indgang i tal" (seed-000 §2.6-2.7), 9 September 2016 to week 48 of 2017 (here: to 30 November).
Nordjylland: completed § 82 courses and those followed by a granted service, 1 April - 30 September 2021 (seed-001 §3.2).
The shapes (who returns, who bypasses, how hours spread) are invented; the totals are the published ones.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal as D
from typing import Iterator

from faker import Faker


@dataclass(frozen=True)
class Scenario:
    name: str
    start: datetime.date
    end: datetime.date
    records: callable


def _day(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


def _at(day: datetime.date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00+01:00"


class _People:
    def __init__(self, prefix: str, seed: int):
        self.fake = Faker("da_DK")
        self.fake.seed_instance(seed)
        self.prefix = prefix

    def person(self, n: int, rng: random.Random) -> dict:
        sex = rng.choice(["female", "male"])
        first = self.fake.first_name_female() if sex == "female" else self.fake.first_name_male()
        return {"type": "person", "id": f"{self.prefix}-p{n}", "first_name": first, "last_name": self.fake.last_name(),
                "birth_year": rng.randint(1950, 1998), "sex": sex}


FREDERICIA_OPENED = datetime.date(2016, 9, 9)
FREDERICIA_START, FREDERICIA_END = datetime.date(2016, 9, 1), datetime.date(2017, 11, 30)
"""Reports cover whole months: the data run from the opening day to 30 November 2017 (the source: to week 48)."""
DOOR = "Din Indgang Fredericia – forløb"
WOULD = [("§85 bostøtte, let", 36_000, 76), ("§85 bostøtte, moderat", 45_600, 30)]  # 106 citizens, 4,104,000 kr
GOT = [("§104 dagtilbud", 70_000, 16), ("§85 bostøtte, svær", 81_600, 10)]  # 26 citizens, 1,936,000 kr


def fredericia() -> Iterator[dict]:
    """269 citizens in a course (83 active at the end), 1,396 contacts, 186 closed citizens with shadow visitation."""
    rng = random.Random(2016)
    people = _People("fr", 2016)
    start, end = FREDERICIA_OPENED, FREDERICIA_END
    yield {"type": "header", "format": "traedesten-jsonl", "version": 1, "source": "seed_scenario fredericia"}
    yield {"type": "offer", "name": DOOR, "kind": "course", "legal_basis": "SEL §82b", "front_door": True, "max_weeks": 20}
    for name, cost, _n in WOULD + GOT:
        yield {"type": "price", "item": name, "legal_basis": name.split()[0], "annual_cost": cost, "valid_from": "2016-01-01"}
    yield {"type": "hourly_rate", "amount": D("311.94"), "valid_from": "2016-01-01"}

    # Citizens 0-82 are still active at the end; 83-268 are closed. 83-96 came back once (returns);
    # 97-112 stayed under four weeks before the authority granted a service (bypass); 97-202 had a shadow offer.
    courses: list[dict] = []
    closings: list[dict] = []
    for n in range(269):
        yield people.person(n, rng)
        if n < 83:
            first = _day(end, -rng.randint(10, 130))
            courses.append({"id": f"fr-c{n}", "person": n, "start": first, "closed": None})
        elif n < 97:
            first = _day(start, rng.randint(0, 250))
            courses.append({"id": f"fr-c{n}a", "person": n, "start": first, "closed": _day(first, 42)})
            again = _day(first, 63)
            courses.append({"id": f"fr-c{n}", "person": n, "start": again, "closed": _day(again, 49), "previous": f"fr-c{n}a"})
        elif n < 113:
            first = _day(start, rng.randint(0, 380))
            courses.append({"id": f"fr-c{n}", "person": n, "start": first, "closed": _day(first, rng.randint(10, 27)),
                            "destination": "authority"})
        else:
            first = _day(start, rng.randint(0, 300))
            courses.append({"id": f"fr-c{n}", "person": n, "start": first, "closed": _day(first, rng.randint(35, 139))})
    for n in range(16):
        yield {"type": "person", "id": f"fr-d{n}", "first_name": people.fake.first_name(), "last_name": people.fake.last_name(),
               "birth_year": rng.randint(1950, 1998), "sex": rng.choice(["female", "male"])}
    yield from _fredericia_contacts(rng, courses, start, end)
    for c in courses:
        yield {"type": "course", "id": c["id"], "person": f"fr-p{c['person']}", "offer": DOOR, "start": c["start"],
               **({"previous": c["previous"]} if c.get("previous") else {})}
        if c["closed"]:
            destinations = ["no_further_help", "civil_society", "outreach", "other"]
            closings.append({"type": "closing", "course": c["id"], "on": c["closed"],
                             "destination": c.get("destination") or rng.choice(destinations)})
    yield from closings
    yield from _fredericia_activities(rng, courses, end)
    yield from _fredericia_authority(rng, courses, start)


def _fredericia_contacts(rng, courses, start, end) -> Iterator[dict]:
    """1,396 contacts: 698 from citizens (50 %), 126 from relatives (9 %), 572 from partners (41 %)."""
    partners = ["Jobcenter", "Psykiatrien", "Egen læge", "Boligselskab", "Kriminalforsorgen"]
    channels = ["walk_in"] * 5 + ["phone"] * 4 + ["email"]
    firsts = {}
    for c in courses:
        firsts.setdefault(c["person"], c["start"])
    origins = ["citizen"] * 698 + ["relative"] * 126 + ["partner"] * 572
    first_origin = ["citizen"] * 180 + ["relative"] * 20 + ["partner"] * 69
    for origin in first_origin:
        origins.remove(origin)
    rng.shuffle(origins)
    span = (end - start).days
    for n, (person, day) in enumerate(sorted(firsts.items())):
        origin = first_origin[n]
        yield {"type": "contact", "id": f"fr-h{n}", "at": _at(max(start, _day(day, -rng.randint(0, 5))), 10),
               "origin": origin, "channel": rng.choice(channels), "person": f"fr-p{person}",
               "partner": rng.choice(partners) if origin == "partner" else None, "outcome": "guide_conversation"}
    for m, origin in enumerate(origins, len(firsts)):
        yield {"type": "contact", "id": f"fr-h{m}", "at": _at(_day(start, rng.randint(0, span)), rng.randint(9, 15)),
               "origin": origin, "channel": rng.choice(channels), "partner": rng.choice(partners) if origin == "partner" else None,
               "outcome": rng.choice(["ad_hoc", "information", "guide_conversation", "none"])}


def _fredericia_activities(rng, courses, end) -> Iterator[dict]:
    """Ad hoc 67 citizens/200 h, guide conversations 275 h, coaching 218 h, 57 citizens in groups, 3,350 h to the closed."""
    count = iter(range(10**6))

    def activity(c, kind, on, hours):
        return {"type": "activity", "id": f"fr-a{next(count)}", "person": f"fr-p{c['person']}", "course": c["id"],
                "kind": kind, "on": on, "hours": hours}

    def within(c):
        last = c["closed"] or end
        return _day(c["start"], rng.randint(0, max(0, (last - c["start"]).days)))

    closed = [c for c in courses if c["closed"]]
    active = [c for c in courses if not c["closed"]]
    for i, c in enumerate(courses):  # 283 guide conversations: 16 (on active courses) of half an hour, the rest of one hour
        yield activity(c, "guide_conversation", c["start"], D("0.5") if i < 16 else D(1))
    coached = closed[:150] + active[:68]
    for c in coached:
        yield activity(c, "coaching", within(c), D(1))
    group = [c for c in closed if c["person"] in range(113, 170)]
    for c in group:
        for _s in range(8):
            yield activity(c, "group_session", within(c), D(2))
    delivered = len(closed) + 150 + 2 * 8 * len(group)
    follow_up = 3350 - delivered
    per_course, extra = divmod(follow_up, len(closed))
    for i, c in enumerate(closed):
        hours = per_course + (1 if i < extra else 0)
        while hours > 0:
            h = min(2, hours)
            yield activity(c, "follow_up", within(c), D(h))
            hours -= h
    ad_hoc_people = [c for c in courses if c["person"] in range(150, 217) and not c.get("previous")]
    for i in range(100):
        c = ad_hoc_people[i % len(ad_hoc_people)]
        record = activity(c, "ad_hoc", within(c), D(2))
        record["course"] = None
        yield record


def _fredericia_authority(rng, courses, start) -> Iterator[dict]:
    """Grants after short stays and directly, and the shadow visitation of the 186 closed citizens."""
    last = {}
    for c in courses:
        if c["closed"]:
            last[c["person"]] = c
    would = [name for name, _cost, n in WOULD for _i in range(n)]
    got = [name for name, _cost, n in GOT for _i in range(n)]
    for person, c in sorted(last.items()):
        shadow = {"type": "shadow", "course": c["id"], "confidence": "medium"}
        if 97 <= person <= 202:
            shadow["would_have"] = would[person - 97]
        if 97 <= person < 123:
            shadow["actually_got"] = got[person - 97]
            decided = _day(c["closed"], rng.randint(5, 20))
            yield {"type": "grant", "id": f"fr-g{person}", "person": f"fr-p{person}", "legal_basis": "SEL §85",
                   "decided_on": decided, "starts_on": decided}
        yield shadow
    for n in range(16):
        decided = _day(start, 30 + 25 * n)
        yield {"type": "grant", "id": f"fr-gd{n}", "person": f"fr-d{n}", "legal_basis": "SEL §85",
               "decided_on": decided, "starts_on": decided}


NORDJYLLAND_START, NORDJYLLAND_END = datetime.date(2021, 4, 1), datetime.date(2021, 9, 30)
NORTH_SERVICES = [("Fremdrift (Aalborg)", 38, 34), ("Den Gode Modtagelse (Hjørring)", 119, 48),
                  ("Det Sociale Pitstop (Frederikshavn)", 32, 9), ("Daghuset (Thisted)", 22, 6)]


def nordjylland() -> Iterator[dict]:
    """Per service: completed § 82 courses in the half year, and how many were followed by a granted service."""
    rng = random.Random(2021)
    people = _People("nj", 2021)
    start, end = NORDJYLLAND_START, NORDJYLLAND_END
    yield {"type": "header", "format": "traedesten-jsonl", "version": 1, "source": "seed_scenario nordjylland"}
    for name, _completed, _granted in NORTH_SERVICES:
        yield {"type": "offer", "name": name, "kind": "course", "legal_basis": "SEL §82b", "front_door": True, "max_months": 6}
    n = 0
    for s, (name, completed, granted) in enumerate(NORTH_SERVICES):
        for i in range(completed):
            yield people.person(n, rng)
            closed = _day(start, rng.randint(0, (end - start).days))
            course = f"nj-c{n}"
            yield {"type": "course", "id": course, "person": f"nj-p{n}", "offer": name, "start": _day(closed, -rng.randint(42, 180))}
            yield {"type": "closing", "course": course, "on": closed,
                   "destination": "authority" if i < granted else rng.choice(["no_further_help", "civil_society"])}
            if i < granted:
                decided = _day(closed, rng.randint(7, 120))
                yield {"type": "grant", "id": f"nj-g{n}", "person": f"nj-p{n}", "legal_basis": "SEL §85",
                       "decided_on": decided, "starts_on": decided}
            n += 1


SCENARIOS = {
    "fredericia": Scenario("fredericia", FREDERICIA_START, FREDERICIA_END, fredericia),
    "nordjylland": Scenario("nordjylland", NORDJYLLAND_START, NORDJYLLAND_END, nordjylland),
}
