"""Value sets expanded from their compose rules against the CodeSystems that were loaded, and code look-ups.

Supports include/exclude by listed concepts, by whole code system, by other value sets, and the filters
`is-a`, `descendent-of` and `=` on `concept`. A value set that needs anything else (an external code system such as
SNOMED CT, another filter) cannot be expanded here: `expand` returns None and the validator says so instead of
passing the code.
"""

from __future__ import annotations

from functools import cached_property

from .definitions import Definitions


class CodeSystemIndex:
    def __init__(self, resource: dict):
        self.url = resource["url"]
        self.complete = resource.get("content", "complete") == "complete"
        self.parent: dict[str, str | None] = {}
        self.children: dict[str | None, list[str]] = {}

        def walk(concepts, parent):
            for concept in concepts:
                self.parent[concept["code"]] = parent
                self.children.setdefault(parent, []).append(concept["code"])
                walk(concept.get("concept", []), concept["code"])
        walk(resource.get("concept", []), None)
        for concept in resource.get("concept", []):  # flat systems that state the hierarchy as a property
            for prop in concept.get("property", []):
                if prop.get("code") in ("parent", "subsumedBy") and prop.get("valueCode"):
                    self.parent[concept["code"]] = prop["valueCode"]
                    self.children.setdefault(prop["valueCode"], []).append(concept["code"])

    def descendants(self, code: str) -> set[str]:
        found, stack = set(), list(self.children.get(code, []))
        while stack:
            c = stack.pop()
            if c not in found:
                found.add(c)
                stack += self.children.get(c, [])
        return found

    @cached_property
    def codes(self) -> set[str]:
        return set(self.parent)


class Terminology:
    def __init__(self, definitions: Definitions):
        self.definitions = definitions
        self._systems: dict[str, CodeSystemIndex | None] = {}
        self._expansions: dict[str, frozenset | None] = {}

    def code_system(self, url: str) -> CodeSystemIndex | None:
        url = url.split("|", 1)[0]
        if url not in self._systems:
            resource = self.definitions.code_systems.get(url)
            self._systems[url] = CodeSystemIndex(resource) if resource else None
        return self._systems[url]

    def knows(self, system: str, code: str) -> bool | None:
        """Whether a code exists in a complete code system that is loaded; None when that cannot be told."""
        cs = self.code_system(system)
        if cs is None or not cs.complete:
            return None
        return code in cs.codes

    def expand(self, url: str) -> frozenset[tuple[str, str]] | None:
        """The (system, code) pairs of a value set, or None when it cannot be expanded from what is loaded."""
        url = url.split("|", 1)[0]
        if url not in self._expansions:
            self._expansions[url] = None  # a value set that includes itself is not expandable
            vs = self.definitions.value_sets.get(url)
            self._expansions[url] = self._expand(vs) if vs else None
        return self._expansions[url]

    def _expand(self, vs: dict) -> frozenset | None:
        if "compose" not in vs:
            contains = vs.get("expansion", {}).get("contains")
            return frozenset(_flatten(contains)) if contains else None
        found: set = set()
        for include in vs["compose"].get("include", []):
            part = self._part(include)
            if part is None:
                return None
            found |= part
        for exclude in vs["compose"].get("exclude", []):
            part = self._part(exclude)
            if part is None:
                return None
            found -= part
        return frozenset(found)

    def _part(self, rule: dict) -> set | None:
        sets = []
        for other in rule.get("valueSet", []):
            expanded = self.expand(other)
            if expanded is None:
                return None
            sets.append(set(expanded))
        system = rule.get("system")
        if system:
            if rule.get("concept"):
                codes = {(system, c["code"]) for c in rule["concept"]}
                cs = self.code_system(system)
                if cs is not None and cs.complete:
                    codes = {(s, c) for s, c in codes if c in cs.codes}
            else:
                cs = self.code_system(system)
                if cs is None or not cs.complete:
                    return None
                selected = set(cs.codes)
                for f in rule.get("filter", []):
                    if f.get("property") != "concept" and f.get("op") != "=":
                        return None
                    op, value = f.get("op"), f.get("value")
                    if op == "is-a":
                        selected &= {value} | cs.descendants(value) if value in cs.codes else set()
                    elif op == "descendent-of":
                        selected &= cs.descendants(value)
                    elif op == "=" and f.get("property") == "concept":
                        selected &= {value}
                    else:
                        return None
                codes = {(system, c) for c in selected}
            sets.append(codes)
        if not sets:
            return set()
        result = sets[0]
        for other in sets[1:]:
            result &= other
        return result


def _flatten(contains):
    for c in contains:
        if c.get("code"):
            yield (c.get("system", ""), c["code"])
        yield from _flatten(c.get("contains", []))
