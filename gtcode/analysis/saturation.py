"""Code saturation: how many new codes each transcript adds, in interview order.

The rule of thumb reported is Guest, Bunce & Johnson (2006) as operationalised
by Guest, Namey & Chen (2020): saturation when a run of interviews (here the
last K) adds no more than a small share (here 5 %) of new information, measured
as the new codes in the run as a share of all codes identified so far. It is a
heuristic for planning and reporting, not proof that a theory is saturated in
Glaser and Strauss's sense (categories whose properties are fully developed).

Only confirmed codings count, and only transcripts with at least one: an
uncoded transcript would otherwise look like one that added nothing new.
`plot_saturation` draws the curve with matplotlib, imported only then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gtcode.codes import all_codes
from gtcode.errors import InputError
from gtcode.scope import Scope, as_list, case_values, natural_key, resolve_attribute
from gtcode.store.db import Store
from gtcode.records import Record

ORDERS = ("imported", "name")
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
RULE = ("Guest, Bunce & Johnson (2006); Guest, Namey & Chen (2020): saturation when a run of {k} "
        "interview{s} adds ≤ {t:g}% new codes (new codes in the run as a share of all codes so far)")

# Date layouts tried, in order, for --order ATTRIBUTE; a layout is used only if every value fits it.
# Day-first before month-first: 03/04/2024 is 3 April in the UK, where gtcode's sample study was done.
_DATES = (("%Y-%m-%d", "YYYY-MM-DD"), ("%Y-%m-%dT%H:%M", "YYYY-MM-DDTHH:MM"), ("%Y-%m-%d %H:%M", "YYYY-MM-DD HH:MM"),
          ("%d/%m/%Y", "DD/MM/YYYY"), ("%m/%d/%Y", "MM/DD/YYYY"), ("%d.%m.%Y", "DD.MM.YYYY"),
          ("%d %B %Y", "D Month YYYY"), ("%d %b %Y", "D Mon YYYY"), ("%B %d %Y", "Month D YYYY"))


@dataclass
class SaturationRow(Record):
    """One coded transcript in interview order."""

    position: int             # 1-based, in the order chosen
    document_id: int
    document: str
    case: str | None
    key: str | None           # its value of the ordering attribute (None for imported/name order, or missing)
    codes: int                # distinct codes in this transcript
    new: int                  # codes seen here for the first time
    new_codes: list[str]      # their paths
    cumulative: int           # distinct codes so far, this transcript included
    run_share: float | None   # % new codes in the run of `last` transcripts ending here (None: too early)
    in_window: bool = False   # one of the last K

    @property
    def label(self) -> str:
        return f"D{self.document_id}"



@dataclass
class Saturation:
    order: str                # imported | name | an attribute
    order_kind: str           # how the order was sorted: import order, name, date YYYY-MM-DD, number, text
    last: int                 # K
    threshold: float          # %
    where: list[str]
    rows: list[SaturationRow]
    uncoded: list[str] = field(default_factory=list)        # transcripts in scope with no confirmed coding
    missing_order: list[str] = field(default_factory=list)  # coded transcripts without the ordering attribute

    @property
    def total_codes(self) -> int:
        return self.rows[-1].cumulative if self.rows else 0

    @property
    def new_in_window(self) -> int:
        return sum(r.new for r in self.rows[-self.last:]) if self.rows else 0

    @property
    def share(self) -> float | None:
        """% of all codes first seen in the last K transcripts; None when there are not more than K."""
        return self.rows[-1].run_share if self.rows else None

    @property
    def reached(self) -> bool | None:
        """Whether the last K transcripts meet the rule; None when it cannot be judged."""
        return None if self.share is None else self.share <= self.threshold

    @property
    def first_reached(self) -> SaturationRow | None:
        """The first transcript at which a run of K met the rule (it may not have stayed met)."""
        return next((r for r in self.rows if r.run_share is not None and r.run_share <= self.threshold), None)

    @property
    def rule(self) -> str:
        return RULE.format(k=self.last, s="" if self.last == 1 else "s", t=self.threshold)

    @property
    def verdict(self) -> str:
        k = f"{self.last} transcript{'' if self.last == 1 else 's'}"
        if not self.rows:
            return "No coded transcripts yet: nothing to judge."
        if self.share is None:
            return (f"Too few coded transcripts to judge: {len(self.rows)}; a run of the last {k} needs at least "
                    f"{self.last + 1}.")
        head = "Saturation reached by this rule" if self.reached else "Not saturated by this rule"
        sign = "≤" if self.reached else ">"
        text = (f"{head}: the last {k} added {self.new_in_window} new code{'' if self.new_in_window == 1 else 's'}, "
                f"{self.share:.1f}% of the {self.total_codes} codes so far ({sign} {self.threshold:g}%).")
        first = self.first_reached
        if first is not None and (not self.reached or first is not self.rows[-1]):
            text += f" A run first met it at transcript {first.position} ({first.label} {first.document})."
        return text

    def to_dict(self) -> dict:
        return {"order": self.order, "order_kind": self.order_kind, "last": self.last, "threshold": self.threshold,
                "where": self.where, "rule": self.rule, "total_codes": self.total_codes,
                "new_in_window": self.new_in_window,
                "share": None if self.share is None else round(self.share, 2), "reached": self.reached,
                "first_reached": None if self.first_reached is None else self.first_reached.position,
                "verdict": self.verdict, "uncoded": self.uncoded, "missing_order": self.missing_order,
                "rows": [r.to_dict() for r in self.rows]}


def _date(value: str, layout: str) -> datetime | None:
    try:
        return datetime.strptime(" ".join(value.replace(",", " ").split()), layout)
    except ValueError:
        return None


def _number(value: str) -> float | None:
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return None


def _sorter(values: list[str]):
    """(description, key function): dates if every value is a date in one layout, else numbers, else text."""
    if values:
        for layout, shown in _DATES:
            if all(_date(v, layout) is not None for v in values):
                return f"date {shown}", lambda v, layout=layout: (_date(v, layout),)
        if all(_number(v) is not None for v in values):
            return "number", lambda v: (_number(v),)
    return "text", natural_key


def saturation(store: Store, order: str = "imported", last: int = 3, *, threshold: float = 5.0,
               where=None) -> Saturation:
    """New codes per transcript in interview order, the cumulative count, and the share new in the last K.

    `order`: "imported" (import order), "name" (document names, P2 before P10) or a case attribute such as
    an interview date (then name). `where` limits it to some cases (`role=mother`).
    """
    if last < 1:
        raise InputError(f"--last {last}: expected 1 or more transcripts")
    if not 0 <= threshold <= 100:
        raise InputError(f"--threshold {threshold:g}: expected a percentage from 0 to 100")
    where = as_list(where)
    key = str(order).strip()
    attribute = None if key.casefold() in ORDERS else resolve_attribute(store, key, "--order")
    order = attribute or key.casefold()
    scope = Scope.from_where(store, where)
    clause, params = scope.clause, scope.params
    docs = store.all('SELECT d.id, d.name, d.case_id, c.name AS "case" FROM documents d '
                     f"LEFT JOIN cases c ON c.id = d.case_id WHERE {clause} ORDER BY d.id", params)
    coded: dict[int, list[int]] = {}
    for doc_id, code_id in store.all(
            "SELECT g.document_id, g.code_id FROM codings g JOIN documents d ON d.id = g.document_id "
            f"WHERE {clause} AND g.status = 'confirmed' GROUP BY g.document_id, g.code_id", params):
        coded.setdefault(doc_id, []).append(code_id)
    uncoded = [d["name"] for d in docs if d["id"] not in coded]
    docs = [d for d in docs if d["id"] in coded]

    values: dict[int, str] = {}
    missing: list[str] = []
    if order == "imported":
        kind = "import order"
    elif order == "name":
        kind = "name"
        docs.sort(key=lambda d: natural_key(d["name"]))
    else:
        by_case = case_values(store, attribute)
        values = {d["id"]: by_case[d["case_id"]] for d in docs if d["case_id"] in by_case}
        kind, value_key = _sorter(sorted(set(values.values())))
        missing = [d["name"] for d in docs if d["id"] not in values]
        docs.sort(key=lambda d: (d["id"] not in values, value_key(values[d["id"]]) if d["id"] in values else (),
                                 natural_key(d["name"])))

    paths = {c.id: c.path for c in all_codes(store)}
    seen: set[int] = set()
    rows: list[SaturationRow] = []
    for position, d in enumerate(docs, 1):
        here = set(coded[d["id"]])
        new = sorted(here - seen, key=lambda c: paths[c].casefold())
        seen |= here
        rows.append(SaturationRow(position, d["id"], d["name"], d["case"], values.get(d["id"]), len(here), len(new),
                                  [paths[c] for c in new], len(seen), None))
    for i, row in enumerate(rows):
        if i >= last:   # a run of K with at least one transcript before it
            row.run_share = 100.0 * sum(r.new for r in rows[i - last + 1:i + 1]) / row.cumulative
    for row in rows[-last:] if len(rows) > last else []:
        row.in_window = True
    return Saturation(order, kind, last, threshold, where, rows, uncoded, missing)


def check_plot_path(path) -> Path:
    """The plot's file, if matplotlib can write it: .png, .svg or .pdf, in a folder that exists."""
    path = Path(path)
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise InputError(f"-o {path}: the plot is written as .png, .svg or .pdf, not {path.suffix or 'no suffix'!r}")
    if path.is_dir():
        raise InputError(f"-o {path}: is a folder; name a file, e.g. {path / 'saturation.png'}")
    if not path.parent.is_dir():
        raise InputError(f"-o {path}: folder {path.parent} does not exist")
    return path


