"""The JSON Lines interchange format, version 1.2: one record per line, described by pydantic models.

Version 1.2 adds the Én plan experiment's records: a citizen's cluster and sub-target group, families
(households) with their members, survey invitations with their answers, the case-level progression category,
complaints and a measurement's phase (before or after the intervention). Version 1.1 added fixed costs, payer shares, staff time, a contact's reception time, guide conversations (so waiting
times survive an import), grant goals with expectations and a group's end. Files of version 1 (1.0) are read as before.

The JSON Schema in docs/interchange.md is generated from these models (`traedesten export --schema`).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

FORMAT = "traedesten-jsonl"
VERSION = "1.2"
READS = (1, "1.0", "1.1", "1.2")

Id = Annotated[str, Field(min_length=1, max_length=100, description="Stable external id, unique per record type")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=500)]
Hours = Annotated[Decimal, Field(ge=0, le=999, decimal_places=2)]
Money = Annotated[Decimal, Field(ge=0, le=10**10, decimal_places=2)]
Username = Annotated[str, Field(min_length=1, max_length=150, description="A staff member's user name in Trædesten")]

ORIGINS = Literal["citizen", "relative", "partner"]
CONTACT_CHANNELS = Literal["walk_in", "phone", "email", "form", "outreach"]
CONTACT_OUTCOMES = Literal["", "ad_hoc", "guide_conversation", "authority", "home_visit", "information", "none"]
DESTINATIONS = Literal["no_further_help", "civil_society", "authority", "outreach", "dropped_out", "moved", "other",
                       "group_ended"]
ACTIVITY_KINDS = Literal["guide_conversation", "ad_hoc", "coaching", "follow_up", "assessment", "group_session",
                         "home_visit", "bostotte_contact", "health_escort", "relative_advice", "joint_session",
                         "after_care_visit", "on_demand_session"]
NOTE_KINDS = Literal["conversation", "phone", "follow_up", "observation", "decision", "meeting"]
CLUSTERS = Literal["", "family", "adult", "youth"]
ACTIVITY_CHANNELS = Literal["", "front_door", "office", "home", "walk", "phone", "video", "sms", "drop_in", "group_room"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Header(Record):
    """Optional first line: which format and version the file is."""

    type: Literal["header"]
    format: Literal["traedesten-jsonl"]
    version: Literal[1, "1.0", "1.1", "1.2"]
    source: Annotated[str, Field(max_length=200)] = ""
    exported_at: datetime.datetime | None = None


class OfferRecord(Record):
    """An offer in the catalogue, identified by its name. Created if missing, otherwise updated."""

    type: Literal["offer"]
    name: Name
    kind: Literal["course", "group", "bostotte", "open"] = "course"
    legal_basis: Annotated[str, Field(min_length=1, max_length=32, examples=["SEL §82b"])]
    front_door: bool = False
    requires_grant: bool = False
    max_weeks: Annotated[int, Field(ge=1, le=520)] | None = None
    max_months: Annotated[int, Field(ge=1, le=120)] | None = None


class PayerShares(Record):
    """Who pays for a price item, as shares that add up to 1 (checked as in the admin)."""

    kommune: Decimal = Decimal(1)
    region: Decimal = Decimal(0)
    stat: Decimal = Decimal(0)


class PriceRecord(Record):
    """An annual price of an ordinary offer, valid from a date (used by shadow visitation)."""

    type: Literal["price"]
    item: Name
    legal_basis: Annotated[str, Field(max_length=40)] = ""
    annual_cost: Money
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    payer_shares: PayerShares | None = Field(None, description="1.1: the item's payer shares; default 100 % kommune")


class FixedCostRecord(Record):
    """1.1: a fixed annual cost of running the front door (premises, a post), for a period."""

    type: Literal["fixed_cost"]
    name: Name
    annual_cost: Decimal
    valid_from: datetime.date
    valid_to: datetime.date | None = None


class HourlyRateRecord(Record):
    type: Literal["hourly_rate"]
    amount: Money
    valid_from: datetime.date
    valid_to: datetime.date | None = None


class PersonRecord(Record):
    type: Literal["person"]
    id: Id
    cpr: Annotated[str, Field(max_length=11)] | None = None
    first_name: Annotated[str, Field(max_length=100)] = ""
    last_name: Annotated[str, Field(max_length=100)] = ""
    birth_date: datetime.date | None = None
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    sex: Literal["female", "male", "unknown"] = "unknown"
    postal_code: Annotated[str, Field(max_length=4)] = ""
    phone: Annotated[str, Field(max_length=20)] = ""
    pseudonymous: bool = False
    team: Annotated[str, Field(max_length=120, description="Team whose caseload the citizen joins")] | None = None
    cluster: CLUSTERS = Field("", description="1.2: the Én plan cluster (family, adult or youth); empty for none")
    sub_target_group: Annotated[str, Field(max_length=60, description="1.2: a target group within the cluster, "
                                                                        "e.g. hjerneskade")] = ""

    @model_validator(mode="after")
    def named_or_pseudonymous(self):
        if not (self.pseudonymous or self.first_name or self.last_name):
            raise ValueError("navn mangler: angiv fornavn/efternavn eller pseudonymous: true")
        return self


class ContactRecord(Record):
    type: Literal["contact"]
    id: Id
    at: datetime.datetime
    origin: ORIGINS = "citizen"
    channel: CONTACT_CHANNELS = "walk_in"
    person: Id | None = None
    partner: Name | None = None
    reason: Annotated[str, Field(max_length=200)] = ""
    outcome: CONTACT_OUTCOMES = ""
    received_at: datetime.datetime | None = Field(None, description="1.1: when a walk-in was received")

    @model_validator(mode="after")
    def partner_named(self):
        if self.origin == "partner" and not self.partner:
            raise ValueError("partner mangler: en henvendelse fra en samarbejdspartner skal navngive partneren")
        return self


class GroupRecord(Record):
    """A group course (hold) that citizens' courses can be enrolled in."""

    type: Literal["group"]
    id: Id
    offer: Name
    theme: Name
    start: datetime.date
    planned_sessions: Annotated[int, Field(ge=1, le=200)] = 8
    session_hours: Hours = Decimal(2)
    capacity: Annotated[int, Field(ge=1, le=500)] = 8
    ended_on: datetime.date | None = Field(None, description="1.1: the day the group ended")


