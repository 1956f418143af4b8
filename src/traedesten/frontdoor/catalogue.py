"""The starting list of partner organisations; the list is editable afterwards."""

PARTNERS = [
    "Jobcenter", "Lokalpsykiatrien", "Hospitalspsykiatrien", "Praktiserende læge", "Alkohol- og misbrugscenter",
    "Borgerservice", "Boligforening", "Politi", "Familie & Handicap", "Udskrivningskoordinator",
    "Frivillighedscenter", "Anden kommune", "Andet",
]

AD_HOC_TOPICS = [
    "Skattekort og forskudsopgørelse", "e-Boks og digital post", "MitID", "Ansøgninger og blanketter",
    "Boligsikring", "SU", "Rykkere og gæld", "RKI", "Forstå et brev", "Økonomisk vejledning", "Andet",
]


def ensure_partners(PartnerOrganisation=None, AdHocTopic=None) -> None:
    if PartnerOrganisation is None:
        from .models import AdHocTopic, PartnerOrganisation
    for name in PARTNERS:
        PartnerOrganisation.objects.get_or_create(name=name)
    if AdHocTopic is not None:
        for position, name in enumerate(AD_HOC_TOPICS):
            AdHocTopic.objects.get_or_create(name=name, defaults={"position": position})
