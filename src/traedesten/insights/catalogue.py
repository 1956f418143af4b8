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


CLOSING_CODES = {"single": "en-plan-slut-vu", "family": "en-plan-slut-familie"}
"""The evaluation's closing survey in full (seed 004 §3.1, Q1-Q27), one version for the adult and youth clusters and
one for the family cluster; `insights.surveys.closing_questionnaire` picks the version from the citizen's cluster."""

_GOAL_WORK = {"question": "goal_areas", "includes": "work"}
_GOAL_EDU = {"question": "goal_areas", "includes": "education"}
_GOAL_SOCIAL = {"question": "goal_areas", "includes": "community"}

# (key, text for one citizen, text for a family, type, extras, options, show_if). Our own wording throughout.
_CLOSING = [
    ("coherent", "Har dit forløb i kommunen hængt sammen?", "Har jeres forløb i kommunen hængt sammen for dig (og din familie)?",
     "degree", ["dont_know"], None, None),
    ("staff_together", "Har kommunens medarbejdere arbejdet sammen om dit forløb?",
     "Har kommunens medarbejdere arbejdet sammen om jeres forløb?", "degree", ["dont_know"], None, None),
    ("staff_agree", "Har kommunens medarbejdere sagt det samme til dig?",
     "Har kommunens medarbejdere sagt det samme til dig (og din familie)?", "degree", ["dont_know"], None, None),
    ("staff_contradict", "Har kommunens medarbejdere sagt hinanden imod?",
     "Har kommunens medarbejdere sagt hinanden imod over for dig (og din familie)?", "degree", ["dont_know"], None, None),
    ("own_goals", "Har du selv været med til at sætte målene for dit forløb?",
     "Har du (og din familie) selv været med til at sætte målene for jeres forløb?", "degree", ["not_relevant"], None, None),
    ("knew_next", "Har du i de sidste 6 måneder vidst, hvad der skulle ske i dit forløb?",
     "Har du (og din familie) i de sidste 6 måneder vidst, hvad der skulle ske i jeres forløb?", "degree", [], None, None),
    ("what_matters", "Har forløbet handlet om det, der er vigtigt for dig?",
     "Har forløbet handlet om det, der er vigtigt for dig (og din familie)?", "degree", [], None, None),
    ("motivated", "Hvor motiveret har du været for at nå de mål, der blev sat?",
     "Hvor motiveret har du (og din familie) været for at nå de mål, der blev sat?", "degree", [], None, None),
    ("trust_caseworker", "Har du tillid til din sagsbehandler?", "Har du (og din familie) tillid til jeres sagsbehandler?",
     "degree", ["unknown_caseworker"], None, None),
    ("understood", "Forstår din sagsbehandler dig og din situation?",
     "Forstår jeres sagsbehandler dig (og din familie) og jeres situation?", "degree", ["unknown_caseworker"], None, None),
    ("taken_seriously", "Bliver du taget alvorligt af din sagsbehandler?",
     "Bliver du (og din familie) taget alvorligt af jeres sagsbehandler?", "degree", ["unknown_caseworker"], None, None),
    ("goal_areas", "Hvad var målene for dit forløb? (vælg gerne flere)", "Hvad var målene for jeres forløb? (vælg gerne flere)",
     "multi", [], [["health", "Bedre helbred"], ["wellbeing", "Bedre psykisk trivsel"],
                   ["community", "Være mere med i sociale aktiviteter og fællesskaber"], ["work", "Arbejde"],
                   ["education", "Uddannelse"]], None),
    ("health_better", "Er dit helbred blevet bedre i løbet af forløbet?",
     "Er dit (og din families) helbred blevet bedre i løbet af forløbet?", "degree", [], None, None),
    ("wellbeing_better", "Har du fået det bedre psykisk i løbet af forløbet?",
     "Har du (og din familie) fået det bedre psykisk i løbet af forløbet?", "degree", [], None, None),
    ("new_skills", "Har du lært noget nyt, som du kan bruge?", "Har du (og din familie) lært noget nyt, som I kan bruge?",
     "degree", ["not_relevant"], None, None),
    ("coping_belief", "Tror du mere på, at du kan klare din hverdag?",
     "Tror du (og din familie) mere på, at I kan klare jeres hverdag?", "degree", ["not_relevant"], None, None),
    ("social_goal_met", "Er du kommet mere med i sociale aktiviteter og fællesskaber, som det var målet?",
     "Er du (og din familie) kommet mere med i sociale aktiviteter og fællesskaber, som det var målet?", "degree", [],
     None, _GOAL_SOCIAL),
    ("family_support", "Har din familie støttet dig i at nå dine mål?",
     "Har jeres øvrige familie støttet dig (og din familie) i at nå målene?", "degree", ["not_relevant"], None, None),
    ("friends_support", "Har dine venner støttet dig i at nå dine mål?",
     "Har jeres venner støttet dig (og din familie) i at nå målene?", "degree", ["not_relevant"], None, None),
    ("accept_support", "Er du blevet bedre til at tage imod støtte fra familie og venner?",
     "Er du (og din familie) blevet bedre til at tage imod støtte fra familie og venner?", "degree", ["not_relevant"],
     None, None),
    ("talks_progress", "Har du og din sagsbehandler talt om, hvordan du har udviklet dig i forløbet?",
     "Har I og jeres sagsbehandler talt om, hvordan du (og din familie) har udviklet jer i forløbet?", "degree", [],
     None, None),
    ("work_started", "Er du kommet i gang med arbejde?", "Er du (eller nogen i din familie) kommet i gang med arbejde?",
     "choice", [], [["full_time", "Job på fuld tid"], ["part_time", "Job på deltid"], ["flex", "Fleksjob"],
                    ["other_paid", "Andet lønnet arbejde"], ["unpaid", "Ulønnet arbejde"], ["volunteer", "Frivilligt arbejde"],
                    ["courses", "Kurser"], ["other", "Andet"], ["none", "Nej, ikke endnu"]], _GOAL_WORK),
    ("education_started", "Er du kommet i gang med en uddannelse?",
     "Er du (eller nogen i din familie) kommet i gang med en uddannelse?", "choice", [],
     [["started", "Ja, jeg er begyndt"], ["soon", "Jeg begynder snart"], ["course", "Jeg er begyndt på eller har taget et kursus"],
      ["closer", "Nej, men jeg er kommet tættere på"], ["not_closer", "Nej, og jeg er ikke kommet tættere på"]], _GOAL_EDU),
    ("satisfied", "Hvor tilfreds er du samlet set med dit forløb om én sammenhængende plan?",
     "Hvor tilfreds er du (og din familie) samlet set med jeres forløb om én sammenhængende plan?", "degree", [], None, None),
    ("helped", "Har forløbet i kommunen hjulpet dig?", "Har forløbet i kommunen hjulpet dig (og din familie)?", "degree", [],
     None, None),
    ("optimistic", "Ser du mere lyst på din fremtid end før forløbet?",
     "Ser du (og din familie) mere lyst på fremtiden end før forløbet?", "degree", [], None, None),
    ("comment", "Er der andet, du vil fortælle os om dit forløb?", "Er der andet, du (og din familie) vil fortælle os om jeres forløb?",
     "text", [], None, None),
]


