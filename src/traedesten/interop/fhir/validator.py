"""A FHIR R4 validator driven by StructureDefinitions read as data.

It checks an instance (a resource or a whole Bundle) against the R4 base definitions and the profiles it declares or
is given: every element name and JSON shape, primitive formats, cardinality, fixed and pattern values, required and
extensible bindings against the loaded terminology, codes in known code systems, slicing (value, pattern, type and
profile discriminators; closed slicing), type profiles (e.g. an Identifier profile or an extension's definition),
reference targets and their resolution inside the bundle, and every invariant's FHIRPath expression (fhirpathpy, with
`hasValue`, `resolve`, `memberOf`, `conformsTo` and `htmlChecks` supplied here).

A known defect of a guide's invariant is not skipped silently: it is named in `overrides` with the reason and,
where the rule can be stated correctly, the corrected expression that is checked instead.
"""

from __future__ import annotations

import contextvars
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Literal

import fhirpathpy
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models as fhirpath_models

from .definitions import PRIMITIVE_JSON, DefinitionError, Definitions, Element, TypeRef
from .terminology import Terminology

CODED = {"code", "Coding", "CodeableConcept", "uri", "string"}
DATE_TYPES = {"date", "dateTime", "instant"}
_current: contextvars.ContextVar[_Run] = contextvars.ContextVar("fhir_validation_run")


@dataclass(frozen=True)
class Issue:
    severity: str  # "error", "warning" or "information"
    path: str
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Override:
    """A guide's invariant that is wrong as written: checked as `expression` instead, or not at all when None."""
    key: str
    reason: str
    expression: str | None = None


def is_primitive(code: str) -> bool:
    return code[:1].islower()


def _upper_first(code: str) -> str:
    return code[:1].upper() + code[1:]


class Validator:
    def __init__(self, definitions: Definitions, overrides: Sequence[Override] = (), require_bundled_references=False):
        self.definitions = definitions
        self.terminology = Terminology(definitions)
        self.overrides = {o.key: o for o in overrides}
        self.require_bundled_references = require_bundled_references
        self._compiled: dict[str, object] = {}
        self._functions = {
            "hasValue": {"fn": lambda inputs: [_has_value(inputs)]},
            "resolve": {"fn": lambda inputs: _current.get().resolve_all(inputs)},
            "memberOf": {"fn": lambda inputs, url: _current.get().member_of(inputs, url), "arity": {1: ["String"]}},
            "conformsTo": {"fn": lambda inputs, url: _current.get().conforms_all(inputs, url),
                           "arity": {1: ["String"]}},
            "htmlChecks": {"fn": lambda inputs: [all(_html_ok(i) for i in inputs)]},
        }

    def validate(self, instance: dict, profiles: Sequence[str] = ()) -> list[Issue]:
        """Every issue found; the instance conforms when none has severity "error"."""
        run = _Run(self, instance)
        token = _current.set(run)
        try:
            run.resource(instance, instance.get("resourceType", "?") if isinstance(instance, dict) else "?",
                         list(profiles))
            run.bundle_rules()
        finally:
            _current.reset(token)
        seen, out = set(), []
        for issue in run.issues:
            if (issue.path, issue.rule, issue.message) not in seen:
                seen.add((issue.path, issue.rule, issue.message))
                out.append(issue)
        return out

    def errors(self, instance: dict, profiles: Sequence[str] = ()) -> list[Issue]:
        return [i for i in self.validate(instance, profiles) if i.severity == "error"]

    def compiled(self, expression: str):
        if expression not in self._compiled:
            self._compiled[expression] = fhirpathpy.compile(
                expression, model=fhirpath_models["r4"],
                options={"userInvocationTable": self._functions, "traceFn": lambda *args: None})
        return self._compiled[expression]


def _has_value(inputs) -> bool:
    return len(inputs) == 1 and inputs[0] is not None and not isinstance(inputs[0], (dict, list))


_UNSAFE_TAGS = {"script", "object", "applet", "embed", "form", "iframe", "base", "link", "style", "input"}


