"""FHIR Shorthand (FSH) profiles read as constraint StructureDefinitions, for a guide that is published only as FSH.

This is not a FSH compiler. It reads the rules a profile states about its own elements and turns them into the
differential the validator applies over the parent (definitions.py): cardinality (`* path 1..1`), fixed and pattern
values (`* path = #code`, `= $System#code`, `= "text"`), type and reference-target restrictions
(`* path only Reference(A or B)`, `only Coding`), bindings (`* path from ValueSet (strength)`), slicing set with
caret rules (`* path ^slicing.discriminator[0].type = #value`, `…path`, `^slicing.rules`) and slices declared with
`contains` (`* telecom contains phone 1.. and email 0..`, `* extension contains Ext named name 0..1`). Extensions,
code systems and value sets written in FSH become the corresponding resources.

What it skips, and says so in `Guide.skipped`: caret rules other than slicing (`^short`, `^type.aggregation`),
invariants (`obeys`), `insert` rule sets and instances. Must-support flags (`MS`) are read and ignored: they oblige a
receiver, not a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .definitions import BASE, DefinitionError, Definitions

_ENTITY = re.compile(r"^(Profile|Extension|CodeSystem|ValueSet|Instance|Alias|RuleSet|Logical|Resource|Invariant|"
                     r"Mapping):\s*(.*)$")
_KEYWORD = re.compile(r"^(Parent|Id|Title|Description|InstanceOf|Usage):\s*(.*)$")
_CARD = re.compile(r"^(\d+)\.\.(\d+|\*)?$")
_CODE = re.compile(r'^(?P<system>[^\s#"]*)#(?P<code>"[^"]*"|[^\s"]+)(?:\s+"(?P<display>[^"]*)")?$')


@dataclass
class Entity:
    kind: str
    name: str
    keywords: dict[str, str] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)


def parse(text: str) -> tuple[dict[str, str], list[Entity]]:
    """Aliases and entities of one or more FSH files. Comments and multi-line strings are dropped or joined."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    aliases, entities, current = {}, [], None
    pending = ""
    for raw in text.splitlines():
        line = raw.split(" //", 1)[0].rstrip() if not raw.lstrip().startswith("//") else ""
        if pending:  # inside a multi-line string
            pending += " " + line.strip()
            if line.count('"') % 2 == 1:
                line, pending = pending, ""
            else:
                continue
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("*") and stripped.count('"') % 2 == 1:
            pending = stripped
            continue
        match = _ENTITY.match(stripped)
        if match:
            kind, rest = match.groups()
            if kind == "Alias":
                name, _, url = rest.partition("=")
                aliases[name.strip()] = url.strip()
                current = None
            else:
                current = Entity(kind, rest.strip())
                entities.append(current)
            continue
        if current is None:
            continue
        match = _KEYWORD.match(stripped)
        if match:
            current.keywords[match.group(1)] = match.group(2).strip().strip('"')
        elif stripped.startswith("*"):
            current.rules.append(stripped[1:].strip())
    return aliases, entities


@dataclass
class Guide:
    """A guide's FSH read as resources, ready to add to a `Definitions`."""

    canonical: str
    resources: list[dict]
    skipped: list[str]
    urls: dict[str, str]
    """FSH name -> canonical URL of every profile and extension."""


def _element_id(root: str, path: str) -> str:
    parts = []
    for segment in re.findall(r"[^.\[\]]+(?:\[[^\]]*\])?", path):
        name, _, slice_name = segment.partition("[")
        slice_name = slice_name.rstrip("]")
        if slice_name == "x":
            parts.append(name + "[x]")
        elif slice_name in ("", "+", "=") or slice_name.isdigit():
            parts.append(name)
        else:
            parts.append(f"{name}:{slice_name}")
    return ".".join([root, *parts])


