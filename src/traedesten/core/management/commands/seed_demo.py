import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from traedesten.accounts.models import CaseloadAssignment, Team, User
from traedesten.core.demo import people as demo
from traedesten.people import services as people_services
from traedesten.people.models import Person


class Command(BaseCommand):
    help = "Build a coherent, deterministic demo municipality through the services layer."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--citizens", type=int, default=300)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="Reference date (YYYY-MM-DD); defaults to today")

    def handle(self, *args, seed, citizens, today, **options):
        console = Console(file=self.stdout, force_terminal=False, width=100)
        today = today or timezone.localdate()
        if User.objects.filter(username="vaert").exists():
            console.print("Demo data is already loaded; nothing changed.")
        else:
            if Person.objects.exists():
                raise CommandError("The database already holds citizens; the demo is only loaded into an empty database.")
            self._load(console, seed, citizens, today)
        self._print_logins(console)

    @transaction.atomic
    def _load(self, console, seed, citizens, today):
        teams = {key: Team.objects.create(name=name, description=desc) for key, (name, desc) in demo.TEAMS.items()}
        staff = {}
        for s in demo.demo_staff(seed):
            user = User(username=s.username, first_name=s.first_name, last_name=s.last_name, role=s.role,
                        background=s.background, email=f"{s.username}@demo.traedesten.dk",
                        is_staff=s.role == "admin", is_superuser=s.role == "admin")
            user.set_password(demo.PASSWORD)
            user.save()
            user.teams.set([teams[k] for k in s.teams])
            staff[s.username] = user
        workers = {"frontdoor": [staff["guide"], staff["guide2"], staff["vaert"]], "authority": [staff["myndighed"]],
                   "bostotte": [staff["bostotte"]], "outreach": [staff["opsoegende"]], "civil": [staff["koordinator"]]}
        people = demo.demo_people(seed, today, citizens)
        peer_quota = 6
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Borgere", total=len(people))
            for i, p in enumerate(people):
                first_team = p.teams[0]
                actor = workers[first_team][i % len(workers[first_team])]
                if p.pseudonymous:
                    person = people_services.create_pseudonymous(actor, sex=p.data.get("sex", "unknown"),
                                                                 approx_age=p.approx_age, team=teams[first_team])
                else:
                    person = people_services.create_person(actor, p.data, confirm_similar=True, team=teams[first_team])
                    for member in p.network:
                        people_services.add_network_person(actor, person, member)
                for key in p.teams[1:]:
                    CaseloadAssignment.objects.create(person=person, team=teams[key], worker=workers[key][0])
                if "civil" in p.teams and peer_quota:
                    CaseloadAssignment.objects.create(person=person, team=teams["civil"], worker=staff["peer"])
                    peer_quota -= 1
                progress.advance(task)
        self._courses_and_contacts(console, seed, today, staff, teams)
        console.print(f"Loaded {len(people)} citizens, {len(staff)} staff and {len(teams)} teams (seed {seed}).")

    def _print_logins(self, console):
        table = Table(title="Demo logins (password: %s)" % demo.PASSWORD)
        table.add_column("Username")
        table.add_column("Role")
        table.add_column("Teams")
        for user in User.objects.filter(username__in=[s[0] for s in demo.STAFF]).prefetch_related("teams").order_by("pk"):
            table.add_row(user.username, str(user.get_role_display()), ", ".join(t.name for t in user.teams.all()) or "—")
        console.print(table)
        console.print("Open http://127.0.0.1:8000 and log in.")

    def _courses_and_contacts(self, console, seed, today, staff, teams):
        """A year of front-door life: contacts, walk-ins waiting now, courses at every stage."""
        import random
        from decimal import Decimal

        from traedesten.courses import services as courses
        from traedesten.courses.catalogue import ensure_catalogue
        from traedesten.courses.models import Offer
        from traedesten.frontdoor import services as frontdoor
        from traedesten.frontdoor.catalogue import ensure_partners
        from traedesten.frontdoor.models import Contact, PartnerOrganisation

        ensure_catalogue()
        ensure_partners()
        rnd = random.Random(seed + 2)
        guides = [staff["guide"], staff["guide2"]]
        din_indgang = Offer.objects.get(name="Din Indgang – forløb")
        bostotte = Offer.objects.get(name="Bostøtte (§85)")
        partners = list(PartnerOrganisation.objects.all())
        front = list(Person.objects.filter(caseload__team=teams["frontdoor"], is_pseudonymous=False).order_by("pk"))
        destinations = ["no_further_help", "civil_society", "civil_society", "authority", "dropped_out", "outreach"]
        for person in front:
            start = today - datetime.timedelta(days=rnd.randint(0, 420))
            guide = rnd.choice(guides)
            course = courses.start_course(guide, person, din_indgang, start=start, responsible=guide, team=teams["frontdoor"])
            courses.record_activity(guide, person, kind="guide_conversation", on=start, course=course,
                                    delivered_hours=Decimal(1), staff_hours={guides[0]: Decimal(1), guides[1]: Decimal(1)})
            weeks = (today - start).days // 7
            if weeks >= 4 and rnd.random() < 0.8:
                courses.record_activity(guide, person, kind="follow_up", on=start + datetime.timedelta(weeks=rnd.randint(2, 4)),
                                        course=course, delivered_hours=Decimal(1), staff_hours={guide: Decimal(1)})
            if weeks >= 10 and rnd.random() < 0.7:
                courses.record_activity(guide, person, kind="assessment", on=start + datetime.timedelta(weeks=rnd.randint(8, 10)),
                                        course=course, delivered_hours=Decimal(1), staff_hours={guide: Decimal(1)})
            if weeks >= 12 and rnd.random() < 0.85:
                closed = min(today, start + datetime.timedelta(weeks=rnd.randint(10, 20)))
                courses.close_course(guide, course, closed_on=closed, destination=rnd.choice(destinations),
                                     expected_version=course.version)
        for person in Person.objects.filter(caseload__team=teams["bostotte"], is_pseudonymous=False).order_by("pk")[:40]:
            courses.start_course(staff["bostotte"], person, bostotte, start=today - datetime.timedelta(days=rnd.randint(20, 700)),
                                 team=teams["bostotte"], hours_package=rnd.choice(["<3", "3-6", "3-6", "6-20"]))
        for i in range(400):
            origin = rnd.choices(["citizen", "relative", "partner"], weights=[50, 9, 41])[0]
            channel = rnd.choice(["walk_in", "walk_in", "phone"]) if origin == "citizen" else rnd.choice(["phone", "email", "walk_in"])
            outcome = rnd.choice([v for v in Contact.Outcome.values])
            contact = frontdoor.register_contact(staff["vaert"], origin=origin, channel=channel,
                                                 partner=rnd.choice(partners) if origin == "partner" else None,
                                                 person=rnd.choice(front) if front and rnd.random() < 0.6 else None,
                                                 outcome=outcome)
            at = timezone.now() - datetime.timedelta(days=rnd.randint(1, 400), minutes=rnd.randint(0, 480))
            Contact.objects.filter(pk=contact.pk).update(at=at)
        for reason in ("Skattekort", "Brev fra kommunen", "Vil gerne tale med en guide"):
            frontdoor.register_contact(staff["vaert"], origin="citizen", channel="walk_in", reason=reason)
