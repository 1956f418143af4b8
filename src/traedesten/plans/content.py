"""The shape of a plan version's content, checked with pydantic. The same shape is the API's."""

import datetime
import uuid
from typing import Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, Field, field_validator, model_validator

from traedesten.core.schema import LongText1000, LongText2000, Text30, Text40, Text100, Text200, Text300, Text500


def new_id() -> str:
    return uuid.uuid4().hex[:8]


class SubGoal(BaseModel):
    id: str = Field(default_factory=new_id, max_length=16)
    text: Text300
    status: Literal["not_started", "in_progress", "done"] = "not_started"

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v:
            raise ValueError(_("Skriv trædestenen."))
        return v


RESPONSIBLE = ("citizen", "relative", "worker", "department")

INTERVENTION_STATUSES = ("planned", "waiting", "active", "paused", "done")
"""An action is an intervention with a status (issue 26): planned, waiting (asked for, not started), active, paused
or done. Versions written before the status existed read `done` as "done" and everything else as "planned"."""


class Action(BaseModel):
    id: str = Field(default_factory=new_id, max_length=16)
    text: Text300
    responsible: Literal["", "citizen", "relative", "worker", "department"] = ""
    responsible_name: Text200 = ""
    worker_id: int | None = None
    department: Text40 = ""
    legal_basis: Text40 = ""
    due: datetime.date | None = None
    done: bool = False
    status: Literal["planned", "waiting", "active", "paused", "done"] = "planned"
    requested_on: datetime.date | None = None
    """The day the intervention was asked for (søgt/bestilt): waiting is counted from it."""
    decided_on: datetime.date | None = None
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None

    @model_validator(mode="before")
    @classmethod
    def _status_from_done(cls, data):
        """A version from before the status: a done action is done, any other is planned."""
        if isinstance(data, dict) and not data.get("status"):
            data = {**data, "status": "done" if data.get("done") else "planned"}
        return data

    @model_validator(mode="after")
    def _has_responsible(self):
        if not self.text:
            raise ValueError(_("Skriv hvad handlingen går ud på."))
        self.done = self.status == "done"
        if self.status == "waiting" and self.requested_on is None:
            raise ValueError(_("Skriv hvornår indsatsen »%(action)s« blev søgt, så ventetiden kan ses.") % {
                "action": self.text})
        for first, then in ((self.requested_on, self.decided_on), (self.requested_on, self.started_on),
                            (self.started_on, self.ended_on)):
            if first and then and then < first:
                raise ValueError(_("Datoerne for indsatsen »%(action)s« står i forkert rækkefølge (søgt, afgjort, "
                                   "startet, slut).") % {"action": self.text})
        named = {"citizen": True, "relative": bool(self.responsible_name), "department": bool(self.department),
                 "worker": bool(self.worker_id or self.responsible_name)}
        if not self.responsible or not named[self.responsible]:
            raise ValueError(_("Handlingen »%(action)s« mangler en ansvarlig.") % {"action": self.text})
        return self

    def waited_days(self, today: datetime.date) -> int | None:
        """How many days a waiting intervention has waited since it was asked for; None when it is not waiting."""
        if self.status != "waiting" or self.requested_on is None:
            return None
        return max(0, (today - self.requested_on).days)

    @property
    def choice(self) -> str:
        """The value of the responsible-party choice in the plan form."""
        if self.responsible == "worker" and self.worker_id:
            return f"worker:{self.worker_id}"
        if self.responsible == "department":
            return f"department:{self.department}"
        return self.responsible


class Goal(BaseModel):
    id: str = Field(default_factory=new_id, max_length=16)
    citizen_text: Text500
    professional_text: Text500 = ""
    measurable: Text300 = ""
    achievable: Text300 = ""
    relevant: Text300 = ""
    deadline: datetime.date | None = None
    status: Literal["active", "achieved", "replaced", "dropped"] = "active"
    replaced_reason: Text300 = ""
    health: bool = False
    """A health goal (sundhedsmål, seed 003 theme 5): an ordinary goal tagged health, under the goals' consent and
    cap; the health section and the GP's print list it (decision 0050)."""
    sub_goals: list[SubGoal] = []
    actions: list[Action] = []

    @model_validator(mode="after")
    def _valid(self):
        if not self.citizen_text:
            raise ValueError(_("Skriv målet med borgerens egne ord."))
        if self.status == "replaced" and not self.replaced_reason:
            raise ValueError(_("Skriv hvorfor målet »%(goal)s« er erstattet.") % {"goal": self.citizen_text})
        return self

    @property
    def progress(self) -> tuple[int, int]:
        return sum(s.status == "done" for s in self.sub_goals), len(self.sub_goals)


BASIC_TYPES = ("physical_illness", "mental_illness")
"""A basic barrier (grundlæggende barriere): physical or mental illness."""
DERIVED_TYPES = ("mobility", "economy", "housing", "self_belief", "family_wellbeing")
"""A derived barrier (afledt barriere): mobility, economy, housing, belief in own abilities, family wellbeing."""