class CourseRecord(Record):
    type: Literal["course"]
    id: Id
    person: Id
    offer: Name
    start: datetime.date
    team: Annotated[str, Field(max_length=120)] | None = None
    group: Id | None = Field(None, description="The group (hold) the course is an enrolment in")
    previous: Id | None = Field(None, description="The earlier course this one returns from (genhenvendelse)")


class EndingFields(Record):
    """1.1: the ending record written when the course was closed (decision 0052)."""

    what_helped: Annotated[str, Field(min_length=1, max_length=2000)]
    coping_plan_checked: bool = False
    coping_plan_checked_on: datetime.date | None = None
    community: Annotated[str, Field(max_length=1000)] = Field("", description="one community offer per line")
    call_name: Annotated[str, Field(max_length=200)] = ""
    call_phone: Annotated[str, Field(max_length=30)] = ""
    after_care_on: datetime.date | None = Field(None, description="the after-care visit, after the closing")
    klip_granted: Annotated[int, Field(ge=0, le=10)] = Field(0, description="sessions on demand after the end")


class ClosingRecord(Record):
    """The closing of a course: date and destination."""

    type: Literal["closing"]
    course: Id
    on: datetime.date
    destination: DESTINATIONS
    note: Text = ""
    ending: EndingFields | None = Field(None, description="1.1: the ending record, where one was written")

    @model_validator(mode="after")
    def _after_care_after_the_end(self):
        if self.ending and self.ending.after_care_on and self.ending.after_care_on <= self.on:
            raise ValueError("ending.after_care_on must lie after the closing")
        return self


class ActivityRecord(Record):
    type: Literal["activity"]
    id: Id
    person: Id
    course: Id | None = None
    kind: ACTIVITY_KINDS
    on: datetime.date
    hours: Hours = Decimal(0)
    attendance: Literal["attended", "cancelled", "no_show"] = "attended"
    channel: ACTIVITY_CHANNELS = ""
    outcome: Literal["", "course_offered", "ad_hoc", "authority", "no_need"] = Field(
        "", description="The assessment after a home visit (required for kind home_visit)")
    staff: list["StaffTimeRecord"] = Field(default_factory=list, description="1.1: the staff's own hours on it")
    over_plan_reason: Text = Field("", description="1.1: why a coaching conversation went beyond the number the offer "
                                                   "plans for (max_coaching_sessions); kept as given, not required")


