"""Loading definitions, recording administrations, trajectories and results."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.accounts.principals import staff_user
from traedesten.core import disclosure
from traedesten.courses.models import Course

from . import scoring
from .definitions import Definition, DefinitionError, parse
from .models import Administration, Instrument, InstrumentVersion, Rater, Schedule, score_texts


def current_versions() -> dict[str, InstrumentVersion]:
    """Each instrument's newest version, by instrument code, in one query."""
    newest = {}
    for version in InstrumentVersion.objects.select_related("instrument").order_by("instrument", "number"):
        newest[version.instrument.code] = version
    return newest


@transaction.atomic
def save_definition(actor, raw: dict) -> InstrumentVersion:
    """Store an edited definition as a new version; an unchanged definition keeps the current version."""
    try:
        defn = parse(raw)
    except (DefinitionError, KeyError, TypeError) as exc:
        raise ValidationError(str(exc)) from exc
    instrument, _created = Instrument.objects.get_or_create(code=defn.code, defaults={"name": defn.name})
    current = instrument.versions.select_for_update().order_by("-number").first()
    if current and current.definition == raw:
        return current
    if instrument.name != defn.name:
        Instrument.objects.filter(pk=instrument.pk).update(name=defn.name)
    return InstrumentVersion.objects.create(instrument=instrument, number=(current.number + 1) if current else 1,
                                            definition=raw, created_by=actor)


def _course_on(person, course, on: datetime.date):
    """The course the administration belongs to: the given one, else the citizen's course running on that date."""
    if course is not None:
        if course.person_id != person.pk:
            raise ValidationError(_("Forløbet tilhører en anden borger."))
        return course
    running = Course.objects.filter(person=person, start__lte=on).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=on))
    return running.order_by("-start", "-pk").first()


def check_can_measure(defn: Definition, person, on: datetime.date, rater: str, course):
    if on > timezone.localdate():
        raise ValidationError(_("Målingen ligger i fremtiden."))
    if rater not in defn.raters:
        raise ValidationError(_("%(instrument)s udfyldes ikke af %(rater)s.") % {
            "instrument": defn.name, "rater": Rater(rater).label.lower()})
    course = _course_on(person, course, on)
    running = course is not None and course.start <= on and (course.closed_on is None or on <= course.closed_on)
    if defn.requires_active_course and not running:
        raise ValidationError(_("%(instrument)s kræver et forløb, der er aktivt på datoen.") % {"instrument": defn.name})
    return course


def _consensus(defn: Definition, citizen: dict, worker: dict, note: str) -> dict:
    """REM-style consensus: equal scores stand; on disagreement the worker decides and a note is required."""
    if not worker:
        raise ValidationError(_("Medarbejderens vurdering mangler."))
    disagree = [i.label for i in defn.items if i.code in citizen and i.code in worker and citizen[i.code] != worker[i.code]]
    if disagree and not note.strip():
        raise ValidationError(_("I er uenige om %(items)s. Skriv en note om uenigheden.") % {"items": ", ".join(disagree)})
    return dict(worker)


def session_of(person, *, activity=None, group_session=None, course=None) -> tuple:
    """The session a measurement belongs to (FIT: ORS before it, SRS after it) and the course that follows from it:
    the citizen's own activity, or a group session of a group the citizen is enrolled on."""
    if activity is not None:
        if activity.person_id != person.pk:
            raise ValidationError(_("Samtalen hører til en anden borger."))
        return activity, None, activity.course or course
    if group_session is not None:
        enrolment = group_session.group.enrolments.filter(person=person, start__lte=group_session.on).first()
        if enrolment is None:
            raise ValidationError(_("Borgeren er ikke tilmeldt holdet."))
        return None, group_session, enrolment
    return None, None, course


def check_phase(defn, phase: str, name: str) -> None:
    """An instrument measured before and after an intervention (its definition lists `phases`) needs the phase; any
    other refuses one. The page's, the API's and the importer's one rule."""
    phases = defn.raw.get("phases", [])
    if phase and phase not in phases:
        raise ValidationError(_("%(instrument)s måles ikke før og efter.") % {"instrument": name})
    if phases and not phase:
        raise ValidationError(_("Vælg om målingen er før eller efter indsatsen."))


