"""The citizen's own copies as PDF: large type, the citizen's words, no CPR and no professional jargon."""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
STATUS = {"done": "✓", "in_progress": "→", "not_started": "○"}
BARRIER_WORDS = {"physical_illness": "fysisk sygdom", "mental_illness": "psykisk sygdom", "mobility": "at komme omkring",
                 "economy": "økonomi", "housing": "bolig", "self_belief": "troen på mig selv",
                 "family_wellbeing": "min families trivsel"}


class CitizenPdf(FPDF):
    """An A4 document for the citizen in DejaVu, which has every Danish letter: their own copies and letters."""

    def __init__(self, title: str, *, side: int = 20, top: int = 18):
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(side, top, side)
        self.set_auto_page_break(True, top)
        self.set_title(title)
        self.set_creator("Trædesten")
        self.add_page()


class _Doc(CitizenPdf):

    def heading(self, text: str, size: int = 24):
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def section(self, title: str, body: str | list[str] = ""):
        items = [b for b in (body if isinstance(body, list) else [body]) if b]
        if not items:
            return
        self.heading(title, 17)
        self.set_font("DejaVu", "", 15)
        for item in items:
            self.multi_cell(0, 8, item, new_x="LMARGIN", new_y="NEXT")
            self.ln(1)
        self.ln(4)

    def bytes(self) -> bytes:
        return bytes(self.output())


def _people(people) -> list[str]:
    return [f"{p.name}: {p.phone}" if p.phone else p.name for p in people]


def _plan(doc: _Doc, person, plan, content):
    doc.heading(f"Min plan – {person.first_name or person.display_name}")
    doc.section("Derfor kom jeg", content.reason)
    doc.section("Det driver mig", content.motivation)
    doc.section("Mine drømme", content.dreams)
    doc.section("Det er jeg god til", content.resources)
    doc.section("Det står i vejen", [f"• {b.text} ({BARRIER_WORDS.get(b.basic_type or b.derived_type, '')})"
                                      for b in content.barriers])
    for goal in content.active_goals:
        done, total = goal.progress
        doc.section(f"Mit mål: {goal.citizen_text}", [f"{STATUS[s.status]} {s.text}" for s in goal.sub_goals]
                    + ([f"Jeg er nået {done} af {total} trædesten."] if total else []))
        actions = [f"• {a.text} – {_who(a)}" + (f" (senest {a.due:%d.%m.%Y})" if a.due else "")
                   + (f" – venter, søgt {a.requested_on:%d.%m.%Y}" if a.status == "waiting" and a.requested_on else "")
                   for a in goal.actions]
        doc.section("Det gør vi", actions)
    doc.section("Sådan ved jeg, det er lykkedes", content.success_criteria)
    doc.section("Det har jeg gjort", content.citizen_has_done)
    doc.section("Det kan jeg nu", content.citizen_can_do_after)
    doc.section("Mine nærmeste er med sådan her", content.network_involvement)
    if plan.coordinator:
        doc.section("Min tovholder", str(plan.coordinator))


def _who(action) -> str:
    return {"citizen": "mig", "relative": action.responsible_name or "min pårørende",
            "worker": action.responsible_name or "min medarbejder", "department": action.department}.get(action.responsible, "")


def _coping(doc: _Doc, person, plan, content):
    doc.heading(f"Min mestringsplan – {person.first_name or person.display_name}")
    doc.section("Når det begynder at gå skidt, mærker jeg", content.coping.warning_signs)
    doc.section("Det hjælper mig", content.coping.strategies)
    doc.section("Dem kan jeg ringe til", _people(content.coping.people))


def _crisis(doc: _Doc, person, plan, content):
    doc.heading(f"Akutark – {person.display_name}")
    doc.section("Om mig", content.crisis.about_me)
    doc.section("Tegn på at det går skidt", content.coping.warning_signs)
    doc.section("Det hjælper", content.crisis.what_helps or content.coping.strategies)
    doc.section("Undgå", content.crisis.avoid)
    doc.section("Ring til", _people(content.crisis.contacts) or _people(content.coping.people))
    if plan.coordinator:
        doc.section("Tovholder i kommunen", str(plan.coordinator))


BUILDERS = {"plan": ("Min plan", _plan), "mestring": ("Min mestringsplan", _coping), "akut": ("Akutark", _crisis)}


def render(part: str, person, plan, content, ends=()) -> bytes:
    """`ends`: (offer name, expected end) of the citizen's running courses, shown on the plan (decision 0052)."""
    title, build = BUILDERS[part]
    doc = _Doc(title)
    build(doc, person, plan, content)
    if ends:
        doc.section("Forventet slutdato", [f"{name}: {end:%d.%m.%Y}" for name, end in ends])
    return doc.bytes()


def render_for_gp(person, plan, health, goals, consent, medication: str) -> bytes:
    """The health section for the citizen's GP, given only while the citizen's consent to the GP is in force."""
    doc = _Doc("Til egen læge")
    doc.heading(f"Til egen læge – {person.display_name}")
    doc.section("Egen læge", [x for x in (health.gp_name, health.gp_clinic, health.gp_phone) if x])
    doc.section("Medicinen håndteres af", [x for x in (medication, health.medication_note) if x])
    if health.annual_check:
        doc.section("Årligt helbredstjek", [f"Sidste: {health.last_check:%d.%m.%Y}" if health.last_check else "Intet endnu"])
    doc.section("Sundhedsmål", [g.citizen_text for g in goals])
    doc.section("Samtykke", f"Givet {consent.given_on:%d.%m.%Y}: {consent.purpose}")
    if plan.coordinator:
        doc.section("Tovholder i kommunen", str(plan.coordinator))
    return doc.bytes()
