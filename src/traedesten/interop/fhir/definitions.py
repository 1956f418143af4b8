"""FHIR conformance resources read as data, and element trees built from their snapshots and differentials.

A `Definitions` holds StructureDefinitions, ValueSets and CodeSystems by canonical URL, loaded from folders of
resource files (an npm/FHIR package, an IG output) or from Bundle files (the R4 core definitions). The first source
that defines a URL wins, so the pinned terminology can be listed before a package that repeats it.

`Definitions.tree(url)` gives the element tree of a StructureDefinition: the base R4 snapshots as they are, and a
constraint profile as its parent's tree with the profile's differential applied (cardinality, types and profiles,
fixed and pattern values, bindings, invariants, slicing and slices). Children of an element typed with a complex
datatype come from that datatype's tree when they are first needed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PRIMITIVE_JSON = {"boolean": bool, "integer": int, "positiveInt": int, "unsignedInt": int, "decimal": (int, float)}
FHIRPATH_STRING = "http://hl7.org/fhirpath/System.String"
BASE = "http://hl7.org/fhir/StructureDefinition/"
REGEX_EXT = "http://hl7.org/fhir/StructureDefinition/regex"
FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
# Text that the validator never reads: dropped on load so the R4 core stays small in memory.
_UNUSED = {"definition", "comment", "requirements", "alias", "mapping", "short", "example", "meaningWhenMissing",
           "orderMeaning", "isModifierReason", "representation", "condition", "mustSupport", "isSummary", "base"}


class DefinitionError(Exception):
    """A definition the validator needs is missing or cannot be read."""


@dataclass
class TypeRef:
    code: str
    profiles: tuple[str, ...] = ()
    target_profiles: tuple[str, ...] = ()
    aggregation: tuple[str, ...] = ()


@dataclass
class Constraint:
    key: str
    severity: str
    human: str
    expression: str
    source: str = ""


@dataclass
class Element:
    path: str
    min: int = 0
    max: int | None = None  # None: unbounded
    array: bool = True  # the base definition allows more than one (JSON array)
    types: list[TypeRef] = field(default_factory=list)
    content_reference: str | None = None
    fixed: object = None
    pattern: object = None
    binding: tuple[str, str] | None = None  # (strength, value set URL)
    constraints: dict[str, Constraint] = field(default_factory=dict)
    max_length: int | None = None
    min_value: object = None
    max_value: object = None
    slicing: dict | None = None
    slices: dict[str, Element] = field(default_factory=dict)
    children: dict[str, Element] | None = None  # None: from the type's tree
    slice_name: str | None = None
    root_type: str = ""  # for the root element: the type it defines
    regex: str | None = None  # for the root element of a primitive type

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def clone(self) -> Element:
        """A copy whose containers can be changed; child elements are shared until they are changed too."""
        copy = Element(**{k: getattr(self, k) for k in self.__dataclass_fields__})
        copy.types = list(self.types)
        copy.constraints = dict(self.constraints)
        copy.slices = dict(self.slices)
        copy.children = dict(self.children) if self.children is not None else None
        return copy


def _max(value: str | None) -> int | None:
    return None if value in (None, "*") else int(value)


def _type_code(t: dict) -> str:
    code = t["code"]
    if code.startswith("http://hl7.org/fhirpath/System."):
        for ext in t.get("extension", []):
            if ext.get("url") == FHIR_TYPE_EXT:
                return ext.get("valueUrl") or ext.get("valueUri") or code
        return "string"
    return code


def _types(raw: list[dict]) -> list[TypeRef]:
    return [TypeRef(_type_code(t), tuple(t.get("profile", [])), tuple(t.get("targetProfile", [])),
                    tuple(t.get("aggregation", []))) for t in raw]


def _prefixed(raw: dict, prefix: str):
    for key, value in raw.items():
        if key.startswith(prefix) and len(key) > len(prefix) and key[len(prefix)].isupper():
            return value
    return None


def apply(element: Element, raw: dict) -> None:
    """Apply one ElementDefinition (snapshot or differential) to an element."""
    if "min" in raw:
        element.min = raw["min"]
    if "max" in raw:
        element.max = _max(raw["max"])
    if "type" in raw:
        element.types = _types(raw["type"])
    if "contentReference" in raw:
        element.content_reference = raw["contentReference"].split("#", 1)[-1]
    fixed, pattern = _prefixed(raw, "fixed"), _prefixed(raw, "pattern")
    if fixed is not None:
        element.fixed = fixed
    if pattern is not None:
        element.pattern = pattern
    if "binding" in raw and raw["binding"].get("valueSet"):
        element.binding = (raw["binding"]["strength"], raw["binding"]["valueSet"].split("|", 1)[0])
    for c in raw.get("constraint", []):
        if c.get("expression"):
            element.constraints[c["key"]] = Constraint(c["key"], c.get("severity", "error"), c.get("human", ""),
                                                       c["expression"], c.get("source", ""))
    if "maxLength" in raw:
        element.max_length = raw["maxLength"]
    for bound in ("minValue", "maxValue"):
        value = _prefixed(raw, bound)
        if value is not None:
            setattr(element, "min_value" if bound == "minValue" else "max_value", value)
    if "slicing" in raw:
        element.slicing = raw["slicing"]


def _segments(element_id: str) -> list[tuple[str, str | None]]:
    """"Goal.target:severitySlice.measure" -> [("Goal", None), ("target", "severitySlice"), ("measure", None)]."""
    out = []
    for part in element_id.split("."):
        name, _, slice_name = part.partition(":")
        out.append((name, slice_name or None))
    return out


class Definitions:
    def __init__(self, sources: Sequence[Path | str] = ()):
        self.structures: dict[str, dict] = {}
        self.value_sets: dict[str, dict] = {}
        self.code_systems: dict[str, dict] = {}
        self._trees: dict[str, Element] = {}
        self._type_urls: dict[str, str] = {}
        for source in sources:
            self.add(Path(source))

    # --- loading ----------------------------------------------------------------------------------------------------

    def add(self, source: Path) -> None:
        if source.is_dir():
            for path in sorted(source.rglob("*.json")):
                if path.name != "package.json":
                    self.add(path)
            return
        if not source.exists():
            raise DefinitionError(f"Definitionerne findes ikke: {source}")
        try:
            raw = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DefinitionError(f"{source} kan ikke læses: {exc}") from exc
        resources = [e.get("resource", {}) for e in raw.get("entry", [])] if raw.get("resourceType") == "Bundle" else [raw]
        for resource in resources:
            self.add_resource(resource)

    def add_resource(self, resource: dict) -> None:
        kind, url = resource.get("resourceType"), resource.get("url")
        if not url:
            return
        if kind == "StructureDefinition":
            if url not in self.structures:
                self.structures[url] = _slim(resource)
                if resource.get("derivation") != "constraint" and resource.get("kind") != "logical":
                    self._type_urls.setdefault(resource["type"], url)
        elif kind == "ValueSet":
            self.value_sets.setdefault(url, resource)
        elif kind == "CodeSystem":
            self.code_systems.setdefault(url, resource)

    # --- element trees ----------------------------------------------------------------------------------------------

    def type_url(self, type_code: str) -> str:
        return self._type_urls.get(type_code, BASE + type_code)

    def structure(self, url: str) -> dict:
        sd = self.structures.get(url.split("|", 1)[0])
        if sd is None:
            raise DefinitionError(f"Ukendt StructureDefinition: {url}")
        return sd

    def tree(self, url: str) -> Element:
        url = url.split("|", 1)[0]
        if url not in self._trees:
            sd = self.structure(url)
            if sd.get("derivation") == "constraint" or "snapshot" not in sd:
                root = self.tree(sd["baseDefinition"]).clone()
                root.root_type = sd["type"]
                for raw in sd["differential"]["element"]:
                    self._apply_differential(root, raw)
            else:
                root = self._from_snapshot(sd)
            self._trees[url] = root
        return self._trees[url]

    def _from_snapshot(self, sd: dict) -> Element:
        elements = sd["snapshot"]["element"]
        root = Element(path=elements[0]["path"], root_type=sd["type"])
        apply(root, elements[0])
        for raw in elements[1:]:
            parent, (name, slice_name) = root, (None, None)
            segments = _segments(raw["id"])[1:]
            for name, slice_name in segments[:-1]:
                parent = (parent.children or {})[name]
                if slice_name:
                    parent = parent.slices[slice_name]
            name, slice_name = segments[-1]
            if parent.children is None:
                parent.children = {}
            if slice_name:
                base = parent.children[name]
                element = Element(path=raw["path"], slice_name=slice_name)
                apply(element, raw)
                base.slices[slice_name] = element
            else:
                element = Element(path=raw["path"])
                apply(element, raw)
                if name == "value" and sd.get("kind") == "primitive-type":
                    for t in raw.get("type", []):
                        for ext in t.get("extension", []):
                            if ext.get("url") == REGEX_EXT:
                                root.regex = ext["valueString"]
                parent.children[name] = element
        base_max = {e["path"]: e.get("base", {}).get("max") for e in elements}
        _set_arrays(root, base_max)
        return root

    def children(self, element: Element, type_code: str | None = None) -> dict[str, Element]:
        """The children of an element: its own, those of the element it refers to, or those of its type."""
        if element.children is not None:
            return element.children
        if element.content_reference:
            return self._referenced(element).children or {}
        code = type_code or (element.types[0].code if len(element.types) == 1 else None)
        if code is None or code in ("Resource", "DomainResource"):
            return {}
        return self.tree(self.type_url(code)).children or {}

    def type_constraints(self, type_code: str) -> dict[str, Constraint]:
        try:
            return self.tree(self.type_url(type_code)).constraints
        except DefinitionError:
            return {}

    def _referenced(self, element: Element) -> Element:
        path = element.content_reference
        if path is None:
            raise DefinitionError(f"{element.path} refers to no other element")
        root = self.tree(self.type_url(path.split(".", 1)[0]))
        node = root
        for name in path.split(".")[1:]:
            node = self.children(node)[name]
        return node

    def _editable_child(self, parent: Element, name: str) -> Element:
        """The named child of `parent`, copied so a differential can change it without touching the base."""
        if parent.children is None:
            inherited = self.children(parent)
            if not inherited and len(parent.types) > 1:  # a choice: the first of its types that has the name
                inherited = next((own for t in parent.types if name in (own := self.children(parent, t.code))), {})
            parent.children = dict(inherited)
        if name not in parent.children:
            choice = next((n for n in parent.children if n.endswith("[x]") and name.startswith(n[:-3])), None)
            if choice is None:
                raise DefinitionError(f"{parent.path} har intet element {name}")
            # "valueCodeableConcept" in a differential: a type slice of value[x]
            sliced = self._editable_child(parent, choice)
            type_name = name[len(choice) - 3:]
            if name not in sliced.slices:
                slice_ = sliced.clone()
                slice_.slices, slice_.slicing, slice_.slice_name = {}, None, name
                slice_.types = [t for t in sliced.types if t.code[:1].upper() + t.code[1:] == type_name]
                sliced.slices[name] = slice_
            sliced.slices[name] = sliced.slices[name].clone()
            return sliced.slices[name]
        child = parent.children[name].clone()
        parent.children[name] = child
        return child

    def _apply_differential(self, root: Element, raw: dict) -> None:
        segments = _segments(raw["id"])
        node = root
        for index, (name, slice_name) in enumerate(segments):
            if index > 0:
                node = self._editable_child(node, name)
            if slice_name:
                if slice_name not in node.slices:
                    slice_ = node.clone()
                    slice_.slices, slice_.slicing, slice_.slice_name = {}, None, slice_name
                    slice_.min = 0
                    node.slices[slice_name] = slice_
                node.slices[slice_name] = node.slices[slice_name].clone()
                node = node.slices[slice_name]
        apply(node, raw)


def _set_arrays(element: Element, base_max: dict) -> None:
    for child in (element.children or {}).values():
        b = base_max.get(child.path)
        child.array = b != "1" if b is not None else child.max != 1
        _set_arrays(child, base_max)


def _slim(sd: dict) -> dict:
    """Only what the validator reads, so the R4 core definitions take less memory."""
    out = {k: sd[k] for k in ("url", "type", "kind", "derivation", "baseDefinition", "abstract", "name") if k in sd}
    for view in ("snapshot", "differential"):
        if view in sd:
            out[view] = {"element": [{k: v for k, v in e.items() if k not in _UNUSED or k == "base"}
                                     for e in sd[view]["element"]]}
    if "snapshot" in out and sd.get("derivation") != "constraint":
        out.pop("differential", None)
    return out
