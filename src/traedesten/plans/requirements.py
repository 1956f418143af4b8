"""The one table of requirements an exemption can waive (seed 004 §2.5, decision 0057): key → what the law or the
municipality's practice otherwise asks for. Each key has exactly one place in the code that asks whether it is waived
(`plans.exemptions.waived`); an `ExemptionKind` lists the keys it switches off."""

from django.utils.translation import gettext_lazy as _

REQUIREMENTS = {
    "course_follow_up": _("Første opfølgning på et forløb til en fast frist"),
    "status_note": _("Statusnotater efter faste måneder"),
    "grant_follow_up": _("Opfølgning på en bevilling efter en fast rytme (opfølgningsrytmen)"),
    "sector_plans": _("Særskilte sektorplaner (fx § 141-handleplan og jobplan) ved siden af borgerens plan"),
    "sector_decision": _("Afgørelser efter serviceloven træffes kun i den afdeling, der træffer myndighedsafgørelser"),
}

DEADLINE_KINDS = {"follow_up": "course_follow_up", "status_note": "status_note"}
"""A course deadline kind (courses.services.deadlines) → the requirement behind it."""

KINDS = [  # code, name, legal basis, waived requirement keys
    ("sector_plans", "Sektoropdelte planer", "Lov om frikommunenetværk, LBK 831/2018", ["sector_plans"]),
    ("sector_organisation", "Sektoropdelt organisering", "Lov om frikommunenetværk, LBK 831/2018",
     ["sector_decision"]),
    ("process_goals", "Procesmål", "Lov om frikommunenetværk, LBK 831/2018, og Lovtidende A 2018 nr. 707",
     ["course_follow_up", "status_note", "grant_follow_up"]),
]
"""The three exemptions of the free-municipality experiment Én plan, loaded by a data migration."""