class Barrier(BaseModel):
    """What stands in the citizen's way, next to the dreams (seed 004): basic (an illness) or derived from it."""

    id: str = Field(default_factory=new_id, max_length=16)
    text: Text300
    kind: str = ""
    basic_type: str = ""
    derived_type: str = ""

    @model_validator(mode="after")
    def _valid(self):
        if not self.text:
            raise ValueError(_("Skriv barrieren med borgerens ord."))
        if self.kind == "basic":
            if self.basic_type not in BASIC_TYPES:
                raise ValueError(_("Vælg om den grundlæggende barriere »%(barrier)s« er fysisk eller psykisk sygdom.")
                                 % {"barrier": self.text})
            if self.derived_type:
                raise ValueError(_("En grundlæggende barriere har ingen afledt type (»%(barrier)s«).")
                                 % {"barrier": self.text})
        elif self.kind == "derived":
            if self.derived_type not in DERIVED_TYPES:
                raise ValueError(_("Vælg typen af den afledte barriere »%(barrier)s«: mobilitet, økonomi, bolig, tro "
                                   "på egne evner eller familiens trivsel.") % {"barrier": self.text})
            if self.basic_type:
                raise ValueError(_("En afledt barriere har ingen sygdomstype (»%(barrier)s«).") % {"barrier": self.text})
        else:
            raise ValueError(_("Vælg om barrieren »%(barrier)s« er grundlæggende eller afledt.") % {"barrier": self.text})
        return self

    @property
    def choice(self) -> str:
        """The value of the barrier's type in the plan form: "basic:mental_illness", "derived:housing"."""
        return f"{self.kind}:{self.basic_type or self.derived_type}"


class Person(BaseModel):
    name: Text200
    phone: Text30 = ""
    role: Text100 = ""


class Coping(BaseModel):
    """Min Mestringsplan: warning signs, what helps, people to call."""

    warning_signs: list[Text300] = []
    strategies: list[Text300] = []
    people: list[Person] = []


class Crisis(BaseModel):
    """The crisis sheet (akutark) for staff who do not know the citizen."""

    about_me: LongText1000 = ""
    what_helps: LongText1000 = ""
    avoid: LongText1000 = ""
    contacts: list[Person] = []


MEDICATION = ("citizen", "bostotte", "home_care", "pharmacy", "relative", "none")
"""Who handles the citizen's medication: the citizen, bostøtte, home care, the pharmacy's dose dispensing, a
relative, or no medication."""

ANNUAL_CHECK_MONTHS = 12


class Health(BaseModel):
    """The plan's health section (seed 003 theme 5): the citizen's GP, who handles the medication, and whether the
    citizen needs the annual health check (sundhedsskema), with the last one registered."""

    gp_name: Text200 = ""
    gp_clinic: Text200 = ""
    gp_phone: Text30 = ""
    medication: Literal["", "citizen", "bostotte", "home_care", "pharmacy", "relative", "none"] = ""
    medication_note: Text300 = ""
    annual_check: bool = False
    annual_check_since: datetime.date | None = None
    """The day the flag was set (stamped when the plan is saved): the first check is due then."""
    last_check: datetime.date | None = None

    @property
    def is_empty(self) -> bool:
        return self == Health()

    def check_due(self) -> datetime.date | None:
        """When the next annual check is due: a year after the last one registered, or, before the first, the day
        the flag was set. None when the citizen does not need one."""
        if not self.annual_check:
            return None
        if self.last_check:
            return _add_months(self.last_check, ANNUAL_CHECK_MONTHS)
        return self.annual_check_since


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class PlanContent(BaseModel):
    reason: LongText2000 = ""
    motivation: LongText2000 = ""
    dreams: list[Text300] = []
    resources: list[Text300] = []
    """The citizen's strengths and resources, in their words (ressourcer)."""
    barriers: list[Barrier] = []
    goals: list[Goal] = []
    success_criteria: LongText2000 = ""
    citizen_has_done: LongText2000 = ""
    citizen_can_do_after: LongText2000 = ""
    future_support: LongText2000 = ""
    network_involvement: LongText2000 = ""
    coping: Coping = Coping()
    crisis: Crisis = Crisis()
    health: Health = Health()

    @property
    def health_goals(self) -> list[Goal]:
        return [g for g in self.active_goals if g.health]

    @property
    def active_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.status == "active"]

    @property
    def waiting(self) -> list[Action]:
        return [a for g in self.goals for a in g.actions if a.status == "waiting"]


# Which consent scope covers which part of the content.
PARTS = {
    "story": ["reason", "motivation", "dreams", "resources", "barriers", "success_criteria", "citizen_has_done", "citizen_can_do_after",
              "future_support"],
    "goals": ["goals"],
    "network": ["network_involvement"],
    "coping": ["coping", "crisis"],
    "health": ["health"],
}
