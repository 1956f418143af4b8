import datetime

from django.core.management import call_command

from traedesten.accounts.models import User
from traedesten.accounts.roles import Role
from traedesten.core.demo.people import demo_people
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
    people = Person.objects.all()
    assert people.count() == 120
    assert people.filter(is_pseudonymous=True).count() == 8
    for p in people.exclude(cpr=None):
        assert parse_cpr(p.cpr).birth_date == p.birth_date
    assert NetworkPerson.objects.exists()
    assert all(p.caseload.exists() for p in people)
    call_command("seed_demo", seed=3, citizens=120)
    assert Person.objects.count() == 120
