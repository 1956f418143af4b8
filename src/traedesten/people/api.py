import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import AfterValidator, field_validator

from traedesten.accounts.http import AuthedRequest
from traedesten.core.locking import VersionConflict
from traedesten.core.schema import ErrorOut, Text4, Text11, Text20, Text100, Text200, Text300
from traedesten.gate import Action, Section, Tool, clearance, persons_reached, record_read, require_tool
from traedesten.gate.api import citizen
from traedesten.usecases import people as cases

from . import services
from .forms import clean_phone
from .models import NetworkPerson

router = Router(tags=["people"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

Sex = Literal["female", "male", "unknown"]
ContactWish = Literal["sms", "email", "none"]
RelationCode = Literal["parent", "child", "partner", "sibling", "family", "friend", "neighbour", "professional",
                       "guardian", "other"]


def _check_email(v: str) -> str:
    if v:
        try:
            validate_email(v)
        except ValidationError:
            raise ValueError("Ugyldig e-mailadresse.") from None
    return v


def _check_phone(v: str) -> str:
    try:
        return clean_phone(v)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from exc


def _check_postal_code(v: str) -> str:
    if v and not (v.isascii() and v.isdigit() and len(v) == 4):
        raise ValueError("Et postnummer har 4 cifre.")
    return v


def _check_birth_date(v):
    if v and v > timezone.localdate():
        raise ValueError("Fødselsdatoen ligger i fremtiden.")
    return v


Email = Annotated[Text200, AfterValidator(_check_email)]
Phone = Annotated[Text20, AfterValidator(_check_phone)]
PostalCode = Annotated[Text4, AfterValidator(_check_postal_code)]
BirthDate = Annotated[datetime.date | None, AfterValidator(_check_birth_date)]


class PersonFields(Schema):
    first_name: Text100 = ""
    last_name: Text100 = ""
    cpr: Text11 = ""
    birth_date: BirthDate = None
    sex: Sex = "unknown"
    address: Text200 = ""
    postal_code: PostalCode = ""
    city: Text100 = ""
    phone: Phone = ""
    email: Email = ""
    contact_wish: ContactWish = "none"


class PersonIn(PersonFields):
    confirm_similar: bool = False


class PersonPatch(Schema):
    version: int
    first_name: Text100 | None = None
    last_name: Text100 | None = None
    cpr: Text11 | None = None
    address: Text200 | None = None
    postal_code: PostalCode | None = None
    city: Text100 | None = None
    phone: Phone | None = None
    email: Email | None = None
    contact_wish: ContactWish | None = None


class PersonOut(Schema):
    id: int
    display_name: str
    first_name: str
    last_name: str
    cpr: str | None
    birth_date: datetime.date | None
    age: int | None
    sex: str
    address: str
    postal_code: str
    city: str
    phone: str
    email: str
    contact_wish: str
    is_pseudonymous: bool
    version: int


class SearchIn(Schema):
    q: Text100 = ""
    cpr: Text11 = ""


class SearchHit(Schema):
    id: int
    display_name: str
    birth_date: datetime.date | None
    on_caseload: bool


class NetworkIn(Schema):
    name: Text200
    relation: RelationCode
    organisation: Text200 = ""
    phone: Phone = ""
    email: Email = ""
    closeness: int = 2
    is_next_of_kin: bool = False
    note: Text300 = ""

    @field_validator("closeness")
    @classmethod
    def _closeness(cls, v: int) -> int:
        if not 1 <= v <= 3:
            raise ValueError("Nærhed er 1, 2 eller 3.")
        return v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v:
            raise ValueError("Skriv et navn.")
        return v


class NetworkOut(Schema):
    id: int
    name: str
    relation: str
    organisation: str
    phone: str
    email: str
    closeness: int
    is_next_of_kin: bool
    note: str


def person_out(c) -> dict:
    person = c.person
    return {
        "id": person.pk,
        "display_name": person.display_name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "cpr": person.cpr if Section.CPR in c.readable else None,
        "birth_date": person.birth_date,
        "age": person.age(),
        "sex": person.sex,
        "address": person.address,
        "postal_code": person.postal_code,
        "city": person.city,
        "phone": person.phone,
        "email": person.email,
        "contact_wish": person.contact_wish,
        "is_pseudonymous": person.is_pseudonymous,
        "version": person.version,
    }


def _duplicate_error(request: AuthedRequest, exc) -> Status:
    """409 with the existing citizens' ids where the caller may open them; the disclosure is audited."""
    found = cases.disclose_duplicates(request.user, exc, channel="api")
    reached = set(persons_reached(request.user).filter(pk__in=[p.pk for p in found]).values_list("pk", flat=True))
    ids = [p.pk if p.pk in reached else None for p in found]
    if isinstance(exc, services.DuplicatePerson):
        return Status(409, {"detail": "Der findes allerede en borger med dette CPR-nummer.",
                            "errors": [{"field": "cpr", "message": "duplicate", "existing_id": ids[0]}]})
    return Status(409, {"detail": "Der findes borgere med lignende navn og samme fødselsdato. "
                                  "Send confirm_similar=true, hvis det er en anden person.",
                        "errors": [{"field": "first_name", "message": "similar", "existing_id": pk} for pk in ids]})


def _hits(results) -> list[dict]:
    """A match outside the caller's caseload says only that a citizen exists: no name, no birth date. Opening it
    needs a stated reason (the X-Traedesten-Reason header on the citizen's own endpoint)."""
    return [{"id": r.person.pk, "display_name": r.person.display_name if r.on_caseload else OUTSIDE_MATCH,
             "birth_date": r.person.birth_date if r.on_caseload else None, "on_caseload": r.on_caseload}
            for r in results]


OUTSIDE_MATCH = "Borger uden for din sagsstamme; angiv en begrundelse for at åbne"


@router.get("", response={200: list[SearchHit], **ERRORS}, summary="Search persons by name or phone")
def list_people(request: AuthedRequest, q: str = ""):
    return _hits(cases.search(request.user, text=q[:100], channel="api"))


@router.post("/search", response={200: list[SearchHit], **ERRORS}, summary="Search by name, phone or CPR (CPR only in the body)")
def search_people(request: AuthedRequest, payload: SearchIn):
    return _hits(cases.search(request.user, text=payload.q, cpr=payload.cpr, channel="api"))


@router.post("", response={201: PersonOut, **ERRORS})
def create_person(request: AuthedRequest, payload: PersonIn):
    require_tool(request.user, Tool.CITIZEN_CREATE)
    data = payload.dict(exclude={"confirm_similar"})
    if not (data["first_name"] or data["last_name"]):
        return Status(422, {"detail": "Skriv mindst et fornavn eller et efternavn.",
                           "errors": [{"field": "first_name", "message": "required"}]})
    try:
        person = cases.create_person(request.user, data, confirm_similar=payload.confirm_similar, channel="api")
    except (services.DuplicatePerson, services.PossibleDuplicates) as exc:
        return _duplicate_error(request, exc)
    return Status(201, person_out(clearance(request.user, person)))


@router.get("/{person_id}", response={200: PersonOut, **ERRORS})
def get_person(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.IDENTITY)
    record_read(c, "overview", c.shown(Section.IDENTITY, Section.CPR), channel="api")
    return person_out(c)


@router.patch("/{person_id}", response={200: PersonOut, **ERRORS})
def patch_person(request: AuthedRequest, person_id: int, payload: PersonPatch):
    c = citizen(request, person_id, Section.IDENTITY, action=Action.WRITE)
    data = payload.dict(exclude={"version"}, exclude_unset=True)
    data = {k: v for k, v in data.items() if v is not None}
    try:
        person = cases.update_person(c, data, expected_version=payload.version, channel="api")
    except VersionConflict as exc:
        return Status(409, {"detail": "En anden har ændret borgeren. Hent den nye version og prøv igen.",
                            "errors": [{"field": "version", "message": "conflict",
                                        "current_version": exc.current.version}]})
    except (services.DuplicatePerson, services.PossibleDuplicates) as exc:
        return _duplicate_error(request, exc)
    return person_out(clearance(request.user, person))


@router.get("/{person_id}/network", response={200: list[NetworkOut], **ERRORS})
def get_network(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.NETWORK)
    record_read(c, "network", [Section.NETWORK], channel="api")
    return list(NetworkPerson.objects.filter(person=c.person))


@router.post("/{person_id}/network", response={201: NetworkOut, **ERRORS})
def add_network(request: AuthedRequest, person_id: int, payload: NetworkIn):
    c = citizen(request, person_id, Section.NETWORK, action=Action.WRITE)
    return Status(201, cases.add_network_person(c, payload.dict(), channel="api"))
