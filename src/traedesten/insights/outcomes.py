"""Outcome reports of the Én plan evaluation (decision 0061): case-level progression by cluster, and the change per
theme on the before/after instrument. Each is a Table of exact figures; `.published()` is what leaves the system
(rounded to 5 and small cells hidden by core.disclosure). notes-outcomes.md defines them for recomputation."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from traedesten.authority.models import CaseProgression, Complaint, ProgressionCategory
from traedesten.measures.models import Administration, Instrument, Phase

from .scope import Scope
from .tables import Column, Row, Table

BEFORE_AFTER = "FOER-EFTER"
"""The nine before/after themes (measures/instruments/foer-efter.json)."""

CLUSTER_COLUMNS = [("family", _("Familie")), ("adult", _("Voksen")), ("youth", _("Unge")), ("", _("Uden klynge"))]


def _cases(scope: Scope) -> dict[tuple[str, int], tuple[str, set[str]]]:
    """Each case's categories at its latest assessment in the period: a family (household) is one case, every other
    citizen one. The latest assessment is the latest date (then the latest occasion row) with a row for the case; a
    family's members assessed that day together make its categories, so a split family has more than one."""
    q = Q(assessed_on__gte=scope.start, assessed_on__lte=scope.end)
    if scope.narrows_persons:
        q &= scope.person_q("person__")
    rows = CaseProgression.objects.filter(q).order_by("assessed_on", "pk").values_list(
        "person_id", "household_id", "cluster", "assessed_on", "category")
    latest: dict[tuple[str, int], tuple] = {}
    found: dict[tuple[str, int], dict] = defaultdict(dict)
    for person_id, household_id, cluster, on, category in rows:
        case = ("family", household_id) if household_id else ("person", person_id)
        if case not in latest or on > latest[case][0]:
            latest[case] = (on, cluster)
            found[case] = {}
        found[case][person_id] = category  # the member's latest row that day
    return {case: ("family" if case[0] == "family" else cluster, set(found[case].values()))
            for case, (_on, cluster) in latest.items()}


def progression_by_cluster(scope: Scope) -> Table:
    """Cases by the evaluation's category and cluster. A split family case counts in each of its categories (and in
    the split column), so the category rows may add up to more than the cases."""
    cases = _cases(scope)
    keys = [k for k, _l in CLUSTER_COLUMNS]
    columns = [Column(label) for _k, label in CLUSTER_COLUMNS] + [
        Column(_("I alt")), Column(_("Andel af sagerne"), "share", of=len(keys)),
        Column(_("Heraf delte familiesager"))]
    rows = []
    for category, label in ProgressionCategory.choices:
        per = [sum(1 for cl, cats in cases.values() if cl == k and category in cats) for k in keys]
        split = sum(1 for cl, cats in cases.values() if cl == "family" and category in cats and len(cats) > 1)
        rows.append(Row(label, per + [sum(per), None, split], category))
    per_case = [sum(1 for cl, _c in cases.values() if cl == k) for k in keys]
    split_cases = sum(1 for cl, cats in cases.values() if cl == "family" and len(cats) > 1)
    total = Row(_("Sager i alt"), per_case + [sum(per_case), None, split_cases], "total")
    return Table("case_progression", _("Sagernes progression efter klynge (Én plan-evalueringens kategorier)"),
                 columns, rows, total,
                 _("En familie er én sag. En familie, hvis medlemmer er vurderet forskelligt, er en delt sag og tæller "
                   "i hver af sine kategorier. Hver sag tæller med sin seneste vurdering i perioden."))


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def theme_pairs(scope: Scope) -> list[tuple[Administration, Administration]]:
    """Per citizen: the first 'before' measurement, and the latest 'after' measurement on or after it made by the
    period's last day, when that 'after' measurement lies in the period."""
    instrument = Instrument.objects.filter(code=BEFORE_AFTER).first()
    if instrument is None:
        return []
    q = Q(instrument=instrument, on__lte=scope.end, status__in=[Administration.Status.COMPLETE,
                                                                 Administration.Status.PARTIAL])
    if scope.narrows_persons:
        q &= scope.person_q("person__")
    before: dict[int, Administration] = {}
    after: dict[int, Administration] = {}
    for a in Administration.objects.filter(q).order_by("on", "pk"):
        if a.phase == Phase.BEFORE:
            before.setdefault(a.person_id, a)
        elif a.phase == Phase.AFTER:
            after[a.person_id] = a
    return [(before[p], after[p]) for p in sorted(after) if p in before
            and after[p].on >= before[p].on and after[p].on >= scope.start]


