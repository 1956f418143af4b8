"""A living directory of community offers, a volunteer corps, matches with escorts and one recusal."""

import datetime
import random

from django.utils import timezone

from traedesten.accounts.recusals import recuse
from traedesten.civil import services
from traedesten.civil.models import LocalOffer, Match, Volunteer
from traedesten.courses.models import Course

OFFERS = [
    ("Gåklubben Madsby", "association", "DGI Fredericia", "Tirsdage 10-12", "Madsby Park", "7000", ["walks", "sport"]),
    ("Strikkecaféen", "volunteer", "Røde Kors", "Torsdage 14-16", "Kirkens Hus", "7000", ["creative", "talk"]),
    ("Fællesspisning i Væksthuset", "municipal", "Fredericia Kommune", "Onsdage 17-19", "Væksthuset", "7000", ["cooking", "talk"]),
    ("Hørme-koret", "association", "Fredericia Sangforening", "Mandage 19-21", "Musikskolen", "7000", ["music"]),
    ("Angstforeningens selvhjælpsgruppe", "self_help", "Angstforeningen", "Hver anden tirsdag", "Frivilligcentret", "7000", ["selfhelp", "talk"]),
    ("Vandrelauget", "association", "Dansk Vandrelaug", "Søndage 10-14", "Trelde Næs", "7000", ["walks"]),
    ("Kattenes Værn – frivillige", "volunteer", "Kattens Værn", "Efter aftale", "Internatet", "7007", ["animals", "volunteering"]),
    ("Bræt- og kortspilscaféen", "volunteer", "Frivilligcentret", "Fredage 13-16", "Frivilligcentret", "7000", ["games", "talk"]),
    ("IT-hjælp for alle", "volunteer", "Ældre Sagen", "Tirsdage 9-12", "Hovedbiblioteket", "7000", ["digital", "learning"]),
    ("Dansk i hverdagen", "volunteer", "Dansk Flygtningehjælp", "Onsdage 16-18", "Hovedbiblioteket", "7000", ["learning", "talk"]),
    ("Motion på recept-holdet", "municipal", "Sundhedscentret", "Mandage og torsdage 9-10", "Sundhedscentret", "7000", ["sport"]),
    ("Træværkstedet", "volunteer", "Kirkens Korshær", "Hverdage 9-14", "Korshærens Værksted", "7000", ["creative", "volunteering"]),
    ("Løbeklubben for alle", "association", "Fredericia Motion", "Lørdage 9", "Kongens Port", "7000", ["sport", "walks"]),
    ("Pårørendegruppen", "self_help", "SIND", "Første mandag i måneden", "Frivilligcentret", "7000", ["selfhelp"]),
    ("Nørklerne i Taulov", "association", "Taulov Borgerforening", "Tirsdage 13-15", "Taulov Forsamlingshus", "7000", ["creative"]),
    ("Havefællesskabet", "volunteer", "Grøn Fredericia", "Torsdage 15-18", "Nyhavehaverne", "7000", ["walks", "volunteering"]),
    ("Madklubben for mænd", "volunteer", "Frivilligcentret", "Hver anden onsdag", "Madsby Fritidshus", "7000", ["cooking"]),
    ("Hundeluftergruppen", "volunteer", "Dyrenes Beskyttelse", "Hverdage 16", "Hyllerup Skov", "7007", ["animals", "walks"]),
    ("Gospelkoret", "association", "Fredericia Kirke", "Torsdage 19-21", "Trinitatis Kirke", "7000", ["music"]),
    ("Væresteddet Trappen", "municipal", "Fredericia Kommune", "Alle dage 10-16", "Trappen", "7000", ["talk", "games"]),
    ("Kreativt værksted i Børkop", "municipal", "Vejle Kommune", "Onsdage 10-13", "Børkop Bibliotek", "7080", ["creative"]),
    ("Peer-cafeen", "self_help", "Peer-netværket", "Fredage 10-12", "Væksthuset", "7000", ["selfhelp", "talk"]),
]
VOLUNTEERS = [("Birthe Madsen", ["walks", "talk"]), ("Jens Holm", ["sport", "walks"]), ("Aisha Rahimi", ["learning", "talk"]),
              ("Ole Dam", ["games", "cooking"]), ("Kirsten Lund", ["creative"]), ("Peter Skov", ["animals", "walks"]),
              ("Hanne Berg", ["music", "talk"]), ("Mads Friis", ["digital", "learning"]), ("Sofie Krogh", ["selfhelp", "talk"]),
              ("Lars Vinther", ["cooking", "games"])]


