"""Grants (bevilling) with FFB intervention goals, and expected against achieved progression."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, department_of
from traedesten.core.locking import update_versioned
from traedesten.courses.models import Course, Destination
from traedesten.courses.services import add_months, plan_closing
from traedesten.plans import exemptions
from traedesten.plans.models import Plan
from traedesten.plans.services import current_content

from . import ffb, mandates, orders
from .models import (
    Competence,
    FollowUp,
    FollowUpCadence,
    FollowUpResult,
    GoalExpectation,
    Grant,
    GrantGoal,
    GrantStatus,
    ProgressScore,
    ProviderSubGoal,
)

CONTINUE_STATUS = "Træf afgørelse om fortsættelse af indsats"


def _normal(basis: str) -> str:
    return "".join((basis or "").split()).lower()


def cadence_for(legal_basis: str) -> FollowUpCadence | None:
    """The cadence for a legal basis ("SEL § 85", "§85" and "sel §85" are the same basis)."""
    wanted = _normal(legal_basis)
    return next((c for c in FollowUpCadence.objects.all()
                 if _normal(c.legal_basis) == wanted or _normal(c.legal_basis).removeprefix("sel") == wanted), None)


def suggest_follow_up(legal_basis: str, after: datetime.date, *, first: bool) -> datetime.date | None:
    """The next follow-up the cadence suggests: the first after the start, or the next after a follow-up."""
    cadence = cadence_for(legal_basis)
    if cadence is None:
        return None
    if first and cadence.first_weeks:
        return after + datetime.timedelta(weeks=cadence.first_weeks)
    return add_months(after, cadence.every_months)


@dataclass
class GoalInput:
    """A goal as a form or a file gives it: a part may be missing or out of range until `check_goal` has looked."""

    title: str | None
    condition_code: str | None
    baseline_level: int | str | None
    target_level: int | str | None
    goal_type_code: str | None
    expected_level: int | str | None
    plan_goal_id: str = ""
    """The id of the goal in the citizen's plan this grant goal serves (decision 0060)."""


@dataclass
class Goal:
    """A checked goal: described, on an activity condition, with a goal type and levels on the FFB scale."""

    title: str
    condition_code: str
    baseline_level: int
    target_level: int
    goal_type_code: str
    expected_level: int | None
    plan_goal_id: str = ""


def _check_level(value: object, goal_title: str) -> int:
    if value is None or not str(value).lstrip("-").isdigit() or not 0 <= int(str(value)) <= 4:
        raise ValidationError(_("Funktionsevneniveauet for målet »%(goal)s« skal ligge på FFB-skalaen 0-4.") % {
            "goal": goal_title})
    return int(str(value))


def check_goal(goal: GoalInput, *, expected: bool = True) -> Goal:
    """A goal checked; `expected=False` when no follow-up is scheduled (the citizen is exempt from the follow-up
    cadence), so no level is expected at one."""
    title = " ".join((goal.title or "").split())
    if not title:
        raise ValidationError(_("Et indsatsmål mangler en beskrivelse."))
    if not goal.condition_code or not ffb.is_activity_condition(goal.condition_code):
        raise ValidationError(_("Målet »%(goal)s« mangler en primær tilstand under Aktivitet og deltagelse.") % {"goal": title})
    if goal.goal_type_code is None or goal.goal_type_code not in {c.code for c in ffb.goal_types()}:
        raise ValidationError(_("Målet »%(goal)s« mangler en måltype.") % {"goal": title})
    return Goal(title[:300], goal.condition_code, _check_level(goal.baseline_level, title),
                _check_level(goal.target_level, title), goal.goal_type_code,
                _check_level(goal.expected_level, title) if expected else None, (goal.plan_goal_id or "").strip())


