"""Scoring and classification against hand-computed cases, including every boundary."""

import json
import os
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from traedesten.measures import scoring
from traedesten.measures.definitions import BUILT_IN, DefinitionError, built_in, parse


def load(code):
    return parse(next(raw for raw in built_in() if raw["code"] == code))


ORS, SRS, REM, FREMTID, STJERNE = (load(c) for c in ("ORS", "SRS", "REM-9", "FREMTIDSPLAN", "STJERNE"))


def ors(a, b, c, d):
    return dict(zip(ORS.item_codes, map(D, (a, b, c, d))))


def test_ors_total_is_the_sum_of_four_items_with_tenths():
    assert scoring.score(ORS, ors("4.2", "6.1", "5", "7.3")).total == D("22.6")


def test_ors_cutoff_25_itself_is_clinical():
    assert scoring.is_clinical(ORS, D("24.9")) is True
    assert scoring.is_clinical(ORS, D("25")) is True
    assert scoring.is_clinical(ORS, D("25.1")) is False


@pytest.mark.parametrize("first, last, expected", [
    ("15", "20", scoring.IMPROVED),        # exactly +5 is reliable, still clinical at 20
    ("15", "19.9", scoring.UNCHANGED),     # just under the reliable change
    ("20", "25", scoring.IMPROVED),        # +5 but 25 is still clinical
    ("20", "25.1", scoring.RECOVERED),     # +5.1 and over the cut-off
    ("21", "26", scoring.RECOVERED),       # exactly +5 and crossing
    ("26", "32", scoring.IMPROVED),        # started above the cut-off: improved, not recovered
    ("30", "25", scoring.DETERIORATED),    # exactly -5
    ("30", "25.1", scoring.UNCHANGED),     # -4.9
])
def test_ors_jacobson_truax_boundaries(first, last, expected):
    assert scoring.classify(ORS, D(first), D(last)) == expected


def test_lower_is_better_for_rem():
    values = dict(zip(REM.item_codes, [D(v) for v in (3, 2, 2, 1, 0, 4, 1, 2, 3)]))
    assert scoring.score(REM, values).total == 18
    assert scoring.classify(REM, D(18), D(14)) == scoring.IMPROVED
    assert scoring.classify(REM, D(18), D(15)) == scoring.UNCHANGED
    assert scoring.classify(REM, D(14), D(18)) == scoring.DETERIORATED
    assert scoring.is_clinical(REM, D(30)) is None


def test_out_of_scale_missing_and_off_step_values_are_refused():
    with pytest.raises(scoring.ScoreError, match="uden for skalaen"):
        scoring.score(ORS, ors("10.1", "5", "5", "5"))
    with pytest.raises(scoring.ScoreError, match="trin"):
        scoring.score(ORS, ors("5.05", "5", "5", "5"))
    with pytest.raises(scoring.ScoreError, match="Mangler: Alt i alt"):
        scoring.score(ORS, dict(list(ors(1, 2, 3, 4).items())[:3]))
    with pytest.raises(scoring.ScoreError, match="Ukendte"):
        scoring.score(ORS, {"mood": D(1)})
    with pytest.raises(scoring.ScoreError, match="trin"):
        scoring.score(REM, dict(zip(REM.item_codes, [D("1.5")] + [D(1)] * 8)))


def test_partial_only_where_allowed_and_then_marked():
    result = scoring.score(STJERNE, {"mood": D(4), "hope": D(7)})
    assert (result.partial, result.total) == (True, D("5.5"))


def test_fremtidsplan_scores_per_area():
    values = {"social.ability": D(3), "social.importance": D(9), "social.belief": D(6), "social.motivation": D(8),
              "economy.ability": D(2)}
    result = scoring.score(FREMTID, values)
    assert result.areas == {"social": D("6.50"), "economy": D("2.00")} and result.partial
    assert result.total == D("4.25")
    assert len(FREMTID.items) == 28


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=4, max_size=4))
def test_ors_total_stays_within_0_and_40(tenths):
    total = scoring.score(ORS, ors(*[D(t) / 10 for t in tenths])).total
    assert D(0) <= total <= D(40) and total == sum(D(t) / 10 for t in tenths)


def test_every_built_in_definition_parses_and_broken_ones_are_explained():
    assert {d["code"] for d in built_in()} == {"ORS", "SRS", "GSRS", "REM-9", "FREMTIDSPLAN", "STJERNE",
                                               "BESKAEFTIGELSE", "FFB-FUNKTIONSEVNE", "FOER-EFTER"}
    with pytest.raises(DefinitionError, match="min < max"):
        parse({"code": "X", "name": "X", "raters": ["citizen"], "scoring": {"method": "sum"},
               "scale": {"min": 5, "max": 1}, "items": [{"code": "a", "label": "A"}]})
    with pytest.raises(DefinitionError, match="samme kode"):
        parse({"code": "X", "name": "X", "raters": ["citizen"], "scoring": {"method": "sum"},
               "scale": {"min": 0, "max": 1}, "items": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}]})


FFB_CANDIDATES = [
    Path(p) for p in [os.environ.get("TRAEDESTEN_FFB_CODESYSTEM", "")] if p
] + [Path(__file__).resolve().parents[2] / "shared" / "standards" / "CodeSystem-FFB.json",
     Path("/work/shared/standards/CodeSystem-FFB.json")]


def _official():
    FFB_FILE = next((p for p in FFB_CANDIDATES if p.exists()), None)
    if FFB_FILE is None:
        pytest.skip("KL's FFB code system is not present")
    found = {}

    def walk(concepts, parent=None):
        for c in concepts:
            found[c["code"]] = (c.get("display"), parent)
            walk(c.get("concept", []), c.get("display"))
    walk(json.loads(FFB_FILE.read_text(encoding="utf-8"))["concept"])
    return found


def test_ffb_transcription_matches_kl_code_system():
    official = _official()
    raw = json.loads((BUILT_IN / "ffb-funktionsevne.json").read_text(encoding="utf-8"))
    for item in raw["items"]:
        assert official[item["code"]] == (item["label"], item["area"])
        assert official[item["area_code"]][0] == item["area"]
    for level in raw["scale"]["levels"] + [raw["scale"]["not_assessed"]]:
        assert official[level["code"]] == (level["label"], "Funktionsevneniveau")
    areas = {item["area"] for item in raw["items"]}
    assert areas == {name for name, parent in official.values() if parent == "Aktivitet og deltagelse"}