def _closing(version: str) -> dict:
    questions = []
    for key, single, family, kind, extras, options, show_if in _CLOSING:
        q: dict[str, Any] = {"key": key, "text": family if version == "family" else single, "type": kind}
        if extras:
            q["extras"] = extras
        if options:
            q["options"] = options
        if show_if:
            q["show_if"] = show_if
        questions.append(q)
    intro = ("Tak fordi du vil svare på, hvordan forløbet har været for dig (og din familie). Der er ingen rigtige eller "
             "forkerte svar, og du kan springe spørgsmål over." if version == "family" else
             "Tak fordi du vil svare på, hvordan dit forløb har været. Der er ingen rigtige eller forkerte svar, og du kan "
             "springe spørgsmål over.")
    return {"intro": intro, "questions": questions}


CLOSING = {version: _closing(version) for version in CLOSING_CODES}


def ensure_built_in(apps: Apps = global_apps, **_signal: Any) -> None:
    """The built-in questionnaires, if missing; runs after every migrate (apps.py). The definition is checked by
    tests/test_surveys.py."""
    apps.get_model("insights", "Questionnaire").objects.get_or_create(code="en-plan-afslutning", defaults={
        "name": "Afsluttende borgersurvey (Én plan)", "definition": EN_PLAN})
    Questionnaire = apps.get_model("insights", "Questionnaire")
    Questionnaire.objects.get_or_create(code=CLOSING_CODES["single"], defaults={
        "name": "Afsluttende borgersurvey, voksne og unge (Én plan, fuld)", "definition": CLOSING["single"]})
    Questionnaire.objects.get_or_create(code=CLOSING_CODES["family"], defaults={
        "name": "Afsluttende borgersurvey, familier (Én plan, fuld)", "definition": CLOSING["family"]})