def _check_plan_goals(person, goals: list[Goal]) -> None:
    """A grant goal tied to a plan goal names a goal in the citizen's current plan."""
    wanted = [g for g in goals if g.plan_goal_id]
    if not wanted:
        return
    content = current_content(Plan.objects.filter(person=person).first())
    known = {g.id for g in content.goals} if content else set()
    for goal in wanted:
        if goal.plan_goal_id not in known:
            raise ValidationError(_("Indsatsmålet »%(goal)s« er knyttet til et mål, der ikke findes i borgerens plan.")
                                  % {"goal": goal.title})


def _check_codes(*, service_code, offer_type_code, target_groups, support_need_code) -> None:
    if service_code not in {c.code for c in ffb.services()}:
        raise ValidationError(_("Vælg ydelsen efter FFB."))
    if offer_type_code not in {c.code for c in ffb.offer_types()}:
        raise ValidationError(_("Vælg tilbudstypen efter FFB."))
    if not target_groups or set(target_groups) - {c.code for c in ffb.target_groups()}:
        raise ValidationError(_("Vælg mindst én målgruppe efter FFB."))
    if support_need_code not in {c.code for c in ffb.support_needs()}:
        raise ValidationError(_("Vælg støttebehovet efter FFB."))


def follow_up_waived(person_id: int, day: datetime.date) -> bool:
    """The citizen is exempt from process goals on `day`: no follow-up cadence, no follow-up date asked for."""
    return exemptions.is_waived(person_id, "grant_follow_up", day)


def ruling(actor, person, *, legal_basis: str, hours_per_week: Decimal | None, amount_per_year: Decimal | None,
           on: datetime.date) -> mandates.Ruling:
    """Under what competence `actor` may decide this grant (decision 0058): the one check for page, API and files."""
    dept = department_of(actor)
    return mandates.competence(actor, deciding_department=dept is not None and dept.decides_grants,
                               organisation_exempt=exemptions.is_waived(person.pk, "sector_decision", on),
                               legal_basis=legal_basis, hours_per_week=hours_per_week,
                               amount_per_year=amount_per_year, on=on)


@transaction.atomic
def create_grant(actor, person, *, goals: list[GoalInput], case_number: str, legal_basis: str, service_code: str,
                 offer_type_code: str, target_groups: list[str], support_need_code: str,
                 hours_per_week: Decimal | None, decided_on: datetime.date, starts_on: datetime.date,
                 follow_up_on: datetime.date | None, appeal_informed: bool, handover=None, provider_team=None,
                 provider_offer=None, amount_per_year: Decimal | None = None) -> Grant:
    """Decide a grant, or, beyond the actor's competence, propose it for a manager's approval (decision 0058). While
    the citizen is exempt from process goals no follow-up date is asked for or set (decision 0057)."""
    case_number = case_number.strip()
    if not case_number:
        raise ValidationError(_("Skriv sagsnummeret."))
    if not legal_basis.strip():
        raise ValidationError(_("Skriv lovgrundlaget."))
    _check_codes(service_code=service_code, offer_type_code=offer_type_code, target_groups=target_groups,
                 support_need_code=support_need_code)
    if starts_on < decided_on:
        raise ValidationError(_("Indsatsen kan ikke starte før afgørelsen."))
    if decided_on > timezone.localdate():
        raise ValidationError(_("Afgørelsen kan ikke dateres i fremtiden."))
    exempt = follow_up_waived(person.pk, decided_on)
    if exempt:
        follow_up_on = None
    else:
        follow_up_on = follow_up_on or suggest_follow_up(legal_basis, starts_on, first=True)
    if follow_up_on is None and not exempt:
        raise ValidationError(_("Sæt datoen for første opfølgning (der er ingen opfølgningsrytme for %(basis)s).")
                              % {"basis": legal_basis})
    if follow_up_on is not None and follow_up_on <= starts_on:
        raise ValidationError(_("Opfølgningen skal ligge efter start."))
    if hours_per_week is not None and not Decimal(0) <= hours_per_week <= Decimal(168):
        raise ValidationError(_("Timer pr. uge skal ligge mellem 0 og 168."))
    if amount_per_year is not None and amount_per_year < 0:
        raise ValidationError(_("Beløbet kan ikke være negativt."))
    checked = [check_goal(g, expected=not exempt) for g in goals]
    if provider_offer is not None and provider_team is None:
        raise ValidationError(_("Vælg det team, der leverer tilbuddet."))
    if not checked:
        raise ValidationError(_("En bevilling skal have mindst ét indsatsmål."))
    _check_plan_goals(person, checked)
    decision = ruling(actor, person, legal_basis=legal_basis, hours_per_week=hours_per_week,
                      amount_per_year=amount_per_year, on=decided_on)
    grant = Grant.objects.create(
        status=GrantStatus.AWAITING if decision.needs_approval else GrantStatus.DECIDED,
        competence=decision.competence, mandate=decision.mandate, amount_per_year=amount_per_year,
        person=person, handover=handover, case_number=case_number[:40], legal_basis=legal_basis.strip()[:40],
        service_code=service_code, offer_type_code=offer_type_code, target_groups=sorted(set(target_groups)),
        support_need_code=support_need_code, hours_per_week=hours_per_week, decided_on=decided_on, starts_on=starts_on,
        follow_up_on=follow_up_on, appeal_informed=appeal_informed, decided_by=actor, provider_team=provider_team,
        provider_offer=provider_offer, action_plan=Plan.objects.filter(person=person).first())
    for g in checked:
        goal = GrantGoal.objects.create(grant=grant, title=g.title, condition_code=g.condition_code,
                                        baseline_level=g.baseline_level, target_level=g.target_level,
                                        goal_type_code=g.goal_type_code, plan_goal_id=g.plan_goal_id)
        if follow_up_on is not None and g.expected_level is not None:
            GoalExpectation.objects.create(goal=goal, due_on=follow_up_on, expected_level=g.expected_level,
                                           set_by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="grant", fields=["goals", "ffb", "competence"],
                 reason=case_number)
    if not decision.needs_approval:
        _put_into_effect(actor, grant)
    return grant


