"""The Én plan experiment (seed 004, VIVE 2021): nine municipalities, three clusters, 1,254 participants, the closing
survey's 504 answers and its SMS funnel, and the 98 case descriptions' progression categories, written as interchange
records and loaded by the importer.

Published: participants per municipality and cluster (Table 1.1; Helsingør's 99 families were 306 persons), answers
per version and completeness (Table 2.1 and L949-951), the SMS funnel (L1009-1011), the cases per municipality and
cluster (Table 2.2) and their categories per cluster (Table 4.2, with its two split family cases). Invented, and
asserted only as shapes: names, ages, dates, how many persons the other families had (three each), which units
answered and were described, and the answers themselves. A unit is a citizen in the adult or youth cluster, or a
family in the family cluster. Each municipality is a team.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from . import catalogue, surveys
from .scenario_parts import People, day

START, END = datetime.date(2016, 9, 1), datetime.date(2020, 7, 15)
SURVEY_OPENS = datetime.date(2019, 12, 2)
"""The survey ran from December 2019 to mid-July 2020 (L934)."""
OFFER = "Én plan – sammenhængende forløb"
QUESTIONNAIRES = {"adult_youth": catalogue.CLOSING_CODES["single"], "family": catalogue.CLOSING_CODES["family"]}
DEFINITIONS = {"adult_youth": catalogue.CLOSING["single"], "family": catalogue.CLOSING["family"]}
COORDINATOR = "ep-koordinator"
"""The user name of the staff member who records the categories (an inactive account made by the import)."""


@dataclass(frozen=True)
class Group:
    municipality: str
    cluster: str
    sub_target_group: str
    units: int
    persons: int = 0
    """Persons in the families of a family group (0: three per family, invented)."""


PARTICIPANTS = [
    Group("Allerød", "adult", "", 440), Group("Ballerup", "family", "", 30), Group("Fredensborg", "adult", "", 35),
    Group("Frederikssund", "youth", "", 48), Group("Furesø", "adult", "", 121), Group("Furesø", "family", "", 25),
    Group("Gribskov", "youth", "", 19), Group("Gribskov", "family", "", 22), Group("Halsnæs", "youth", "", 79),
    Group("Halsnæs", "adult", "", 100), Group("Halsnæs", "family", "", 32), Group("Helsingør", "youth", "", 16),
    Group("Helsingør", "adult", "hjerneskade", 90), Group("Helsingør", "adult", "rusmiddel", 66),
    Group("Helsingør", "family", "", 99, persons=306), Group("Hillerød", "youth", "", 17),
    Group("Hillerød", "adult", "", 15),
]
"""Table 1.1 (L450-507): 1,254 units; by cluster 867 adult, 179 youth and 208 families."""

ANSWERS = {  # municipality: (adult and youth answers, family answers), Table 2.1
    "Allerød": (141, 0), "Ballerup": (0, 18), "Fredensborg": (25, 0), "Frederikssund": (14, 0), "Furesø": (72, 15),
    "Gribskov": (7, 6), "Halsnæs": (91, 24), "Helsingør": (48, 18), "Hillerød": (25, 0)}
"""423 answers to the adult and youth version and 81 to the family version: 504."""
INCOMPLETE = {"adult_youth": 57, "family": 10}
"""Partial answers (L949-951): 366 + 57 and 71 + 10."""
SMS = {"adult_youth": (216, 41, 16), "family": (68, 17, 4)}
"""SMS invitations sent, complete and partial answers by SMS (L1009-1011)."""
CASES = {("Fredensborg", "adult"): 7, ("Allerød", "adult"): 9, ("Ballerup", "family"): 7, ("Frederikssund", "youth"): 7,
         ("Furesø", "adult"): 8, ("Furesø", "family"): 6, ("Gribskov", "youth"): 6, ("Gribskov", "family"): 6,
         ("Hillerød", "adult"): 6, ("Hillerød", "youth"): 6, ("Halsnæs", "adult"): 5, ("Halsnæs", "youth"): 5,
         ("Halsnæs", "family"): 5, ("Helsingør", "adult"): 5, ("Helsingør", "youth"): 5, ("Helsingør", "family"): 5}
"""The 98 case descriptions per municipality and cluster (Table 2.2, the four extra included): 40 adult, 29 youth and
29 family cases."""
CATEGORIES: dict[str, list] = {
    "youth": ["progression"] * 12 + ["partial"] * 5 + ["none"] * 10 + ["regression"] * 2,
    "adult": ["progression"] * 10 + ["partial"] * 11 + ["none"] * 15 + ["regression"] * 4,
    "family": [("progression", "none"), ("partial", "none")] + ["progression"] * 11 + ["partial"] * 6 + ["none"] * 5
              + ["regression"] * 5}
"""Table 4.2 in the order the cases are taken: a family's pair is a split case (its first member in the first
category, the others in the second). Progression 34, partial 23, none 32 and regression 11 of 98."""
REASONS = {"progression": "I job eller uddannelse, og familien trives bedre", "partial": "Tættere på job eller uddannelse",
           "none": "Ingen konkret fremgang i trivsel eller tilknytning", "regression": "Trivsel eller tilknytning er forværret"}
NON_RESPONSE = ["left", "declined", "unreachable", "moved", "language", "cognitive", "unable", "hospital",
                "relationship", "prison", "deceased"]


def _family_sizes(group: Group) -> list[int]:
    if not group.persons:
        return [3] * group.units
    fours = group.persons - 3 * group.units  # 306 persons in 99 families: 9 of four and 90 of three
    return [4] * fours + [3] * (group.units - fours)


def _answers(defn: dict, complete: bool, rng: random.Random) -> dict:
    """An answer to every question shown (complete), or to the first two (partial)."""
    parsed = surveys.parse(defn)
    answers: dict = {}
    for q in parsed.questions:
        if q.key not in {v.key for v in surveys.visible(parsed, answers)} or q.type == "text":
            continue
        values = [k for k, _l in q.choices()]
        answers[q.key] = [rng.choice(values)] if q.type == "multi" else rng.choice(values)
        if not complete and len(answers) == 2:
            break
    return answers


def enplan() -> Iterator[dict]:
    rng = random.Random(2021)
    people = People("ep", 2021)
    yield {"type": "header", "format": "traedesten-jsonl", "version": "1.2", "source": "seed_scenario enplan"}
    yield {"type": "offer", "name": OFFER, "kind": "course", "legal_basis": "Frikommuneforsøg"}
    units = []  # (version, municipality, person key of the one invited, course key, closed on)
    described = dict(CASES)
    cases = {cluster: iter(categories) for cluster, categories in CATEGORIES.items()}
    n = 0
    for g, group in enumerate(PARTICIPANTS):
        sizes = _family_sizes(group) if group.cluster == "family" else [1] * group.units
        for u, size in enumerate(sizes):
            start = day(START, rng.randint(0, (SURVEY_OPENS - START).days - 120))
            closed = day(start, rng.randint(120, (END - start).days - 1))
            keys = []
            for m in range(size):
                key = f"ep-p{n}"
                youth = group.cluster == "youth" or (group.cluster == "family" and m >= 2)
                born = rng.randint(1995, 2001) if youth else rng.randint(1960, 1990)
                yield people.person(n, rng) | {"birth_year": born, "team": group.municipality,
                                               "cluster": group.cluster, "sub_target_group": group.sub_target_group}
                yield {"type": "course", "id": f"ep-c{n}", "person": key, "offer": OFFER, "start": start,
                       "team": group.municipality}
                yield {"type": "closing", "course": f"ep-c{n}", "on": closed, "destination": "no_further_help"}
                keys.append(key)
                n += 1
            if group.cluster == "family":
                yield {"type": "household", "id": f"ep-f{g}-{u}", "name": f"Familie {g}-{u}", "cluster": "family",
                       "started_on": start, "ended_on": closed,
                       "members": [{"person": k, "role": "adult" if i < 2 else "young", "joined_on": start,
                                    "left_on": closed} for i, k in enumerate(keys)]}
            version = "family" if group.cluster == "family" else "adult_youth"
            units.append((version, group.municipality, keys[0], f"ep-c{n - len(keys)}", closed))
            if described.get((group.municipality, group.cluster)):
                described[group.municipality, group.cluster] -= 1
                family = f"ep-f{g}-{u}" if group.cluster == "family" else None
                yield from _case(keys, n - len(keys), family, next(cases[group.cluster]), closed)
    yield from _surveys(units, rng)


def _case(keys: list[str], first: int, family: str | None, category: str | tuple[str, str],
          closed: datetime.date) -> Iterator[dict]:
    """The coordinator's category at the closing, one row per member of a family (a pair: a split family)."""
    for i, key in enumerate(keys):
        picked = category if isinstance(category, str) else category[0 if i == 0 else 1]
        yield {"type": "case_progression", "id": f"ep-cp{first + i}", "person": key, "household": family,
               "occasion": "closing", "course": f"ep-c{first + i}", "assessed_on": closed, "category": picked,
               "reason": REASONS[picked], "assessed_by": COORDINATOR}


