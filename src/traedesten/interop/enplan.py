"""What interchange 1.2 added: the Én plan experiment's records. A citizen's cluster and sub-target group, families
(households) with their members, shared direction and coordinator, survey invitations with their answers, the
case-level progression category, complaints, and a measurement's phase (before or after the intervention).

A person record that leaves out `cluster` or `sub_target_group` (as every 1.0 and 1.1 file does) leaves what is
stored as it is. A household record's members replace the family's stored members.
"""

from __future__ import annotations

import secrets
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts.models import User
from traedesten.accounts.roles import Role
from traedesten.authority.models import CaseProgression, Complaint, Grant, GrantGoal
from traedesten.authority.outcomes import answer_due, check_complaint, check_outcome, check_progression
from traedesten.core.bulk import changed_rows, update_rows
from traedesten.courses.models import Course
from traedesten.insights import surveys
from traedesten.insights.models import Invitation, Questionnaire, Response
from traedesten.measures.models import Administration
from traedesten.people.families import check_membership, running_span
from traedesten.people.models import ContactPeriod, Household, HouseholdMember, Person
from traedesten.plans.exemptions import check as exemption_check
from traedesten.plans.models import Exemption, ExemptionKind, Plan
from traedesten.plans.services import current_content

from .additions import fields_given, given

if TYPE_CHECKING:  # the importer calls this module with itself
    from .importer import Records, Resolver, Writer

STEPS = ("household", "survey", "case_progression", "complaint", "contact_period", "exemption")
GRANT_FIELDS = ("status", "competence", "amount_per_year")
"""1.2 fields of a grant, written only when a record states them."""
PERSON_FIELDS = ("cluster", "sub_target_group")


def referenced(by_type: Records, kind: str) -> set[str]:
    """Ids the 1.2 records point at, to be looked up with the rest."""
    if kind == "person":
        return {m.person for _n, rec in by_type.household for m in rec.members} | {
            rec.person for _n, rec in by_type.exemption if rec.person}
    if kind == "household":
        return {rec.household for _n, rec in by_type.case_progression if rec.household} | {
            rec.household for _n, rec in by_type.exemption if rec.household}
    if kind == "grant":
        return {rec.grant for _n, rec in by_type.complaint if rec.grant}
    return set()


def check(resolver: Resolver) -> None:
    b, error = resolver.plan.by_type, resolver.plan.error
    named = {rec.coordinator for _n, rec in b.household if rec.coordinator}
    resolver.coordinators = dict(User.objects.filter(username__in=list(named)).values_list("username", "pk"))
    spans: dict[str, list[tuple[tuple, str, int]]] = {}
    for n, rec in b.household:
        for i, member in enumerate(rec.members):
            if not resolver.known("person", member.person):
                error(n, f"members.{i}.person", _("ukendt borger »%(id)s«") % {"id": member.person})
            try:
                check_membership(started_on=rec.started_on, ended_on=rec.ended_on, joined_on=member.joined_on)
            except ValidationError as exc:
                error(n, f"members.{i}.joined_on", exc.messages[0])
            spans.setdefault(member.person, []).append(
                (running_span(member.joined_on, member.left_on, rec.ended_on), rec.id, n))
        if rec.coordinator and rec.coordinator not in resolver.coordinators:
            error(n, "coordinator", _("ukendt medarbejder »%(user)s« (opret brugeren først)") % {"user": rec.coordinator})
    _check_one_family_at_a_time(resolver, spans)
    _check_surveys(resolver)
    _check_progressions(resolver)
    _check_complaints(resolver)
    _check_contact_periods(resolver)
    _check_plan_goals(resolver)
    _check_exemptions(resolver)


def _check_one_family_at_a_time(resolver: Resolver, spans: dict[str, list[tuple[tuple, str, int]]]) -> None:
    """A citizen is in one running family on any day (as `people.families.add_member` sees to): the file's memberships
    and the stored ones of families the file does not list."""
    in_file = {resolver.ids["household"][key] for _s, key, _n in (x for v in spans.values() for x in v)
               if key in resolver.ids["household"]}
    persons = {resolver.ids["person"][key]: key for key in spans if key in resolver.ids["person"]}
    for m in HouseholdMember.objects.filter(person__in=list(persons)).exclude(household__in=list(in_file)).values(
            "person_id", "joined_on", "left_on", "household__ended_on", "household_id"):
        spans[persons[m["person_id"]]].append(
            (running_span(m["joined_on"], m["left_on"], m["household__ended_on"]), f"#{m['household_id']}", 0))
    for person, held in spans.items():
        for (a, key_a, n), (b, key_b, _m) in ((x, y) for i, x in enumerate(held) for y in held[i + 1:]):
            if key_a != key_b and a[0] <= b[1] and b[0] <= a[1]:
                resolver.plan.error(n or _m, "members", _("Borgeren er allerede med i en anden familie.")
                                    + f" ({person})")
                break


