"""What interchange 1.2 added: the Én plan experiment's records. A citizen's cluster and sub-target group, families
(households) with their members, shared direction and coordinator, and survey invitations with their answers.

A person record that leaves out `cluster` or `sub_target_group` (as every 1.0 and 1.1 file does) leaves what is
stored as it is. A household record's members replace the family's stored members.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts.models import User
from traedesten.core.bulk import changed_rows, update_rows
from traedesten.insights import surveys
from traedesten.insights.models import Invitation, Questionnaire, Response
from traedesten.people.families import check_membership, running_span
from traedesten.people.models import Household, HouseholdMember, Person

from .additions import given

if TYPE_CHECKING:  # the importer calls this module with itself
    from .importer import Records, Resolver, Writer

STEPS = ("household", "survey")
PERSON_FIELDS = ("cluster", "sub_target_group")


def referenced(by_type: Records, kind: str) -> set[str]:
    """Ids the 1.2 records point at, to be looked up with the rest."""
    if kind == "person":
        return {m.person for _n, rec in by_type.household for m in rec.members}
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
    seen: dict[tuple[str, str], int] = {}
    stored = {}
    persons = [resolver.ids["person"][rec.person] for _n, rec in b.survey if rec.person in resolver.ids["person"]]
    for pk, questionnaire, person in Invitation.objects.filter(person__in=persons).values_list(
            "pk", "questionnaire__code", "person_id"):
        stored[(questionnaire, person)] = pk
    for n, rec in b.survey:
        if rec.questionnaire not in definitions:
            error(n, "questionnaire", _("ukendt spørgeskema »%(code)s«") % {"code": rec.questionnaire})
            continue
        first = seen.setdefault((rec.questionnaire, rec.person), n)
        if first != n:
            error(n, "person", _("borgeren er også inviteret til spørgeskemaet på linje %(line)s") % {"line": first})
        found = resolver.ids["person"].get(rec.person)
        taken = stored.get((rec.questionnaire, found)) if found is not None else None
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
