import datetime

from django.core.management import call_command

from traedesten.accounts.models import User
from traedesten.accounts.roles import Role
from traedesten.demo.data.people import demo_people
from traedesten.people.cpr import parse_cpr
from traedesten.people.models import NetworkPerson, Person


def test_generator_is_deterministic_for_a_seed():
    day = datetime.date(2026, 11, 24)
    assert demo_people(7, day, 50) == demo_people(7, day, 50)
    assert demo_people(7, day, 50) != demo_people(8, day, 50)


def test_seed_demo_builds_a_coherent_municipality(db, capsys):
    call_command("seed_demo", seed=3, citizens=120, today=datetime.date(2026, 11, 24))
    out = capsys.readouterr().out
    for role in Role:
        assert User.objects.filter(role=role).exists()
    for username in ("vaert", "guide", "myndighed", "analytiker", "frivillig"):
        assert username in out
    walk_ins = Person.objects.filter(is_pseudonymous=True, activities__kind="ad_hoc")
    people = Person.objects.exclude(pk__in=walk_ins)
    assert people.count() == 120 and walk_ins.exists()
    assert people.filter(is_pseudonymous=True).count() == 8
    for p in people.exclude(cpr=None):
        assert parse_cpr(p.cpr).birth_date == p.birth_date
    assert NetworkPerson.objects.exists()
    assert all(p.caseload.exists() for p in people)
    before = Person.objects.count()
    call_command("seed_demo", seed=3, citizens=120)
    assert Person.objects.count() == before


def test_demo_exercises_the_front_door_and_courses_over_more_than_a_year(db):
    from traedesten.courses.models import Activity, Course, GroupSession, PackageChange
    from traedesten.frontdoor.models import Contact, GuideConversation
    from traedesten.frontdoor.pathways import front_door_bypass

    today = datetime.date(2026, 11, 24)
    call_command("seed_demo", seed=3, citizens=120, today=today)
    first = Activity.objects.order_by("on").first().on
    assert (today - first).days > 365
    assert GuideConversation.objects.filter(staff_2_background="authority").exists()
    assert Activity.objects.filter(kind="ad_hoc", person__is_pseudonymous=True).exists()
    assert GroupSession.objects.filter(attendance__attendance="no_show").exists()
    assert set(Activity.objects.filter(kind="bostotte_contact").values_list("channel", flat=True)) >= {"home", "walk", "sms"}
    assert PackageChange.objects.exclude(from_package="").exists()
    assert Course.objects.exclude(step_down_on=None).exists() and Course.objects.exclude(previous=None).exists()
    assert Course.objects.filter(destination="civil_society").exclude(kickoff_on=None).exists()
    assert Course.objects.filter(offer__max_months=6).exists()
    assert Contact.objects.filter(queue_status="waiting").exists()
    kinds = {getattr(front_door_bypass(p), "kind", None) for p in Person.objects.filter(courses__isnull=False).distinct()}
    assert {"short", "never"} <= kinds


def test_demo_has_trajectories_worth_looking_at(db):
    from traedesten.measures import scoring, services
    from traedesten.measures.models import Administration, Instrument

    call_command("seed_demo", seed=3, citizens=120, today=datetime.date(2026, 11, 24))
    ors = Instrument.objects.get(code="ORS")
    classes = {r.classification for r in services.results(ors, Administration.objects.all())}
    assert {scoring.RECOVERED, scoring.IMPROVED, scoring.UNCHANGED, scoring.DETERIORATED} <= classes
    for code in ("SRS", "GSRS", "REM-9", "FREMTIDSPLAN", "STJERNE"):
        assert Administration.objects.filter(instrument__code=code).exists(), code
    assert Administration.objects.filter(status="declined").exists()
    assert Administration.objects.filter(instrument__code="REM-9").exclude(note="").exists()


def test_demo_has_plans_at_all_stages_and_shared_with_the_jobcentre(db):
    from traedesten.people.models import Consent
    from traedesten.plans.models import Plan
    from traedesten.plans.services import current_content

    call_command("seed_demo", seed=3, citizens=120, today=datetime.date(2026, 11, 24))
    plans = list(Plan.objects.all())
    versions = {p.version for p in plans}
    assert 1 in versions and max(versions) >= 3
    statuses = {g.status for p in plans for g in current_content(p).goals}
    assert {"active", "achieved", "replaced"} <= statuses
    assert any(current_content(p).coping.warning_signs for p in plans)
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists() and Consent.objects.filter(withdrawn_at=None).exists()
    assert User.objects.get(username="jobcenter").teams.get().department.code == "jobcentre"


def test_demo_business_case_has_numbers(db):
    from traedesten.economy import calculation

    call_command("seed_demo", seed=3, citizens=120, today=datetime.date(2026, 11, 24))
    case = calculation.business_case(datetime.date(2025, 11, 24), datetime.date(2026, 11, 24))
    assert case.closed > 0 and case.assessed == case.closed and case.investment > 0 and case.ratio is not None


def test_demo_has_a_living_directory_and_volunteers(db):
    from traedesten.accounts.models import Recusal
    from traedesten.civil.models import Escort, LocalOffer, Volunteer

    call_command("seed_demo", seed=3, citizens=120, today=datetime.date(2026, 11, 24))
    assert LocalOffer.objects.count() >= 20 and Volunteer.objects.filter(user__username="frivillig").exists()
    assert Escort.objects.filter(arrived=True).exists() and Escort.objects.filter(arrived__isnull=True).exists()
    assert Recusal.objects.exists()


def test_demo_shows_the_flexible_support_in_use(db):
    from traedesten.courses.models import Activity, Ending
    from traedesten.measures.models import Administration, FitPracticeRating
    from traedesten.plans.models import Pause

    call_command("seed_demo", seed=3, citizens=120, today=datetime.date(2026, 11, 24))
    fit = Administration.objects.filter(activity__isnull=False)
    assert {"ORS", "SRS"} <= set(fit.values_list("instrument__code", flat=True))
    assert Administration.objects.filter(instrument__code="SRS", group_session__isnull=False).exists()
    assert FitPracticeRating.objects.exists()
    assert Activity.objects.filter(kind=Activity.Kind.ON_CALL_CONTACT, course=None).exists()
    assert Pause.objects.count() >= 2
    assert Ending.objects.exists()
