"""docs/architecture.md stays true, and the layers contract catches what it promises to."""

import ast
import importlib
import re
from pathlib import Path

import grimp
import pytest
from django.apps import apps
from django.conf import settings
from tools import architecture_diagram
from tools.import_layers import LayersContract

from traedesten.courses.kinds import MEANING
from traedesten.courses.models import Offer

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
TEXT = DOC.read_text(encoding="utf-8")
REFERENCES = sorted(set(re.findall(r"`([^`\s]+)`", TEXT)))


def _contract() -> LayersContract:
    return architecture_diagram.contract()


def _broken(imports: list[tuple[str, str]]) -> set[tuple[str, str]]:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    check = _contract().check(graph, verbose=False)
    return {(importer, imported) for importer, imported, _lines, _why in check.metadata["broken"]}


def test_the_code_keeps_its_layers():
    graph = grimp.build_graph("traedesten", include_external_packages=False)
    check = _contract().check(graph, verbose=False)
    assert check.kept, check.metadata["broken"]


def test_the_contract_refuses_each_kind_of_wrong_import_and_allows_the_right_ones():
    wrong = [
        ("traedesten.core.locking", "traedesten.people.models"),  # the kernel knows no domain
        ("traedesten.accounts.models", "traedesten.people.models"),  # against the domain order
        ("traedesten.people.services", "traedesten.gate.policy"),  # domain above the gate
        ("traedesten.gate.policy", "traedesten.usecases.people"),  # gate above use cases
        ("traedesten.people.services", "traedesten.overview.page"),  # domain above composition
        ("traedesten.interop.importer", "traedesten.demo.data"),  # against the composition order
        ("traedesten.courses.views", "traedesten.people.views"),  # a view imports another app's view
        ("traedesten.people.models", "traedesten.people.views"),  # a model imports a channel
        ("traedesten.courses.views", "traedesten.urls"),  # the root is imported by nobody
    ]
    right = [
        ("traedesten.people.models", "traedesten.accounts.models"),
        ("traedesten.people.models", "traedesten.core.citizen_data"),
        ("traedesten.usecases.people", "traedesten.gate.policy"),
        ("traedesten.courses.views", "traedesten.people.forms"),  # forms are shared
        ("traedesten.courses.views", "traedesten.gate.web"),
        ("traedesten.courses.views", "traedesten.usecases.courses"),
        ("traedesten.economy.views", "traedesten.insights.kpis"),  # a channel may use composition
        ("traedesten.demo.data", "traedesten.interop.importer"),
        ("traedesten.urls", "traedesten.people.views"),
    ]
    assert _broken(wrong + right) == set(wrong)


def test_the_dependency_diagram_is_current():
    assert architecture_diagram.documented() == architecture_diagram.render(), "run `make docs`"


def test_the_layers_table_names_every_project_app_and_only_those():
    contract = _contract()
    named = {app.rsplit(".", 1)[1] for app in contract.apps()}
    packages = {init.parent.name for init in (DOC.parent.parent / "src" / "traedesten").glob("*/__init__.py")}
    assert named == packages
    assert {c.name.rsplit(".", 1)[1] for c in apps.get_app_configs() if c.name.startswith("traedesten.")} <= named
    table = TEXT.split("## Layers", 1)[1].split("### Dependencies", 1)[0]
    assert named <= set(re.findall(r"`(\w+)`", table))


def _resolves(reference: str) -> bool:
    if reference.startswith("src/"):
        return (DOC.parent.parent / reference).exists()
    if reference.startswith("settings."):
        return hasattr(settings, reference.removeprefix("settings."))
    parts = reference.split(".")
    if parts[0] == "usecases":
        parts = ["traedesten", *parts]
    if parts[-1] == "*":
        parts = parts[:-1]
    if parts[0] == "traedesten":
        try:
            importlib.import_module(".".join(parts))
            return True
        except ModuleNotFoundError:
            return hasattr(importlib.import_module(".".join(parts[:-1])), parts[-1])
    if len(parts) == 3 and parts[1][:1].isupper():
        model = apps.get_model(parts[0], parts[1])
        return any(f.name == parts[2] for f in model._meta.get_fields())
    return True  # not a reference to code (a command, a file name in prose, a field value)


@pytest.mark.parametrize("reference", REFERENCES)
def test_every_rule_field_module_and_setting_the_page_names_exists(reference):
    assert _resolves(reference), f"docs/architecture.md names `{reference}`, which does not exist"


OFFER_RULES = {f.name for f in Offer._meta.concrete_fields} - {"id", "name", "kind", "legal_basis", "target_group",
                                                                "active"}


def test_every_rule_on_an_offer_is_in_the_table():
    rules = OFFER_RULES
    assert {f"courses.Offer.{name}" for name in rules} <= set(REFERENCES)


def _attributes_read_by_the_code() -> set[str]:
    """Names read as attributes (`offer.max_weeks`) anywhere in the application, outside the model that declares the
    rules, the migrations and the demo data."""
    source = Path(__file__).resolve().parent.parent / "src" / "traedesten"
    skipped = {source / "courses" / "models.py"}
    names: set[str] = set()
    for path in source.rglob("*.py"):
        if path in skipped or "migrations" in path.parts or "demo" in path.parts:
            continue
        names |= {node.attr for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                  if isinstance(node, ast.Attribute)}
    return names


def test_every_rule_on_an_offer_is_read_by_the_code():
    assert OFFER_RULES - _attributes_read_by_the_code() == set(), "a rule stored on the offer that nothing reads"


def test_every_offer_kind_has_a_meaning():
    assert set(MEANING) == set(Offer.Kind.values)
