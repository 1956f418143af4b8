import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from rich.progress import Progress
from rich.table import Table

from traedesten.accounts.models import CaseloadAssignment, CaseloadNorm, Team, User
from traedesten.core.console import console_for
from traedesten.demo.data import people as demo
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
        console = console_for(self.stdout, force_terminal=False, width=100)
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
        from traedesten.accounts.models import Department

        departments = {d.code: d for d in Department.objects.all()}
        teams = {key: Team.objects.create(name=name, description=desc, department=departments.get(demo.TEAM_DEPARTMENTS[key]))
                 for key, (name, desc) in demo.TEAMS.items()}
        for key, (most, note) in demo.NORMS.items():
            CaseloadNorm.objects.create(team=teams[key], max_citizens=most, note=note)
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
        table = Table(title=f"Demo logins (password: {demo.PASSWORD})")
        table.add_column("Username")
        table.add_column("Role")
        table.add_column("Teams")
        for user in User.objects.filter(username__in=[s[0] for s in demo.STAFF]).prefetch_related("teams").order_by("pk"):
            table.add_row(user.username, str(user.get_role_display()), ", ".join(t.name for t in user.teams.all()) or "—")
        console.print(table)
        console.print("Open http://127.0.0.1:8000 and log in.")

    def _courses_and_contacts(self, console, seed, today, staff, teams):
        import random

        from traedesten.demo.data import (
            authority as demo_authority,
            bend as demo_bend,
            civil as demo_civil,
            economy as demo_economy,
            endings as demo_endings,
            enplan as demo_enplan,
            health as demo_health,
            oncall as demo_oncall,
            surveys as demo_surveys,
        )
        from traedesten.demo.data.activity import DemoYear
        from traedesten.demo.data.measures import DemoMeasures
        from traedesten.demo.data.plans import DemoPlans

        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Forløb, hold og henvendelser", total=100)
            counts = DemoYear(random.Random(seed + 2), today, staff, teams).build(progress, task)
            counts["measurements"] = DemoMeasures(random.Random(seed + 3), today, staff).build()
            counts["plans"] = DemoPlans(random.Random(seed + 4), today, staff, teams).build()
            counts["shadow visitations"] = demo_economy.build(random.Random(seed + 5), today, staff)
            counts["community matches"] = demo_civil.build(random.Random(seed + 6), today, staff)
            counts.update(demo_authority.build(random.Random(seed + 7), today, staff))
            counts.update(demo_surveys.build(random.Random(seed + 8), today, staff))
            counts.update(demo_oncall.build(random.Random(seed + 9), today, staff, teams))
            counts.update(demo_health.build(random.Random(seed + 10), today, staff))
            counts.update(demo_bend.build(random.Random(seed + 11), today, staff, teams))
            counts.update(demo_endings.build(random.Random(seed + 12), today, staff))
            counts.update(demo_enplan.build(random.Random(seed + 13), today, staff, teams))
            progress.update(task, completed=100)
        console.print("Front door, courses and measurements: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