@transaction.atomic
def administer(actor, person, instrument: Instrument, *, on: datetime.date, values: dict[str, Decimal] | None = None,
               rater: str = Rater.CITIZEN, course=None, rater_network=None, note: str = "",
               citizen_values: dict | None = None, worker_values: dict | None = None,
               citizen_comment: str = "", at_home: bool = False, activity=None, group_session=None,
               phase: str = "") -> Administration:
    version = instrument.current
    defn = version.parsed
    check_phase(defn, phase, instrument.name)
    activity, group_session, course = session_of(person, activity=activity, group_session=group_session, course=course)
    on = activity.on if activity is not None else group_session.on if group_session is not None else on
    course = check_can_measure(defn, person, on, rater, course)
    if rater == Rater.RELATIVE and (rater_network is None or rater_network.person_id != person.pk):
        raise ValidationError(_("Vælg hvilken pårørende der giver sin vurdering."))
    if defn.mode == "consensus":
        values = _consensus(defn, citizen_values or {}, worker_values or {}, note)
    values = {k: Decimal(str(v)) for k, v in (values or {}).items()}
    try:
        result = scoring.score(defn, values)
    except scoring.ScoreError as exc:
        raise ValidationError(str(exc)) from exc
    administration = Administration.objects.create(
        person=person, version=version, instrument=instrument, course=course, on=on, rater=rater,
        rater_network=rater_network if rater == Rater.RELATIVE else None,
        status=Administration.Status.PARTIAL if result.partial else Administration.Status.COMPLETE,
        total=result.total, areas={k: str(v) for k, v in result.areas.items()}, item_scores=score_texts(values),
        citizen_item_scores=score_texts({k: v for k, v in (citizen_values or {}).items() if k in values}),
        note=note.strip()[:1000], citizen_comment=citizen_comment.strip()[:1000], at_home=at_home,
        administered_by=staff_user(actor), activity=activity, group_session=group_session, phase=phase)
    audit.record(actor, AuditAction.CREATE, person=person, section="measure",
                 fields=[instrument.code, "at_home"] if at_home else [instrument.code])
    return administration


def home_instruments() -> list[Instrument]:
    """The instruments a citizen may score at home: named in TRAEDESTEN_HOME_INSTRUMENTS, scored on the kiosk's scale
    and rated by the citizen."""
    found = Instrument.objects.filter(code__in=settings.TRAEDESTEN_HOME_INSTRUMENTS, active=True).order_by("code")
    return [i for i in found if i.current.parsed.mode == "kiosk" and Rater.CITIZEN in i.current.parsed.raters]


@transaction.atomic
def score_at_home(actor, person, instrument: Instrument, values: dict[str, Decimal]) -> Administration:
    """The citizen scores themself on Min side before a session: the kiosk's scale and rules, today, marked as given at
    home. Once a day per instrument."""
    if instrument.pk not in {i.pk for i in home_instruments()}:
        raise ValidationError(_("%(instrument)s kan ikke udfyldes hjemmefra.") % {"instrument": instrument.name})
    today = timezone.localdate()
    if Administration.objects.filter(person=person, instrument=instrument, on=today, at_home=True).exists():
        raise ValidationError(_("Du har allerede givet din vurdering i dag. Du kan give den igen i morgen."))
    return administer(actor, person, instrument, on=today, values=values, rater=Rater.CITIZEN, at_home=True)


@transaction.atomic
def decline(actor, person, instrument: Instrument, *, on: datetime.date, rater: str = Rater.CITIZEN, course=None,
            rater_network=None, activity=None, group_session=None) -> Administration:
    """The citizen said no today. Recorded once, without follow-up nagging."""
    version = instrument.current
    activity, group_session, course = session_of(person, activity=activity, group_session=group_session, course=course)
    on = activity.on if activity is not None else group_session.on if group_session is not None else on
    course = check_can_measure(version.parsed, person, on, rater, course)
    administration = Administration.objects.create(
        person=person, version=version, instrument=instrument, course=course, on=on, rater=rater,
        rater_network=rater_network, status=Administration.Status.DECLINED, administered_by=actor, activity=activity,
        group_session=group_session)
    audit.record(actor, AuditAction.CREATE, person=person, section="measure", fields=[instrument.code, "declined"])
    return administration


@dataclass(frozen=True)
class Point:
    administration: Administration
    total: Decimal


@dataclass(frozen=True)
class Trajectory:
    instrument: Instrument
    definition: Definition
    points: list[Point]
    declined: int
    classification: str | None

    @property
    def intake(self) -> Decimal | None:
        return self.points[0].total if self.points else None

    @property
    def latest(self) -> Decimal | None:
        return self.points[-1].total if self.points else None


