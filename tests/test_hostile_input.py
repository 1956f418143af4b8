"""Hostile and random input: uploads, the import parser and the forms. Nothing may crash or half-save."""

import contextlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from traedesten.accounts.roles import Role
from traedesten.civil.models import LocalOffer
from traedesten.civil.services import MAX_CSV_BYTES, import_offers

HEADER = "navn;type;arrangør;ledige_pladser;interesser;tidspunkter\n"
CELLS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_the_import_parser_never_crashes_on_random_bytes(db, data):
    with contextlib.suppress(ValidationError):
        import_offers(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=8), max_size=6), separator=st.sampled_from([";", ",", "\t"]))
def test_the_import_parser_never_crashes_on_csv_shaped_text(db, rows, separator):
    text = HEADER.replace(";", separator) + "\n".join(separator.join(r) for r in rows)
    before = LocalOffer.objects.count()
    try:
        result = import_offers(text.encode())
    except ValidationError:
        assert LocalOffer.objects.count() == before
        return
    assert result.errors == [] or LocalOffer.objects.count() == before  # all rows or none


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.csv", b"0" * 20_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("big.csv", HEADER.encode() + b"a;b;c\n" * (MAX_CSV_BYTES // 6 + 10), "for stor"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "UTF-8"),
    ("bomb.csv", _zip_bomb(), "UTF-8"),
    ("empty.csv", b"", "tom"),
    ("wide.csv", HEADER.encode() + b"x" * 200_000 + b";forening;x\n", "kunne ikke læses som CSV"),
    ("long.csv", HEADER.encode() + b"x" * 5_000 + b";forening;x\n", "længere end 1000 tegn"),
    ("nul.csv", HEADER.encode() + b"a\x00b;forening;x\n", "ugyldige tegn"),
])
def test_hostile_uploads_are_refused_with_a_message(client, make_user, team, name, content, message):
    client.force_login(make_user(Role.VOLUNTEER_COORDINATOR, [team]))
    response = client.post(reverse("civil:offer_import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LocalOffer.objects.count() == 0


def _project_forms():
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import traedesten

    found = {}
    for module_info in pkgutil.walk_packages(traedesten.__path__, "traedesten."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{module.__name__}.{name}"] = cls
    return found


FORMS = _project_forms()
# Forms that need keyword arguments from their view: (user, person) -> kwargs.
def _ors_definition():
    from traedesten.measures.models import Instrument

    return Instrument.objects.get(code="ORS").current.parsed


def _letter_template():
    from traedesten.records.letters import templates

    return templates()["decision"]


def _limited_offer():
    from traedesten.courses.models import Offer

    return Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)")


def _fit_statements():
    from traedesten.measures.sessions import PRACTICE_STATEMENTS

    return PRACTICE_STATEMENTS


FORM_KWARGS = {
    "traedesten.authority.forms.CloseConferenceForm": lambda u, p: {"staff": type(u).objects.all()},
    "traedesten.authority.forms.FollowUpForm": lambda u, p: {"goals": []},
    "traedesten.accounts.forms.LoginForm": lambda u, p: {
        "request": __import__("django.test", fromlist=["RequestFactory"]).RequestFactory().post("/log-ind/")},
    "traedesten.courses.forms.ActivityForm": lambda u, p: {"person": p, "user": u},
    "traedesten.courses.forms.ExtensionForm": lambda u, p: {"offer": _limited_offer()},
    "traedesten.courses.forms.WorkItemForm": lambda u, p: {"user": u},
    "traedesten.economy.forms.ShadowFields": lambda u, p: {"user": u},
    "traedesten.economy.forms.ShadowForm": lambda u, p: {"user": u},
    "traedesten.frontdoor.forms.GuideConversationForm": lambda u, p: {"user": u},
    "traedesten.measures.forms.StartForm": lambda u, p: {"definition": _ors_definition(), "person": p},
    "traedesten.measures.forms.FitSessionForm": lambda u, p: {"person": p},
    "traedesten.measures.forms.FitPracticeForm": lambda u, p: {"statements": _fit_statements()},
    "traedesten.records.forms.NoteForm": lambda u, p: {"person": p},
    "traedesten.records.forms.UploadForm": lambda u, p: {"person": p, "authority": True},
    "traedesten.records.forms.LetterForm": lambda u, p: {"template": _letter_template(), "person": p,
                                                          "initial_values": {}},
}


@pytest.mark.parametrize("path", sorted(FORMS))
def test_every_form_survives_random_input(db, guide, make_person, team, path):
    form_class = FORMS[path]
    kwargs = FORM_KWARGS.get(path, lambda u, p: {})(guide, make_person(guide, team=team))
    names = list(form_class(**kwargs).fields)
    values = st.one_of(st.text(max_size=50), st.sampled_from(["", "0", "-1", "99999999999", "2026-02-30", "1.5",
                                                              "\x00", "<script>", "abc"]))

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.fixed_dictionaries(dict.fromkeys(names, values)))
    def check(data):
        form = form_class(data=data, **kwargs)
        form.is_valid()  # must answer valid or invalid, never raise
        str(form.errors)

    check()
