"""The North Jutland appendix tables (seed-001 §2.7, bilag 4.1-4.4) as key figures; docs/kpis.md defines them.

Citizens per legal basis, completed courses by age, course lengths in months, and services started before, during and
after a completed course. The fifth table, § 85 hours, citizens and amounts per month, is `kpis.bostotte`.
"""

import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from traedesten.authority.models import Grant, GrantStatus
from traedesten.core.dates import add_months
from traedesten.courses.models import Course

from .scope import AGE_GROUPS, Scope, age_group, age_on
from .tables import NONE, Column, Row, Table, in_bands, median

DAYS_PER_MONTH = Decimal("30.4375")
"""365.25 / 12: a course's length in months is its days divided by this."""
MONTH_BANDS = ((0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 9), (9, 12), (12, 18), (18, None))
AROUND_MONTHS = 6


def _courses(scope: Scope):
    return Course.objects.filter(scope.course_q())


def _completed(scope: Scope):
    """Courses closed in the period on offers that need no grant (the § 82 courses of the appendix)."""
    return _courses(scope).filter(closed_on__gte=scope.start, closed_on__lte=scope.end, offer__requires_grant=False)


def citizens_by_paragraph(scope: Scope) -> Table:
    """Citizens with a course running in the period, per the legal basis of its offer (§ 82a, § 82b …)."""
    running = _courses(scope).filter(start__lte=scope.end).exclude(closed_on__lt=scope.start)
    found = dict(running.values_list("offer__legal_basis__code").annotate(n=Count("person", distinct=True)))
    table = Table("citizens_by_paragraph", _("Borgere pr. lovgrundlag"), [Column(_("Borgere"))],
                  [Row(code, [n], code) for code, n in sorted(found.items())],
                  note=_("Borgere med et forløb i perioden. En borger med forløb efter flere paragraffer tælles under "
                         "hver, men én gang i alt."))
    table.total = Row(_("Borgere i alt"), [running.values("person").distinct().count()], "total")
    return table


def completed_by_age(scope: Scope) -> Table:
    """Citizens who completed a course in the period, by their age on the period's last day."""
    people = {pk: age_group(age_on(scope.end, born, year)) for pk, born, year in
              _completed(scope).values_list("person", "person__birth_date", "person__approx_birth_year").distinct()}
    bands = [("under_18", _("Under 18 år"))] + [(k, _("%(band)s år") % {"band": k}) for k in AGE_GROUPS] + [
        ("unknown", _("Ukendt alder"))]
    counted: defaultdict[str, int] = defaultdict(int)
    for band in people.values():
        counted[band] += 1
    return Table("completed_by_age", _("Borgere med et afsluttet forløb efter alder"), [Column(_("Borgere"))],
                 [Row(label, [counted[k]], k) for k, label in bands], Row(_("I alt"), [len(people)], "total"),
                 note=_("Alder på periodens sidste dag. Forløb i tilbud, der ikke kræver bevilling."))


def _months(days: int) -> Decimal:
    return Decimal(days) / DAYS_PER_MONTH


def course_months(scope: Scope) -> Table:
    """Completed courses by length in months (days ÷ 30.4375), with the mean and the median."""
    months = [_months((closed - start).days) for start, closed in _completed(scope).values_list("start", "closed_on")]
    table = Table("course_months", _("Forløbslængder i måneder (afsluttede forløb)"),
                  [Column(_("Forløb")), Column(_("Gennemsnit (mdr.)"), "number"), Column(_("Median (mdr.)"), "number")])
    for key, label, n in in_bands(months, MONTH_BANDS, _("%(low)s-%(high)s mdr."), _("%(low)s mdr. eller mere")):
        table.rows.append(Row(label, [n, NONE, NONE], key))
    mean = (sum(months, Decimal(0)) / len(months)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if months else NONE
    table.total = Row(_("Afsluttede forløb"), [len(months), mean, median(months) if months else NONE], "total")
    return table


def service_type(legal_basis: str) -> str:
    """"§ 85" for "SEL §85" or "SEL § 85": the paragraph number of a legal basis, or "Andet" without one."""
    found = re.search(r"§\s*(\d+)", legal_basis or "")
    return f"§ {found.group(1)}" if found else str(_("Andet"))


def _paragraph_order(kind: str) -> tuple[int, int]:
    number = re.sub(r"\D", "", kind)
    return (0, int(number)) if number else (1, 0)


def services_around(scope: Scope) -> Table:
    """Services (grants, and courses on offers that need a grant) started in the 6 months before a completed course,
    while it ran, and in the 6 months after it closed, by type."""
    completed = list(_completed(scope).values_list("person_id", "start", "closed_on"))
    persons = {person for person, _s, _c in completed}
    started = [(p, d, basis) for p, d, basis in Grant.objects.filter(person__in=persons, status=GrantStatus.DECIDED).values_list(
        "person_id", "starts_on", "legal_basis")]
    started += list(Course.objects.filter(person__in=persons, offer__requires_grant=True).values_list(
        "person_id", "start", "offer__legal_basis__code"))
    by_person = defaultdict(list)
    for person, day, basis in started:
        by_person[person].append((day, service_type(basis)))
    counted: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for person, start, closed in completed:
        before, after = add_months(start, -AROUND_MONTHS), add_months(closed, AROUND_MONTHS)
        for day, kind in by_person[person]:
            if before <= day < start:
                counted[kind][0] += 1
            elif start <= day <= closed:
                counted[kind][1] += 1
            elif closed < day <= after:
                counted[kind][2] += 1
    return Table("services_around", _("Indsatser igangsat før, under og efter et afsluttet forløb"),
                 [Column(_("Før")), Column(_("Under")), Column(_("Efter"))],
                 [Row(kind, counted[kind], kind) for kind in sorted(counted, key=_paragraph_order)],
                 note=_("Bevillinger og forløb i tilbud, der kræver bevilling, efter startdato: op til 6 måneder før "
                        "forløbet, mens det løb, og op til 6 måneder efter afslutningen. Indsatser, ikke borgere."))
