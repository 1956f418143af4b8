"""The starting list of partner organisations; the list is editable afterwards."""

PARTNERS = [
    "Jobcenter", "Lokalpsykiatrien", "Hospitalspsykiatrien", "Praktiserende læge", "Alkohol- og misbrugscenter",
    "Borgerservice", "Boligforening", "Politi", "Familie & Handicap", "Udskrivningskoordinator",
    "Frivillighedscenter", "Anden kommune", "Andet",
]



def ensure_partners(PartnerOrganisation=None) -> None:
    if PartnerOrganisation is None:
        from .models import PartnerOrganisation
    for name in PARTNERS:
        PartnerOrganisation.objects.get_or_create(name=name)