class StaffTimeRecord(Record):
    """1.1: hours one staff member spent on an activity."""

    user: Username
    hours: Hours


class GuideConversationRecord(Record):
    """1.1: the guide conversation an activity of kind guide_conversation was, and the contact it answered."""

    type: Literal["guide_conversation"]
    activity: Id
    contact: Id | None = None
    outcome: Annotated[str, Field(max_length=20, examples=["course_started"])]
    location: Annotated[str, Field(max_length=12)] = "front_door"
    staff: Annotated[list[Username], Field(min_length=1, max_length=2, description="Staff 1 and, if two, staff 2")]


class PlanVersionRecord(Record):
    number: Annotated[int, Field(ge=1)]
    content: dict
    created_at: datetime.datetime | None = None
    follow_up: bool = False
    note: Annotated[str, Field(max_length=300)] = ""


class PlanRecord(Record):
    """The citizen's one plan with its versions; versions already present are left as they are."""

    type: Literal["plan"]
    id: Id
    person: Id
    started_on: datetime.date
    versions: Annotated[list[PlanVersionRecord], Field(min_length=1)]


class MeasurementRecord(Record):
    """One administration of an instrument, as item scores; the total is computed by the instrument's definition."""

    type: Literal["measurement"]
    id: Id
    person: Id
    course: Id | None = None
    instrument: Annotated[str, Field(min_length=1, max_length=40, examples=["ORS"])]
    on: datetime.date
    rater: Literal["citizen", "worker", "joint", "relative"] = "citizen"
    items: Annotated[dict[str, Decimal], Field(min_length=1)]
    phase: Literal["", "before", "after"] = Field("", description="1.2: before or after the intervention, for an "
                                                                  "instrument measured so (FOER-EFTER)")


class GrantRecord(Record):
    type: Literal["grant"]
    id: Id
    person: Id
    case_number: Annotated[str, Field(max_length=40)] = ""
    legal_basis: Annotated[str, Field(min_length=1, max_length=40)]
    service_code: Annotated[str, Field(max_length=36)] = ""
    offer_type_code: Annotated[str, Field(max_length=36)] = ""
    support_need_code: Annotated[str, Field(max_length=36)] = ""
    hours_per_week: Hours | None = None
    decided_on: datetime.date
    starts_on: datetime.date
    follow_up_on: datetime.date | None = Field(None, description="Left out: six months after the start; 1.2: null "
                                                                   "for none (a citizen exempt from process goals)")
    ended_on: datetime.date | None = None
    goals: list["GoalRecord"] = Field(default_factory=list, description="1.1: intervention goals, added or updated")
    status: Literal["decided", "awaiting", "rejected"] = Field("decided", description="1.2: awaiting or rejected: "
                                                                                      "above a decision mandate")
    competence: Literal["department", "mandate", "approval"] = Field("department", description="1.2: decided under "
                                                                     "the department's competence, a mandate or a "
                                                                     "manager's approval")
    amount_per_year: Money | None = Field(None, description="1.2: kroner a year, against a mandate's amount limit")

    @model_validator(mode="after")
    def dates_in_order(self):
        if self.starts_on < self.decided_on:
            raise ValueError("starts_on ligger før decided_on")
        if self.follow_up_on is not None and self.follow_up_on <= self.starts_on:
            raise ValueError("follow_up_on skal ligge efter starts_on")
        if self.ended_on is not None and self.ended_on < self.starts_on:
            raise ValueError("ended_on ligger før starts_on")
        return self


class ExpectationRecord(Record):
    due_on: datetime.date
    expected_level: int


class GoalRecord(Record):
    """1.1: an intervention goal (indsatsmål) on the FFB scale, with the levels expected at follow-ups."""

    title: Annotated[str, Field(max_length=300)]
    condition_code: Annotated[str, Field(max_length=36)]
    baseline_level: int
    target_level: int
    goal_type_code: Annotated[str, Field(max_length=36)]
    expectations: Annotated[list[ExpectationRecord], Field(min_length=1)]
    plan_goal_id: Annotated[str, Field(max_length=16, description="1.2: the id of the goal in the citizen's plan that "
                                                                   "this grant goal serves")] = ""


