"""Writing the code tree out as a codebook: YAML (re-imports to the same tree), CSV or Markdown."""

from __future__ import annotations

import json
import re

from gtcode.codebook.read import TEXT_FIELDS
from gtcode.codes import Code, all_codes, resolve_code, subtree
from gtcode.errors import InputError
from gtcode.store.db import Store

FORMATS = ("yaml", "csv", "md")


def _selected(store: Store, code: str | None) -> tuple[list[Code], list[Code]]:
    """(codes to export, ancestors to name) for the whole tree or one code's subtree."""
    codes = all_codes(store)
    if code is None:
        return codes, []
    top = resolve_code(store, code, codes)
    parts = top.path.split("/")
    ancestors = [resolve_code(store, "/".join(parts[:i]), codes) for i in range(1, len(parts))]
    return subtree(codes, top), ancestors


def _fields(code: Code) -> dict:
    out: dict = {"name": code.name}
    for key in TEXT_FIELDS:
        if getattr(code, key):
            out[key] = getattr(code, key)
    if code.color:
        out["color"] = code.color
    if code.invivo:
        out["invivo"] = True
    if code.patterns:
        out["patterns"] = list(code.patterns)
    return out


def codebook_tree(store: Store, code: str | None = None) -> list[dict]:
    """The code tree as nested dicts in codebook form (empty fields left out)."""
    chosen, ancestors = _selected(store, code)
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for a in ancestors:  # named only, so a re-import puts the subtree in its place and leaves them alone
        node = {"name": a.name}
        (nodes[a.parent_id].setdefault("codes", []) if a.parent_id in nodes else roots).append(node)
        nodes[a.id] = node
    for c in chosen:
        node = _fields(c)
        (nodes[c.parent_id].setdefault("codes", []) if c.parent_id in nodes else roots).append(node)
        nodes[c.id] = node
    return roots


def pattern_text(pattern) -> str:
    """A pattern as one line: the phrase, or a token pattern as compact JSON."""
    if isinstance(pattern, str):
        return pattern
    return json.dumps(pattern, ensure_ascii=False, separators=(", ", ": "))


def export_yaml(store: Store, code: str | None = None, title: str | None = None) -> str:
    import yaml

    class Flow(list):
        pass

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow=False, indentless=False):  # indent lists under their key
            return super().increase_indent(flow, False)

    Dumper.add_representer(Flow, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data,
                                                                       flow_style=True))

    def prepare(node: dict) -> dict:
        if "patterns" in node:
            node["patterns"] = [Flow(p) if isinstance(p, list) else p for p in node["patterns"]]
            if all(isinstance(p, str) for p in node["patterns"]):
                node["patterns"] = Flow(node["patterns"])
        for child in node.get("codes", []):
            prepare(child)
        return node

    tree = [prepare(n) for n in codebook_tree(store, code)]
    header = ("# gtcode codebook" + (f": {title}" if title else "") + "\n"
              "# Edit and re-import with: gtcode codebook import FILE (adds and updates codes, never deletes)\n")
    body = yaml.dump({"codes": tree}, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1_000_000,
                     default_flow_style=False)
    return header + body


def export_csv(store: Store, code: str | None = None) -> str:
    import csv
    import io

    chosen, _ = _selected(store, code)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["path", "level", "name", "parent", "description", "include", "exclude", "example", "color",
                     "invivo", "patterns"])
    for c in chosen:
        writer.writerow([c.path, c.depth + 1, c.name, c.path.rpartition("/")[0], c.description, c.include, c.exclude,
                         c.example, c.color or "", "yes" if c.invivo else "",
                         "; ".join(pattern_text(p) for p in c.patterns)])
    return buf.getvalue()


def _md(text: str) -> str:
    """Text inside Markdown: one paragraph, markup characters escaped."""
    text = " ".join(text.split())
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def export_md(store: Store, code: str | None = None, title: str | None = None) -> str:
    chosen, _ = _selected(store, code)
    lines = [f"# Codebook{': ' + _md(title) if title else ''}", ""]
    if not chosen:
        lines += ["No codes yet.", ""]
    base = min((c.depth for c in chosen), default=0)
    for c in chosen:
        level = min(2 + c.depth - base, 6)
        lines += [f"{'#' * level} {_md(c.name)}" + (" (in vivo)" if c.invivo else ""), ""]
        lines += [f"Path: `{c.path}`" + (f" · colour `{c.color}`" if c.color else ""), ""]
        if c.description:
            lines += [_md(c.description), ""]
        rows = [(label, getattr(c, key)) for key, label in (("include", "Include"), ("exclude", "Exclude"),
                                                            ("example", "Example")) if getattr(c, key)]
        for label, value in rows:
            value = f"“{_md(value)}”" if label == "Example" else _md(value)
            lines.append(f"- **{label}:** {value}")
        if c.patterns:
            lines.append("- **Autocoding patterns:** " + ", ".join(f"`{pattern_text(p)}`" for p in c.patterns))
        if rows or c.patterns:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def export_codebook(store: Store, fmt: str = "yaml", code: str | None = None, title: str | None = None) -> str:
    """The code tree (or one code's subtree) as YAML, CSV or Markdown text."""
    fmt = fmt.lower().lstrip(".")
    fmt = {"yml": "yaml", "markdown": "md"}.get(fmt, fmt)
    if fmt == "yaml":
        return export_yaml(store, code, title)
    if fmt == "csv":
        return export_csv(store, code)
    if fmt == "md":
        return export_md(store, code, title)
    raise InputError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)} (or qdc, docx)")