def theme_change(scope: Scope) -> Table:
    """For each of the nine themes, over the citizens with a before and an after score on it: how many improved,
    stayed the same and got worse, and the mean change (after minus before; higher is better)."""
    instrument = Instrument.objects.filter(code=BEFORE_AFTER).first()
    items = list(instrument.current.parsed.items) if instrument else []
    pairs = theme_pairs(scope)
    columns = [Column(_("Bedre")), Column(_("Uændret")), Column(_("Dårligere")), Column(_("Borgere")),
               Column(_("Gennemsnitlig ændring"), "number", of=3)]
    rows = []
    for item in items:
        changes = [Decimal(after.item_scores[item.code]) - Decimal(before.item_scores[item.code])
                   for before, after in pairs
                   if before.item_scores.get(item.code) not in (None, "") and after.item_scores.get(item.code) not in (None, "")]
        rows.append(Row(item.label, [sum(1 for c in changes if c > 0), sum(1 for c in changes if c == 0),
                                     sum(1 for c in changes if c < 0), len(changes), _mean(changes)], item.code))
    return Table("theme_change", _("Før og efter: ændring pr. tema"), columns, rows, None,
                 _("Borgere med en måling før indsatsen og en efter den. Ændring = efter minus før på skalaen 1-5; et "
                   "gennemsnit vises kun for mindst 7 borgere."))


def complaints(scope: Scope) -> Table:
    """Complaints received in the period by channel: how many concerned the experiment, and, judged on the period's
    last day, how many were answered by their deadline, answered after it, or still open (and of those, overdue)."""
    q = Q(received_on__gte=scope.start, received_on__lte=scope.end)
    if scope.narrows_persons:
        q &= scope.person_q("person__")
    rows = []
    totals = [0] * 6
    found = list(Complaint.objects.filter(q).values_list("channel", "related_to_experiment", "due_on", "outcome",
                                                         "outcome_on"))
    for channel, label in Complaint.Channel.choices:
        mine = [f for f in found if f[0] == channel]
        answered = [(due, on) for _c, _r, due, outcome, on in mine if outcome and on is not None and on <= scope.end]
        still_open = [due for _c, _r, due, outcome, on in mine if not (outcome and on is not None and on <= scope.end)]
        values = [len(mine), sum(1 for f in mine if f[1]), sum(1 for due, on in answered if on <= due),
                  sum(1 for due, on in answered if on > due), len(still_open), sum(1 for due in still_open if due < scope.end)]
        totals = [a + b for a, b in zip(totals, values)]
        rows.append(Row(label, values, channel))
    columns = [Column(_("Modtaget")), Column(_("Heraf om forsøget")), Column(_("Besvaret inden fristen")),
               Column(_("Besvaret efter fristen")), Column(_("Ikke besvaret ved periodens udgang")),
               Column(_("Heraf over fristen"))]
    return Table("complaints", _("Klager modtaget i perioden"), columns, rows, Row(_("Alle klager"), totals, "total"),
                 _("Svarfristen er fire uger fra modtagelsen. Besvaret = et udfald registreret senest periodens sidste "
                   "dag; over fristen = fristen lå før periodens sidste dag."))