class ShadowRecord(Record):
    """Shadow visitation at a course's closing: what the citizen would have had, and what they got (price items)."""

    type: Literal["shadow"]
    course: Id
    would_have: Name | None = None
    actually_got: Name | None = None
    confidence: Literal["low", "medium", "high"] = "medium"


class NoteVersionRecord(Record):
    text: Annotated[str, Field(min_length=1, max_length=20000)]
    written_at: datetime.datetime | None = None
    reason: Annotated[str, Field(max_length=300, description="Why this version corrects the one before")] = ""


class NoteRecord(Record):
    """A journal note with every version, oldest first. A note is never changed in place: versions already present
    are left as they are and later ones are added as corrections. A sensitive note stays sensitive."""

    type: Literal["note"]
    id: Id
    person: Id
    course: Id | None = None
    kind: NOTE_KINDS
    happened_on: datetime.date
    sensitive: bool = False
    versions: Annotated[list[NoteVersionRecord], Field(min_length=1)]


class DocumentRecord(Record):
    """A document or a letter (as its PDF) in the case record. The file is a reference, never inline: a name in the
    files folder that travels with the export (`traedesten export --files DIR`, `traedesten import FILE --files
    DIR`). On import the file must match its size and SHA-256 and pass the same content checks as an upload; a
    document already imported keeps its file."""

    type: Literal["document"]
    id: Id
    person: Id
    course: Id | None = None
    kind: Literal["upload", "letter"] = "upload"
    title: Name
    content_type: Annotated[str, Field(min_length=1, max_length=100, examples=["application/pdf"])]
    added_at: datetime.datetime | None = None
    size: Annotated[int, Field(ge=1)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    file: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                               description="The file's name in the files folder")]


class HouseholdMemberRecord(Record):
    person: Id
    role: Literal["adult", "young", "child"]
    joined_on: datetime.date
    left_on: datetime.date | None = None

    @model_validator(mode="after")
    def leaves_after_joining(self):
        if self.left_on is not None and self.left_on < self.joined_on:
            raise ValueError("med til ligger før med fra")
        return self


class HouseholdRecord(Record):
    """1.2: a family in a holistic course (Én plan): its members, cluster, shared direction and coordinator.

    The members listed replace the family's stored members."""

    type: Literal["household"]
    id: Id
    name: Name
    cluster: CLUSTERS = "family"
    sub_target_group: Annotated[str, Field(max_length=60)] = ""
    direction: Annotated[str, Field(max_length=1000, description="The family's shared direction")] = ""
    coordinator: Username | None = None
    started_on: datetime.date
    ended_on: datetime.date | None = None
    members: Annotated[list[HouseholdMemberRecord], Field(min_length=1)]

    @model_validator(mode="after")
    def each_member_once(self):
        persons = [m.person for m in self.members]
        if len(set(persons)) != len(persons):
            raise ValueError("den samme borger står to gange i familien")
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValueError("familiens forløb slutter før det starter")
        return self


class SurveyResponseRecord(Record):
    answers: dict[Annotated[str, Field(max_length=30)], Annotated[str, Field(max_length=2000)] | list[str]] = Field(
        default_factory=dict, description="Answers by question key: a choice's value, a list for a multiple choice, a text for a comment")
    helped_by_professional: bool = False
    submitted_at: datetime.datetime


class SurveyRecord(Record):
    """1.2: a citizen invited to a questionnaire (by SMS or a link at the last meeting), and the one answer, if any.

    Whether the answer is complete is worked out from the questionnaire, as on the answer page."""

    type: Literal["survey"]
    id: Id
    questionnaire: Annotated[str, Field(min_length=1, max_length=40, examples=["en-plan-afslutning"])]
    person: Id
    course: Id | None = None
    channel: Literal["sms", "link"]
    invited_at: datetime.datetime
    sent_at: datetime.datetime | None = None
    reminders_sent: Annotated[int, Field(ge=0, le=2)] = 0
    non_response: Literal["", "left", "declined", "unreachable", "moved", "language", "cognitive", "unable", "hospital",
                          "relationship", "prison", "deceased"] = ""
    response: SurveyResponseRecord | None = None

    @model_validator(mode="after")
    def answered_or_a_reason(self):
        if self.response is not None and self.non_response:
            raise ValueError("en besvarelse har ingen årsag til manglende svar")
        return self