def _staff(resolver: Resolver, names: set[str]) -> None:
    wanted = names - set(resolver.coordinators)
    resolver.coordinators |= dict(User.objects.filter(username__in=list(wanted)).values_list("username", "pk"))


def _unknown_staff(resolver: Resolver, line: int, field: str, name: str | None) -> None:
    """A staff member the installation lacks is an error, unless the import makes them (`--create-staff`)."""
    if name and name not in resolver.coordinators and not resolver.create_staff:
        resolver.plan.error(line, field, _("ukendt medarbejder »%(user)s« (opret brugeren først, eller importér med "
                                           "--create-staff)") % {"user": name})


def _created_staff(writer: Writer, resolver: Resolver) -> None:
    """Inactive accounts without a password for the assessors and responsible staff the file names (as additions does
    for activity staff), when the import is asked to make them."""
    named = {rec.assessed_by for _n, rec in writer.b.case_progression if rec.assessed_by} | {
        rec.responsible for _n, rec in writer.b.complaint if rec.responsible}
    for name in sorted(named - set(resolver.coordinators)):
        user = User(username=name, is_active=False, role=Role.VOLUNTEER)
        user.set_unusable_password()
        user.save()
        resolver.coordinators[name] = user.pk
        writer.report.created["user"] += 1


def _check_progressions(resolver: Resolver) -> None:
    """The category and reason as the page checks them (`authority.outcomes.check_progression`); a closing names the
    course, which is the citizen's own unless a family is named; a family's row is a member's."""
    b, error = resolver.plan.by_type, resolver.plan.error
    if not b.case_progression:
        return
    _staff(resolver, {rec.assessed_by for _n, rec in b.case_progression if rec.assessed_by})
    course_person = {rec.id: rec.person for _n, rec in b.course}
    stored_courses = dict(Course.objects.filter(
        pk__in=list(resolver.ids["course"].values())).values_list("pk", "person_id"))
    members = {(rec.id, m.person) for _n, rec in b.household for m in rec.members}
    households = {rec.id for _n, rec in b.household}
    stored_members = set(HouseholdMember.objects.filter(household__in=list(resolver.ids["household"].values()))
                         .values_list("household_id", "person_id"))
    for n, rec in b.case_progression:
        try:
            check_progression(rec.category, rec.reason)
        except ValidationError as exc:
            error(n, "reason" if rec.category else "category", exc.messages[0])
        if rec.occasion == "closing" and not rec.course:
            error(n, "course", _("en vurdering ved afslutningen nævner forløbet"))
        if rec.household and not (resolver.known("household", rec.household) or rec.household in households):
            error(n, "household", _("ukendt familie »%(id)s«") % {"id": rec.household})
        elif rec.household and (rec.household, rec.person) not in members and (
                resolver.ids["household"].get(rec.household), resolver.ids["person"].get(rec.person)) not in stored_members:
            error(n, "person", _("borgeren er ikke med i familien »%(id)s«") % {"id": rec.household})
        if rec.course and not rec.household:
            owner = course_person.get(rec.course)
            same = owner == rec.person if owner is not None else (
                stored_courses.get(resolver.ids["course"].get(rec.course, 0)) == resolver.ids["person"].get(rec.person))
            if not same:
                error(n, "course", _("Forløbet hører til en anden borger."))
        _unknown_staff(resolver, n, "assessed_by", rec.assessed_by)


