"""The relations between a user and citizens, as database expressions: one query answers all of them for one citizen,
and the same expressions narrow a list of citizens to those the user reaches."""

import functools
import operator
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from traedesten.accounts.models import CaseloadAssignment, OutsideAccess, Recusal
from traedesten.authority import mandates
from traedesten.authority.models import Handover, Order
from traedesten.civil.models import Escort, Match
from traedesten.courses.models import Course
from traedesten.frontdoor.models import Contact
from traedesten.people.models import Consent, HouseholdMember, Person
from traedesten.plans import exemptions
from traedesten.plans.models import PlanVersion

from .rules import RoleRule
from .vocabulary import Relation


def team_ids(user) -> list[int]:
    """The user's teams, read once per request."""
    cached = getattr(user, "_gate_team_ids", None)
    if cached is None:
        cached = list(user.teams.values_list("pk", flat=True))
        user._gate_team_ids = cached
    return cached


def _caseload(user, rule: RoleRule, today) -> list[QuerySet]:
    """The user's current caseload assignments, and the team's where the role shares its team's caseload: two parts,
    so a list's reach reads each from its own index (decision 0062)."""
    current = CaseloadAssignment.objects.filter(Q(end__isnull=True) | Q(end__gte=today))
    own = current.filter(worker=user)
    return [own, current.filter(team__in=team_ids(user))] if rule.team_caseload else [own]


def relation_sources(user, rule: RoleRule, today=None) -> dict[Relation, tuple[list[QuerySet], str]]:
    """Per relation the role counts: the rows that make it (in one or more parts), and the path from such a row to its
    citizen. The outside reason and the hand-over's consent are read separately: they are about time and consent, not
    structure."""
    today = today or timezone.localdate()
    found: dict[Relation, tuple[list[QuerySet], str]] = {}
    if Relation.CASELOAD in rule.relations:
        found[Relation.CASELOAD] = _caseload(user, rule, today), "person"
    if Relation.GRANT_PROVIDER in rule.relations:
        found[Relation.GRANT_PROVIDER] = [Order.objects.filter(
            provider_team__in=team_ids(user), status=Order.Status.ACCEPTED, grant__starts_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today)).filter(
            Q(grant__ended_on__isnull=True) | Q(grant__ended_on__gte=today))], "person"
    if Relation.ORDER_RECIPIENT in rule.relations:
        found[Relation.ORDER_RECIPIENT] = [Order.objects.filter(
            provider_team__in=team_ids(user), status=Order.Status.SENT)], "person"
    if Relation.GROUP_FACILITATOR in rule.relations:
        found[Relation.GROUP_FACILITATOR] = [Course.objects.filter(group__facilitators=user)], "person"
    if Relation.COMMUNITY_MATCH in rule.relations:
        found[Relation.COMMUNITY_MATCH] = [Match.objects.exclude(status=Match.Status.ENDED).filter(
            Q(kickoff_coordinator=user) | Q(kickoff_coordinator__isnull=True))], "person"
    if Relation.DESK_VISITOR in rule.relations:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        found[Relation.DESK_VISITOR] = [Contact.objects.filter(
            at__gte=start, handled=False, queue_status__in=[Contact.Queue.WAITING, Contact.Queue.RECEIVED])], "person"
    if Relation.ESCORT_VOLUNTEER in rule.relations:
        found[Relation.ESCORT_VOLUNTEER] = [Escort.objects.filter(volunteer__user=user)], "match__person"
    if Relation.FAMILY_COORDINATOR in rule.relations:
        found[Relation.FAMILY_COORDINATOR] = [HouseholdMember.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=today), joined_on__lte=today,
            household__coordinator=user).filter(
            Q(household__ended_on__isnull=True) | Q(household__ended_on__gte=today))], "person"
    if Relation.CRISIS_SHEET in rule.relations:
        found[Relation.CRISIS_SHEET] = [PlanVersion.objects.filter(
            crisis_sheet_filled(), number=F("plan__version"))], "plan__person"
    return found


def relation_expressions(user, rule: RoleRule, today=None) -> dict[Relation, Exists]:
    """For one citizen (a Person query): one Exists per relation."""
    return {relation: Exists(functools.reduce(operator.or_, parts).filter(**{path: OuterRef("pk")}))
            for relation, (parts, path) in relation_sources(user, rule, today).items()}


_PERSON = -(2**31) + 7
"""Stands in for the citizen's id while the one-citizen query is compiled; no citizen has a negative id."""


@functools.lru_cache(maxsize=4096)
def _one_citizen_query(user, rule: RoleRule, teams: tuple[int, ...], today, vendor: str):
    """The SQL and parameters of `facts` with the place of the citizen's id. `teams` and `vendor` are not read here:
    they are part of the cache key, because the SQL changes with them."""
    expressions = relation_expressions(user, rule, today)
    sql, params = (Person.objects.filter(pk=_PERSON).values_list(recused(user), *expressions.values())
                   .query.sql_with_params())
    (at,) = [i for i, p in enumerate(params) if isinstance(p, int) and p == _PERSON]
    return sql, tuple(params), at, tuple(expressions)


