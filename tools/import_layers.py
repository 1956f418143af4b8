"""An import-linter contract for Trædesten's layers (docs/architecture.md).

Every module in the package is placed in one layer; the contract lists each import that goes where its layer may not.

- entry: the project's root modules (urls, api, settings, wsgi, cli). Anything may be imported here; nothing imports them.
- kernel: `core`. Imports nothing else from the project.
- domain: the domain apps, in the order given; an app imports only apps before it.
- gate, then use cases: above every domain app.
- composition: apps that assemble the others (overview, insights, interchange, demo), in the order given.
- channel: the modules that face a user or a machine (views and any `*_views`, API, forms, admin, URLs, commands,
  template tags) in any app. A channel may import any layer below entry. Of another app's channel it may import only the shared parts
  (`shared_channels`: forms and template tags) and the kernel's and the gate's helpers; never its views or API.
"""

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class LayersContract(Contract):
    kernel = fields.StringField()
    domain = fields.ListField(subfield=fields.StringField())
    gate = fields.StringField()
    usecases = fields.StringField()
    composition = fields.ListField(subfield=fields.StringField())
    channels = fields.ListField(subfield=fields.StringField())
    shared_channels = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        root = self.kernel.rsplit(".", 1)[0]
        broken = []
        for importer in sorted(graph.modules):
            if not importer.startswith(root + "."):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if imported.startswith(root + ".") or imported == root:
                    problem = self._problem(self.place(importer), self.place(imported))
                    if problem:
                        lines = graph.get_import_details(importer=importer, imported=imported)
                        broken.append((importer, imported, [d["line_number"] for d in lines], problem))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines, problem in check.metadata["broken"]:
            output.print_error(f"{importer} -> {imported} (l. {', '.join(map(str, lines))}): {problem}")
        output.new_line()

    def place(self, module: str) -> tuple[str, str, int]:
        """(layer, app, rank) of a module; a channel's rank is 1 for a shared part (forms, template tags)."""
        parts = module.split(".")
        app = ".".join(parts[:2])
        if len(parts) < 2 or app not in self.apps():
            return ("entry", module, 0)
        if len(parts) > 2 and (parts[2] in self.channels or parts[2].endswith("_views")):
            shared = parts[2] in self.shared_channels or app in (self.kernel, self.gate)
            return ("channel", app, int(shared))
        if app == self.kernel:
            return ("kernel", app, 0)
        if app in self.domain:
            return ("domain", app, self.domain.index(app))
        if app == self.gate:
            return ("gate", app, 0)
        if app == self.usecases:
            return ("usecases", app, 0)
        return ("composition", app, self.composition.index(app))

    def apps(self) -> set[str]:
        return {self.kernel, self.gate, self.usecases, *self.domain, *self.composition}

    def _problem(self, source: tuple[str, str, int], target: tuple[str, str, int]) -> str:
        (layer, app, rank), (t_layer, t_app, t_rank) = source, target
        if app == t_app and (layer == t_layer or t_layer != "channel"):
            return ""
        if t_layer == "entry" and layer != "entry":
            return "nothing imports the project's root modules"
        if layer in ("entry",):
            return ""
        if layer == "channel":
            return "a channel does not import another app's views or API" if t_layer == "channel" and not t_rank else ""
        if t_layer == "channel":
            return "only channels of the same app import a channel"
        allowed = {
            "kernel": set(),
            "domain": {"kernel", "domain"},
            "gate": {"kernel", "domain"},
            "usecases": {"kernel", "domain", "gate"},
            "composition": {"kernel", "domain", "gate", "usecases", "composition"},
        }[layer]
        if t_layer not in allowed:
            return f"the {layer} layer does not import the {t_layer} layer"
        if t_layer == layer and t_rank >= rank:
            order = self.domain if layer == "domain" else self.composition
            return f"{app} comes before {t_app} in {order}"
        return ""