class _NarrativeCheck(HTMLParser):
    """FHIR's narrative rules (txt-1, txt-2): an XHTML div with no active content. Parsed as HTML, never as XML, so
    no entity or external reference is ever resolved."""

    def __init__(self):
        super().__init__()
        self.tags, self.unsafe = [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in _UNSAFE_TAGS or any(name.startswith("on") for name, _value in attrs):
            self.unsafe = True


def _html_ok(div) -> bool:
    if not isinstance(div, str):
        return False
    check = _NarrativeCheck()
    check.feed(div)
    check.close()
    return bool(check.tags) and check.tags[0] == "div" and not check.unsafe


class _Run:
    def __init__(self, validator: Validator, root: dict):
        self.v, self.defs, self.tx = validator, validator.definitions, validator.terminology
        self.root = root
        self.issues: list[Issue] = []
        self.index: dict[str, dict] = {}
        self.entry_paths: dict[int, str] = {}
        self._conformance: dict[tuple[int, str], list[Issue] | None] = {}
        self._evaluated: dict[tuple[str, str, str], Issue | Literal[True]] = {}
        self._inside_defined = 0
        if isinstance(root, dict) and root.get("resourceType") == "Bundle":
            for i, entry in enumerate(root.get("entry") or []):
                if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
                    continue
                res = entry["resource"]
                self.entry_paths[id(res)] = f"Bundle.entry[{i}].resource"
                if isinstance(entry.get("fullUrl"), str):
                    self.index.setdefault(entry["fullUrl"], res)
                if res.get("id"):
                    self.index.setdefault(f"{res.get('resourceType')}/{res['id']}", res)

    def add(self, severity, path, message, rule):
        self.issues.append(Issue(severity, path, message, rule))

    def error(self, path, message, rule):
        self.add("error", path, message, rule)

    # --- resources --------------------------------------------------------------------------------------------------

    def resource(self, res, path, profiles=(), any_of=False):
        if not isinstance(res, dict) or not isinstance(res.get("resourceType"), str):
            self.error(path, "En ressource skal være et JSON-objekt med resourceType.", "structure")
            return
        kind = res["resourceType"]
        declared = [p for p in (res.get("meta") or {}).get("profile") or [] if isinstance(p, str)]
        if any_of and profiles:
            results = {url: self.conformance(res, url, path) for url in profiles}
            if not any(r is not None and not _has_errors(r) for r in results.values()):
                first = next((r for r in results.values() if r), [])
                detail = "; ".join(str(i) for i in first if i.severity == "error")[:400]
                self.error(path, f"{kind} opfylder ingen af de tilladte profiler ({', '.join(profiles)}): {detail}",
                           "profile")
            profiles = []
        urls = list(dict.fromkeys(list(profiles) + declared))
        if not urls:
            urls = [self.defs.type_url(kind)]
        for url in urls:
            issues = self.conformance(res, url, path)
            if issues is None:
                self.error(path, f"Profilen {url} kendes ikke, eller den gælder ikke {kind}.", "profile")
            else:
                self.issues += issues

    def conformance(self, res: dict, url: str, path: str | None = None) -> list[Issue] | None:
        """The issues of one resource against one profile (cached per run); None if the profile is unknown."""
        key = (id(res), url.split("|", 1)[0])
        if key not in self._conformance:
            try:
                tree = self.defs.tree(key[1])
            except DefinitionError:
                self._conformance[key] = None
                return None
            if tree.root_type != res.get("resourceType"):
                self._conformance[key] = None
                return None
            self._conformance[key] = []  # assume conformance while checking a cycle
            saved, self.issues = self.issues, []
            try:
                path = self.entry_paths.get(id(res), path or res.get("resourceType", "?"))
                self.item(tree, res, None, path, res["resourceType"], res)
                result = self.issues
            finally:
                self.issues = saved
            self._conformance[key] = result
        return self._conformance[key]

    # --- one value against one element ------------------------------------------------------------------------------

    def item(self, el: Element, value, companion, path: str, tcode: str, resource: dict, tref: TypeRef | None = None):
        if is_primitive(tcode):
            self.primitive(el, value, companion, path, tcode, resource)
            return
        if not isinstance(value, dict):
            self.error(path, f"Forventede et objekt af typen {tcode}.", "structure")
            return
        self.fixed_and_pattern(el, value, path)
        self.binding(el, value, path, tcode)
        if tcode == "Coding":
            self.code_known(value, path)
        elif tcode == "CodeableConcept":
            for i, coding in enumerate(value.get("coding") or []):
                if isinstance(coding, dict):
                    self.code_known(coding, f"{path}.coding[{i}]")
        profiles = tref.profiles if tref else ()
        defined = False  # checked as a whole against a profile derived from the same type
        if profiles:
            defined = self.type_profiles(value, path, tcode, resource, profiles)
        elif tcode == "Extension" and el.slice_name is None and not el.root_type and not self._inside_defined:
            defined = self.extension_definition(value, path, resource)
        if tcode == "Reference":
            self.reference(value, path, tref)
        if not defined:
            self.walk(el, value, path, tcode, resource)
        elif el.children is not None:
            # The profile also constrains inside: those constraints apply too, but sub-extensions it names without
            # their URLs were already matched against the type's own definition.
            self._inside_defined += 1
            try:
                self.walk(el, value, path, tcode, resource)
            finally:
                self._inside_defined -= 1
        constraints = dict(self.defs.type_constraints(tcode)) if not el.root_type else {}
        constraints.update(el.constraints)
        self.invariants(constraints, value, companion, path, tcode, el, resource)

    def primitive(self, el, value, companion, path, tcode, resource):
        if value is not None:
            expected = PRIMITIVE_JSON.get(tcode, str)
            if isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
                self.error(path, f"Værdien {value!r} har ikke JSON-typen for {tcode}.", "type")
                return
            if isinstance(value, str) and (value == "" or (tcode != "xhtml" and value != value.strip() and
                                                           tcode not in ("string", "markdown"))):
                self.error(path, f"Værdien {value!r} er tom eller har mellemrum omkring sig.", "type")
            try:
                regex = self.defs.tree(self.defs.type_url(tcode)).regex
            except DefinitionError:
                regex = None
            text = str(value).lower() if isinstance(value, bool) else str(value)
            if regex and not re.fullmatch(regex, text):
                self.error(path, f"{text!r} er ikke en gyldig {tcode}.", "type")
            elif tcode in DATE_TYPES and not _real_date(text):
                self.error(path, f"{text!r} er ikke en dato, der findes.", "type")
            if el.fixed is not None and value != el.fixed:
                self.error(path, f"Skal have den faste værdi {el.fixed!r}, ikke {value!r}.", "fixed")
            if el.pattern is not None and value != el.pattern:
                self.error(path, f"Skal have værdien {el.pattern!r}, ikke {value!r}.", "pattern")
            if el.max_length is not None and isinstance(value, str) and len(value) > el.max_length:
                self.error(path, f"Højst {el.max_length} tegn.", "maxLength")
            if el.max_value is not None and _number(value) is not None and _number(value) > _number(el.max_value):
                self.error(path, f"Værdien {value} er større end {el.max_value}.", "maxValue")
            if el.min_value is not None and _number(value) is not None and _number(value) < _number(el.min_value):
                self.error(path, f"Værdien {value} er mindre end {el.min_value}.", "minValue")
            if tcode in CODED:
                self.binding(el, value, path, tcode)
        elif el.fixed is not None or el.pattern is not None:
            self.error(path, "Værdien mangler; der er en fast værdi.", "fixed")
        if companion is not None:
            if not isinstance(companion, dict):
                self.error(path, "Primitivets udvidelser skal være et objekt.", "structure")
            else:
                element_tree = self.defs.tree(self.defs.type_url("Element"))
                self.walk(element_tree, companion, path, "Element", resource)
        self.invariants(el.constraints, value, companion, path, tcode, el, resource)

    # --- children ---------------------------------------------------------------------------------------------------

    def walk(self, el: Element, value: dict, path: str, tcode: str, resource: dict):
        kids = self.defs.children(el, tcode)
        if tcode in ("Resource", "DomainResource") or not kids and el.root_type in ("Resource", "DomainResource"):
            return
        found: dict[str, list[str]] = {}
        for key in value:
            if key == "resourceType" and el.root_type:
                continue
            name = key[1:] if key.startswith("_") else key
            matched = _match(kids, name)
            if matched is None:
                self.error(f"{path}.{key}", f"Elementet '{key}' findes ikke i {tcode} (FHIR R4).", "structure")
                continue
            found.setdefault(matched, [])
            if name not in found[matched]:
                found[matched].append(name)
        for name, child in kids.items():
            keys = found.get(name, [])
            if len(keys) > 1:
                self.error(f"{path}.{name}", f"Kun én type er tilladt for {name}: {', '.join(keys)}.", "structure")
                keys = keys[:1]
            items = self.items(child, value, keys[0], f"{path}.{keys[0]}") if keys else []
            ctype = None
            if keys and name.endswith("[x]"):
                suffix = keys[0][len(name) - 3:]
                ctype = next((t.code for t in child.types if _upper_first(t.code) == suffix), None)
                if ctype is None:
                    self.error(f"{path}.{keys[0]}", f"Typen {suffix} er ikke tilladt for {name}.", "type")
                    continue
            self.cardinality(child, len(items), f"{path}.{keys[0] if keys else name}")
            if ctype and keys[0] in child.slices:
                target = child.slices[keys[0]]
                for item_value, item_comp, item_path in items:
                    self.typed_item(target, item_value, item_comp, item_path, resource, ctype)
            elif child.slices or (child.slicing and child.slicing.get("rules") == "closed"):
                self.sliced(child, items, resource, ctype)
            else:
                for item_value, item_comp, item_path in items:
                    self.typed_item(child, item_value, item_comp, item_path, resource, ctype)

    def items(self, child: Element, value: dict, key: str, path: str):
        raw, comp = value.get(key), value.get("_" + key)
        if child.array:
            if raw is not None and not isinstance(raw, list) or comp is not None and not isinstance(comp, list):
                self.error(path, f"{key} skal være en liste.", "structure")
                return []
            raw, comp = raw or [], comp or []
            out = []
            for i in range(max(len(raw), len(comp))):
                v = raw[i] if i < len(raw) else None
                c = comp[i] if i < len(comp) else None
                if v is None and c is None:
                    self.error(f"{path}[{i}]", "Tomme pladser (null) er ikke tilladt i en liste.", "structure")
                    continue
                out.append((v, c, f"{path}[{i}]"))
            if not out and (key in value):
                self.error(path, f"{key} må ikke være en tom liste.", "structure")
            return out
        if isinstance(raw, list) or isinstance(comp, list):
            self.error(path, f"{key} må ikke være en liste.", "structure")
            return []
        if raw is None and comp is None:
            if key in value or "_" + key in value:
                self.error(path, f"{key} må ikke være null.", "structure")
            return []
        return [(raw, comp, path)]

    def cardinality(self, el: Element, count: int, path: str, what: str = ""):
        name = what or el.name
        if count < el.min:
            self.error(path, f"{name} skal forekomme mindst {el.min} gang(e), men forekommer {count}.", "cardinality")
        if el.max is not None and count > el.max:
            if el.max == 0:
                self.error(path, f"{name} må ikke forekomme her.", "cardinality")
            else:
                self.error(path, f"{name} må højst forekomme {el.max} gang(e), men forekommer {count}.", "cardinality")

    def typed_item(self, el: Element, value, companion, path, resource, ctype=None):
        if el.max == 0:
            return  # reported by the cardinality check
        if ctype is None:
            if len(el.types) == 1:
                ctype = el.types[0].code
            elif el.content_reference:
                ctype = "BackboneElement"
            elif isinstance(value, dict) and "resourceType" in value:
                ctype = value["resourceType"]
            else:
                self.error(path, f"Typen af {el.name} kan ikke bestemmes.", "type")
                return
        if ctype in ("Resource", "DomainResource") or (isinstance(value, dict) and "resourceType" in value
                                                         and not el.root_type and self.resource_slot(el)):
            self.contained_resource(el, value, path)
            return
        tref = next((t for t in el.types if t.code == ctype), None)
        self.item(el, value, companion, path, ctype, resource, tref)

    def resource_slot(self, el: Element) -> bool:
        for t in el.types:
            if t.code in ("Resource", "DomainResource"):
                return True
            sd = self.defs.structures.get(self.defs.type_url(t.code))
            if sd is not None and sd.get("kind") == "resource":
                return True
        return False

    def contained_resource(self, el: Element, value, path):
        if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
            self.error(path, "En ressource skal have resourceType.", "structure")
            return
        kind = value["resourceType"]
        allowed = [t for t in el.types if t.code in (kind, "Resource", "DomainResource")]
        if not allowed:
            self.error(path, f"{kind} er ikke tilladt her ({', '.join(t.code for t in el.types)}).", "type")
            return
        profiles = [p for t in allowed for p in t.profiles]
        unconstrained = any(not t.profiles for t in allowed)
        self.resource(value, path, [] if unconstrained else profiles, any_of=not unconstrained)
        if el.constraints or el.fixed is not None or el.pattern is not None:
            self.fixed_and_pattern(el, value, path)
            self.invariants(el.constraints, value, None, path, kind, el, value)

    # --- slicing ----------------------------------------------------------------------------------------------------

    def sliced(self, el: Element, items, resource, ctype):
        slicing = el.slicing or {}
        discriminators = slicing.get("discriminator") or (
            [{"type": "value", "path": "url"}] if el.name in ("extension", "modifierExtension") else [])
        matched: dict[str, int] = dict.fromkeys(el.slices, 0)
        for value, comp, path in items:
            hit = next((name for name, s in el.slices.items() if self.matches(s, value, discriminators, ctype)), None)
            if hit is None:
                if slicing.get("rules") == "closed":
                    what = f" (url {value.get('url')})" if isinstance(value, dict) and value.get("url") else ""
                    self.error(path, f"Elementet{what} passer ikke til nogen af de tilladte slices af {el.name} "
                                     f"({', '.join(el.slices) or 'ingen'}); slicingen er lukket.", "slicing")
                self.typed_item(el, value, comp, path, resource, ctype)
            else:
                matched[hit] += 1
                self.typed_item(el.slices[hit], value, comp, path, resource, ctype)
        base_path = items[0][2].rsplit("[", 1)[0] if items else el.path
        for name, s in el.slices.items():
            self.cardinality(s, matched[name], f"{base_path}:{name}", f"{el.name}:{name}")

    def matches(self, slice_: Element, value, discriminators, ctype) -> bool:
        for d in discriminators:
            kind, path = d.get("type"), d.get("path", "$this")
            if kind in ("value", "pattern"):
                expected = self.expected_at(slice_, path)
                if expected is None:
                    return False
                mode, wanted = expected
                actual = self.values_at(value, path)
                if not actual:
                    return False
                if mode == "fixed" and not any(_equal(a, wanted) for a in actual):
                    return False
                if mode == "pattern" and not any(_contains(a, wanted) for a in actual):
                    return False
            elif kind == "type":
                codes = {t.code for t in slice_.types}
                if ctype not in codes and not (isinstance(value, dict) and value.get("resourceType") in codes):
                    return False
            elif kind == "profile":
                profiles = [p for t in slice_.types for p in (t.profiles or t.target_profiles)]
                targets = _values_at(value, path)
                if not targets or not any(self.conforms(t, p) for t in targets for p in profiles
                                          if isinstance(t, dict)):
                    return False
            elif kind == "exists":
                node = self.element_at(slice_, path)
                present = bool(_values_at(value, path))
                if node is None or present != (node.min > 0):
                    return False
            else:
                return False
        return True

    def element_at(self, el: Element, path: str) -> Element | None:
        node = el
        if path in ("$this", ""):
            return node
        for name in path.split("."):
            kids = self.defs.children(node)
            found = (kids.get(name) or kids.get(name + "[x]")) if kids else None
            if found is None:
                return None
            node = found
        return node

    def values_at(self, value, path: str) -> list:
        """The instance's values at a discriminator path; `resolve()` follows a reference inside the bundle."""
        if path.startswith("resolve()"):
            target = self.resolve(value.get("reference", "")) if isinstance(value, dict) else None
            rest = path[len("resolve()"):].lstrip(".")
            return _values_at(target, rest) if target is not None else []
        return _values_at(value, path)

    def expected_at(self, slice_: Element, path: str):
        if path.startswith("resolve()"):  # defined by the referenced profile
            rest = path[len("resolve()"):].lstrip(".")
            for t in slice_.types:
                for profile in t.target_profiles:
                    try:
                        node = self.element_at(self.defs.tree(profile), rest)
                    except DefinitionError:
                        continue
                    if node is not None and (node.fixed is not None or node.pattern is not None):
                        return ("fixed", node.fixed) if node.fixed is not None else ("pattern", node.pattern)
            return None
        node = self.element_at(slice_, path)
        if node is not None and (node.fixed is not None or node.pattern is not None):
            return ("fixed", node.fixed) if node.fixed is not None else ("pattern", node.pattern)
        for t in slice_.types:
            for profile in t.profiles:
                try:
                    node = self.element_at(self.defs.tree(profile), path)
                except DefinitionError:
                    continue
                if node is not None and (node.fixed is not None or node.pattern is not None):
                    return ("fixed", node.fixed) if node.fixed is not None else ("pattern", node.pattern)
        return None

    # --- values -----------------------------------------------------------------------------------------------------

    def fixed_and_pattern(self, el: Element, value, path):
        if el.fixed is not None and not _equal(value, el.fixed):
            self.error(path, f"Skal have den faste værdi {_short(el.fixed)}.", "fixed")
        if el.pattern is not None and not _contains(value, el.pattern):
            self.error(path, f"Skal indeholde {_short(el.pattern)}.", "pattern")

    def binding(self, el: Element, value, path, tcode):
        if not el.binding or tcode not in CODED:
            return
        strength, url = el.binding
        if strength not in ("required", "extensible"):
            return
        expansion = self.tx.expand(url)
        if expansion is None:
            self.add("warning" if strength == "required" else "information", path,
                     f"Værdisættet {url} kan ikke udfoldes her; koden er ikke kontrolleret.", "binding-unchecked")
            return
        if is_primitive(tcode):
            ok, shown = any(code == value for _, code in expansion), value
        else:
            codings = [value] if tcode == "Coding" else [c for c in value.get("coding") or [] if isinstance(c, dict)]
            ok = any((c.get("system"), c.get("code")) in expansion for c in codings)
            shown = ", ".join(f"{c.get('system')}#{c.get('code')}" for c in codings) or "ingen kode"
        if not ok:
            self.add("error" if strength == "required" else "warning", path,
                     f"{shown} er ikke i værdisættet {url} ({strength}).", "binding")

    def code_known(self, coding: dict, path):
        system, code = coding.get("system"), coding.get("code")
        if isinstance(system, str) and isinstance(code, str) and self.tx.knows(system, code) is False:
            self.error(path, f"Koden {code} findes ikke i kodesystemet {system}.", "code")

    def type_profiles(self, value, path, tcode, resource, profiles):
        results = []
        for url in profiles:
            try:
                tree = self.defs.tree(url)
            except DefinitionError:
                self.error(path, f"Profilen {url} kendes ikke.", "profile")
                return False
            saved, self.issues = self.issues, []
            try:
                self.item(tree, value, None, path, tcode, resource)
                results.append(self.issues)
            finally:
                self.issues = saved
        passing = [r for r in results if not _has_errors(r)]
        if passing:
            self.issues += passing[0]
        elif len(results) == 1:
            self.issues += results[0]
        else:
            self.error(path, f"Opfylder ingen af profilerne {', '.join(profiles)}.", "profile")
        return True

    def extension_definition(self, value: dict, path, resource):
        url = value.get("url")
        if not isinstance(url, str):
            return False  # the cardinality of Extension.url reports it
        if url in self.defs.structures and self.defs.structures[url].get("type") == "Extension":
            return self.type_profiles(value, path, "Extension", resource, (url,))
        self.error(path, f"Udvidelsen {url} er ukendt og ikke tilladt her.", "extension")
        return False

    def reference(self, value: dict, path, tref: TypeRef | None):
        ref = value.get("reference")
        if not isinstance(ref, str):
            return
        target = self.resolve(ref)
        bundled = tref is not None and "bundled" in tref.aggregation
        if target is None:
            if ref.startswith("#") or self.index and (bundled or self.v.require_bundled_references):
                self.error(path, f"Referencen {ref} peger ikke på en ressource i bundtet.", "reference")
            return
        profiles = tref.target_profiles if tref else ()
        if not profiles:
            return
        kinds: dict[str, list[str]] = {}
        for url in profiles:
            try:
                kinds.setdefault(self.defs.tree(url).root_type, []).append(url)
            except DefinitionError:
                self.error(path, f"Målprofilen {url} kendes ikke.", "profile")
                return
        kind = target.get("resourceType")
        if kind not in kinds and "Resource" not in kinds:
            self.error(path, f"Referencen {ref} skal pege på {' eller '.join(sorted(kinds))}, ikke {kind}.",
                       "reference-target")
            return
        candidates = kinds.get(kind, [])
        if candidates and not any(self.conforms(target, url) for url in candidates):
            self.error(path, f"{ref} opfylder ikke {' eller '.join(candidates)}.", "reference-target")

    def resolve(self, ref: str):
        if ref.startswith("#"):
            return None
        if ref in self.index:
            return self.index[ref]
        tail = "/".join(ref.split("/")[-2:])
        return self.index.get(tail) if "/" in ref and (ref.startswith("http") or ref.startswith("urn")) else None

    def conforms(self, res: dict, url: str) -> bool:
        issues = self.conformance(res, url)
        return issues is not None and not _has_errors(issues)

    # --- FHIRPath ---------------------------------------------------------------------------------------------------

    def invariants(self, constraints, value, companion, path, tcode, el: Element, resource):
        for key, c in constraints.items():
            expression = c.expression
            override = self.v.overrides.get(key)
            if override is not None:
                if override.expression is None:
                    continue
                expression = override.expression
            done = self._evaluated.get((path, key, expression))
            if done is not None:
                if done is not True:
                    self.issues.append(done)
                continue
            self._evaluated[(path, key, expression)] = True
            type_path = tcode
            if tcode in ("BackboneElement", "Element") and not el.root_type:
                type_path = el.path.split(":")[0]
            try:
                node = ResourceNode.create_node(value, type_path, companion) if not (
                    isinstance(value, dict) and "resourceType" in value) else value
                result = self.v.compiled(expression)(node, {"resource": resource, "rootResource": self.root})
            except Exception as exc:  # noqa: BLE001 - a failure to evaluate is itself a finding
                issue: Issue | Literal[True] = Issue("error", path, f"Invarianten {key} kunne ikke evalueres ({type(exc).__name__}: {exc}).",
                              f"invariant:{key}")
            else:
                issue = True if _truthy(result) else Issue(
                    "error" if c.severity == "error" else "warning", path,
                    f"Invarianten {key} er ikke opfyldt: {c.human}", f"invariant:{key}")
            self._evaluated[(path, key, expression)] = issue
            if issue is not True:
                self.issues.append(issue)

    def resolve_all(self, inputs):
        out = []
        for item in inputs:
            ref = item.get("reference") if isinstance(item, dict) else item
            if isinstance(ref, str):
                target = self.resolve(ref)
                if target is not None:
                    out.append(target)
        return out

    def member_of(self, inputs, url):
        expansion = self.tx.expand(url)
        if expansion is None:
            raise ValueError(f"værdisættet {url} kan ikke udfoldes")
        if len(inputs) != 1:
            return []
        item = inputs[0]
        if isinstance(item, str):
            return [any(code == item for _, code in expansion)]
        if isinstance(item, dict) and "coding" in item:
            return [any((c.get("system"), c.get("code")) in expansion for c in item["coding"] if isinstance(c, dict))]
        if isinstance(item, dict):
            return [(item.get("system"), item.get("code")) in expansion]
        return []

    def conforms_all(self, inputs, url):
        if len(inputs) != 1 or not isinstance(inputs[0], dict):
            return []
        return [self.conforms(inputs[0], url)]

    # --- whole bundle -----------------------------------------------------------------------------------------------

    def bundle_rules(self):
        root = self.root
        if not isinstance(root, dict) or root.get("resourceType") != "Bundle":
            return
        for i, entry in enumerate(root.get("entry") or []):
            if not isinstance(entry, dict):
                continue
            res, full = entry.get("resource"), entry.get("fullUrl")
            if not (isinstance(res, dict) and isinstance(full, str) and res.get("id")) or full.startswith("urn:"):
                continue
            local = f"{res.get('resourceType')}/{res['id']}"
            if not (full == local or full.endswith(f"/{local}")):
                self.error(f"Bundle.entry[{i}].fullUrl", f"fullUrl {full} passer ikke til ressourcens id {local}.", "bundle")


def _match(kids: dict[str, Element], name: str) -> str | None:
    if name in kids:
        return name
    for child in kids:
        if child.endswith("[x]") and name.startswith(child[:-3]) and len(name) > len(child) - 3 \
                and name[len(child) - 3].isupper():
            return child
    return None


def _has_errors(issues) -> bool:
    return any(i.severity == "error" for i in issues)


def _truthy(result) -> bool:
    """An invariant holds unless it evaluates to false; an empty result (nothing to test) holds, as FHIR validators
    treat it (the HL7 Java engine reaches the same through its `not()` of an empty collection being true)."""
    if not result:
        return True
    if len(result) == 1 and isinstance(result[0], bool):
        return result[0]
    return True


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None


def _real_date(text: str) -> bool:
    date = text[:10]
    if len(date) < 10:
        return True  # a year or year-month
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        return False
    return True


def _equal(actual, wanted) -> bool:
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and set(actual) == set(wanted) and all(
            _equal(actual[k], wanted[k]) for k in wanted)
    if isinstance(wanted, list):
        return isinstance(actual, list) and len(actual) == len(wanted) and all(
            _equal(a, w) for a, w in zip(actual, wanted))
    return actual == wanted


def _contains(actual, pattern) -> bool:
    if isinstance(pattern, dict):
        return isinstance(actual, dict) and all(k in actual and _contains(actual[k], v) for k, v in pattern.items())
    if isinstance(pattern, list):
        return isinstance(actual, list) and all(any(_contains(a, p) for a in actual) for p in pattern)
    return actual == pattern


def _values_at(value, path: str) -> list:
    nodes = [value]
    if path in ("$this", ""):
        return nodes
    for name in path.split("."):
        nxt = []
        for node in nodes:
            if not isinstance(node, dict):
                continue
            found = node.get(name)
            if found is None:
                found = next((v for k, v in node.items() if k.startswith(name) and k[len(name):][:1].isupper()), None)
            if isinstance(found, list):
                nxt += found
            elif found is not None:
                nxt.append(found)
        nodes = nxt
    return nodes


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 200 else text[:197] + "..."