class Reader:
    """Turns the entities of one guide into resources. `parents` maps a parent name or URL the guide uses to the
    URL it is to be read as (for parents published elsewhere under another canonical)."""

    def __init__(self, definitions: Definitions, canonical: str, aliases: dict[str, str], entities: list[Entity],
                 parents: dict[str, str]):
        self.defs, self.canonical, self.aliases, self.parents = definitions, canonical.rstrip("/"), aliases, parents
        self.entities = entities
        self.skipped: list[str] = []
        self.urls: dict[str, str] = {}
        for e in entities:
            kind = {"Profile": "StructureDefinition", "Extension": "StructureDefinition", "CodeSystem": "CodeSystem",
                    "ValueSet": "ValueSet"}.get(e.kind)
            if kind:
                self.urls[e.name] = f"{self.canonical}/{kind}/{e.keywords.get('Id', e.name)}"

    # --- names ------------------------------------------------------------------------------------------------------

    def url(self, name: str) -> str:
        name = self.aliases.get(name, name)
        if name in self.parents:
            return self.parents[name]
        if name in self.urls:
            return self.urls[name]
        if "://" in name or name.startswith("urn:"):
            return name
        return BASE + name

    def _type_of(self, url: str) -> str:
        local = next((e for e in self.entities if self.urls.get(e.name) == url), None)
        if local is not None:
            return "Extension" if local.kind == "Extension" else self._type_of(self.url(local.keywords["Parent"]))
        return self.defs.structure(url)["type"]

    def _element_types(self, sd_url: str, element_id: str) -> list[str]:
        """The type codes of an element, from the parent's tree (empty when it cannot be found)."""
        try:
            node = self.defs.tree(sd_url)
            for part in element_id.split(".")[1:]:
                name = part.split(":", 1)[0]
                children = self.defs.children(node)
                if name not in children:
                    choice = next((n for n in children if n.endswith("[x]") and name.startswith(n[:-3])), None)
                    if choice is None:
                        return []
                    suffix = name[len(choice) - 3:]
                    return [t.code for t in children[choice].types if t.code[:1].upper() + t.code[1:] == suffix]
                node = children[name]
            return [t.code for t in node.types]
        except (DefinitionError, KeyError, IndexError):
            return []

    # --- values -----------------------------------------------------------------------------------------------------

    def _value(self, text: str, types: list[str]) -> tuple[str, object] | None:
        text = text.strip()
        if text.endswith("(exactly)"):
            text = text[: -len("(exactly)")].strip()
        match = _CODE.match(text)
        if match:
            system = self.url(match.group("system")) if match.group("system") else None
            code = match.group("code").strip('"')
            coding = {k: v for k, v in (("system", system), ("code", code)) if v}
            kind = types[0] if len(types) == 1 else ""
            if kind == "Coding":
                return "Coding", coding
            if kind == "CodeableConcept":
                return "CodeableConcept", {"coding": [coding]}
            if kind in ("code", ""):
                return "Code", code
            return None
        if text.startswith('"') and text.endswith('"'):
            kind = types[0] if len(types) == 1 and types[0][:1].islower() else "string"
            return kind[:1].upper() + kind[1:], text[1:-1]
        if text in ("true", "false"):
            return "Boolean", text == "true"
        if re.fullmatch(r"-?\d+", text):
            return "Integer", int(text)
        return None

    # --- profiles ---------------------------------------------------------------------------------------------------

    def profile(self, e: Entity, *, extension: bool = False) -> dict:
        url = self.urls[e.name]
        parent = BASE + "Extension" if extension else self.url(e.keywords["Parent"])
        root = "Extension" if extension else self._type_of(parent)
        elements: dict[str, dict] = {}

        def element(element_id: str) -> dict:
            return elements.setdefault(element_id, {"id": element_id, "path": re.sub(r":[^.]+", "", element_id)})

        if extension:
            element("Extension.url")["fixedUri"] = url
        for rule in e.rules:
            self._rule(e, rule, root, parent, element)
        return {"resourceType": "StructureDefinition", "url": url, "name": e.name, "type": root,
                "kind": "complex-type" if root[:1].isupper() and extension else "resource",
                "derivation": "constraint", "baseDefinition": parent,
                "differential": {"element": sorted(elements.values(), key=lambda el: el["id"].count("."))}}

    def _rule(self, e: Entity, rule: str, root: str, parent: str, element) -> None:
        path, _, rest = rule.partition(" ")
        rest = rest.strip()
        if path.startswith("^") or rest.startswith("obeys") or path == "insert":
            self.skipped.append(f"{e.name}: * {rule}")
            return
        element_id = _element_id(root, path)
        if rest.startswith("^"):
            caret, _, value = rest.partition("=")
            caret, value = caret.strip(), value.strip()
            match = re.fullmatch(r"\^slicing\.discriminator\[(\d+)\]\.(type|path)", caret)
            if match:
                slicing = element(element_id).setdefault("slicing", {"rules": "open"})
                discriminators = slicing.setdefault("discriminator", [])
                while len(discriminators) <= int(match.group(1)):
                    discriminators.append({})
                discriminators[int(match.group(1))][match.group(2)] = value.strip('"').lstrip("#")
            elif caret == "^slicing.rules":
                element(element_id).setdefault("slicing", {})["rules"] = value.lstrip("#")
            else:
                self.skipped.append(f"{e.name}: * {rule}")
            return
        words = rest.split()
        if rest.startswith("contains "):
            self._contains(root, element_id, rest[len("contains "):], element)
            return
        cardinality = _CARD.match(words[0]) if words else None
        if cardinality:
            low, high = cardinality.groups()
            el = element(element_id)
            el["min"] = int(low)
            if high:
                el["max"] = high
            return
        if rest.startswith("= "):
            types = self._element_types(parent, element_id)
            pattern = self._value(rest[2:], types)
            if pattern is None:
                self.skipped.append(f"{e.name}: * {rule}")
            else:
                kind, v = pattern
                element(element_id)[f"pattern{kind}"] = v
            return
        if rest.startswith("only "):
            element(element_id)["type"] = self._only(rest[len("only "):])
            return
        if rest.startswith("from "):
            match = re.fullmatch(r"from\s+(\S+)(?:\s+\((\w+)\))?", rest)
            if match:
                element(element_id)["binding"] = {"strength": match.group(2) or "required",
                                                  "valueSet": self.url(match.group(1))}
                return
        if set(words) <= {"MS", "SU", "?!", "N", "TU", "D"}:
            return  # flags only
        self.skipped.append(f"{e.name}: * {rule}")

    def _only(self, text: str) -> list[dict[str, object]]:
        match = re.fullmatch(r"Reference\((.*)\)", text.strip())
        if match:
            targets = [self.url(t.strip()) for t in match.group(1).split(" or ")]
            return [{"code": "Reference", "targetProfile": targets}]
        out: list[dict[str, object]] = []
        for name in text.split(" or "):
            name = name.strip()
            if name[:1].islower() or name in ("Coding", "CodeableConcept", "Reference", "Identifier", "Quantity"):
                out.append({"code": name})
            else:
                url = self.url(name)
                out.append({"code": self._type_of(url), "profile": [url]})
        return out

    def _contains(self, root: str, element_id: str, text: str, element) -> None:
        base = element(element_id)
        if element_id.endswith("extension") and "slicing" not in base:
            base["slicing"] = {"discriminator": [{"type": "value", "path": "url"}], "rules": "open"}
        for item in re.split(r"\s+and\s+", text):
            words = item.split()
            if len(words) >= 3 and words[1] == "named":
                kind, name, rest = words[0], words[2], words[3:]
            else:
                kind, name, rest = None, words[0], words[1:]
            slice_el = element(f"{element_id}:{name}")
            slice_el["sliceName"] = name
            cardinality = _CARD.match(rest[0]) if rest else None
            if cardinality:
                low, high = cardinality.groups()
                slice_el["min"] = int(low)
                if high:
                    slice_el["max"] = high
            if kind is not None:
                slice_el["type"] = [{"code": "Extension", "profile": [self.url(kind)]}]

    # --- terminology ------------------------------------------------------------------------------------------------

    def code_system(self, e: Entity) -> dict:
        concepts = []
        for rule in e.rules:
            match = re.fullmatch(r'#(\S+)(?:\s+"([^"]*)")?.*', rule)
            if match:
                concepts.append({"code": match.group(1).strip('"'), "display": match.group(2) or match.group(1)})
        return {"resourceType": "CodeSystem", "url": self.urls[e.name], "name": e.name, "status": "draft",
                "content": "complete", "concept": concepts}

    def value_set(self, e: Entity) -> dict:
        includes: dict[str, list] = {}
        for rule in e.rules:
            match = re.fullmatch(r"include codes from system (\S+)", rule)
            if match:
                includes.setdefault(self.url(match.group(1)), [])
                continue
            match = re.fullmatch(r"include (\S*)#(\S+).*", rule)
            if match:
                includes.setdefault(self.url(match.group(1)), []).append({"code": match.group(2)})
        compose = [{"system": system, **({"concept": codes} if codes else {})} for system, codes in includes.items()]
        return {"resourceType": "ValueSet", "url": self.urls[e.name], "name": e.name, "status": "draft",
                "compose": {"include": compose}}

    def resources(self) -> list[dict]:
        """Every resource, each added to the definitions as soon as it is read, parents before children."""
        out, done = [], set()

        def read(e: Entity) -> None:
            if e.name in done:
                return
            done.add(e.name)
            parent = next((p for p in self.entities if p.name == e.keywords.get("Parent")), None)
            if parent is not None:
                read(parent)
            resource = {"Profile": lambda: self.profile(e), "Extension": lambda: self.profile(e, extension=True),
                        "CodeSystem": lambda: self.code_system(e), "ValueSet": lambda: self.value_set(e)}.get(e.kind)
            if resource is None:
                if e.kind != "Instance":
                    self.skipped.append(f"{e.kind}: {e.name}")
                return
            made = resource()
            self.defs.add_resource(made)
            out.append(made)

        for e in self.entities:
            read(e)
        return out


def read_guide(folder: Path, definitions: Definitions, canonical: str, parents: dict[str, str]) -> Guide:
    """Read every .fsh file of a guide and add its resources to `definitions`."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.fsh")))
    aliases, entities = parse(text)
    reader = Reader(definitions, canonical, aliases, entities, parents)
    # terminology and extensions first: a profile's pattern values and slices read them
    ordered = sorted(entities, key=lambda e: {"CodeSystem": 0, "ValueSet": 1, "Extension": 2}.get(e.kind, 3))
    reader.entities = ordered
    return Guide(canonical, reader.resources(), reader.skipped, reader.urls)