def facts(user, rule: RoleRule, person_id: int) -> tuple[bool, set[Relation]]:
    """Whether the user is recused from the citizen, and the relations between them: one query.

    The query's SQL depends only on the user, their role and teams and the day, so it is compiled once per process for
    each of those and run again with the citizen's id: building and compiling the ORM expressions cost more than the
    query itself, on every page about a citizen."""
    sql, params, at, relations = _one_citizen_query(user, rule, tuple(team_ids(user)), timezone.localdate(),
                                                    connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params[:at], person_id, *params[at + 1:]))
        row = cursor.fetchone()
    if row is None:
        return False, set()
    return bool(row[0]), {relation for relation, present in zip(relations, row[1:], strict=True) if present}


def crisis_sheet_filled() -> Q:
    """The newest plan version has a crisis sheet: something in the coping plan or the crisis part (what the printed
    akutark shows)."""
    lists = ("coping__warning_signs", "coping__strategies", "coping__people", "crisis__contacts")
    texts = ("crisis__about_me", "crisis__what_helps", "crisis__avoid")
    condition = Q()
    for name in lists:
        condition |= Q(**{f"content__{name}__0__isnull": False})
    for name in texts:
        condition |= Q(**{f"content__{name}__regex": r"\S"})
    return condition


def recused(user) -> Exists:
    return Exists(Recusal.objects.filter(user=user, person=OuterRef("pk")))


def outside_since():
    return timezone.now() - timedelta(hours=settings.TRAEDESTEN_OUTSIDE_ACCESS_HOURS)


def open_outside_access(user, person_id: int) -> OutsideAccess | None:
    """The reason the user stated for this citizen, while it is still open."""
    return (OutsideAccess.objects.filter(user=user, person_id=person_id, kind=OutsideAccess.Kind.OUTSIDE,
                                         created_at__gte=outside_since()).order_by("-created_at").first())


def reached_persons(user, rule: RoleRule, relations: set[Relation], today=None) -> QuerySet[Person]:
    """The active citizens the user reaches through any of `relations` (never a recused one).

    The relations' citizen ids are one `UNION` here, not the one-citizen query's `EXISTS` per relation: PostgreSQL
    reads each relation's rows once and looks the candidates up by key, where an `EXISTS` per relation ran every
    relation's subquery once per candidate (a common surname has thousands; decision 0062). The query is built once
    per request (a list page asks for several sections) and handed out as a fresh, unevaluated copy; like the user's
    teams (`team_ids`), it is kept on the request's user object."""
    today = today or timezone.localdate()
    built = vars(user).setdefault("_gate_reach", {})
    key = (frozenset(relations), today)
    if key not in built:
        built[key] = _reach_query(user, rule, relations, today)
    return built[key].all()


def _reach_query(user, rule: RoleRule, relations: set[Relation], today) -> QuerySet[Person]:
    sources = relation_sources(user, rule, today)
    wanted = [rows.order_by().values_list(path, flat=True) for relation, (parts, path) in sources.items()
              if relation in relations for rows in parts]
    if not wanted:
        return Person.objects.none()
    ids = wanted[0].union(*wanted[1:]) if len(wanted) > 1 else wanted[0]
    return Person.objects.filter(pk__in=ids, merged_into__isnull=True).exclude(recused(user))


def consented_scopes(person_id: int, department_id: int, at=None) -> set[str]:
    """The scopes the citizen has agreed to share with a department right now."""
    at = at or timezone.now()
    return {scope for c in Consent.objects.filter(person_id=person_id, recipient_id=department_id)
            if c.in_force(at) for scope in c.scope}


def consented_persons(department_id: int, scope: str, at=None) -> set[int]:
    """The citizens who share `scope` with a department right now."""
    at = at or timezone.now()
    return {c.person_id for c in Consent.objects.filter(recipient_id=department_id) if c.in_force(at) and scope in c.scope}


def readable_handovers(department_id: int, person_id: int, at=None) -> list[Handover]:
    """Hand-overs sent to the department that the citizen still lets it read: the consent recorded on the hand-over
    and a consent to share hand-overs with the department, both in force."""
    rows = (Handover.objects.filter(person_id=person_id, recipient_id=department_id,
                                    status__in=[Handover.Status.SENT, Handover.Status.RECEIVED])
            .exclude(sender_id=department_id).select_related("consent"))
    sent = [h for h in rows if h.consent is not None and h.consent.in_force(at)]
    if not sent or "handover" not in consented_scopes(person_id, department_id, at):
        return []
    return sent


def handover_recipients(department_id: int, at=None) -> set[int]:
    """The citizens whose hand-over to the department it may read now (see readable_handovers)."""
    sent = (Handover.objects.filter(recipient_id=department_id, status__in=[Handover.Status.SENT,
                                                                              Handover.Status.RECEIVED])
            .exclude(sender_id=department_id).select_related("consent"))
    candidates = {h.person_id for h in sent if h.consent is not None and h.consent.in_force(at)}
    return candidates & consented_persons(department_id, "handover", at) if candidates else set()


def decides_by_mandate(user, person_id: int, today=None) -> bool:
    """The user holds a decision mandate in force and the citizen is exempt from sector-divided organisation
    (decisions 0057, 0058); the caller checks that the user reaches the citizen and works outside the authority."""
    today = today or timezone.localdate()
    return mandates.holds_any(user, today) and exemptions.is_waived(person_id, "sector_decision", today)