def build(rnd: random.Random, today: datetime.date, staff: dict) -> int:
    for name, kind, organiser, schedule, place, postal, interests in OFFERS:
        slots = ["weekend"] if schedule.startswith(("Lørdag", "Søndag")) else ["evening"] if any(
            h in schedule for h in ("17", "19")) else ["weekday_morning"] if any(h in schedule for h in ("9", "10")) else ["weekday_afternoon"]
        LocalOffer.objects.create(name=name, kind=kind, organiser=organiser, schedule=schedule, place=place, slots=slots,
                                  postal_code=postal, interests=interests, free_seats=rnd.choice([None, 0, 2, 4, 6, 10]),
                                  contact=f"{organiser}, tlf. 7{rnd.randint(1000000, 9999999)}")
    volunteers = [Volunteer.objects.create(user=staff["frivillig"], name=str(staff["frivillig"]), interests=["walks", "talk"],
                                           slots=["weekday_morning"],
                                           postal_code="7000", availability="Hverdage formiddag",
                                           agreement_on=today - datetime.timedelta(days=400))]
    for n, (name, interests) in enumerate(VOLUNTEERS):
        volunteers.append(Volunteer.objects.create(
            name=name, interests=interests, postal_code=rnd.choice(["7000", "7000", "7007", "7080"]),
            slots=rnd.sample(["weekday_morning", "weekday_afternoon", "evening", "weekend"], 2),
            availability=rnd.choice(["Hverdage formiddag", "Eftermiddage", "Weekender", "Efter aftale"]),
            status="standby" if n == 9 else "active", agreement_on=today - datetime.timedelta(days=rnd.randint(30, 900)),
            record_check_required=n % 4 == 0, record_check_on=today - datetime.timedelta(days=100) if n % 4 == 0 and n else None))
    offers = list(LocalOffer.objects.all())
    ready = [v for v in volunteers if v.status == "active" and services.record_check_valid(v, today)]
    coordinator = staff["koordinator"]
    made = 0
    closed = Course.objects.filter(destination="civil_society", person__is_pseudonymous=False).select_related("person").order_by("-closed_on")
    for n, course in enumerate(closed[:30]):
        person, meet_on = course.person, course.kickoff_on or course.closed_on
        assert meet_on is not None, "a closed course has its closing day"
        when = timezone.make_aware(datetime.datetime.combine(meet_on, datetime.time(10)))
        helper = ready[0] if n % 3 == 0 else rnd.choice(ready[1:])
        match = services.make_match(coordinator, person, offer=rnd.choice(offers), volunteer=helper, meet_at=when,
                                    meet_place=rnd.choice(["Ved biblioteket", "Foran Væksthuset", "Busstationen"]),
                                    task="Følg borgeren første gang og hils på de andre")
        Match.objects.filter(pk=match.pk).update(course=course, kickoff_on=course.kickoff_on, kickoff_coordinator=coordinator)
        escort = match.escorts.get()
        if when < timezone.now() - datetime.timedelta(days=3) and n % 5:
            services.follow_up_escort(coordinator, escort, arrived=n % 7 != 0, stayed=None if n % 3 == 0 else n % 4 != 0)
        made += 1
    upcoming = Course.objects.filter(status="active", offer__front_door=True, person__is_pseudonymous=False).order_by("pk")[:3]
    for course in upcoming:
        match = services.make_match(coordinator, course.person, offer=rnd.choice(offers), volunteer=ready[0],
                                    meet_at=timezone.now() + datetime.timedelta(days=rnd.randint(1, 6), hours=2),
                                    meet_place="Foran Væksthuset", task="Gå med til første gang")
        made += 1
    if closed:
        recuse(staff["leder"], staff["guide2"], closed[0].person, "Borgeren er nabo til medarbejderen")
    return made
