"""Én plan in full (issue 26): a family with a coordinator, a shared direction and a sub-plan per member, exempt from
process goals; a decision mandate for the jobcentre (§ 85 up to 5 hours a week) and a citizen on the jobcentre's
caseload, exempt from sector-divided organisation, whom the demo user `jobcenter` may grant; a progression category at a closing; a complaint due soon; the
before/after themes measured before; a change of contact person. Built last, through the domain services, so the
other demo data keep their random sequence."""

import datetime
import random
from decimal import Decimal

from traedesten.accounts.models import CaseloadAssignment, Department
from traedesten.authority import outcomes
from traedesten.authority.models import DecisionMandate
from traedesten.courses.models import Course
from traedesten.measures import services as measures
from traedesten.measures.models import Instrument
from traedesten.people import contacts, families
from traedesten.people.models import Cluster, ContactKind, HouseholdRole
from traedesten.plans import exemptions
from traedesten.plans.models import ExemptionKind

LEGAL_BASIS = "Lov om frikommunenetværk (LBK nr. 831 af 2018)"
THEMES = ("job_education", "health", "everyday", "social", "contact", "belief", "competences", "labour_market",
          "family")


def build(rnd: random.Random, today: datetime.date, staff: dict, teams: dict) -> dict:
    active = list(Course.objects.filter(status=Course.Status.ACTIVE, group=None, responsible__isnull=False,
                                        person__plan__isnull=False, person__households__isnull=True)
                  .select_related("person", "responsible").order_by("pk").distinct())
    persons = list(dict.fromkeys(c.person for c in active))
    if len(persons) < 5:
        return {}
    guide, authority = staff["guide"], staff["myndighed"]
    mother, son, adult, third = persons[0], persons[1], persons[2], persons[3]
    started = today - datetime.timedelta(days=60)
    family = families.create_household(guide, mother, name=f"Familien {mother.last_name}", started_on=started,
                                       role=HouseholdRole.ADULT, coordinator=guide)
    families.add_member(guide, family, son, role=HouseholdRole.YOUNG, joined_on=started)
    families.write_direction(guide, family, "Ro i hverdagen, et job til mor og at blive færdig med skolen.",
                             expected_version=family.version)
    kinds = {k.code: k for k in ExemptionKind.objects.all()}
    exemptions.record(authority, kind=kinds["process_goals"], household=family, legal_basis=LEGAL_BASIS,
                      starts_on=today - datetime.timedelta(days=30), ends_on=None,
                      decided_on=today - datetime.timedelta(days=30), today=today)
    families.set_person_cluster(guide, adult, cluster=Cluster.ADULT, sub_target_group="rusmiddel")
    exemptions.record(authority, kind=kinds["sector_organisation"], person=adult, legal_basis=LEGAL_BASIS,
                      starts_on=today - datetime.timedelta(days=20), ends_on=None,
                      decided_on=today - datetime.timedelta(days=20), today=today)
    CaseloadAssignment.objects.get_or_create(person=adult, team=teams["jobcentre"], end=None,
                                             defaults={"worker": staff["jobcenter"]})
    jobcentre = Department.objects.filter(code="jobcentre").first()
    if jobcentre is not None:
        DecisionMandate.objects.create(department=jobcentre, legal_basis="SEL § 85",
                                       max_hours_per_week=Decimal(5), starts_on=today - datetime.timedelta(days=365),
                                       note="Frikommuneforsøget Én plan: jobcentret bevilger lettere bostøtte")
    closing = next(c for c in active if c.person == third)
    outcomes.record_progression(closing.responsible, third, category="partial",
                                reason="Kommet tættere på uddannelse; går til prøvetimer på VUC",
                                on=today - datetime.timedelta(days=3), course=closing)
    outcomes.register_complaint(authority, adult, received_on=today - datetime.timedelta(days=24),
                                channel="written", kind="handling",
                                summary="Har ventet længe på svar om bostøtte", related_to_experiment=True)
    before_after = Instrument.objects.get(code="FOER-EFTER")
    values = {k: Decimal(rnd.randint(1, 3)) for k in THEMES}
    measures.administer(guide, mother, before_after, on=started, values=values, rater="joint", phase="before")
    contacts.change_contact(guide, son, ContactKind.MENTOR, on=started, name="Lone, mentor fra skolen")
    contacts.change_contact(guide, son, ContactKind.MENTOR, on=today - datetime.timedelta(days=25))
    return {"families": 1, "exemptions": 2, "decision mandates": int(jobcentre is not None), "case progressions": 1,
            "complaints": 1}