def _put_into_effect(actor, grant: Grant) -> None:
    orders.send_order(actor, grant)
    _close_front_door(actor, grant)


@transaction.atomic
def approve(actor, grant: Grant, *, version: int, on: datetime.date, note: str = "", approve: bool) -> Grant:
    """A manager approves or rejects a grant waiting for approval; an approved grant then takes effect (its order
    goes to the provider, the front-door course is to be closed) and records that it was decided by approval."""
    note = " ".join(note.split())
    if not approve and len(note) < 5:
        raise ValidationError(_("Skriv hvorfor bevillingen afvises."))
    if on < grant.decided_on:
        raise ValidationError(_("Godkendelsen kan ikke ligge før forslaget."))
    update_versioned(Grant.objects.filter(status=GrantStatus.AWAITING), grant.pk, version,
                     status=GrantStatus.DECIDED if approve else GrantStatus.REJECTED,
                     competence=Competence.APPROVAL if approve else grant.competence, approved_by=actor, approved_on=on,
                     approval_note=note[:500], updated_at=timezone.now(),
                     message=_("Bevillingen venter ikke længere på godkendelse. Genindlæs siden."))
    grant.refresh_from_db()
    audit.record(actor, AuditAction.UPDATE, person=grant.person_id, section="grant",
                 fields=["approved" if approve else "rejected"])
    if approve:
        _put_into_effect(actor, grant)
    return grant


def awaiting(persons) -> list[Grant]:
    """Grants waiting for a manager's approval, for the citizens given (a queryset the gate made), oldest first."""
    return list(Grant.objects.filter(status=GrantStatus.AWAITING, person__in=persons)
                .select_related("person", "decided_by", "mandate").order_by("decided_on", "pk"))


