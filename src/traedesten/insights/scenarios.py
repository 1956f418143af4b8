"""Synthetic datasets calibrated to published figures, written as interchange records and loaded by the importer.

Fredericia: "Din Indgang i tal" (seed-000 §2.6-2.7), 9 September 2016 to week 48 of 2017 (here: to 30 November).
Nordjylland: completed § 82 courses and those followed by a granted service, 1 April - 30 September 2021 (seed-001 §3.2).
The shapes (who returns, who bypasses, how hours spread) are invented; the totals are the published ones.
"""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal as D

from .enplan_scenario import END as ENPLAN_END, START as ENPLAN_START, enplan
from .scenario_parts import People as _People, Scenario, at as _at, day as _day

FREDERICIA_OPENED = datetime.date(2016, 9, 9)
FREDERICIA_START, FREDERICIA_END = datetime.date(2016, 9, 1), datetime.date(2017, 11, 30)
"""Reports cover whole months: the data run from the opening day to 30 November 2017 (the source: to week 48)."""
DOOR = "Din Indgang Fredericia – forløb"
STAFF = ["fr-guide-1", "fr-guide-2"]
"""User names of the two staff at the guide conversations (inactive accounts made by the import)."""
# The secondary tables (seed 000 reports no values for them; these shapes are invented and asserted by the tests):
CHANNELS = ["walk_in"] * 5 + ["phone"] * 4 + ["email"]
"""Channel of the n-th contact, in turn: 700 walk-ins, 557 calls and 139 e-mails of the 1,396."""
WALK_IN_MINUTES = [0, 5, 5, 10, 10, 10, 15, 20, 30, 45]
"""Minutes the j-th walk-in waited to be received, in turn: median 10, 90th percentile 30."""
WAIT_DAYS = [0, 0, 0, 1, 1, 2, 2, 3, 5, 7]
"""Days from citizen n's first contact to the guide conversation: median 1, 90th percentile 5."""
MONTHS = [60, 75, 80, 85, 85, 90, 95, 100, 100, 100, 105, 105, 100, 105, 111]
"""Contacts per month, September 2016 to November 2017 (1,396)."""
ENDINGS = ["no_further_help", "civil_society", "no_further_help", "outreach", "other"]
"""Where the latest course of a closed citizen who did not go to the authority ended, in turn (170: 68, 34, 34, 34)."""
WOULD = [("§85 bostøtte, let", 36_000, 76), ("§85 bostøtte, moderat", 45_600, 30)]  # 106 citizens, 4,104,000 kr
GOT = [("§104 dagtilbud", 70_000, 16), ("§85 bostøtte, svær", 81_600, 10)]  # 26 citizens, 1,936,000 kr


def fredericia() -> Iterator[dict]:
    """269 citizens in a course (83 active at the end), 1,396 contacts, 186 closed citizens with shadow visitation."""
    rng = random.Random(2016)
    people = _People("fr", 2016)
    start, end = FREDERICIA_OPENED, FREDERICIA_END
    yield {"type": "header", "format": "traedesten-jsonl", "version": "1.1", "source": "seed_scenario fredericia"}
    yield {"type": "offer", "name": DOOR, "kind": "course", "legal_basis": "SEL §82b", "front_door": True, "max_weeks": 20}
    for name, cost, _n in WOULD + GOT:
        yield {"type": "price", "item": name, "legal_basis": name.split()[0], "annual_cost": cost, "valid_from": "2016-01-01"}
    yield {"type": "hourly_rate", "amount": D("311.94"), "valid_from": "2016-01-01"}

    # Citizens 0-82 are still active at the end; 83-268 are closed. 83-96 came back once (returns);
    # 97-112 stayed under four weeks before the authority granted a service (bypass); 97-202 had a shadow offer.
    # Courses start a week after the opening at the earliest, so every first contact falls after the opening.
    courses: list[dict] = []
    closings: list[dict] = []
    door, endings = _day(start, max(WAIT_DAYS)), iter(ENDINGS * 34)
    for n in range(269):
        yield people.person(n, rng)
        if n < 83:
            first = _day(end, -rng.randint(10, 130))
            courses.append({"id": f"fr-c{n}", "person": n, "start": first, "closed": None})
        elif n < 97:
            first = _day(door, rng.randint(0, 250))
            courses.append({"id": f"fr-c{n}a", "person": n, "start": first, "closed": _day(first, 42),
                            "destination": "no_further_help"})
            again = _day(first, 63)
            courses.append({"id": f"fr-c{n}", "person": n, "start": again, "closed": _day(again, 49), "previous": f"fr-c{n}a",
                            "destination": next(endings)})
        elif n < 113:
            first = _day(door, rng.randint(0, 380))
            courses.append({"id": f"fr-c{n}", "person": n, "start": first, "closed": _day(first, rng.randint(10, 27)),
                            "destination": "authority"})
        else:
            first = _day(door, rng.randint(0, 300))
            courses.append({"id": f"fr-c{n}", "person": n, "start": first, "closed": _day(first, rng.randint(35, 139)),
                            "destination": next(endings)})
    for n in range(16):
        yield {"type": "person", "id": f"fr-d{n}", "first_name": people.fake.first_name(), "last_name": people.fake.last_name(),
               "birth_year": rng.randint(1950, 1998), "sex": rng.choice(["female", "male"])}
    yield from _fredericia_contacts(rng, courses, start, end)
    for c in courses:
        yield {"type": "course", "id": c["id"], "person": f"fr-p{c['person']}", "offer": DOOR, "start": c["start"],
               **({"previous": c["previous"]} if c.get("previous") else {})}
        if c["closed"]:
            closings.append({"type": "closing", "course": c["id"], "on": c["closed"], "destination": c["destination"]})
    yield from closings
    yield from _fredericia_activities(rng, courses, end)
    yield from _fredericia_conversations(courses)
    yield from _fredericia_authority(rng, courses, start)