def _surveys(units: list[tuple[str, str, str, str, datetime.date]], rng: random.Random) -> Iterator[dict]:
    """Who answered: per municipality and version the published number, the first units in order; the SMS
    invitations go to units that had closed before the survey opened, answered ones first."""
    answering: set[int] = set()
    for municipality, (adult_youth, family) in ANSWERS.items():
        for version, wanted in (("adult_youth", adult_youth), ("family", family)):
            mine = [i for i, u in enumerate(units) if u[0] == version and u[1] == municipality]
            answering.update(mine[:wanted])
    for version in ("adult_youth", "family"):
        sent, sms_complete, sms_partial = SMS[version]
        mine = [i for i, u in enumerate(units) if u[0] == version]
        answered = [i for i in mine if i in answering]
        by_sms = [i for i in answered if units[i][4] < SURVEY_OPENS][:sms_complete + sms_partial]
        silent_sms = [i for i in mine if i not in answering and units[i][4] < SURVEY_OPENS][:sent - len(by_sms)]
        sms = set(by_sms) | set(silent_sms)
        assert len(by_sms) == sms_complete + sms_partial and len(sms) == sent, "the dates leave too few early closings"
        partial = set(by_sms[sms_complete:]) | set([i for i in answered if i not in sms][:INCOMPLETE[version] - sms_partial])
        for k, i in enumerate(mine):
            _version, _m, person, course, closed = units[i]
            invited = max(closed, SURVEY_OPENS)
            at = f"{invited.isoformat()}T10:00:00+01:00"
            record: dict[str, object] = {"type": "survey", "id": f"ep-s{i}", "questionnaire": QUESTIONNAIRES[version],
                                         "person": person,
                      "course": course, "channel": "sms" if i in sms else "link", "invited_at": at}
            if i in sms:
                record |= {"sent_at": at, "reminders_sent": 2 if i not in answering else 0}
            if i in answering:
                record["response"] = {"answers": _answers(DEFINITIONS[version], i not in partial, rng),
                                      "submitted_at": f"{day(invited, 3).isoformat()}T12:00:00+01:00"}
            else:
                record["non_response"] = NON_RESPONSE[k % len(NON_RESPONSE)] if k % 3 == 0 else ""
            yield record
