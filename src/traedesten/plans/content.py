"""The shape of a plan version's content, checked with pydantic. The same shape is the API's."""

import datetime
import uuid
from typing import Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, Field, field_validator, model_validator

from traedesten.core.schema import long_text, text


def new_id() -> str:
    return uuid.uuid4().hex[:8]


class SubGoal(BaseModel):
    id: str = Field(default_factory=new_id, max_length=16)
    text: text(300)
    status: Literal["not_started", "in_progress", "done"] = "not_started"

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v:
            raise ValueError(_("Skriv trædestenen."))
        return v


RESPONSIBLE = ("citizen", "relative", "worker", "department")


class Action(BaseModel):
    id: str = Field(default_factory=new_id, max_length=16)
    text: text(300)
    responsible: Literal["", "citizen", "relative", "worker", "department"] = ""
    responsible_name: text(200) = ""
    worker_id: int | None = None
    department: text(40) = ""
    legal_basis: text(40) = ""
    due: datetime.date | None = None
    done: bool = False

    @model_validator(mode="after")
    def _has_responsible(self):
        if not self.text:
            raise ValueError(_("Skriv hvad handlingen går ud på."))
        named = {"citizen": True, "relative": bool(self.responsible_name), "department": bool(self.department),
                 "worker": bool(self.worker_id or self.responsible_name)}
        if not self.responsible or not named[self.responsible]:
            raise ValueError(_("Handlingen »%(action)s« mangler en ansvarlig.") % {"action": self.text})
        return self

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
    citizen_text: text(500)
    professional_text: text(500) = ""
    measurable: text(300) = ""
    achievable: text(300) = ""
    relevant: text(300) = ""
    deadline: datetime.date | None = None
    status: Literal["active", "achieved", "replaced", "dropped"] = "active"
    replaced_reason: text(300) = ""
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


class Person(BaseModel):
    name: text(200)
    phone: text(30) = ""
    role: text(100) = ""


class Coping(BaseModel):
    """Min Mestringsplan: warning signs, what helps, people to call."""

    warning_signs: list[text(300)] = []
    strategies: list[text(300)] = []
    people: list[Person] = []


class Crisis(BaseModel):
    """The crisis sheet (akutark) for staff who do not know the citizen."""

    about_me: long_text(1000) = ""
    what_helps: long_text(1000) = ""
    avoid: long_text(1000) = ""
    contacts: list[Person] = []


class PlanContent(BaseModel):
    reason: long_text(2000) = ""
    motivation: long_text(2000) = ""
    dreams: list[text(300)] = []
    goals: list[Goal] = []
    success_criteria: long_text(2000) = ""
    citizen_has_done: long_text(2000) = ""
    citizen_can_do_after: long_text(2000) = ""
    future_support: long_text(2000) = ""
    network_involvement: long_text(2000) = ""
    coping: Coping = Coping()
    crisis: Crisis = Crisis()

    @property
    def active_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.status == "active"]


# Which consent scope covers which part of the content.
PARTS = {
    "story": ["reason", "motivation", "dreams", "success_criteria", "citizen_has_done", "citizen_can_do_after",
              "future_support"],
    "goals": ["goals"],
    "network": ["network_involvement"],
    "coping": ["coping", "crisis"],
}
