"""The KPI catalogue. Each KPI is one function from a Scope to a Table of exact figures; docs/kpis.md defines each one.

Every figure is judged from the history as of the period's last day (or, where a definition says so, a fixed day
after it), never from today's status, so a past period gives the same figures whenever it is asked for.
`report()` gives the published tables: rounded by the disclosure rule (traedesten.core.disclosure).
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import CharField, Count, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.authority.models import Grant, GrantStatus
from traedesten.core import disclosure
from traedesten.core.dates import add_months
from traedesten.courses.models import Activity, Course, Destination
from traedesten.economy.metrics import granted_after
from traedesten.economy.models import HourlyRate
from traedesten.frontdoor.models import Contact, GuideConversation
from traedesten.measures import scoring
from traedesten.measures.models import Administration, Instrument
from traedesten.measures.services import OWN_RATERS
from traedesten.people.models import Person

from . import appendix, outcomes
from .scope import Scope
from .tables import NONE, Column, Row, Table, counts, in_bands, median

DEFINITIONS_VERSION = "2026.4"
"""The version of docs/kpis.md's definitions; a frozen report records it. Raise it whenever a definition changes."""
BYPASS_DAYS = 28
GRANT_WINDOW_MONTHS = 6
LENGTH_BANDS = ((0, 4), (4, 8), (8, 12), (12, 20), (20, 26), (26, None))


_SHARED: ContextVar[dict | None] = ContextVar("kpi_shared", default=None)


@contextmanager
def _one_report() -> Iterator[None]:
    """While a report is computed, figures that several key figures are built from are read once (see `_shared`)."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _shared(key: tuple, compute: Callable):
    memo = _SHARED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _contacts(scope: Scope):
    """Contacts on the period's Danish days, as a range of stored times so the database need not convert each one."""
    first = timezone.make_aware(datetime.datetime.combine(scope.start, datetime.time.min))
    after = timezone.make_aware(datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min))
    q = Q(at__gte=first, at__lt=after)
    if scope.narrows_persons:
        q &= Q(person__isnull=False) & scope.person_q("person__")
    return Contact.objects.filter(q)


def _contact_counts(scope: Scope) -> dict[tuple[str, str, datetime.date], int]:
    """{(origin, channel, first day of the month): contacts}: the three contact tables come from this one read."""
    def read():
        rows = (_contacts(scope).annotate(month=TruncMonth("at")).values_list("origin", "channel", "month")
                .annotate(n=Count("pk")).order_by())
        return {(origin, channel, month): n for origin, channel, month, n in rows}
    return _shared(("contacts", scope), read)


def _contacts_by(scope: Scope, part: int) -> dict:
    found: dict = defaultdict(int)
    for key, n in _contact_counts(scope).items():
        found[key[part]] += n
    return found


def _courses(scope: Scope):
    return Course.objects.filter(scope.course_q())


def _overlapping(scope: Scope):
    """Courses that ran at some point in the period."""
    return _courses(scope).filter(start__lte=scope.end).exclude(closed_on__lt=scope.start)


