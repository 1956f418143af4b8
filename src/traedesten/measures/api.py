"""Submitting measurements (one or a batch) and fetching trajectories."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from traedesten.accounts.http import AuthedRequest
from traedesten.core.schema import ErrorOut, Text40, Text1000
from traedesten.courses.models import Course
from traedesten.gate import Action, Section, record_read
from traedesten.gate.api import citizen
from traedesten.people.models import NetworkPerson
from traedesten.usecases import measures as cases

from . import services
from .models import Instrument, Rater

router = Router(tags=["measures"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class AdministrationIn(Schema):
    person_id: int
    instrument: Text40
    on: datetime.date
    rater: Rater = Rater.CITIZEN
    relative_id: int | None = None
    course_id: int | None = None
    declined: bool = False
    values: dict[str, Decimal] = {}
    citizen_values: dict[str, Decimal] = {}
    worker_values: dict[str, Decimal] = {}
    note: Text1000 = ""


class AdministrationOut(Schema):
    id: int
    person_id: int
    instrument: str
    version: int
    on: datetime.date
    rater: str
    status: str
    total: Decimal | None


class PointOut(Schema):
    on: datetime.date
    total: Decimal
    rater: str


class TrajectoryOut(Schema):
    instrument: str
    cutoff: Decimal | None
    reliable_change: Decimal | None
    higher_is_better: bool
    points: list[PointOut]
    relatives: list[PointOut]
    classification: str | None


def _out(a) -> dict:
    return {"id": a.pk, "person_id": a.person_id, "instrument": a.instrument.code, "version": a.version.number,
            "on": a.on, "rater": a.rater, "status": a.status, "total": a.total}


def _administer(request: AuthedRequest, item: AdministrationIn):
    c = citizen(request, item.person_id, Section.MEASURES, action=Action.WRITE)
    instrument = get_object_or_404(Instrument, code=item.instrument, active=True)
    course = get_object_or_404(Course, pk=item.course_id, person=c.person) if item.course_id else None
    relative = get_object_or_404(NetworkPerson, pk=item.relative_id, person=c.person) if item.relative_id else None
    common = {"on": item.on, "rater": item.rater, "course": course, "rater_network": relative}
    if item.declined:
        return cases.decline(c, instrument, **common)
    return cases.administer(c, instrument, **common, values=item.values, citizen_values=item.citizen_values,
                            worker_values=item.worker_values, note=item.note)


@router.post("/measurements", response={201: AdministrationOut, **ERRORS}, summary="Submit one administration")
def submit(request: AuthedRequest, payload: AdministrationIn):
    return Status(201, _out(_administer(request, payload)))


@router.post("/measurements/batch", response={201: list[AdministrationOut], **ERRORS},
             summary="Submit several administrations; all are saved or none")
def submit_batch(request: AuthedRequest, payload: list[AdministrationIn]):
    saved = []
    with transaction.atomic():
        for n, item in enumerate(payload):
            try:
                saved.append(_administer(request, item))
            except ValidationError as exc:
                raise ValidationError(f"Nr. {n + 1}: {' '.join(exc.messages)}") from exc
    return Status(201, [_out(a) for a in saved])


@router.get("/people/{person_id}/trajectories/{code}", response={200: TrajectoryOut, **ERRORS})
def get_trajectory(request: AuthedRequest, person_id: int, code: str):
    c = citizen(request, person_id, Section.MEASURES)
    instrument = get_object_or_404(Instrument, code=code)
    own, relatives = services.trajectory(c.person, instrument), services.trajectory(c.person, instrument, relatives=True)
    record_read(c, "measures", [Section.MEASURES], extra=[instrument.code], channel="api")
    def points(t):
        return [{"on": p.administration.on, "total": p.total, "rater": p.administration.rater} for p in t.points]
    defn = own.definition
    return {"instrument": instrument.code, "cutoff": defn.cutoff, "reliable_change": defn.reliable_change,
            "higher_is_better": defn.higher_is_better, "points": points(own), "relatives": points(relatives),
            "classification": own.classification}
