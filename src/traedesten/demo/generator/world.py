"""The staff, teams and catalogues a generated municipality runs on, made through the ORM (a few hundred rows)."""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from traedesten.accounts.models import Department, Team, User
from traedesten.courses.models import Offer
from traedesten.demo.data.economy import EXAMPLE_PRICES
from traedesten.economy.models import HourlyRate, Price, PriceItem
from traedesten.frontdoor.models import AdHocTopic, PartnerOrganisation
from traedesten.measures.models import Instrument

from .municipality import District, World

CITIZENS_PER_DISTRICT = 5_000


def build_world(citizens: int, start: datetime.date, password: str | None) -> World:
    """Districts of about 5,000 citizens, each with a front-door team and a bostøtte team, sized to the load."""
    social = Department.objects.get(code="social")
    authority = Department.objects.get(code="authority")
    hashed = make_password(password)  # one hash for all: the password is the same, and argon2 is slow on purpose
    districts = []
    count = max(1, round(citizens / CITIZENS_PER_DISTRICT))
    per_district = citizens / count
    backgrounds = {}

    def staff(username: str, role: str, team: Team | None, background: str = "provider") -> int:
        user = User.objects.create(username=username, password=hashed, role=role, background=background,
                                   first_name=username.split("-")[0].capitalize(), last_name=username.split("-", 1)[-1],
                                   email=f"{username}@generated.traedesten.dk")
        if team:
            user.teams.add(team)
        backgrounds[user.pk] = background
        return user.pk

    for d in range(1, count + 1):
        front = Team.objects.create(name=f"Din Indgang, distrikt {d}", department=social)
        home = Team.objects.create(name=f"Bostøtte, distrikt {d}", department=social)
        guides = [staff(f"guide-{d:02d}-{k:02d}", "guide", front, "authority" if k % 4 == 0 else "provider")
                  for k in range(1, max(2, round(per_district / 1_000)) + 1)]
        bostotte = [staff(f"bostotte-{d:02d}-{k:02d}", "bostotte", home)
                    for k in range(1, max(1, round(per_district / 600)) + 1)]
        districts.append(District(front_team=front.pk, bostotte_team=home.pk, host=staff(f"vaert-{d:02d}-01", "host", front),
                                  guides=guides, bostotte=bostotte))
    authority_team = Team.objects.create(name="Myndighed, voksne", department=authority)
    caseworkers = [staff(f"myndighed-{k:02d}", "authority", authority_team, "authority")
                   for k in range(1, max(1, round(citizens / 5_000)) + 1)]
    staff("leder-01", "manager", None)
    staff("analytiker-01", "analyst", None)
    items = _prices(start)
    instruments = {i.code: (i.pk, i.current.pk) for i in Instrument.objects.filter(code__in=["ORS", "SRS", "REM-9"])}
    rem = Instrument.objects.get(code="REM-9").current.parsed
    return World(districts=districts, caseworkers=caseworkers, backgrounds=backgrounds,
                 offers={"front_door": Offer.objects.get(front_door=True, kind="course").pk,
                         "individual": Offer.objects.get(front_door=False, kind="course").pk,
                         "bostotte": Offer.objects.get(kind="bostotte").pk},
                 instruments=instruments, rem_items=[i.code for i in rem.items],
                 topics=list(AdHocTopic.objects.values_list("name", flat=True)),
                 partners=list(PartnerOrganisation.objects.values_list("pk", flat=True)), price_items=items)


def _prices(start: datetime.date) -> list[int]:
    """Example prices and an hourly rate from the first day, so the business case has something to value."""
    items = {i.name: i for i in PriceItem.objects.all()}
    for name, annual in EXAMPLE_PRICES.items():
        if name in items and not items[name].prices.exists():
            Price.objects.create(item=items[name], annual_cost=Decimal(annual), valid_from=start)
    if not HourlyRate.objects.exists():
        HourlyRate.objects.create(amount=Decimal("311.94"), valid_from=start)
    return [items[name].pk for name in EXAMPLE_PRICES if name.startswith("§85") and name in items]