def _check_complaints(resolver: Resolver) -> None:
    """As the complaints page checks them (`authority.outcomes.check_complaint`, `check_outcome`)."""
    b, error = resolver.plan.by_type, resolver.plan.error
    if not b.complaint:
        return
    _staff(resolver, {rec.responsible for _n, rec in b.complaint if rec.responsible})
    grant_person = {rec.id: rec.person for _n, rec in b.grant}
    stored = dict(Grant.objects.filter(pk__in=list(resolver.ids["grant"].values())).values_list("pk", "person_id"))
    for n, rec in b.complaint:
        if rec.grant and not (resolver.known("grant", rec.grant) or rec.grant in grant_person):
            error(n, "grant", _("ukendt bevilling »%(id)s«") % {"id": rec.grant})
            continue
        person: object
        of_grant: object
        if rec.grant in grant_person:
            person, of_grant = rec.person, grant_person[rec.grant]
        else:
            person = resolver.ids["person"].get(rec.person, rec.person)
            of_grant = stored.get(resolver.ids["grant"][rec.grant]) if rec.grant else None
        try:
            check_complaint(person=person, received_on=rec.received_on, kind=rec.kind, grant_person=of_grant,
                            other_decision=rec.other_decision)
            if rec.outcome and rec.outcome_on is not None:
                check_outcome(received_on=rec.received_on, outcome=rec.outcome, outcome_on=rec.outcome_on)
        except ValidationError as exc:
            error(n, "", exc.messages[0])
        _unknown_staff(resolver, n, "responsible", rec.responsible)


def _check_contact_periods(resolver: Resolver) -> None:
    """At most one open period per citizen and kind, counting the stored ones the file does not list (the database's
    own rule, said in Danish before anything is written)."""
    b, error = resolver.plan.by_type, resolver.plan.error
    if not b.contact_period:
        return
    _staff(resolver, {rec.worker for _n, rec in b.contact_period if rec.worker})
    open_in_file: dict[tuple[str, str], int] = {}
    listed = {resolver.ids["contact_period"][rec.id] for _n, rec in b.contact_period
              if rec.id in resolver.ids["contact_period"]}
    persons = {resolver.ids["person"][rec.person]: rec.person for _n, rec in b.contact_period
               if rec.person in resolver.ids["person"]}
    stored_open = {(persons[p], kind) for p, kind in ContactPeriod.objects.filter(
        person__in=list(persons), ends_on__isnull=True).exclude(pk__in=list(listed)).values_list("person_id", "kind")}
    for n, rec in b.contact_period:
        if rec.worker and rec.worker not in resolver.coordinators:
            error(n, "worker", _("ukendt medarbejder »%(user)s« (opret brugeren først)") % {"user": rec.worker})
        if rec.ends_on is None:
            key = (rec.person, rec.kind)
            if key in open_in_file or key in stored_open:
                error(n, "ends_on", _("borgeren har allerede en nuværende kontaktperson af den slags"))
            open_in_file.setdefault(key, n)


def _check_plan_goals(resolver: Resolver) -> None:
    """A grant goal tied to a plan goal names a goal in the citizen's current plan: the newest version in the file, or
    the stored plan (as `authority.grants` checks it on the page)."""
    b, error = resolver.plan.by_type, resolver.plan.error
    tied = [(n, rec, i, goal) for n, rec in b.grant for i, goal in enumerate(rec.goals) if goal.plan_goal_id]
    if not tied:
        return
    in_file = {}
    for _n, plan_record in b.plan:
        newest = max(plan_record.versions, key=lambda v: v.number)
        in_file[plan_record.person] = {g.get("id") for g in newest.content.get("goals", [])}
    stored_persons = {resolver.ids["person"][rec.person] for _n, rec, _i, _g in tied
                      if rec.person not in in_file and rec.person in resolver.ids["person"]}
    stored = {}
    for plan in Plan.objects.filter(person__in=list(stored_persons)):
        content = current_content(plan)
        stored[plan.person_id] = {g.id for g in content.goals} if content else set()
    for n, rec, i, goal in tied:
        known = in_file[rec.person] if rec.person in in_file else stored.get(resolver.ids["person"].get(rec.person, 0), set())
        if goal.plan_goal_id not in known:
            error(n, f"goals.{i}.plan_goal_id", _("Indsatsmålet »%(goal)s« er knyttet til et mål, der ikke findes i "
                                                  "borgerens plan.") % {"goal": goal.title})


def _check_exemptions(resolver: Resolver) -> None:
    """A known kind, a known citizen or family, and the page's checks (`plans.exemptions.check`); an exemption may
    start long ago in an import, which records history."""
    b, error = resolver.plan.by_type, resolver.plan.error
    if not b.exemption:
        return
    resolver.exemption_kinds = dict(ExemptionKind.objects.values_list("code", "pk"))
    households = {rec.id for _n, rec in b.household}
    today = timezone.localdate()
    for n, rec in b.exemption:
        if rec.kind not in resolver.exemption_kinds:
            error(n, "kind", _("ukendt fritagelse »%(code)s«") % {"code": rec.kind})
        if rec.person and not resolver.known("person", rec.person):
            error(n, "person", _("ukendt borger »%(id)s«") % {"id": rec.person})
        if rec.household and not (resolver.known("household", rec.household) or rec.household in households):
            error(n, "household", _("ukendt familie »%(id)s«") % {"id": rec.household})
        try:
            exemption_check(legal_basis=rec.legal_basis, starts_on=rec.starts_on, ends_on=rec.ends_on,
                            decided_on=rec.decided_on, today=today)
        except ValidationError as exc:
            error(n, "", exc.messages[0])
        if rec.ended_on is not None and rec.ended_on < rec.starts_on:
            error(n, "ended_on", _("Fritagelsen kan ikke ophæves, før den starter."))