def _active_on(day: datetime.date) -> Q:
    """Courses running on a day: started on or before it and not closed by then (a course closed that day is closed)."""
    return Q(start__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def _closed_in(scope: Scope):
    return _courses(scope).filter(closed_on__gte=scope.start, closed_on__lte=scope.end)


def contacts_by_origin(scope: Scope) -> Table:
    found = _contacts_by(scope, 0)
    return counts("contacts_by_origin", _("Henvendelser efter hvem der henvender sig"),
                  [(k, label, found.get(k, 0)) for k, label in Contact.Origin.choices],
                  column=_("Henvendelser"), total_label=_("Alle henvendelser"),
                  note=_("Tilbud, team og lovgrundlag gælder ikke henvendelser; alder og køn udelader anonyme."))


def contacts_by_channel(scope: Scope) -> Table:
    found = _contacts_by(scope, 1)
    return counts("contacts_by_channel", _("Henvendelser efter kanal"),
                  [(k, label, found.get(k, 0)) for k, label in Contact.Channel.choices],
                  column=_("Henvendelser"), total_label=_("Alle henvendelser"))


def contacts_per_month(scope: Scope) -> Table:
    items = [(f"{month:%Y-%m}", f"{month:%Y-%m}", n) for month, n in sorted(_contacts_by(scope, 2).items())]
    return counts("contacts_per_month", _("Henvendelser pr. måned"), items, column=_("Henvendelser"), with_share=False,
                  total_label=_("I alt"))


def persons(scope: Scope) -> Table:
    found = _overlapping(scope).aggregate(unique=Count("person", distinct=True),
                                          active=Count("person", distinct=True, filter=_active_on(scope.end)))
    return counts("persons", _("Unikke borgere i forløb"),
                  [("active", _("Aktive på periodens sidste dag"), found["active"]),
                   ("closed", _("Afsluttede (intet aktivt forløb)"), found["unique"] - found["active"])],
                  column=_("Borgere"), total_label=_("Unikke borgere i forløb i perioden"))


def activities(scope: Scope) -> Table:
    rows = Activity.objects.filter(scope.activity_q(), attendance=Activity.Attendance.ATTENDED)
    per_kind = {k: (p, h or Decimal(0), n) for k, p, h, n in
                rows.values_list("kind").annotate(p=Count("person", distinct=True), h=Sum("delivered_hours"),
                                                  n=Count("pk"))}
    table = Table("activities", _("Unikke borgere og leverede timer pr. aktivitetstype"),
                  [Column(_("Unikke borgere")), Column(_("Leverede timer"), "hours"), Column(_("Aktiviteter"))])
    for kind, label in Activity.Kind.choices:
        people, hours, n = per_kind.get(kind, (0, Decimal(0), 0))
        table.rows.append(Row(label, [people, hours, n], kind))
    everyone = rows.values("person").distinct().count()
    table.total = Row(_("I alt (en borger tælles én gang)"), [everyone, sum((h for _p, h, _n in per_kind.values()), Decimal(0)),
                                                           sum(n for _p, _h, n in per_kind.values())], "total")
    table.note = _("Kun aktiviteter, borgeren mødte op til. Timer er leverede timer, ikke medarbejdertimer.")
    return table


def returns(scope: Scope) -> Table:
    """Courses started in the period after the same citizen's course that was closed on or before their start."""
    started = _courses(scope).filter(start__gte=scope.start, start__lte=scope.end, previous__person=F("person"),
                                     previous__closed_on__lte=F("start"))
    found = started.aggregate(courses=Count("pk"), persons=Count("person", distinct=True))
    return Table("returns", _("Genhenvendelser"), [Column(_("Antal"))], [
        Row(_("Forløb startet som genhenvendelse efter et afsluttet forløb"), [found["courses"]], "courses"),
        Row(_("Borgere med en genhenvendelse"), [found["persons"]], "persons")])


@dataclass(frozen=True)
class Bypass:
    short_stay: set
    direct: set
    new_citizens: int


def bypass_sets(scope: Scope) -> Bypass:
    """Citizens granted a service in the period who never came through the front door, or stayed under 4 weeks.

    Dates carry no time of day, so a course or contact on the grant's own day counts as before it ("on or before").
    """
    first_grant = dict(Grant.objects.filter(status=GrantStatus.DECIDED, decided_on__gte=scope.start, decided_on__lte=scope.end)
                       .filter(scope.person_q("person__")).values_list("person").annotate(d=Min("decided_on")))
    door = Course.objects.filter(offer__front_door=True, person__in=list(first_grant))
    courses = defaultdict(list)
    for pk, person_id, start, closed_on in door.values_list("pk", "person_id", "start", "closed_on"):
        courses[person_id].append((start, pk, closed_on))
    contacted = defaultdict(list)
    for person_id, day in Contact.objects.filter(person__in=list(first_grant)).values_list("person_id", TruncDate("at")):
        contacted[person_id].append(day)
    short, direct = set(), set()
    for person_id, granted in first_grant.items():
        before = sorted(c for c in courses[person_id] if c[0] <= granted)
        if not before:
            if not any(day <= granted for day in contacted[person_id]):
                direct.add(person_id)
            continue
        start, _pk, closed_on = before[-1]
        if closed_on is not None and closed_on <= granted and (closed_on - start).days < BYPASS_DAYS:
            short.add(person_id)
    return Bypass(short, direct, _new_citizens(scope))


def _new_at_front_door(scope: Scope, q: Q):
    """Citizens (as {"person": id} rows) whose first front-door course matching q started in the period."""
    return (Course.objects.filter(offer__front_door=True).filter(q).values("person").annotate(first=Min("start"))
            .filter(first__gte=scope.start, first__lte=scope.end))


def _new_citizens(scope: Scope) -> int:
    """How many citizens are new at the front door in the period, whatever course they are on. Without a course
    filter these are the citizens of `flow`, so a report reads them once."""
    if scope.narrows_courses:
        return _new_at_front_door(scope, scope.person_q("person__")).count()
    return len(_flow_rows(scope))


def bypass(scope: Scope) -> Table:
    found = bypass_sets(scope)
    share = Column(_("Andel af nye borgere"), "share", of=0, base="row:new")
    table = Table("bypass", _("Gået uden om indgangen"), [Column(_("Borgere")), share])
    table.rows = [Row(_("Under 4 uger i indgangen, derefter bevilling"), [len(found.short_stay), None], "short_stay"),
                  Row(_("Bevilling uden at have været i indgangen"), [len(found.direct), None], "direct"),
                  Row(_("Nye borgere: første forløb i indgangen startede i perioden"), [found.new_citizens, None], "new")]
    table.total = Row(_("Gået uden om i alt"), [len(found.short_stay) + len(found.direct), None], "total")
    table.note = _("Borgere med første bevilling i perioden. Andelen er af de nye borgere i indgangen.")
    return table


def flow(scope: Scope) -> Table:
    """Citizens whose first front-door course started in the period: who made the first contact, and where they were
    on the period's last day (their latest front-door course then: still running, or the destination it closed to)."""
    origins = [("none", _("Ingen registreret henvendelse"))] + list(Contact.Origin.choices)
    ends = [("active", _("Stadig i forløb"))] + list(Destination.choices)
    matrix = [[0] * len(ends) for _o in origins]
    o_index = {k: i for i, (k, _l) in enumerate(origins)}
    e_index = {k: i for i, (k, _l) in enumerate(ends)}
    for origin, closed_on, destination in _flow_rows(scope):
        still_active = closed_on is None or closed_on > scope.end
        matrix[o_index[origin or "none"]][e_index["active" if still_active else destination]] += 1
    table = Table("flow", _("Fra første henvendelse til afslutning (borgere)"),
                  [Column(label) for _k, label in ends] + [Column(_("I alt"))])
    for (key, label), row in zip(origins, matrix):
        table.rows.append(Row(label, row + [sum(row)], key))
    columns = [sum(row[c] for row in matrix) for c in range(len(ends))]
    table.total = Row(_("I alt"), columns + [sum(columns)], "total")
    return table


def _flow_rows(scope: Scope) -> list[tuple]:
    """(first contact's origin, latest front-door course's closing day and destination) per citizen new in the period."""
    def read():
        first_contact = (Contact.objects.filter(person=OuterRef("person"), at__date__lte=scope.end)
                         .order_by("at", "pk").values("origin")[:1])
        last_course = (Course.objects.filter(scope.course_q(), offer__front_door=True, person=OuterRef("person"),
                                             start__lte=scope.end).order_by("-start", "-pk"))
        return list(_new_at_front_door(scope, scope.course_q())
                    .annotate(origin=Subquery(first_contact), closed_on=Subquery(last_course.values("closed_on")[:1]),
                              destination=Subquery(last_course.values("destination")[:1]))
                    .values_list("origin", "closed_on", "destination"))
    return _shared(("flow", scope), read)


def closings(scope: Scope) -> Table:
    found = dict(_closed_in(scope).values_list("destination").annotate(n=Count("pk")))
    return counts("closings", _("Afslutninger efter hvor borgeren gik videre til"),
                  [(k, label, found.get(k, 0)) for k, label in Destination.choices],
                  column=_("Afsluttede forløb"), total_label=_("Afsluttede forløb i alt"))


def _p90(values: list) -> Decimal:
    """The nearest-rank 90th percentile: the value at position ⌈0.9 × n⌉ of the sorted values."""
    ordered = sorted(values)
    return Decimal(ordered[math.ceil(Decimal("0.9") * len(ordered)) - 1])


def waiting(scope: Scope) -> Table:
    walk_ins = _contacts(scope).filter(channel=Contact.Channel.WALK_IN, received_at__isnull=False)
    minutes = [max(0, int((received - at).total_seconds() // 60)) for at, received in walk_ins.values_list("at", "received_at")]
    conversations = GuideConversation.objects.filter(
        activity__on__gte=scope.start, activity__on__lte=scope.end, contact__isnull=False).filter(scope.person_q("person__"))
    if scope.narrows_courses:
        conversations = conversations.filter(course__isnull=False).filter(scope.course_q("course__"))
    asked_on = TruncDate("contact__at")  # the contact's Danish day
    days = [max(0, (on - asked).days) for on, asked in conversations.values_list("activity__on", asked_on)]
    table = Table("waiting", _("Ventetider"), [Column(_("Median"), "number", of=2), Column(_("90 % venter højst"), "number", of=2),
                                               Column(_("Antal"))])
    for key, label, values in (("walk_in", _("Ventetid ved fremmøde (minutter)"), minutes),
                               ("guide_conversation", _("Fra henvendelse til guidesamtale (dage)"), days)):
        middle, p90 = (median(values), _p90(values)) if values else (NONE, NONE)
        table.rows.append(Row(label, [middle, p90, len(values)], key))
    return table


def course_lengths(scope: Scope) -> Table:
    weeks = [(closed_on - start).days / 7 for start, closed_on in _closed_in(scope).values_list("start", "closed_on")]
    table = Table("course_lengths", _("Forløbslængder (afsluttede forløb)"),
                  [Column(_("Forløb")), Column(_("Andel"), "share"), Column(_("Median (uger)"), "number")])
    for key, label, n in in_bands(weeks, LENGTH_BANDS, _("%(low)s-%(high)s uger"), _("%(low)s uger eller mere")):
        table.rows.append(Row(label, [n, None, NONE], key))
    table.total = Row(_("Afsluttede forløb"), [len(weeks), None, median(weeks) if weeks else NONE], "total")
    return table


def followed_by_grant(scope: Scope) -> Table:
    """Per offer: courses closed in the period on offers that need no grant, and those followed by a granted service
    within GRANT_WINDOW_MONTHS of the closing day (economy.metrics.granted_after)."""
    courses = _closed_in(scope).filter(offer__requires_grant=False)
    closed = list(courses.values_list("pk", "person_id", "closed_on", "offer__name"))
    followed = granted_after([(c, p, d) for c, p, d, _o in closed], courses.values("person_id"), GRANT_WINDOW_MONTHS)
    per_offer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pk, _p, _d, offer in closed:
        per_offer[offer][0] += 1
        per_offer[offer][1] += pk in followed
    final = add_months(scope.end, GRANT_WINDOW_MONTHS)
    table = Table("followed_by_grant", _("Afsluttede forløb efterfulgt af en bevilget indsats"),
                  [Column(_("Afsluttede forløb")), Column(_("Efterfulgt af bevilling")),
                   Column(_("Andel"), "share", of=1, base=0)],
                  note=_("Bevilling (eller forløb i et tilbud, der kræver bevilling) senest %(m)s måneder efter afslutningen. "
                         "Tallene er endelige fra %(day)s.") % {"m": GRANT_WINDOW_MONTHS, "day": f"{final:%d.%m.%Y}"})
    for name in sorted(per_offer):
        table.rows.append(Row(name, per_offer[name] + [None], name))
    table.total = Row(_("I alt"), [sum(c for c, _g in per_offer.values()), sum(g for _c, g in per_offer.values()), None],
                      "total")
    return table


def progression(scope: Scope) -> Table:
    """Per instrument: first against latest own score for citizens whose latest score falls in the period."""
    table = Table("progression", _("Progression: første mod seneste måling"),
                  [Column(_("Borgere")), Column(_("Gennemsnitlig ændring"), "number"),
                   Column(_("Pålideligt bedret")), Column(_("Andel bedret"), "share", of=2, base=0),
                   Column(_("Pålideligt forværret")), Column(_("Andel forværret"), "share", of=4, base=0)],
                  note=_("Ændring i den gode retning. Pålidelig ændring efter Jacobson-Truax med måleredskabets grænse."))
    administrations = Administration.objects.filter(total__isnull=False, rater__in=OWN_RATERS, on__lte=scope.end)
    administrations = administrations.filter(scope.person_q("person__"))
    if scope.narrows_courses:
        administrations = administrations.filter(course__isnull=False).filter(scope.course_q("course__"))
    for instrument in Instrument.objects.filter(active=True).exclude(code="FFB-FUNKTIONSEVNE").order_by("code"):
        defn = instrument.current.parsed
        pairs = _first_and_latest(administrations.filter(instrument=instrument), scope)
        if not pairs:
            continue
        n = len(pairs)
        change = sum((scoring.improvement(defn, a, b) for a, b in pairs), Decimal(0)) / n
        classes = [scoring.classify(defn, a, b) for a, b in pairs]
        better = sum(c in (scoring.RECOVERED, scoring.IMPROVED) for c in classes)
        worse = sum(c == scoring.DETERIORATED for c in classes)
        table.rows.append(Row(instrument.name, [n, change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                                                better, None, worse, None], instrument.code))
    return table


def _first_and_latest(administrations, scope: Scope) -> list[tuple[Decimal, Decimal]]:
    """(first, latest) total per citizen with two or more scores whose latest falls in the period.

    Only citizens scored in the period are looked at, each with two index lookups, not the whole history.
    """
    series = administrations.filter(person=OuterRef("pk")).annotate(
        # id and total in one column, so each end of the series is one index lookup rather than two
        key=Concat(Cast("pk", CharField()), Value(" "), Cast("total", CharField()), output_field=CharField()))
    first, latest = series.order_by("on", "pk"), series.order_by("-on", "-pk")
    rows = (Person.objects.filter(pk__in=administrations.filter(on__gte=scope.start).values("person"))
            .annotate(first=Subquery(first.values("key")[:1]), latest=Subquery(latest.values("key")[:1]))
            .order_by().values_list("first", "latest"))
    pairs = []
    for first_key, latest_key in rows:
        first_id, first_total = first_key.split()
        latest_id, latest_total = latest_key.split()
        if first_id != latest_id:
            pairs.append((Decimal(first_total), Decimal(latest_total)))
    return pairs


def bostotte(scope: Scope) -> Table:
    """§85 citizens, delivered hours and their amount (hours × the hourly rate valid that day) per month."""
    attended = Activity.objects.filter(scope.activity_q(), attendance=Activity.Attendance.ATTENDED,
                                       course__offer__legal_basis__code__contains="85")
    rates = [r for r in HourlyRate.objects.order_by("-valid_from", "-pk")
             if r.valid_from <= scope.end and (r.valid_to is None or r.valid_to >= scope.start)]
    periods, unpriced_days = _rate_periods(rates, scope)
    per_rate = {f"h{i}": Sum("delivered_hours", filter=q) if q else Sum("delivered_hours")
                for i, (_amount, q) in enumerate(periods)}
    unpriced = (Value(0) if unpriced_days is None else Count("pk", filter=unpriced_days) if unpriced_days
                else Count("pk"))
    rows = (attended.annotate(month=TruncMonth("on")).values_list("month")
            .annotate(p=Count("person", distinct=True), h=Sum("delivered_hours"), unpriced=unpriced, **per_rate)
            .order_by("month"))
    table = Table("bostotte", _("§ 85 bostøtte: borgere, leverede timer og beløb pr. måned"),
                  [Column(_("Borgere")), Column(_("Leverede timer"), "hours"), Column(_("Beløb (kr)"), "amount")],
                  note=_("Beløb: leverede timer gange timeprisen den dag; \"–\" når en dag mangler en timepris."))
    for month, p, h, unpriced, *hours in rows:
        key = f"{month:%Y-%m}"
        amount = NONE if unpriced else sum((a * (n or 0) for (a, _q), n in zip(periods, hours, strict=True)), Decimal(0))
        table.rows.append(Row(key, [p, h or Decimal(0), amount.quantize(Decimal(1)) if isinstance(amount, Decimal) else amount],
                              key))
    return table


def _rate_periods(rates: list[HourlyRate], scope: Scope) -> tuple[list[tuple[Decimal, Q]], Q | None]:
    """Per hourly rate (newest first), the days it prices: a day takes the newest rate in force, as in `economy`. Also
    the days no rate prices (`None`: none). So a month's amount is one sum of hours per rate, read with its hours."""
    newest = rates[0] if rates else None
    if newest and newest.valid_from <= scope.start and (newest.valid_to is None or newest.valid_to >= scope.end):
        return [(newest.amount, Q())], None  # the usual case: one rate for the whole period
    periods: list[tuple[Decimal, Q]] = []
    priced: Q | None = None
    for rate in rates:
        covers = Q(on__gte=rate.valid_from) & (Q(on__lte=rate.valid_to) if rate.valid_to else Q())
        periods.append((rate.amount, covers if priced is None else covers & ~priced))
        priced = covers if priced is None else priced | covers
    return periods, Q() if priced is None else ~priced


@dataclass(frozen=True)
class Kpi:
    key: str
    compute: Callable[[Scope], Table]
    chart: str = ""
    """How the dashboard draws it: bars, hbars, flow, or nothing (table only)."""


CATALOGUE: list[Kpi] = [
    Kpi("contacts_by_origin", contacts_by_origin, "hbars"),
    Kpi("contacts_by_channel", contacts_by_channel, "hbars"),
    Kpi("contacts_per_month", contacts_per_month, "bars"),
    Kpi("persons", persons),
    Kpi("activities", activities),
    Kpi("returns", returns),
    Kpi("bypass", bypass),
    Kpi("flow", flow, "flow"),
    Kpi("closings", closings, "hbars"),
    Kpi("waiting", waiting),
    Kpi("course_lengths", course_lengths, "bars"),
    Kpi("followed_by_grant", followed_by_grant),
    Kpi("progression", progression),
    Kpi("bostotte", bostotte, "bars"),
    Kpi("citizens_by_paragraph", appendix.citizens_by_paragraph),
    Kpi("completed_by_age", appendix.completed_by_age, "bars"),
    Kpi("course_months", appendix.course_months, "bars"),
    Kpi("services_around", appendix.services_around),
    Kpi("case_progression", outcomes.progression_by_cluster),
    Kpi("theme_change", outcomes.theme_change),
    Kpi("complaints", outcomes.complaints),
]
BY_KEY = {k.key: k for k in CATALOGUE}


def exact(scope: Scope, keys: list[str] | None = None) -> list[tuple[Kpi, Table]]:
    """The exact figures, for tests and for checking a definition. Never shown to anybody."""
    with _one_report():
        return [(kpi, kpi.compute(scope).exact()) for kpi in CATALOGUE if keys is None or kpi.key in keys]


def report(scope: Scope, keys: list[str] | None = None) -> list[tuple[Kpi, Table]]:
    """The published figures: what the page, the exports, `traedesten kpi` and frozen reports show."""
    with _one_report():
        return [(kpi, kpi.compute(scope).published()) for kpi in CATALOGUE if keys is None or kpi.key in keys]


def has_data(results: list[tuple[Kpi, Table]]) -> bool:
    """Whether any published figure is above 0 (else the report says so instead of showing zeros).

    Judged on the published figures, so "no data" says no more than the zeros would.
    """
    return any(isinstance(v, (int, Decimal)) and v and column.kind in ("count", "hours")
               for _kpi, table in results for row in table.all_rows() for column, v in zip(table.columns, row.values))


def as_data(scope: Scope, results: list[tuple[Kpi, Table]]) -> dict:
    return {"period": {"from": scope.start.isoformat(), "to": scope.end.isoformat()}, "filters": scope.as_dict(),
            "definitions": DEFINITIONS_VERSION, "rounding": disclosure.BASE, "empty": not has_data(results),
            "kpis": [table.as_data() for _kpi, table in results]}