def _month_days(start: datetime.date, end: datetime.date) -> list[list[datetime.date]]:
    days: dict[tuple[int, int], list[datetime.date]] = {}
    for n in range((end - start).days + 1):
        day = _day(start, n)
        days.setdefault((day.year, day.month), []).append(day)
    return list(days.values())


def _fredericia_contacts(rng, courses, start, end) -> Iterator[dict]:
    """1,396 contacts: 698 from citizens (50 %), 126 from relatives (9 %), 572 from partners (41 %); each citizen's first
    contact WAIT_DAYS before their first course, the rest spread to give MONTHS; channels and waits in turn."""
    partners = ["Jobcenter", "Psykiatrien", "Egen læge", "Boligselskab", "Kriminalforsorgen"]
    firsts: dict[int, datetime.date] = {}
    for c in courses:
        firsts.setdefault(c["person"], c["start"])
    origins = ["citizen"] * 698 + ["relative"] * 126 + ["partner"] * 572
    first_origin = ["citizen"] * 180 + ["relative"] * 20 + ["partner"] * 69
    for origin in first_origin:
        origins.remove(origin)
    rng.shuffle(origins)
    first_days = [_day(day, -WAIT_DAYS[n % len(WAIT_DAYS)]) for n, (_person, day) in enumerate(sorted(firsts.items()))]
    other_days = []
    for target, days in zip(MONTHS, _month_days(start, end)):
        taken = sum(1 for day in first_days if (day.year, day.month) == (days[0].year, days[0].month))
        if taken > target:
            raise ValueError(f"{taken} first contacts in {days[0]:%Y-%m}, more than the {target} planned")
        other_days += sorted(rng.choice(days) for _n in range(target - taken))
    walk_ins = iter(range(10**6))

    def contact(m: int, day: datetime.date, hour: int, origin: str, **rest) -> dict:
        channel = CHANNELS[m % len(CHANNELS)]
        record = {"type": "contact", "id": f"fr-h{m}", "at": _at(day, hour), "origin": origin, "channel": channel,
                  "partner": rng.choice(partners) if origin == "partner" else None, **rest}
        if channel == "walk_in":
            record["received_at"] = _at(day, hour, WALK_IN_MINUTES[next(walk_ins) % len(WALK_IN_MINUTES)])
        return record
    for n, (person, day) in enumerate(zip(sorted(firsts), first_days)):
        yield contact(n, day, 10, first_origin[n], person=f"fr-p{person}", outcome="guide_conversation")
    for m, (origin, day) in enumerate(zip(origins, other_days), len(firsts)):
        yield contact(m, day, 13, origin, outcome=rng.choice(["ad_hoc", "information", "guide_conversation", "none"]))


def _fredericia_conversations(courses) -> Iterator[dict]:
    """Each citizen's first course began with a guide conversation (activity fr-a<i>) after their first contact."""
    seen = set()
    for i, c in enumerate(courses):
        if c["person"] not in seen:
            seen.add(c["person"])
            yield {"type": "guide_conversation", "activity": f"fr-a{i}", "contact": f"fr-h{c['person']}",
                   "outcome": "course_started", "location": "front_door", "staff": STAFF}


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
BOSTOTTE_START = datetime.date(2018, 1, 1)
NORTH_SERVICES = [("Fremdrift (Aalborg)", "SEL §82b", 38, 34), ("Den Gode Modtagelse (Hjørring)", "SEL §82b", 119, 48),
                  ("Det Sociale Pitstop (Frederikshavn)", "SEL §82b", 32, 9), ("Daghuset (Thisted)", "SEL §82a", 22, 6)]
WORKSHOP = "Fremdrift – workshops (Aalborg)"
WORKSHOP_CITIZENS = 15
"""Fremdrift's first 15 citizens go on in a § 82a workshop the day their individual course closes (seed-001 L609-615)."""
BOSTOTTE = "Bostøtte § 85 (Hjørring)"
# The appendix tables lost their values in the source (seed-001: images); these shapes are invented and asserted:
BORN = [datetime.date(1996, 6, 15)] * 3 + [datetime.date(1981, 6, 15)] * 4 + [datetime.date(1964, 6, 15)] * 2 + [
    datetime.date(1950, 6, 15)]