def _check_surveys(resolver: Resolver) -> None:
    """The questionnaire exists, the answers fit its questions (surveys.answer_problems), and a citizen is invited to a
    questionnaire once (as `surveys.invite` sees to on the page)."""
    b, error = resolver.plan.by_type, resolver.plan.error
    if not b.survey:
        return
    definitions = {}
    for q in Questionnaire.objects.filter(code__in={rec.questionnaire for _n, rec in b.survey}):
        try:
            definitions[q.code] = (q.pk, surveys.parse(q.definition))
        except ValidationError:
            continue
    resolver.questionnaires = definitions
    seen: dict[tuple[tuple[str, ...], str], int] = {}
    stored: dict[tuple[tuple[str, ...], int], int] = {}
    persons = [resolver.ids["person"][rec.person] for _n, rec in b.survey if rec.person in resolver.ids["person"]]
    for pk, questionnaire, person in Invitation.objects.filter(person__in=persons).values_list(
            "pk", "questionnaire__code", "person_id"):
        stored[(tuple(surveys.one_survey(questionnaire)), person)] = pk
    for n, rec in b.survey:
        if rec.questionnaire not in definitions:
            error(n, "questionnaire", _("ukendt spørgeskema »%(code)s«") % {"code": rec.questionnaire})
            continue
        survey = tuple(surveys.one_survey(rec.questionnaire))
        first = seen.setdefault((survey, rec.person), n)
        if first != n:
            error(n, "person", _("borgeren er også inviteret til spørgeskemaet på linje %(line)s") % {"line": first})
        found = resolver.ids["person"].get(rec.person)
        taken = stored.get((survey, found)) if found is not None else None
        if taken is not None and taken != resolver.ids["survey"].get(rec.id):
            error(n, "person", _("borgeren er allerede inviteret til spørgeskemaet"))
        if rec.response is not None:
            for problem in surveys.answer_problems(definitions[rec.questionnaire][1], rec.response.answers):
                error(n, "response.answers", problem)
            if _aware(rec.response.submitted_at) < _aware(rec.invited_at):
                error(n, "response.submitted_at", _("svaret er givet før invitationen"))


def write(writer: Writer, resolver: Resolver) -> None:
    """Write the 1.2 fields and records, after the persons they point at."""
    _person_fields(writer)
    _households(writer, resolver)
    _surveys(writer, resolver)
    _phases(writer)
    _created_staff(writer, resolver)
    _progressions(writer, resolver)
    _complaints(writer, resolver)
    _contact_periods(writer, resolver)
    _plan_goals(writer)
    _grant_fields(writer)
    _exemptions(writer, resolver)


def _person_fields(writer: Writer) -> None:
    for name in PERSON_FIELDS:
        rows = {writer.person(rec.id): {name: getattr(rec, name)} for _n, rec in writer.b.person if given(rec, name)}
        changed = changed_rows(Person, rows, [name])
        update_rows(Person, changed, [name])
        for pk in changed:
            writer.touched.setdefault(pk, False)


def _households(writer: Writer, resolver: Resolver) -> None:
    recs = [rec for _n, rec in writer.b.household]
    if not recs:
        return
    fields = ["name", "cluster", "sub_target_group", "direction", "coordinator_id", "started_on", "ended_on"]
    rows = [(rec.id, {"name": rec.name, "cluster": rec.cluster, "sub_target_group": rec.sub_target_group,
                      "direction": rec.direction, "coordinator_id": resolver.coordinators.get(rec.coordinator or ""),
                      "started_on": rec.started_on, "ended_on": rec.ended_on}) for rec in recs]
    changed = writer._upsert("household", Household, rows, fields, ignore=())
    Household.objects.filter(pk__in=changed).update(version=F("version") + 1)
    _members(writer, recs)


