"""The built-in questionnaires, loaded after every migrate."""

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

EN_PLAN = {
    "intro": "Tak fordi du vil svare. Der er ingen rigtige eller forkerte svar, og du kan springe spørgsmål over.",
    "questions": [
        {"key": "coherence", "text": "Har dit forløb hængt godt sammen?", "type": "degree", "extras": ["dont_know"]},
        {"key": "own_goals", "text": "Har du selv været med til at sætte målene for dit forløb?", "type": "degree",
         "extras": ["not_relevant"]},
        {"key": "important", "text": "Har forløbet handlet om det, der er vigtigt for dig?", "type": "degree", "extras": ["dont_know"]},
        {"key": "trust", "text": "Har du tillid til din kontaktperson?", "type": "degree", "extras": ["dont_know"]},
        {"key": "goal_areas", "text": "Hvad var dine mål? (vælg gerne flere)", "type": "multi", "options": [
            ["health", "Bedre helbred"], ["wellbeing", "Bedre psykisk trivsel"], ["community", "Mere fællesskab"],
            ["work", "Arbejde"], ["education", "Uddannelse"]]},
        {"key": "work_status", "text": "Er du begyndt at arbejde?", "type": "choice", "show_if": {"question": "goal_areas", "includes": "work"},
         "options": [["full_time", "Fuldtid"], ["part_time", "Deltid"], ["flex", "Fleksjob"], ["unpaid", "Ulønnet eller frivilligt arbejde"],
                     ["course", "Kurser"], ["not_yet", "Ikke endnu"]]},
        {"key": "education_status", "text": "Er du begyndt på en uddannelse?", "type": "choice",
         "show_if": {"question": "goal_areas", "includes": "education"},
         "options": [["started", "Ja"], ["soon", "Jeg begynder snart"], ["closer", "Nej, men jeg er kommet tættere på"],
                     ["not_closer", "Nej"]]},
        {"key": "coping", "text": "Tror du mere på, at du kan klare din hverdag?", "type": "degree", "extras": ["dont_know"]},
        {"key": "satisfied", "text": "Hvor tilfreds er du med dit forløb samlet set?", "type": "degree"},
        {"key": "helped", "text": "Har forløbet hjulpet dig?", "type": "degree"},
        {"key": "hopeful", "text": "Ser du mere lyst på fremtiden end før forløbet?", "type": "degree"},
        {"key": "comment", "text": "Er der andet, du vil fortælle os?", "type": "text"},
    ],
}


def ensure_built_in(apps: Apps = global_apps, **_signal: Any) -> None:
    """The built-in questionnaires, if missing; runs after every migrate (apps.py). The definition is checked by
    tests/test_surveys.py."""
    apps.get_model("insights", "Questionnaire").objects.get_or_create(code="en-plan-afslutning", defaults={
        "name": "Afsluttende borgersurvey (Én plan)", "definition": EN_PLAN})
