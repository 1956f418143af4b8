"""What the synthetic scenarios share: the scenario itself, dates and times, and fake citizens."""

import datetime
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from faker import Faker


@dataclass(frozen=True)
class Scenario:
    name: str
    start: datetime.date
    end: datetime.date
    records: Callable[[], Iterable[dict[str, Any]]]


def day(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


def at(day: datetime.date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00+01:00"


class People:
    def __init__(self, prefix: str, seed: int):
        self.fake = Faker("da_DK")
        self.fake.seed_instance(seed)
        self.prefix = prefix

    def person(self, n: int, rng: random.Random) -> dict:
        sex = rng.choice(["female", "male"])
        first = self.fake.first_name_female() if sex == "female" else self.fake.first_name_male()
        return {"type": "person", "id": f"{self.prefix}-p{n}", "first_name": first, "last_name": self.fake.last_name(),
                "birth_year": rng.randint(1950, 1998), "sex": sex}