def order_phrase(result: Saturation) -> str:
    """How the transcripts were ordered, e.g. 'by interview_date (date YYYY-MM-DD), then document name'."""
    if result.order == "imported":
        return "in import order"
    if result.order == "name":
        return "by document name"
    return f"by {result.order} ({result.order_kind}), then document name"


def _caption(result: Saturation) -> str:
    """The rule and where the curve stands, short enough for a line under the title."""
    rule = (f"Rule (Guest et al. 2006, 2020): a run of {result.last} adding ≤ {result.threshold:g}% new codes.")
    if result.share is None:
        return f"{rule} Too few transcripts to judge."
    state = "met" if result.reached else "not met"
    return (f"{rule} Last {result.last}: {result.new_in_window} new of {result.total_codes} codes "
            f"({result.share:.1f}%): {state}.")


#: Up to this many transcripts, a bar each (matplotlib's `bar`); beyond, one collection of the same rectangles.
PATCH_BARS = 500


def _bars(ax, x, heights, *, width: float, **style) -> None:
    """Bars at x: one patch each (matplotlib's bar) up to a few hundred transcripts, one collection of the same
    rectangles beyond (ten thousand patches take seconds to add and draw, and are thinner than a pixel)."""
    if len(x) <= PATCH_BARS:
        ax.bar(x, heights, width=width, **style)
        return
    import numpy as np
    from matplotlib.collections import PolyCollection

    half = width / 2
    left, right = np.asarray(x, dtype=float) - half, np.asarray(x, dtype=float) + half
    top, zero = np.asarray(heights, dtype=float), np.zeros(len(x))
    # one (n, 4, 2) array rather than a list of corner lists: matplotlib then builds the paths in one go
    corners = np.stack([np.stack(c, axis=1) for c in ((left, zero), (left, top), (right, top), (right, zero))], axis=1)
    ax.add_collection(PolyCollection(corners, facecolors=style["color"], edgecolors="none",
                                     zorder=style.get("zorder")))
    ax.bar(x[:1], [0], width=width, **style)      # an empty bar carries the legend entry, where a bar's goes


