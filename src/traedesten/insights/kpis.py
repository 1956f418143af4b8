"""The KPI catalogue. Each KPI is one function from a Scope to a Table; docs/kpis.md defines each one exactly."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from django.db.models import CharField, Count, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils.translation import gettext_lazy as _

from traedesten.authority.models import Grant
from traedesten.economy.metrics import granted_after
from traedesten.core.suppression import SMALL_CELL, suppress, suppress_line, suppress_matrix
from traedesten.courses.models import Activity, Course, Destination
from traedesten.frontdoor.models import Contact, GuideConversation
from traedesten.measures import scoring
from traedesten.measures.models import Administration, Instrument
from traedesten.measures.services import OWN_RATERS
from traedesten.people.models import Person

from .scope import Scope
from .tables import NONE, Column, Row, Table, counts, hide_like, share, shown

BYPASS_DAYS = 28
GRANT_WINDOW_MONTHS = 6
LENGTH_BANDS = ((0, 4), (4, 8), (8, 12), (12, 20), (20, 26), (26, None))


def _contacts(scope: Scope):
    q = Q(at__date__gte=scope.start, at__date__lte=scope.end)
    if scope.narrows_persons:
        q &= Q(person__isnull=False) & scope.person_q("person__")
    return Contact.objects.filter(q)


def _courses(scope: Scope):
    return Course.objects.filter(scope.course_q())


def _overlapping(scope: Scope):
    """Courses that ran at some point in the period."""
    return _courses(scope).filter(start__lte=scope.end).exclude(closed_on__lt=scope.start)


def _active_on(courses, day: datetime.date):
    return courses.filter(start__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def contacts_by_origin(scope: Scope) -> Table:
    found = dict(_contacts(scope).values_list("origin").annotate(n=Count("pk")))
    return counts("contacts_by_origin", _("Henvendelser efter hvem der henvender sig"),
                  [(k, label, found.get(k, 0)) for k, label in Contact.Origin.choices],
                  column=_("Henvendelser"), total_label=_("Alle henvendelser"),
                  note=_("Tilbud, team og lovgrundlag gælder ikke henvendelser; alder og køn udelader anonyme."))


def contacts_by_channel(scope: Scope) -> Table:
    found = dict(_contacts(scope).values_list("channel").annotate(n=Count("pk")))
    return counts("contacts_by_channel", _("Henvendelser efter kanal"),
                  [(k, label, found.get(k, 0)) for k, label in Contact.Channel.choices],
                  column=_("Henvendelser"), total_label=_("Alle henvendelser"))


def persons(scope: Scope) -> Table:
    overlapping = _overlapping(scope)
    unique = set(overlapping.values_list("person_id", flat=True))
    active = set(_active_on(overlapping, scope.end).values_list("person_id", flat=True))
    return counts("persons", _("Unikke borgere i forløb"),
                  [("active", _("Aktive på periodens sidste dag"), len(active)),
                   ("closed", _("Afsluttede (intet aktivt forløb)"), len(unique - active))],
                  column=_("Borgere"), total_label=_("Unikke borgere i forløb i perioden"))


def activities(scope: Scope) -> Table:
    rows = Activity.objects.filter(scope.activity_q(), attendance=Activity.Attendance.ATTENDED)
    per_kind = {k: (p, h or Decimal(0)) for k, p, h in
                rows.values_list("kind").annotate(p=Count("person", distinct=True), h=Sum("delivered_hours"))}
    kinds = [(k, label) for k, label in Activity.Kind.choices]
    people = [per_kind.get(k, (0, 0))[0] for k, _l in kinds]
    hours = [per_kind.get(k, (0, Decimal(0)))[1] for k, _l in kinds]
    hidden, _total_hidden = suppress_line(people)
    shown_hours, lone = hide_like(hours, hidden)
    table = Table("activities", _("Unikke borgere og leverede timer pr. aktivitetstype"),
                  [Column(_("Unikke borgere")), Column(_("Leverede timer"), "hours")])
    for (k, label), p, h, hide in zip(kinds, people, shown_hours, hidden):
        table.rows.append(Row(label, [None if hide else p, h], k))
    everyone = rows.values("person").distinct().count()
    total_hours = sum(hours, Decimal(0))
    table.total = Row(_("I alt (en borger tælles én gang)"),
                      [suppress(everyone), None if lone else total_hours], "total")
    table.note = _("Kun aktiviteter, borgeren mødte op til. Timer er leverede timer, ikke medarbejdertimer.")
    return table


def returns(scope: Scope) -> Table:
    started = _courses(scope).filter(start__gte=scope.start, start__lte=scope.end, previous__isnull=False)
    n_courses = started.count()
    n_persons = started.values("person").distinct().count()
    return Table("returns", _("Genhenvendelser"), [Column(_("Antal"))], [
        Row(_("Forløb startet som genhenvendelse efter et afsluttet forløb"), [suppress(n_courses)], "courses"),
        Row(_("Borgere med en genhenvendelse"), [suppress(n_persons)], "persons")])


@dataclass(frozen=True)
class Bypass:
    short_stay: set
    direct: set
    new_citizens: int


def bypass_sets(scope: Scope) -> Bypass:
    """Citizens granted a service in the period who never came through the front door, or stayed under 4 weeks."""
    first_grant = dict(Grant.objects.filter(decided_on__gte=scope.start, decided_on__lte=scope.end)
                       .filter(scope.person_q("person__")).values_list("person").annotate(d=Min("decided_on")))
    door = Course.objects.filter(offer__front_door=True, person__in=list(first_grant))
    courses = defaultdict(list)
    for person_id, start, closed_on in door.values_list("person_id", "start", "closed_on"):
        courses[person_id].append((start, closed_on))
    contacted = defaultdict(list)
    for person_id, at in Contact.objects.filter(person__in=list(first_grant)).values_list("person_id", "at"):
        contacted[person_id].append(at.date())
    short, direct = set(), set()
    for person_id, granted in first_grant.items():
        before = sorted(c for c in courses[person_id] if c[0] <= granted)
        if not before:
            if not any(day <= granted for day in contacted[person_id]):
                direct.add(person_id)
            continue
        start, closed_on = before[-1]
        if closed_on is not None and closed_on <= granted and (closed_on - start).days < BYPASS_DAYS:
            short.add(person_id)
    return Bypass(short, direct, _new_at_front_door(scope, scope.person_q("person__")).count())


def _new_at_front_door(scope: Scope, q: Q):
    """Citizens (as {"person": id} rows) whose first front-door course matching q started in the period."""
    return (Course.objects.filter(offer__front_door=True).filter(q).values("person").annotate(first=Min("start"))
            .filter(first__gte=scope.start, first__lte=scope.end))


def bypass(scope: Scope) -> Table:
    found = bypass_sets(scope)
    values = [len(found.short_stay), len(found.direct)]
    hidden, total_hidden = suppress_line(values)
    total = sum(values)
    shown = [None if h else v for v, h in zip(values, hidden)]
    published = None if total_hidden else total
    base = found.new_citizens if found.new_citizens >= SMALL_CELL else None
    table = Table("bypass", _("Gået uden om indgangen"), [Column(_("Borgere")), Column(_("Andel af nye borgere"), "share")])
    table.rows = [Row(_("Under 4 uger i indgangen, derefter bevilling"), [shown[0], share(shown[0], base)], "short_stay"),
                  Row(_("Bevilling uden at have været i indgangen"), [shown[1], share(shown[1], base)], "direct")]
    table.total = Row(_("Gået uden om i alt"), [published, share(published, base)], "total")
    table.note = _("Borgere med første bevilling i perioden. Nye borgere: første forløb i indgangen startede i perioden (%(n)s).") % {
        "n": base if base is not None else "<5"}
    return table


def closings(scope: Scope) -> Table:
    closed = _courses(scope).filter(status=Course.Status.CLOSED, closed_on__gte=scope.start, closed_on__lte=scope.end)
    found = dict(closed.values_list("destination").annotate(n=Count("pk")))
    return counts("closings", _("Afslutninger efter hvor borgeren gik videre til"),
                  [(k, label, found.get(k, 0)) for k, label in Destination.choices],
                  column=_("Afsluttede forløb"), total_label=_("Afsluttede forløb i alt"))


def _median_p90(values: list) -> tuple:
    if len(values) < SMALL_CELL:
        return None, None
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return Decimal(str(statistics.median(ordered))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), Decimal(p90)


def waiting(scope: Scope) -> Table:
    walk_ins = _contacts(scope).filter(channel=Contact.Channel.WALK_IN, received_at__isnull=False)
    minutes = [max(0, int((received - at).total_seconds() // 60)) for at, received in walk_ins.values_list("at", "received_at")]
    conversations = GuideConversation.objects.filter(
        activity__on__gte=scope.start, activity__on__lte=scope.end, contact__isnull=False).filter(scope.person_q("person__"))
    if scope.narrows_courses:
        conversations = conversations.filter(course__isnull=False).filter(scope.course_q("course__"))
    days = [max(0, (on - at.date()).days) for on, at in conversations.values_list("activity__on", "contact__at")]
    table = Table("waiting", _("Ventetider"), [Column(_("Median"), "number"), Column(_("90 % venter højst"), "number"),
                                               Column(_("Antal"))])
    for key, label, values in (("walk_in", _("Ventetid ved fremmøde (minutter)"), minutes),
                               ("guide_conversation", _("Fra henvendelse til guidesamtale (dage)"), days)):
        median, p90 = _median_p90(values) if values else (NONE, NONE)
        table.rows.append(Row(label, [median, p90, suppress(len(values))], key))
    return table


def course_lengths(scope: Scope) -> Table:
    closed = _courses(scope).filter(status=Course.Status.CLOSED, closed_on__gte=scope.start, closed_on__lte=scope.end)
    weeks = [(closed_on - start).days / 7 for start, closed_on in closed.values_list("start", "closed_on")]
    items = []
    for low, high in LENGTH_BANDS:
        label = _("%(low)s-%(high)s uger") % {"low": low, "high": high} if high else _("%(low)s uger eller mere") % {"low": low}
        items.append((f"{low}-{high or ''}", label, sum(1 for w in weeks if w >= low and (high is None or w < high))))
    median, _p90 = _median_p90(weeks)
    return counts("course_lengths", _("Forløbslængder (afsluttede forløb)"), items, column=_("Forløb"),
                  total_label=_("Afsluttede forløb"),
                  note=_("Median: %(m)s uger.") % {"m": shown(median, "number") if weeks else NONE})


def followed_by_grant(scope: Scope) -> Table:
    courses = _courses(scope).filter(status=Course.Status.CLOSED, closed_on__gte=scope.start, closed_on__lte=scope.end,
                                     offer__requires_grant=False)
    closed = list(courses.values_list("pk", "person_id", "closed_on", "offer__name"))
    followed = granted_after([(c, p, d) for c, p, d, _o in closed], courses.values("person_id"), GRANT_WINDOW_MONTHS)
    per_offer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pk, _p, _d, offer in closed:
        per_offer[offer][0] += 1
        per_offer[offer][1] += pk in followed
    names = sorted(per_offer)
    completed = [per_offer[n][0] for n in names]
    granted = [per_offer[n][1] for n in names]
    hidden_c, _t = suppress_line(completed)
    hidden_g, _t = suppress_line(granted, extra=hidden_c)
    table = Table("followed_by_grant", _("Afsluttede forløb efterfulgt af en bevilget indsats"),
                  [Column(_("Afsluttede forløb")), Column(_("Efterfulgt af bevilling")), Column(_("Andel"), "share")],
                  note=_("Bevilling (eller forløb i et tilbud, der kræver bevilling) senest %(m)s måneder efter afslutningen.")
                  % {"m": GRANT_WINDOW_MONTHS})
    for name, c, g, hc, hg in zip(names, completed, granted, hidden_c, hidden_g):
        shown_c, shown_g = None if hc else c, None if hg else g
        table.rows.append(Row(name, [shown_c, shown_g, share(shown_g, shown_c)], name))
    tc, tg = sum(completed), sum(granted)
    table.total = Row(_("I alt"), [suppress(tc), suppress(tg), share(suppress(tg), suppress(tc))], "total")
    return table


def progression(scope: Scope) -> Table:
    """Per instrument: first against latest own score for citizens whose latest score falls in the period."""
    table = Table("progression", _("Progression: første mod seneste måling"),
                  [Column(_("Borgere")), Column(_("Gennemsnitlig ændring"), "number"), Column(_("Pålideligt bedret"), "share"),
                   Column(_("Pålideligt forværret"), "share")],
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
        if n < SMALL_CELL:
            table.rows.append(Row(instrument.name, [None, None, None, None], instrument.code))
            continue
        change = sum((scoring.improvement(defn, a, b) for a, b in pairs), Decimal(0)) / n
        classes = [scoring.classify(defn, a, b) for a, b in pairs]
        better = sum(c in (scoring.RECOVERED, scoring.IMPROVED) for c in classes)
        worse = sum(c == scoring.DETERIORATED for c in classes)
        table.rows.append(Row(instrument.name, [
            n, change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            share(suppress(better), n), share(suppress(worse), n)], instrument.code))
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
    """§85 citizens and delivered hours per month."""
    rows = (Activity.objects.filter(scope.activity_q(), attendance=Activity.Attendance.ATTENDED,
                                    course__offer__legal_basis__code__contains="85")
            .annotate(month=TruncMonth("on")).values_list("month")
            .annotate(p=Count("person", distinct=True), h=Sum("delivered_hours")).order_by("month"))
    found = [(month, p, h or Decimal(0)) for month, p, h in rows]
    people = [p for _m, p, _h in found]
    hidden, _t = suppress_line(people)
    hours, _lone = hide_like([h for _m, _p, h in found], hidden)
    table = Table("bostotte", _("§ 85 bostøtte: borgere og leverede timer pr. måned"),
                  [Column(_("Borgere")), Column(_("Leverede timer"), "hours")])
    for (month, p, _h), hide, h in zip(found, hidden, hours):
        table.rows.append(Row(f"{month:%Y-%m}", [None if hide else p, h], f"{month:%Y-%m}"))
    return table


def contacts_per_month(scope: Scope) -> Table:
    rows = _contacts(scope).annotate(month=TruncMonth("at")).values_list("month").annotate(n=Count("pk")).order_by("month")
    items = [(f"{month:%Y-%m}", f"{month:%Y-%m}", n) for month, n in rows]
    return counts("contacts_per_month", _("Henvendelser pr. måned"), items, column=_("Henvendelser"), with_share=False,
                  total_label=_("I alt"))


def flow(scope: Scope) -> Table:
    """Citizens whose first front-door course started in the period: who made the first contact, and where they went."""
    first_contact = Contact.objects.filter(person=OuterRef("person")).order_by("at", "pk").values("origin")[:1]
    last_course = Course.objects.filter(offer__front_door=True, person=OuterRef("person")).order_by("-start", "-pk")
    new = (_new_at_front_door(scope, scope.course_q())
           .annotate(origin=Subquery(first_contact), status=Subquery(last_course.values("status")[:1]),
                     destination=Subquery(last_course.values("destination")[:1]))
           .values_list("origin", "status", "destination"))
    origins = [("none", _("Ingen registreret henvendelse"))] + list(Contact.Origin.choices)
    ends = [("active", _("Stadig i forløb"))] + list(Destination.choices)
    matrix = [[0] * len(ends) for _o in origins]
    o_index = {k: i for i, (k, _l) in enumerate(origins)}
    e_index = {k: i for i, (k, _l) in enumerate(ends)}
    for origin, status, destination in new:
        matrix[o_index[origin or "none"]][e_index["active" if status == Course.Status.ACTIVE else destination]] += 1
    hidden, row_hidden, col_hidden, grand_hidden = suppress_matrix(matrix)
    table = Table("flow", _("Fra første henvendelse til afslutning (borgere)"),
                  [Column(label) for _k, label in ends] + [Column(_("I alt"))])
    for (key, label), row, hide, total_hide in zip(origins, matrix, hidden, row_hidden):
        table.rows.append(Row(label, [None if h else v for v, h in zip(row, hide)] + [None if total_hide else sum(row)], key))
    col_totals = [sum(matrix[r][c] for r in range(len(origins))) for c in range(len(ends))]
    table.total = Row(_("I alt"), [None if h else v for v, h in zip(col_totals, col_hidden)]
                      + [None if grand_hidden else sum(col_totals)], "total")
    return table


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
]
BY_KEY = {k.key: k for k in CATALOGUE}


def report(scope: Scope, keys: list[str] | None = None) -> list[tuple[Kpi, Table]]:
    return [(kpi, kpi.compute(scope)) for kpi in CATALOGUE if keys is None or kpi.key in keys]


def has_data(scope: Scope) -> bool:
    """Whether anything at all happened in the period (else the report says so instead of showing zeros)."""
    return (_contacts(scope).exists() or _overlapping(scope).exists()
            or Activity.objects.filter(scope.activity_q()).exists()
            or Grant.objects.filter(decided_on__gte=scope.start, decided_on__lte=scope.end).exists())


def as_data(scope: Scope, results: list[tuple[Kpi, Table]]) -> dict:
    return {"period": {"from": scope.start.isoformat(), "to": scope.end.isoformat()}, "filters": scope.as_dict(),
            "small_cell": SMALL_CELL, "empty": not has_data(scope),
            "kpis": [table.as_data() for _kpi, table in results]}

