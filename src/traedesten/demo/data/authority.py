"""Hand-overs, a case conference, rights and grants with FFB goals for the demo municipality."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from traedesten.accounts.models import CaseloadAssignment
from traedesten.authority import ffb, grants, handover, orders, rights
from traedesten.authority.conference import build_agenda, close_conference, decide
from traedesten.authority.models import AgendaItem, CaseConference, Handover
from traedesten.courses import services as courses
from traedesten.courses.models import Course, Offer
from traedesten.measures.models import Instrument
from traedesten.measures.services import administer
from traedesten.people.consent import withdraw_consent

SERVICES = ["Støtte til daglige opgaver i hjemmet", "Støtte til administration", "Støtte til sociale relationer",
            "Støtte til psykisk trivsel"]
TARGET_GROUPS = ["Social isolation", "Alkoholmisbrug", "Hjemløshed", "Andet socialt problem"]
GOALS = [("Kan selv lave mad tre dage om ugen", "Lave mad"),
         ("Åbner og svarer på sin digitale post", "Håndtere post"),
         ("Har fast kontakt med én ven", "Varetage relationer til netværk"),
         ("Betaler regninger til tiden", "Varetage økonomi")]


def build(rnd: random.Random, today: datetime.date, staff: dict) -> dict:
    guide, caseworker = staff["guide"], staff["myndighed"]
    closed = list(Course.objects.filter(status="closed", destination="authority", person__cpr__isnull=False)
                  .select_related("person").order_by("closed_on", "pk"))
    ffb_instrument = Instrument.objects.get(code="FFB-FUNKTIONSEVNE")
    rem = Instrument.objects.get(code="REM-9")
    activity_codes = {c.display: c.code for c in ffb.activity_conditions()}
    made = {"hand-overs": 0, "grants": 0, "orders accepted": 0}
    worker = staff["bostotte"]
    provider, bostotte = worker.teams.order_by("pk").first(), Offer.objects.get(name="Bostøtte (§85)")
    for n, course in enumerate(closed):
        person, closed_on = course.person, course.closed_on
        assert closed_on is not None, "a closed course has its closing day"
        goal_pairs = rnd.sample(GOALS, 2)
        levels = {activity_codes[area]: rnd.choice([2, 2, 3, 3, 4]) for _t, area in goal_pairs}
        administer(guide, person, ffb_instrument, on=closed_on, rater="joint",
                   values={code: Decimal(level) for code, level in levels.items()})
        h = handover.start_handover(guide, person, course)
        h = handover.save_handover(guide, h, {
            "reason": "Jeg kunne ikke overskue min hverdag og min post, og jeg var meget alene.",
            "duration": h.duration, "worked_on": h.worked_on or "Struktur i hverdagen og kontakt til netværk.",
            "dream": h.dream or "At have mit eget hjem, hvor jeg klarer mig selv.",
            "future_goal": "Støtte i hjemmet til at holde fast i det, jeg har lært.", "benefit": h.benefit,
            "agreements": "Guiden deltager i første møde med bostøtten.", "themes": h.themes}, version=h.version)
        if n % 7 == 1:
            made["hand-overs"] += 1
            continue  # left as a draft the guide is still writing
        h = handover.send_handover(guide, h, consent_now={"form": "written", "given_by": "citizen"})
        sent = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(13)))
        Handover.objects.filter(pk=h.pk).update(sent_at=sent)
        made["hand-overs"] += 1
        if n % 7 == 2:
            assert h.consent is not None, "a sent hand-over carries its consent"
            withdraw_consent(guide, h.consent)  # the citizen changed her mind: the authority no longer sees it
            continue
        if n % 7 == 3:
            continue  # waiting for the caseworker to acknowledge
        h = handover.acknowledge(caseworker, h)
        decided = min(today, closed_on + datetime.timedelta(days=rnd.randint(7, 21)))
        follow_up = decided + datetime.timedelta(days=rnd.choice([60, 90, 120]))
        grant = grants.create_grant(
            caseworker, person, handover=h, case_number=f"27.12.20-G01-{1000 + n}-{decided.year}", legal_basis="SEL § 85",
            service_code=ffb.code_named(ffb.services(), rnd.choice(SERVICES)), offer_type_code=ffb.code_named(ffb.offer_types(), "Mobilt tilbud"),
            target_groups=[ffb.code_named(ffb.target_groups(), rnd.choice(TARGET_GROUPS))],
            support_need_code=ffb.code_named(ffb.support_needs(), rnd.choice(["Let støttebehov", "Moderat støttebehov"])),
            hours_per_week=Decimal(rnd.choice([2, 3, 4])), decided_on=decided, starts_on=decided, follow_up_on=follow_up,
            appeal_informed=True, provider_team=provider, provider_offer=bostotte,
            goals=[grants.GoalInput(title, activity_codes[area], levels[activity_codes[area]],
                                    max(0, levels[activity_codes[area]] - 2), ffb.code_named(ffb.goal_types(), "Udvikle funktionsevne"),
                                    max(0, levels[activity_codes[area]] - 1)) for title, area in goal_pairs])
        made["grants"] += 1
        order = grant.orders.get()
        if n % 9 == 4:  # just sent: waiting in the bostøtte team's inbox
            continue
        order = orders.accept_order(worker, order, version=order.version, on=decided)
        made["orders accepted"] += 1
        _deliver(rnd, today, worker, order.course, rem)
        for goal in grant.goals.all():
            on = decided + datetime.timedelta(days=30)
            while on < min(today, follow_up):
                grants.score_progress(staff["bostotte"], goal, level=max(0, goal.baseline_level - rnd.choice([0, 1, 1, 2])), on=on)
                on += datetime.timedelta(days=30)
            grants.add_sub_goal(staff["bostotte"], goal, "Første lille skridt aftalt med borgeren")
        if follow_up < today:
            status = ffb.code_named(ffb.intervention_statuses(), "Træf afgørelse om fortsættelse af indsats")
            grants.record_follow_up(caseworker, grant, version=grant.version, held_on=follow_up, status_code=status,
                                    next_on=follow_up + datetime.timedelta(days=120),
                                    expectations={g.pk: max(0, g.target_level) for g in grant.goals.all()})
    _conference_and_rights(rnd, today, staff)
    return made


def _deliver(rnd, today, worker, course, rem) -> None:
    """The provider's weekly contacts from the grant's start, and REM after about two months and yearly."""
    on = course.start + datetime.timedelta(days=rnd.randint(1, 5))
    while on <= today:
        courses.record_activity(worker, course.person, kind="bostotte_contact", on=on, course=course,
                                delivered_hours=Decimal(rnd.choice([1, 2])), channel=rnd.choice(["home", "walk", "phone"]),
                                staff_hours={worker: Decimal(1)})
        on += datetime.timedelta(days=rnd.randint(5, 8))
    when = course.start + datetime.timedelta(days=rnd.randint(45, 80))
    codes = [i.code for i in rem.current.parsed.items]
    while when <= today:  # REM about two months in, then once a year
        values = {code: Decimal(rnd.randint(1, 3)) for code in codes}
        administer(worker, course.person, rem, on=when, rater="joint", course=course, citizen_values=values,
                   worker_values=values)
        when += datetime.timedelta(days=rnd.randint(330, 355))


def _conference_and_rights(rnd, today, staff):
    guide, chair = staff["guide"], staff["myndighed"]
    team = guide.teams.first()
    last_friday = today - datetime.timedelta(days=(today.weekday() - 4) % 7 or 7)
    past = CaseConference.objects.create(held_on=last_friday, team=team, chair=chair, created_by=guide)
    build_agenda(guide, past)
    for item in past.items.all():
        decide(chair, item, AgendaItem.Decision.CONTINUE if item.kind == AgendaItem.Kind.NEW else AgendaItem.Decision.CLOSE)
    close_conference(chair, past, minutes="Gennemgang af nye borgere og forløb, der slutter. Ingen uenighed.",
                     attendees=[guide, staff["guide2"], chair], version=past.version)
    for n, course in enumerate(Course.objects.filter(offer__front_door=True, status="active").order_by("start")[:4]):
        rights.record_rights(guide, course.person, may_apply=True, may_return=True, course=course)
        request = rights.request_assessment(guide, course.person, on=max(course.start, today - datetime.timedelta(days=10 + n)),
                                            note="Ønsker at blive vurderet til bostøtte")
        if n % 2:
            rights.answer_request(chair, request, answer="started", on=today)

        CaseloadAssignment.objects.get_or_create(person=course.person, team=chair.teams.first(), end=None,
                                                 defaults={"worker": chair})
