"""The flat method names of gtcode 0.1 (`p.apply_code`, `p.new_memo`…), kept for one release so notebooks keep
working: each warns once with its new name in a namespace (`p.coding.apply`, `p.memos.new`…).

`p.codes()`, `p.cases()`, `p.memos(...)` and `p.model(...)` keep working too: those namespaces are callable.
Whole-project jobs are no longer on the Project: call `gtcode.report.thesis.write_report(p, …)`,
`gtcode.exchange.export_qdpx(p, …)`, `gtcode.team.merge.merge_project(p, …)` directly.
"""

from __future__ import annotations

import warnings

#: old name → "namespace.method"
RENAMED = {
    "import_paths": "docs.import_paths", "count_files": "docs.count_files", "documents": "docs.list",
    "document": "docs.get", "document_text": "docs.text", "segments": "docs.segments", "segment": "docs.segment",
    "turns": "docs.turns", "link_document": "docs.link",
    "case": "cases.get", "set_case": "cases.set", "import_cases": "cases.import_file",
    "code": "codes.get", "add_code": "codes.add", "rename_code": "codes.rename", "move_code": "codes.move",
    "describe_code": "codes.describe", "merge_codes": "codes.merge", "split_code": "codes.split",
    "delete_code": "codes.delete", "code_counts": "codes.counts",
    "apply_code": "coding.apply", "apply_code_to_spans": "coding.apply_spans", "search_spans": "coding.search_spans",
    "remove_code": "coding.remove", "invivo": "coding.invivo", "passages": "coding.passages",
    "autocode": "review.autocode", "pending": "review.pending", "accept": "review.accept", "reject": "review.reject",
    "import_codebook": "codebook.import_file", "export_codebook": "codebook.export",
    "new_memo": "memos.new", "edit_memo": "memos.edit", "memo": "memos.get", "memos_about": "memos.about",
    "memo_history": "memos.history", "link_memo": "memos.link", "unlink_memo": "memos.unlink",
    "comment_memo": "memos.comment", "signoff_memo": "memos.signoff", "memo_types": "memos.types",
    "add_memo_type": "memos.add_type",
    "new_category": "model.new_category", "add_to_category": "model.add_to_category",
    "categories": "model.categories", "add_property": "model.add_property", "set_property": "model.set_property",
    "place": "model.place", "properties": "model.properties", "relate": "model.relate", "unrelate": "model.unrelate",
    "relations": "model.relations", "relation_types": "model.relation_types",
    "add_relation_type": "model.add_relation_type", "paradigm": "model.paradigm", "set_core": "model.set_core",
    "check_model": "model.check",
    "search": "analysis.search", "retrieve": "analysis.retrieve", "compare": "analysis.compare",
    "kwic": "analysis.kwic", "freq": "analysis.freq", "cooccurrence": "analysis.cooccurrence",
    "matrix": "analysis.matrix", "saturation": "analysis.saturation",
    "suggest_relations": "analysis.suggest_relations",
    "agreement": "team.agreement", "disagreements": "team.disagreements", "settle": "team.settle",
    "redact_check": "redact.check", "redact_apply": "redact.apply",
    "log": "history.log", "undo": "history.undo", "events": "history.events",
}


def deprecated(old: str, new: str) -> None:
    warnings.warn(f"Project.{old} is deprecated; use Project.{new}", DeprecationWarning, stacklevel=3)


class LegacyNames:
    """Resolves an old flat name to its namespaced method, with a DeprecationWarning."""

    def __getattr__(self, name: str):
        target = RENAMED.get(name)
        if target is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        space, method = target.split(".")
        deprecated(name, target)
        return getattr(object.__getattribute__(self, space), method)