"""Birth date of citizen n, in turn: on 30 September 2021 aged 25, 40, 57 and 71 (18-29, 30-49, 50-64, 65+)."""
LENGTH_DAYS = [45, 60, 75, 90, 105, 120, 135, 150, 165, 180]
"""Days citizen n's course lasted, in turn: all under 6 months."""
AFTER = ["SEL §85", "SEL §85", "SEL §85", "SEL §83", "SEL §104"]
"""The legal basis of the service granted after a course, in turn over the 97 citizens who got one."""


def bostotte_citizens(month: datetime.date) -> int:
    """§ 85 citizens per month: 20 in 2018, 16 in 2019, 14 in the first half of 2020, then 18 (a rise from mid-2020)."""
    if month.year == 2018:
        return 20
    if month.year == 2019:
        return 16
    return 14 if (month.year, month.month) < (2020, 7) else 18


def nordjylland() -> Iterator[dict]:
    """Per service: completed § 82 courses in the half year and how many were followed by a granted service; the
    appendix tables (citizens per § 82a/§ 82b, ages, lengths, services around the course) and § 85 from 2018."""
    rng = random.Random(2021)
    people = _People("nj", 2021)
    start, end = NORDJYLLAND_START, NORDJYLLAND_END
    yield {"type": "header", "format": "traedesten-jsonl", "version": "1.1", "source": "seed_scenario nordjylland"}
    for name, basis, _completed, _granted in NORTH_SERVICES:
        yield {"type": "offer", "name": name, "kind": "group" if basis == "SEL §82a" else "course", "legal_basis": basis,
               "front_door": True, "max_months": 6}
    yield {"type": "offer", "name": WORKSHOP, "kind": "group", "legal_basis": "SEL §82a"}
    yield {"type": "offer", "name": BOSTOTTE, "kind": "bostotte", "legal_basis": "SEL §85", "requires_grant": True}
    yield {"type": "hourly_rate", "amount": 300, "valid_from": BOSTOTTE_START}
    n, after = 0, iter(AFTER * 20)
    for name, _basis, completed, granted in NORTH_SERVICES:
        for i in range(completed):
            yield people.person(n, rng) | {"birth_date": BORN[n % len(BORN)]}
            closed = _day(start, rng.randint(0, (end - start).days))
            first = _day(closed, -LENGTH_DAYS[n % len(LENGTH_DAYS)])
            course = f"nj-c{n}"
            yield {"type": "course", "id": course, "person": f"nj-p{n}", "offer": name, "start": first}
            yield {"type": "closing", "course": course, "on": closed,
                   "destination": "authority" if i < granted else rng.choice(["no_further_help", "civil_society"])}
            if name == NORTH_SERVICES[0][0] and i < WORKSHOP_CITIZENS:
                yield {"type": "course", "id": f"nj-w{n}", "person": f"nj-p{n}", "offer": WORKSHOP, "start": closed}
            services = [(f"nj-gb{n}", "SEL §85", _day(first, -60))] if n % 10 == 3 else []
            services += [(f"nj-gd{n}", "SEL §83", _day(first, 14))] if n % 10 == 8 else []
            services += [(f"nj-g{n}", next(after), _day(closed, rng.randint(7, 120)))] if i < granted else []
            for key, basis, day in services:
                yield {"type": "grant", "id": key, "person": f"nj-p{n}", "legal_basis": basis, "decided_on": day,
                       "starts_on": day}
            n += 1
    yield from _north_bostotte(people, rng)


def _north_bostotte(people, rng) -> Iterator[dict]:
    """§ 85 citizens from January 2018 to September 2021: four visits of two hours a month each."""
    count = iter(range(10**6))
    for k in range(20):
        yield people.person(1000 + k, rng) | {"id": f"nj-b{k}"}
        yield {"type": "course", "id": f"nj-bc{k}", "person": f"nj-b{k}", "offer": BOSTOTTE, "start": BOSTOTTE_START}
    month = BOSTOTTE_START
    while month <= NORDJYLLAND_END:
        for k in range(bostotte_citizens(month)):
            for day in (3, 10, 17, 24):
                yield {"type": "activity", "id": f"nj-ba{next(count)}", "person": f"nj-b{k}", "course": f"nj-bc{k}",
                       "kind": "bostotte_contact", "on": month.replace(day=day), "hours": 2}
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


SCENARIOS = {
    "fredericia": Scenario("fredericia", FREDERICIA_START, FREDERICIA_END, fredericia),
    "nordjylland": Scenario("nordjylland", NORDJYLLAND_START, NORDJYLLAND_END, nordjylland),
    "enplan": Scenario("enplan", ENPLAN_START, ENPLAN_END, enplan),
}
