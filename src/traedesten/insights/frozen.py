"""Frozen reports: a published report stored with its definitions' version and a checksum, and re-run to compare."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction

from . import kpis
from .models import FrozenReport
from .scope import Scope


def checksum(figures: dict) -> str:
    """SHA-256 of the figures as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(figures, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _figures(scope: Scope) -> dict:
    data = kpis.as_data(scope, kpis.report(scope))
    return {k: data[k] for k in ("period", "filters", "definitions", "rounding", "kpis")}


def scope_of(report: FrozenReport) -> Scope:
    f = report.filters
    return Scope(report.start, report.end, offer_id=f.get("offer"), team_id=f.get("team"),
                 legal_basis_id=f.get("legal_basis"), age_group=f.get("age_group") or "", sex=f.get("sex") or "")


@transaction.atomic
def freeze(actor, scope: Scope, note: str = "") -> FrozenReport:
    """Store the published figures of a report as they are now."""
    figures = _figures(scope)
    report = FrozenReport.objects.create(start=scope.start, end=scope.end, filters=figures["filters"],
                                         definitions=kpis.DEFINITIONS_VERSION, figures=figures, checksum=checksum(figures),
                                         note=" ".join(note.split())[:200], created_by=actor)
    audit.record(actor, AuditAction.CREATE, section="frozen_report", fields=[str(report.pk)])
    return report


@dataclass
class Verification:
    report: FrozenReport
    checksum_now: str
    stored_intact: bool
    """The stored figures still give the stored checksum (nobody edited them)."""
    definitions_now: str
    differences: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.stored_intact and self.checksum_now == self.report.checksum


def verify(report: FrozenReport) -> Verification:
    """Run the frozen report's period and filters again and compare, figure by figure."""
    now = _figures(scope_of(report))
    result = Verification(report, checksum(now), checksum(report.figures) == report.checksum, kpis.DEFINITIONS_VERSION)
    if report.definitions != kpis.DEFINITIONS_VERSION:
        result.differences.append(_("Definitionerne er ændret fra version %(old)s til %(new)s.")
                                  % {"old": report.definitions, "new": kpis.DEFINITIONS_VERSION})
    before, after = _cells(report.figures), _cells(now)
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) != after.get(key):
            result.differences.append(f"{' / '.join(key)}: {_text(before.get(key))} → {_text(after.get(key))}")
    return result


def _cells(figures: dict) -> dict[tuple[str, str, str], object]:
    cells = {}
    for table in figures.get("kpis", []):
        for row in table["rows"] + ([table["total"]] if table["total"] else []):
            for column, value in zip(table["columns"], row["values"]):
                cells[(table["key"], row["label"], column["label"])] = value
    return cells


def _text(value) -> str:
    return "–" if value is None else str(value)