class CaseProgressionRecord(Record):
    """1.2: the coordinator's case-level category (the Én plan evaluation's), for one citizen, at a follow-up or a
    course's closing; a family is assessed per member, each row naming the family. The follow-up itself is not carried
    (follow-ups are not in the format)."""

    type: Literal["case_progression"]
    id: Id
    person: Id
    household: Id | None = Field(None, description="The family, when assessed as a member of one")
    occasion: Literal["follow_up", "closing"]
    course: Id | None = Field(None, description="The course closed (required for a closing)")
    cluster: CLUSTERS = Field("", description="The cluster on the day; left out: the family's when a family is named, "
                                              "else the citizen's")
    assessed_on: datetime.date
    category: Literal["progression", "partial", "none", "regression"]
    reason: Annotated[str, Field(max_length=500)]
    assessed_by: Username | None = None


class ComplaintRecord(Record):
    """1.2: a complaint (klage) with its deadline worked out as on the page (received + 4 weeks) and its outcome."""

    type: Literal["complaint"]
    id: Id
    person: Id
    received_on: datetime.date
    channel: Literal["written", "ankestyrelsen", "mayor"]
    kind: Literal["decision", "handling"]
    grant: Id | None = Field(None, description="The decision complained about, when it is a grant")
    other_decision: Annotated[str, Field(max_length=200)] = ""
    summary: Annotated[str, Field(max_length=1000)] = ""
    responsible: Username | None = None
    related_to_experiment: bool = False
    outcome: Literal["", "upheld", "changed", "sent_on", "withdrawn"] = ""
    outcome_on: datetime.date | None = None
    outcome_note: Annotated[str, Field(max_length=500)] = ""

    @model_validator(mode="after")
    def outcome_with_its_day(self):
        if bool(self.outcome) != (self.outcome_on is not None):
            raise ValueError("udfald og udfaldsdato hører sammen")
        return self


class ContactPeriodRecord(Record):
    """1.2: one contact person of one kind for a period (decision 0060): a staff member (`worker`) or someone outside
    the system (`name`). At most one open period (no `ends_on`) per citizen and kind."""

    type: Literal["contact_period"]
    id: Id
    person: Id
    kind: Literal["caseworker", "mentor", "support_contact", "coordinator"]
    worker: Username | None = None
    name: Annotated[str, Field(max_length=200)] = ""
    starts_on: datetime.date
    ends_on: datetime.date | None = None

    @model_validator(mode="after")
    def someone_for_a_while(self):
        if not self.worker and not self.name:
            raise ValueError("angiv en medarbejder (worker) eller et navn")
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("perioden slutter før den starter")
        return self


class ExemptionRecord(Record):
    """1.2: a free-municipality exemption (decision 0057) for one citizen or one family, by the kind's code."""

    type: Literal["exemption"]
    id: Id
    person: Id | None = None
    household: Id | None = None
    kind: Annotated[str, Field(min_length=1, max_length=40, examples=["process_goals"])]
    legal_basis: Annotated[str, Field(max_length=200)]
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    decided_on: datetime.date
    note: Annotated[str, Field(max_length=300)] = ""
    ended_on: datetime.date | None = Field(None, description="Ended early from this day")

    @model_validator(mode="after")
    def one_owner(self):
        if (self.person is None) == (self.household is None):
            raise ValueError("en fritagelse gælder én borger (person) eller én familie (household)")
        return self


AnyRecord = Annotated[
    Header | OfferRecord | PriceRecord | HourlyRateRecord | FixedCostRecord | PersonRecord | ContactRecord | GroupRecord | CourseRecord | ClosingRecord | ActivityRecord | GuideConversationRecord | PlanRecord | MeasurementRecord | GrantRecord | ShadowRecord | NoteRecord | DocumentRecord | HouseholdRecord | SurveyRecord | CaseProgressionRecord | ComplaintRecord | ContactPeriodRecord | ExemptionRecord,
    Field(discriminator="type"),
]
ADAPTER = TypeAdapter(AnyRecord)
MANY = TypeAdapter(list[AnyRecord])
TYPES = ("header", "offer", "price", "hourly_rate", "fixed_cost", "person", "contact", "group", "course", "closing",
         "activity", "guide_conversation", "plan", "measurement", "grant", "shadow", "note", "document", "household", "survey",
         "case_progression", "complaint", "contact_period", "exemption")


def json_schema() -> dict:
    schema = ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Trædesten interchange, {FORMAT} version {VERSION} (one object per line)"
    return schema