def _members(writer: Writer, recs: list[Any]) -> None:
    households = {writer.ids["household"][rec.id]: rec for rec in recs}
    stored = {(m.household_id, m.person_id): m for m in HouseholdMember.objects.filter(household__in=list(households))}
    wanted = {}
    for pk, rec in households.items():
        for member in rec.members:
            wanted[(pk, writer.person(member.person))] = member
    gone = [m.pk for key, m in stored.items() if key not in wanted]
    HouseholdMember.objects.filter(pk__in=gone).delete()
    new, changed = [], []
    for (household, person), member in wanted.items():
        values = {"role": member.role, "joined_on": member.joined_on, "left_on": member.left_on}
        row = stored.get((household, person))
        if row is None:
            new.append(HouseholdMember(household_id=household, person_id=person, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
        if row is None or row in changed:
            writer.touched.setdefault(person, False)
    HouseholdMember.objects.bulk_create(new)
    HouseholdMember.objects.bulk_update(changed, ["role", "joined_on", "left_on"])
    for key, m in stored.items():
        if key not in wanted:
            writer.touched.setdefault(m.person_id, False)
    writer.count("household_member", len(new), len(changed) + len(gone))


def _aware(value):
    return value if value is None or timezone.is_aware(value) else timezone.make_aware(value)


def _surveys(writer: Writer, resolver: Resolver) -> None:
    recs = [rec for _n, rec in writer.b.survey]
    if not recs:
        return
    fields = ["questionnaire_id", "person_id", "course_id", "channel", "created_at", "sent_at", "reminders_sent",
              "non_response"]
    rows = [(rec.id, {"questionnaire_id": resolver.questionnaires[rec.questionnaire][0],
                      "person_id": writer.person(rec.person), "course_id": writer.course(rec.course),
                      "channel": rec.channel, "created_at": _aware(rec.invited_at), "sent_at": _aware(rec.sent_at),
                      "reminders_sent": rec.reminders_sent, "non_response": rec.non_response}) for rec in recs]
    known = set(writer.ids["survey"])
    for key, values in rows:
        if key not in known:
            values["token"] = secrets.token_urlsafe(24)
    writer._upsert("survey", Invitation, rows, fields, ignore=())
    answered = {writer.ids["survey"][rec.id]: (rec, rec.response) for rec in recs if rec.response is not None}
    stored = {r.invitation_id: r for r in Response.objects.filter(invitation__in=list(answered))}
    new, changed = [], []
    for invitation, (rec, answer) in answered.items():
        values = {"answers": answer.answers, "helped_by_professional": answer.helped_by_professional,
                  "submitted_at": _aware(answer.submitted_at),
                  "complete": surveys.is_complete(resolver.questionnaires[rec.questionnaire][1], answer.answers)}
        row = stored.get(invitation)
        if row is None:
            new.append(Response(invitation_id=invitation, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    Response.objects.bulk_create(new, batch_size=1000)
    Response.objects.bulk_update(changed, ["answers", "helped_by_professional", "submitted_at", "complete"],
                                 batch_size=1000)
    writer.count("survey_response", len(new), len(changed))


def _phases(writer: Writer) -> None:
    fields_given(writer, "measurement", writer.b.measurement, Administration, "phase", attrgetter("phase"))


def _clusters(writer: Writer, recs: list[Any]) -> dict[int, str]:
    """The cluster of each record left without one, as the page works it out (`authority.outcomes.cluster_of`): the
    family's when a family is named or the citizen was then in a family household, else the citizen's own."""
    persons = {writer.person(rec.person) for rec in recs}
    own = dict(Person.objects.filter(pk__in=list(persons)).values_list("pk", "cluster"))
    spans: dict[int, list[tuple]] = {}
    for person, joined, left in HouseholdMember.objects.filter(person__in=list(persons), household__cluster="family") \
            .values_list("person_id", "joined_on", "left_on"):
        spans.setdefault(person, []).append((joined, left))
    out = {}
    for rec in recs:
        pk = writer.person(rec.person)
        member = any(j <= rec.assessed_on and (left is None or left >= rec.assessed_on) for j, left in spans.get(pk, []))
        out[id(rec)] = rec.cluster or ("family" if rec.household or member else own.get(pk, ""))
    return out


def _progressions(writer: Writer, resolver: Resolver) -> None:
    recs = [rec for _n, rec in writer.b.case_progression]
    if not recs:
        return
    clusters = _clusters(writer, recs)
    fields = ["person_id", "household_id", "occasion", "course_id", "cluster", "assessed_on", "category", "reason",
              "assessed_by_id"]
    rows = [(rec.id, {"person_id": writer.person(rec.person),
                      "household_id": writer.ids["household"][rec.household] if rec.household else None,
                      "occasion": rec.occasion, "course_id": writer.course(rec.course), "cluster": clusters[id(rec)],
                      "assessed_on": rec.assessed_on, "category": rec.category, "reason": rec.reason.strip(),
                      "assessed_by_id": resolver.coordinators.get(rec.assessed_by or "")}) for rec in recs]
    writer._upsert("case_progression", CaseProgression, rows, fields, ignore=())


def _complaints(writer: Writer, resolver: Resolver) -> None:
    recs = [rec for _n, rec in writer.b.complaint]
    if not recs:
        return
    fields = ["person_id", "received_on", "channel", "kind", "grant_id", "other_decision", "summary", "due_on",
              "responsible_id", "related_to_experiment", "outcome", "outcome_on", "outcome_note"]
    rows = [(rec.id, {"person_id": writer.person(rec.person), "received_on": rec.received_on, "channel": rec.channel,
                      "kind": rec.kind, "grant_id": writer.ids["grant"][rec.grant] if rec.grant else None,
                      "other_decision": rec.other_decision.strip(), "summary": rec.summary.strip(),
                      "due_on": answer_due(rec.received_on),
                      "responsible_id": resolver.coordinators.get(rec.responsible or ""),
                      "related_to_experiment": rec.related_to_experiment, "outcome": rec.outcome,
                      "outcome_on": rec.outcome_on, "outcome_note": rec.outcome_note.strip()}) for rec in recs]
    changed = writer._upsert("complaint", Complaint, rows, fields, ignore=())
    Complaint.objects.filter(pk__in=changed).update(version=F("version") + 1)


def _contact_periods(writer: Writer, resolver: Resolver) -> None:
    recs = [rec for _n, rec in writer.b.contact_period]
    if not recs:
        return
    fields = ["person_id", "kind", "worker_id", "name", "starts_on", "ends_on"]
    rows = [(rec.id, {"person_id": writer.person(rec.person), "kind": rec.kind,
                      "worker_id": resolver.coordinators.get(rec.worker or ""),
                      "name": "" if rec.worker else " ".join(rec.name.split()), "starts_on": rec.starts_on,
                      "ends_on": rec.ends_on, "recorded_by_id": writer.actor.pk if writer.actor else None})
            for rec in recs]
    writer._upsert("contact_period", ContactPeriod, rows, fields, ignore=())


def _plan_goals(writer: Writer) -> None:
    """Grant goals that state a plan goal (1.2) get it; a goal that leaves it out keeps what is stored."""
    wanted = {(writer.ids["grant"][rec.id], " ".join(goal.title.split())[:300]): goal.plan_goal_id
              for _n, rec in writer.b.grant for goal in rec.goals if given(goal, "plan_goal_id")}
    if not wanted:
        return
    stored = {(grant, title): pk for pk, grant, title in GrantGoal.objects.filter(
        grant__in={grant for grant, _t in wanted}).values_list("pk", "grant_id", "title")}
    rows = {stored[key]: {"plan_goal_id": value} for key, value in wanted.items() if key in stored}
    update_rows(GrantGoal, changed_rows(GrantGoal, rows, ["plan_goal_id"]), ["plan_goal_id"])


def _grant_fields(writer: Writer) -> None:
    for name in GRANT_FIELDS:
        fields_given(writer, "grant", writer.b.grant, Grant, name, attrgetter(name))


def _exemptions(writer: Writer, resolver: Resolver) -> None:
    recs = [rec for _n, rec in writer.b.exemption]
    if not recs:
        return
    fields = ["kind_id", "person_id", "household_id", "legal_basis", "starts_on", "ends_on", "decided_on", "note",
              "ended_on"]
    rows = [(rec.id, {"kind_id": resolver.exemption_kinds[rec.kind],
                      "person_id": writer.person(rec.person) if rec.person else None,
                      "household_id": writer.ids["household"][rec.household] if rec.household else None,
                      "legal_basis": " ".join(rec.legal_basis.split()), "starts_on": rec.starts_on,
                      "ends_on": rec.ends_on, "decided_on": rec.decided_on, "note": " ".join(rec.note.split()),
                      "ended_on": rec.ended_on, "decided_by_id": writer.actor.pk if writer.actor else None})
            for rec in recs]
    writer._upsert("exemption", Exemption, rows, fields, ignore=())
