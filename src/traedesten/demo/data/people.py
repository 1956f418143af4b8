"""Plain-data generators for the demo municipality. Deterministic for a seed and a date."""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from faker import Faker

from traedesten.accounts.roles import Role

PASSWORD = "traedesten-demo"

TEAMS = {
    "frontdoor": ("Din Indgang", "Den åbne indgang: værter og guider"),
    "authority": ("Myndighed Voksen", "Myndighedsrådgivere i voksenafdelingen"),
    "bostotte": ("Bostøtte", "Socialpædagogisk støtte efter §85"),
    "outreach": ("Udgående team (SKP)", "Opsøgende medarbejdere efter §99"),
    "civil": ("Frivillighed og civilsamfund", "Frivilligkoordinering og peers"),
    "jobcentre": ("Jobcenter, ressourceforløb", "Jobcenterets rådgivere i Én plan-samarbejdet"),
}
# Caseload norms per team (seed 002: Egedal 32 in psychiatry and substance misuse, 45 in handicap; Gribskov 25 young
# people per caseworker). The demo's choice of which number fits which team.
NORMS = {"bostotte": (32, "Egedal: 32 sager pr. medarbejder i psykiatri og misbrug"),
         "outreach": (45, "Egedal: 45 sager pr. medarbejder på handicapområdet"),
         "frontdoor": (25, "Gribskov: 25 borgere pr. medarbejder i ungeindsatsen")}
TEAM_DEPARTMENTS = {"frontdoor": "social", "authority": "authority", "bostotte": "social", "outreach": "social",
                    "civil": "social", "jobcentre": "jobcentre"}

# username, role, team keys, background
STAFF = [
    ("vaert", Role.HOST, ["frontdoor"], "provider"),
    ("guide", Role.GUIDE, ["frontdoor"], "provider"),
    ("guide2", Role.GUIDE, ["frontdoor"], "authority"),
    ("myndighed", Role.AUTHORITY, ["authority"], "authority"),
    ("bostotte", Role.BOSTOTTE, ["bostotte"], "provider"),
    ("peer", Role.PEER, ["civil"], "other"),
    ("opsoegende", Role.OUTREACH, ["outreach"], "provider"),
    ("koordinator", Role.VOLUNTEER_COORDINATOR, ["civil"], "provider"),
    ("frivillig", Role.VOLUNTEER, ["civil"], "other"),
    ("leder", Role.MANAGER, ["frontdoor", "bostotte", "outreach"], "authority"),
    ("analytiker", Role.ANALYST, [], "other"),
    ("admin", Role.ADMIN, [], "other"),
    ("databeskyttelse", Role.DPO, [], "other"),
    ("jobcenter", Role.AUTHORITY, ["jobcentre"], "authority"),
    ("vagt", Role.ON_CALL, ["bostotte"], "provider"),
    ("myndighedsleder", Role.MANAGER, ["authority"], "authority"),
]

POSTAL = [("7000", "Fredericia"), ("7000", "Fredericia"), ("7000", "Fredericia"), ("7007", "Fredericia"),
          ("7080", "Børkop"), ("6000", "Kolding"), ("7100", "Vejle")]
RELATIONS = ["parent", "child", "partner", "sibling", "friend", "neighbour", "professional", "family"]
PROFESSIONS = [("Egen læge", "Lægehuset Danmarksgade"), ("Kontaktperson", "Jobcenter Fredericia"),
               ("Behandler", "Regionspsykiatrien Vejle"), ("Sagsbehandler", "Ydelseskontoret"),
               ("Boligsocial medarbejder", "Boligselskabet Lejerbo")]


@dataclass(frozen=True)
class DemoStaff:
    username: str
    first_name: str
    last_name: str
    role: str
    teams: tuple[str, ...]
    background: str


@dataclass(frozen=True)
class DemoPerson:
    data: dict
    pseudonymous: bool
    approx_age: int | None
    teams: tuple[str, ...]
    network: tuple[dict, ...]


def make_cpr(rnd: random.Random, birth: datetime.date, sex: str) -> str:
    """A CPR number whose century digit and sex digit agree with `birth` and `sex`."""
    if birth.year < 2000:
        first = rnd.choice("0123")
    else:
        first = rnd.choice("49") if birth.year < 2037 else rnd.choice("5678")
    middle = f"{rnd.randrange(100):02d}"
    last = rnd.choice("13579" if sex == "male" else "02468")
    return birth.strftime("%d%m%y") + first + middle + last


def demo_staff(seed: int) -> list[DemoStaff]:
    fake = Faker("da_DK")
    fake.seed_instance(seed)
    return [
        DemoStaff(username, fake.first_name(), fake.last_name(), role, tuple(teams), background)
        for username, role, teams, background in STAFF
    ]


def demo_people(seed: int, today: datetime.date, count: int = 300) -> list[DemoPerson]:
    fake = Faker("da_DK")
    fake.seed_instance(seed + 1)
    rnd = random.Random(seed)
    people: list[DemoPerson] = []
    used_cpr: set[str] = set()
    for i in range(count):
        sex = rnd.choice(["male", "female"])
        age_days = rnd.randint(18 * 365 + 5, 82 * 365)
        birth = today - datetime.timedelta(days=age_days)
        teams = _teams(rnd)
        if i % 15 == 14:
            people.append(DemoPerson({}, True, (today - birth).days // 365, teams, ()))
            continue
        first = fake.first_name_male() if sex == "male" else fake.first_name_female()
        postal, city = rnd.choice(POSTAL)
        data: dict[str, Any] = {
            "first_name": first,
            "last_name": fake.last_name(),
            "address": fake.street_address(),
            "postal_code": postal,
            "city": city,
            "phone": f"{rnd.choice('2345678')}{rnd.randrange(10**7):07d}",
            "email": "",
            "contact_wish": rnd.choice(["sms", "sms", "email", "none"]),
            "sex": sex,
        }
        if data["contact_wish"] == "email":
            data["email"] = f"{first.lower()}.{rnd.randrange(1000)}@example.dk".replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
        if rnd.random() < 0.9:
            cpr = make_cpr(rnd, birth, sex)
            while cpr in used_cpr:
                cpr = make_cpr(rnd, birth, sex)
            used_cpr.add(cpr)
            data["cpr"] = cpr
        else:
            data["birth_date"] = birth
        people.append(DemoPerson(data, False, None, teams, tuple(_network(fake, rnd))))
    return people


def _teams(rnd: random.Random) -> tuple[str, ...]:
    roll = rnd.random()
    if roll < 0.5:
        teams = ["frontdoor"]
    elif roll < 0.75:
        teams = ["bostotte"]
    elif roll < 0.9:
        teams = ["authority"]
    else:
        teams = ["outreach"]
    if rnd.random() < 0.15 and "authority" not in teams:
        teams.append("authority")
    if rnd.random() < 0.08:
        teams.append("civil")
    return tuple(teams)


def _network(fake: Faker, rnd: random.Random):
    for _ in range(rnd.choice([0, 1, 1, 2, 2, 3])):
        relation = rnd.choice(RELATIONS)
        member = {
            "name": fake.name(),
            "relation": relation,
            "phone": f"{rnd.choice('2345678')}{rnd.randrange(10**7):07d}",
            "closeness": rnd.choice([1, 2, 2, 3]),
            "is_next_of_kin": relation in ("parent", "partner") and rnd.random() < 0.5,
        }
        if relation == "professional":
            role, org = rnd.choice(PROFESSIONS)
            member |= {"organisation": org, "note": role}
        yield member