OWN_RATERS = (Rater.CITIZEN, Rater.JOINT, Rater.WORKER)


def trajectory(person, instrument: Instrument, *, relatives: bool = False) -> Trajectory:
    """The citizen's scores over time. Relatives' ratings form their own trajectory."""
    raters = [Rater.RELATIVE] if relatives else list(OWN_RATERS)
    rows = list(Administration.objects.filter(person=person, instrument=instrument, rater__in=raters)
                .select_related("version", "administered_by", "rater_network").order_by("on", "pk"))
    points = [Point(a, a.total) for a in rows if a.total is not None]
    defn = instrument.current.parsed
    cls = scoring.classify(defn, points[0].total, points[-1].total) if len(points) > 1 else None
    return Trajectory(instrument, defn, points, sum(a.status == Administration.Status.DECLINED for a in rows), cls)


def previous_items(person, instrument: Instrument, rater: str) -> dict[str, str]:
    """The answers of the last time the citizen (or, for a relative, relatives) scored: the grey mark on the line."""
    own = [rater] if rater == Rater.RELATIVE else list(OWN_RATERS)
    last = (Administration.objects.filter(person=person, instrument=instrument, rater__in=own)
            .exclude(status=Administration.Status.DECLINED).order_by("-on", "-pk").first())
    return dict(last.item_scores) if last else {}


def latest_scores(person) -> dict[int, Administration]:
    """The newest scored administration per instrument, for the citizen overview and the plan.

    One query that reads only the newest row per instrument, however long the citizen's history is.
    """
    own = Administration.objects.filter(person=person, total__isnull=False, rater__in=OWN_RATERS)
    newest = own.filter(instrument=OuterRef("instrument")).order_by("-on", "-pk").values("pk")[:1]
    rows = own.filter(pk=Subquery(newest)).select_related("instrument").order_by("instrument__code")
    return {a.instrument_id: a for a in rows}


@dataclass(frozen=True)
class ResultRow:
    person_id: int
    intake: Decimal
    latest: Decimal
    administrations: int
    classification: str | None


def results(instrument: Instrument, administrations) -> list[ResultRow]:
    """Per citizen, intake (first) against latest score, classified; `administrations` is a pre-filtered queryset."""
    defn = instrument.current.parsed
    series: dict[int, list[Decimal]] = defaultdict(list)
    rows = (administrations.filter(instrument=instrument, total__isnull=False, rater__in=OWN_RATERS)
            .order_by("person_id", "on", "pk").values_list("person_id", "total"))
    for person_id, total in rows:
        series[person_id].append(total)
    return [ResultRow(pid, s[0], s[-1], len(s), scoring.classify(defn, s[0], s[-1]) if len(s) > 1 else None)
            for pid, s in series.items()]



@dataclass(frozen=True)
class Summary:
    citizens: int
    counts: dict[str, int]
    mean_intake: Decimal | None
    mean_latest: Decimal | None


def summarise(rows: list[ResultRow]) -> Summary:
    """Counts per classification and mean intake/latest, published by the disclosure rule (docs/kpis.md):
    counts rounded to 5, means only from seven citizens."""
    measured = [r for r in rows if r.classification is not None]
    counts = {c: disclosure.count(sum(r.classification == c for r in measured))
              for c in (scoring.RECOVERED, scoring.IMPROVED, scoring.UNCHANGED, scoring.DETERIORATED)}
    enough = disclosure.enough(len(measured))
    mean = (lambda values: (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))) if enough else (lambda v: None)
    return Summary(disclosure.count(len(measured)), counts, mean([r.intake for r in measured]),
                   mean([r.latest for r in measured]))


@transaction.atomic
def set_schedule(actor, person, instrument: Instrument, every_days: int | None) -> None:
    """A citizen-specific measuring interval; None returns to the instrument's suggestion."""
    if every_days is None:
        Schedule.objects.filter(person=person, instrument=instrument).delete()
    elif not 1 <= every_days <= 730:
        raise ValidationError(_("Vælg et interval mellem 1 og 730 dage."))
    else:
        Schedule.objects.update_or_create(person=person, instrument=instrument, defaults={"every_days": every_days})
    audit.record(actor, AuditAction.UPDATE, person=person, section="measure_schedule", fields=[instrument.code])