def _close_front_door(actor, grant: Grant) -> None:
    """The grant moves the citizen on from the front door: the course the hand-over came from (or, without one,
    the citizen's running front-door courses) is to be closed to "handed over to the authority" by the grant's
    start."""
    if grant.handover is not None and grant.handover.course_id:
        running = Course.objects.filter(pk=grant.handover.course_id, status=Course.Status.ACTIVE)
    else:
        running = Course.objects.filter(person_id=grant.person_id, status=Course.Status.ACTIVE, offer__front_door=True,
                                        group__isnull=True)
    for course in running:
        plan_closing(actor, course, on=max(grant.starts_on, course.start), destination=Destination.AUTHORITY,
                     because=_("Bevilling %(case)s") % {"case": grant.case_number})


@transaction.atomic
def score_progress(actor, goal: GrantGoal, *, level, on: datetime.date) -> ProgressScore:
    level = _check_level(level, goal.title)
    if on > timezone.localdate():
        raise ValidationError(_("Datoen ligger i fremtiden."))
    if on < goal.grant.starts_on:
        raise ValidationError(_("Datoen ligger før indsatsen startede."))
    if goal.grant.ended_on:
        raise ValidationError(_("Bevillingen er afsluttet."))
    score = ProgressScore.objects.create(goal=goal, level=level, on=on, scored_by=actor)
    audit.record(actor, AuditAction.CREATE, person=goal.grant.person_id, section="grant", fields=["progress"])
    return score


@transaction.atomic
def add_sub_goal(actor, goal: GrantGoal, text: str) -> ProviderSubGoal:
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_("Skriv delmålet."))
    if goal.grant.ended_on:
        raise ValidationError(_("Bevillingen er afsluttet."))
    sub = ProviderSubGoal.objects.create(goal=goal, text=text[:300], created_by=actor)
    audit.record(actor, AuditAction.CREATE, person=goal.grant.person_id, section="grant", fields=["sub_goal"])
    return sub


@transaction.atomic
def record_follow_up(actor, grant: Grant, *, version: int, held_on: datetime.date, status_code: str, note: str = "",
                     next_on: datetime.date | None = None, expectations: dict[int, int] | None = None) -> FollowUp:
    """Record the result; when the support continues, set the next date and the level expected for each goal then."""
    if status_code not in {c.code for c in ffb.intervention_statuses()}:
        raise ValidationError(_("Vælg resultatet af opfølgningen."))
    if held_on < grant.starts_on:
        raise ValidationError(_("Opfølgningen kan ikke ligge før indsatsen startede."))
    continues = ffb.display(status_code) == CONTINUE_STATUS
    goals = list(grant.goals.all())
    expectations = expectations or {}
    exempt = follow_up_waived(grant.person_id, held_on)
    if grant.status != GrantStatus.DECIDED:
        raise ValidationError(_("Bevillingen er ikke godkendt."))
    if continues and next_on is None and not exempt:
        next_on = suggest_follow_up(grant.legal_basis, held_on, first=False)
    as_it_stood = expected_vs_achieved(grant, as_of=held_on)
    if continues and (next_on is not None or not exempt):
        if next_on is None or next_on <= held_on:
            raise ValidationError(_("Sæt en dato for næste opfølgning efter i dag."))
        for goal in goals:
            expectations[goal.pk] = _check_level(expectations.get(goal.pk), goal.title)
    update_versioned(Grant.objects.filter(ended_on__isnull=True), grant.pk, version,
                     follow_up_on=next_on if continues else grant.follow_up_on, ended_on=None if continues else held_on,
                     updated_at=timezone.now(),
                     message=_("Bevillingen er ændret af en anden eller afsluttet, siden du åbnede den. Genindlæs og prøv igen."))
    if not continues:
        orders.end_orders(actor, grant, held_on)
    follow_up = FollowUp.objects.create(grant=grant, held_on=held_on, status_code=status_code, note=note.strip()[:1000],
                                        next_on=next_on if continues else None, held_by=actor)
    FollowUpResult.objects.bulk_create(FollowUpResult(
        follow_up=follow_up, goal=r.goal, expected_level=r.expected, achieved_level=r.achieved,
        achieved_on=r.achieved_on, verdict=r.verdict) for r in as_it_stood)
    if continues and next_on is not None:
        for goal in goals:
            GoalExpectation.objects.update_or_create(goal=goal, due_on=next_on, defaults={
                "expected_level": expectations[goal.pk], "set_by": actor})
    grant.refresh_from_db()
    audit.record(actor, AuditAction.UPDATE, person=grant.person_id, section="grant", fields=["follow_up"])
    return follow_up


