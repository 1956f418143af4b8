"""A lived-in year and a half at the front door, in groups and in bostøtte, built through the services."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from traedesten.courses import bostotte, groups, services as courses
from traedesten.courses.models import Course, Offer
from traedesten.frontdoor import services as frontdoor
from traedesten.frontdoor.models import AdHocTopic, Contact, PartnerOrganisation
from traedesten.people import services as people
from traedesten.people.models import Person

GROUP_THEMES = ["NADA", "Struktur i hverdagen", "Dig og dit dilemma", "Mindfulness", "Aktivitet og sundhed",
                "Værdiafklaring", "At være sensitiv", "Følelseshåndtering"]
DESTINATIONS = ["no_further_help", "civil_society", "civil_society", "civil_society", "authority", "dropped_out",
                "outreach", "moved"]
BOSTOTTE_MODES = ["home", "home", "home", "walk", "office", "phone", "video", "sms", "drop_in"]
ONE = Decimal(1)
OVER_PLAN_REASON = "Borgeren er midt i at finde sin vej videre; vi aftaler flere samtaler frem til vurderingen"


def _day(start: datetime.date, days: int, today: datetime.date) -> datetime.date:
    return min(today, start + datetime.timedelta(days=days))


class DemoYear:
    def __init__(self, rnd: random.Random, today: datetime.date, staff: dict, teams: dict):
        self.rnd, self.today, self.staff, self.teams = rnd, today, staff, teams
        self.guides = [staff["guide"], staff["guide2"]]
        self.offer = {o.name: o for o in Offer.objects.all()}

    def build(self, progress, task) -> dict:
        front = list(Person.objects.filter(caseload__team=self.teams["frontdoor"], is_pseudonymous=False).order_by("pk"))
        counts = {"courses": 0, "groups": 0, "ad_hoc": 0, "bostotte": 0, "contacts": 0}
        for i, person in enumerate(front):
            counts["courses"] += self._front_door_course(person, i)
        progress.advance(task, 30)
        counts["ad_hoc"] = self._ad_hoc(front)
        progress.advance(task, 10)
        counts["groups"] = self._groups(front)
        progress.advance(task, 20)
        counts["bostotte"] = self._bostotte()
        progress.advance(task, 20)
        counts["contacts"] = self._contacts(front)
        progress.advance(task, 20)
        return counts

    def _front_door_course(self, person, i: int) -> int:
        rnd, today = self.rnd, self.today
        start = today - datetime.timedelta(days=rnd.randint(0, 540))
        guide, other = rnd.sample(self.guides, 2)
        partner = self.staff["myndighed"] if rnd.random() < 0.4 else other
        offer = self.offer["Individuelt §82b-forløb (6 måneder)"] if i % 9 == 0 else self.offer["Din Indgang – forløb"]
        talk = frontdoor.hold_guide_conversation(
            guide, person=person, on=start, location=rnd.choice(["front_door"] * 5 + ["home", "phone", "video"]),
            outcome="course_started", hours=ONE, staff_2=partner, offer=offer,
            bring_person=rnd.choice(["", "", "Mor", "Kæreste", "Støttekontaktperson"]))
        course = talk.course
        assert course is not None, "a guide conversation that starts a course has it"
        weeks = (today - start).days // 7
        if i % 23 == 0 and weeks >= 4:  # a short stay before the authority: the bypass the manager should see
            courses.close_course(guide, course, closed_on=start + datetime.timedelta(days=rnd.randint(7, 25)),
                                 destination="authority", expected_version=course.version)
            return 1
        # A course runs to its closing (by week 20 at the latest, the offer's end) with a conversation about every
        # other week, the first follow-up within 4 weeks and the needs assessment by week 10, as the guides work.
        closing = weeks >= 20 or (weeks >= 12 and rnd.random() < 0.85)
        close_day = rnd.randint(70, 140) if closing else (today - start).days
        if weeks >= 4 and rnd.random() < 0.97:
            self._session(guide, course, "follow_up", rnd.randint(14, 27))
        self._conversations(guide, course, close_day)
        for months in course.offer.status_note_months or []:  # § 82b: status notes at 2½ and 5 months
            due = courses.after_months(start, months)
            if due <= min(today, start + datetime.timedelta(days=close_day)):
                courses.write_status_note(guide, course, on=due - datetime.timedelta(days=rnd.randint(0, 6)),
                                          text="Status: borgeren arbejder med sine mål og har mødt op til samtalerne.")
        if closing:
            last = course.activities.order_by("-on").values_list("on", flat=True).first()
            assert last is not None, "the guide conversation is the course's first activity"
            closed = max(_day(start, close_day, today), last)
            destination = rnd.choice(DESTINATIONS)
            courses.close_course(guide, course, closed_on=closed, destination=destination,
                                 kickoff_on=_day(closed, 7, today) if destination == "civil_society" else None,
                                 expected_version=course.version)
            if i % 11 == 0 and closed + datetime.timedelta(days=60) < today:
                back = closed + datetime.timedelta(days=rnd.randint(30, 60))
                if (today - back).days > 120:  # the return is recent: its course is still running today
                    back = max(closed + datetime.timedelta(days=30), today - datetime.timedelta(days=rnd.randint(20, 110)))
                again = frontdoor.hold_guide_conversation(guide, person=person, on=back, location="front_door",
                                                          outcome="course_started", hours=ONE, staff_2=other,
                                                          offer=self.offer["Din Indgang – forløb"]).course
                assert again is not None, "the citizen said yes: the conversation started the course"
                if (today - back).days >= 28:
                    self._session(guide, again, "follow_up", rnd.randint(14, 27))
                self._conversations(guide, again, (today - back).days)
                return 2
        return 1

    def _conversations(self, guide, course: Course, until_day: int) -> None:
        """A conversation about every other week until `until_day`; a missed one is made up a few days later. The needs
        assessment by week 10."""
        rnd = self.rnd
        for day in range(7, until_day + 1, 13):
            day += rnd.randint(0, 1)
            attendance = rnd.choices(["attended", "cancelled", "no_show"], [88, 7, 5])[0]
            self._session(guide, course, "coaching", day, attendance=attendance)
            makeup = day + rnd.randint(2, 3)
            if attendance != "attended" and makeup <= until_day:  # rebooked within a few days
                self._session(guide, course, "coaching", makeup)
        if until_day >= 66 and rnd.random() < 0.95:
            self._session(guide, course, "assessment", rnd.randint(56, 66))

    def _session(self, worker, course: Course, kind: str, after_days: int, attendance: str = "attended") -> None:
        on = course.start + datetime.timedelta(days=after_days)
        if on > self.today:
            return
        channel = self.rnd.choice(["office", "office", "office", "phone", "video", "walk"])
        try:
            self._record(worker, course, kind, on, attendance, channel)
        except courses.SoftCapExceeded:  # beyond the conversations the offer plans for: the guide says why
            self._record(worker, course, kind, on, attendance, channel, cap_reason=OVER_PLAN_REASON)

    @staticmethod
    def _record(worker, course: Course, kind: str, on: datetime.date, attendance: str, channel: str,
                cap_reason: str = "") -> None:
        courses.record_activity(worker, course.person, kind=kind, on=on, course=course, delivered_hours=ONE,
                                attendance=attendance, channel=channel, staff_hours={worker: ONE},
                                cap_reason=cap_reason)

    def _ad_hoc(self, front: list) -> int:
        rnd, host = self.rnd, self.staff["vaert"]
        topics = list(AdHocTopic.objects.all())
        helped = 0
        for n in range(140):
            on = self.today - datetime.timedelta(days=rnd.randint(0, 540))
            if rnd.random() < 0.3:
                person = people.create_pseudonymous(host, sex=rnd.choice(["female", "male"]), approx_age=rnd.randint(19, 75),
                                                    team=self.teams["frontdoor"])
            else:
                person = rnd.choice(front)
            frontdoor.give_ad_hoc_help(host if n % 3 else rnd.choice(self.guides), person=person, topic=rnd.choice(topics),
                                       on=on, hours=rnd.choice([Decimal("0.25"), Decimal("0.5"), Decimal("0.5"), ONE, Decimal("1.5")]))
            helped += 1
        return helped

    def _groups(self, front: list) -> int:
        rnd, today = self.rnd, self.today
        facilitators = [self.staff["guide"], self.staff["guide2"], self.staff["peer"], self.staff["frivillig"]]
        made = 0
        for n, theme in enumerate(GROUP_THEMES * 2):
            start = today - datetime.timedelta(weeks=70 - n * 4 + rnd.randint(0, 2))
            if start > today:
                continue
            lead = self.guides[n % 2]
            group = groups.create_group(lead, self.offer["Gruppeforløb"], theme=theme, start=start, planned_sessions=8,
                                        session_hours=Decimal(2), capacity=8, location="Indgangen, mødelokale 2",
                                        facilitators=[lead] + rnd.sample(facilitators[2:], rnd.randint(1, 2)),
                                        team=self.teams["frontdoor"])
            members = rnd.sample(front, rnd.randint(4, 8))
            for person in members:
                try:
                    groups.enrol(lead, group, person, on=start)
                except courses.SoftCapExceeded:
                    groups.enrol(lead, group, person, on=start, cap_reason="Aftalt på teammøde")
            staff = {u: Decimal(2) for u in group.facilitators.all()}
            for week in range(8):
                on = start + datetime.timedelta(weeks=week)
                if on > today:
                    break
                marks = {p.pk: rnd.choices(["attended", "cancelled", "no_show"], [80, 12, 8])[0] for p in members}
                groups.register_session(lead, group, on=on, hours=Decimal(2), attendance=marks, staff_hours=staff)
            made += 1
        return made

    def _bostotte(self) -> int:
        rnd, today, worker = self.rnd, self.today, self.staff["bostotte"]
        offer = self.offer["Bostøtte (§85)"]
        episodes = 0
        persons = Person.objects.filter(caseload__team=self.teams["bostotte"], is_pseudonymous=False).order_by("pk")[:45]
        for i, person in enumerate(persons):
            start = today - datetime.timedelta(days=rnd.randint(30, 600))
            course = courses.start_course(worker, person, offer, start=start, team=self.teams["bostotte"],
                                          hours_package=rnd.choice(["<3", "3-6", "3-6", "6-20"]))
            episodes += 1
            for week in range(max(0, (today - start).days // 7 - 10), (today - start).days // 7):
                for _ in range(rnd.randint(1, 2)):
                    mode = rnd.choice(BOSTOTTE_MODES)
                    hours = Decimal("0.25") if mode in ("sms", "phone") else rnd.choice([ONE, Decimal("1.5"), Decimal(2)])
                    on = start + datetime.timedelta(weeks=week, days=rnd.randint(0, 4))
                    attendance = rnd.choices(["attended", "cancelled", "no_show"], [90, 6, 4])[0]
                    self._session_on(worker, course, "bostotte_contact", on, hours, mode, attendance)
                    if attendance != "attended":  # the worker calls and comes back a couple of days later
                        self._session_on(worker, course, "bostotte_contact", on + datetime.timedelta(days=2), ONE,
                                         "home", "attended")
            if course.hours_package == "6-20" and i % 2:
                course = bostotte.change_package(worker, course, on=_day(start, 120, today), to_package="3-6",
                                                 expected_version=course.version)
            smaller = {"6-20": "3-6", "3-6": "<3"}.get(course.hours_package)
            if i % 3 == 0 and smaller:
                bostotte.plan_step_down(worker, course, on=today + datetime.timedelta(weeks=rnd.randint(2, 10)),
                                        to_package=smaller, expected_version=course.version)
            elif i % 7 == 1 and (today - start).days > 200:
                last = course.activities.order_by("-on").values_list("on", flat=True).first() or start
                closed = courses.close_course(worker, course, closed_on=max(_day(start, 150, today), last),
                                              destination="no_further_help", expected_version=course.version)
                if i % 14 == 1 and closed.closed_on is not None:
                    bostotte.reenter(worker, closed, on=_day(closed.closed_on, 40, today))
        return episodes

    def _session_on(self, worker, course, kind, on, hours, channel, attendance) -> None:
        if on > self.today or (course.closed_on and on > course.closed_on):
            return
        courses.record_activity(worker, course.person, kind=kind, on=on, course=course, delivered_hours=hours,
                                attendance=attendance, channel=channel, staff_hours={worker: hours})

    def _contacts(self, front: list) -> int:
        rnd, host = self.rnd, self.staff["vaert"]
        partners = list(PartnerOrganisation.objects.all())
        made = 0
        for _ in range(900):
            origin = rnd.choices(["citizen", "relative", "partner"], weights=[50, 9, 41])[0]
            channel = (rnd.choice(["walk_in", "walk_in", "walk_in", "phone", "form"]) if origin == "citizen"
                       else rnd.choice(["phone", "phone", "email", "walk_in"]))
            outcome = rnd.choices(Contact.Outcome.values, weights=[30, 25, 8, 7, 25, 5])[0]
            contact = frontdoor.register_contact(host, origin=origin, channel=channel,
                                                 partner=rnd.choice(partners) if origin == "partner" else None,
                                                 person=rnd.choice(front) if rnd.random() < 0.55 else None,
                                                 outcome=outcome)
            at = timezone.now() - datetime.timedelta(days=rnd.randint(1, 540), minutes=rnd.randint(0, 420))
            Contact.objects.filter(pk=contact.pk).update(at=at, handled=True)
            made += 1
        for reason in ("Skattekort", "Brev fra kommunen", "Vil gerne tale med en guide"):
            frontdoor.register_contact(host, origin="citizen", channel="walk_in", reason=reason)
        received = frontdoor.register_contact(host, origin="citizen", channel="walk_in", reason="Ensom, vil gerne have hjælp")
        frontdoor.route(host, received, "guide_conversation")
        return made + 4