def plot_saturation(result: Saturation, path, *, title: str | None = None) -> Path:
    """Write the saturation curve (.png, .svg or .pdf): bars of new codes, a line of the cumulative total, and
    the last K transcripts shaded. Sized for an A4 page; text stays text in SVG and PDF, so it can be edited."""
    path = check_plot_path(path)
    if not result.rows:
        raise InputError("nothing to plot: no transcript has a confirmed coding yet")
    import matplotlib

    from matplotlib.figure import Figure

    rows = result.rows
    x = list(range(1, len(rows) + 1))
    fonts = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.size": 9}
    with matplotlib.rc_context(fonts):
        fig = Figure(figsize=(8.27, 4.6), layout="constrained")   # A4 width, in inches
        ax = fig.subplots()
        _bars(ax, x, [r.new for r in rows], color="#4C72B0", width=0.7, label="New codes in this transcript",
              zorder=2)
        ax.plot(x, [r.cumulative for r in rows], color="#C44E52", marker="o", markersize=3, linewidth=1.6,
                label="Cumulative codes", zorder=3)
        if any(r.in_window for r in rows):
            start = len(rows) - result.last + 0.5
            ax.axvspan(start, len(rows) + 0.5, color="#999999", alpha=0.18, zorder=1,
                       label=f"Last {result.last}: {result.share:.1f}% new (threshold {result.threshold:g}%)")
        step = max(1, -(-len(rows) // 40))    # at most ~40 tick labels
        ax.set_xticks(x[::step], [r.document for r in rows][::step], rotation=90 if len(rows) > 12 else 0,
                      fontsize=7 if len(rows) > 12 else 8)
        ax.set_xlim(0.4, len(rows) + 0.6)
        ax.set_ylim(0, max(r.cumulative for r in rows) * 1.08 + 0.5)
        ax.set_xlabel(f"Transcript ({order_phrase(result)})")
        ax.set_ylabel("Codes")
        fig.suptitle(title or "Code saturation: new codes per transcript", fontsize=11)
        ax.set_title(_caption(result), fontsize=7.5, loc="left", color="#444444")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
    from gtcode.files import atomic_file

    with atomic_file(path) as temp:   # whole or not at all; a full disk is a one-line error
        fig.savefig(temp, dpi=200, format=path.suffix.lower().lstrip("."))
    return path