@dataclass
class GoalProgress:
    goal: GrantGoal
    expected: int | None
    achieved: int | None
    achieved_on: datetime.date | None
    verdict: str
    """"better", "as_expected", "worse" or "" (not scored yet). Lower FFB levels are better."""


def expected_vs_achieved(grant: Grant, as_of: datetime.date | None = None) -> list[GoalProgress]:
    """For each goal: what the authority expects at the coming follow-up against the provider's latest score since
    the last follow-up (an older score belongs to the previous period's expectation), up to `as_of`."""
    last = grant.follow_ups.order_by("-held_on", "-pk").first()
    rows = []
    for goal in grant.goals.prefetch_related("expectations", "scores", "sub_goals"):
        expectations = list(goal.expectations.all())
        due = next((e for e in expectations if e.due_on == grant.follow_up_on), expectations[-1] if expectations else None)
        scores = [s for s in goal.scores.all() if (last is None or s.on > last.held_on)
                  and (as_of is None or s.on <= as_of)]
        latest = scores[-1] if scores else None
        verdict = ""
        if due and latest:
            verdict = "better" if latest.level < due.expected_level else "worse" if latest.level > due.expected_level else "as_expected"
        rows.append(GoalProgress(goal, due.expected_level if due else None, latest.level if latest else None,
                                 latest.on if latest else None, verdict))
    return rows


def suggestion(rows: list[GoalProgress]) -> str:
    verdicts = {r.verdict for r in rows}
    if verdicts == {"better"}:
        return _("Borgeren klarer sig bedre end forventet på alle mål. Overvej at justere støtten ned.")
    if "worse" in verdicts and "better" not in verdicts and "" not in verdicts:
        return _("Borgeren er bagud i forhold til det forventede. Overvej om støtten skal justeres op.")
    return ""


@dataclass
class HistoryColumn:
    """One column of the follow-up history: the provider's scores in a period, or a follow-up's table."""

    kind: str  # "scores" or "follow_up"
    label: str
    follow_up: FollowUp | None
    cells: dict[int, list]
    """goal id -> the scores in the period, or [the FollowUpResult]."""


def history(grant: Grant) -> list[HistoryColumn]:
    """Every follow-up's expected-against-achieved table side by side, with the provider's scores between them."""
    follow_ups = list(grant.follow_ups.select_related("held_by").prefetch_related("results"))
    scores = list(ProgressScore.objects.filter(goal__grant=grant).order_by("on", "pk"))
    columns, previous = [], grant.starts_on - datetime.timedelta(days=1)
    for follow_up in follow_ups:
        period = [s for s in scores if previous < s.on <= follow_up.held_on]
        columns.append(HistoryColumn("scores", _("Scoringer til %(date)s") % {"date": f"{follow_up.held_on:%d.%m.%Y}"},
                                     None, _by_goal(period)))
        columns.append(HistoryColumn("follow_up", _("Opfølgning %(date)s") % {"date": f"{follow_up.held_on:%d.%m.%Y}"},
                                     follow_up, {r.goal_id: [r] for r in follow_up.results.all()}))
        previous = follow_up.held_on
    since = [s for s in scores if s.on > previous]
    if since:
        columns.append(HistoryColumn("scores", _("Scoringer siden"), None, _by_goal(since)))
    return columns


def _by_goal(scores) -> dict[int, list]:
    cells: dict[int, list] = {}
    for score in scores:
        cells.setdefault(score.goal_id, []).append(score)
    return cells
