"""`project.memos`, `project.model`, `project.analysis`, `project.team`, `project.redact`, `project.history`."""

from __future__ import annotations

from gtcode.errors import InputError
from gtcode.project._base import Namespace, as_list


class Memos(Namespace):
    """Memos: typed, linked, versioned; comments and sign-off for supervision (`gtcode memo …`)."""

    legacy_call = ("memos()", "memos.list()")

    def new(self, title: str, body: str, *, type: str = "theoretical", links: list[str] | None = None):
        """Write a memo; returns (memo, unresolved [[references]]). An empty body creates nothing."""
        from gtcode.memos import create_memo

        with self._transaction() as txn:
            return create_memo(self._store, txn, title, body, type, links)

    def edit(self, ref, *, title: str | None = None, body: str | None = None):
        """A new version of the memo (old versions are kept); returns (memo, unresolved references)."""
        from gtcode.memos import edit_memo

        with self._transaction() as txn:
            return edit_memo(self._store, txn, ref, title, body)

    def get(self, ref):
        from gtcode.memos import get_memo

        return get_memo(self._store, ref)

    def list(self, **filters):
        """Memos, oldest first; filters: type, code, author, since, unreviewed."""
        from gtcode.memos import list_memos

        return list_memos(self._store, **filters)

    def about(self, target_uuid: str):
        """Memos linked to a code, document or memo."""
        from gtcode.memos import memos_about

        return memos_about(self._store, target_uuid)

    def history(self, ref):
        """Every version of the memo, oldest first."""
        from gtcode.memos import history

        return history(self._store, ref)

    def link(self, ref, specs):
        """Link a memo to one target or several (all or none: one transaction)."""
        from gtcode.memos import link_memo

        with self._transaction() as txn:
            links = [link_memo(self._store, txn, ref, spec) for spec in as_list(specs)]
        return links if not isinstance(specs, str) else links[0]

    def unlink(self, ref, spec: str) -> int:
        from gtcode.memos import unlink_memo

        with self._transaction() as txn:
            return unlink_memo(self._store, txn, ref, spec)

    def comment(self, ref, text: str, reply_to: int | None = None):
        """A review comment by the current coder (a supervisor uses their own name)."""
        from gtcode.memos import comment_memo

        with self._transaction() as txn:
            return comment_memo(self._store, txn, ref, text, reply_to)

    def signoff(self, ref, note: str = ""):
        """Record that the current coder has read this version of the memo."""
        from gtcode.memos import signoff_memo

        with self._transaction() as txn:
            return signoff_memo(self._store, txn, ref, note)

    def check_type(self, name: str) -> str:
        """The memo type as stored, or InputError naming the known types (checked before an editor opens)."""
        from gtcode.memos import check_type

        return check_type(self._store, name)

    def types(self) -> list[dict]:
        from gtcode.memos import memo_types

        return memo_types(self._store)

    def add_type(self, name: str, description: str = "") -> str:
        from gtcode.memos import add_memo_type

        with self._transaction() as txn:
            return add_memo_type(self._store, txn, name, description)


class Model(Namespace):
    """Axial and selective coding: categories, properties, relations, paradigm, core (`category`, `relate`,
    `paradigm`, `core`, `model …`)."""

    legacy_call = ("model()", "model.show()")

    def new_category(self, name: str, parent: str | None = None, description: str = ""):
        """A new category, or an existing code promoted to one."""
        from gtcode.model import new_category

        with self._transaction() as txn:
            return new_category(self._store, txn, name, parent, description)

    def add_to_category(self, category: str, codes) -> list[str]:
        from gtcode.model import add_to_category

        with self._transaction() as txn:
            return add_to_category(self._store, txn, category, as_list(codes))

    def categories(self):
        from gtcode.model import categories

        return categories(self._store)

    def category(self, name: str, by: str | None = "role") -> dict:
        """`category show`: codes, properties and their evidence, relations, grounding by attribute, memos."""
        from gtcode.analysis.grounding import category_view

        return category_view(self._store, name, by)

    def add_property(self, category: str, name: str, dimension: str | None = None, description: str = ""):
        from gtcode.model import add_property

        with self._transaction() as txn:
            return add_property(self._store, txn, category, name, dimension, description)

    def set_property(self, category: str, name: str, dimension: str | None = None, description: str = "",
                     at=None) -> int:
        """Add or change a property and place evidence on it, in one transaction; returns passages placed."""
        from gtcode.model import set_property

        with self._transaction() as txn:
            return set_property(self._store, txn, category, name, dimension, description, list(at or []))

    def place(self, category: str, prop: str, placements) -> int:
        """Evidence on a property's dimension: ['D3:17=high', …]."""
        from gtcode.model import place

        with self._transaction() as txn:
            return place(self._store, txn, category, prop, as_list(placements))

    def properties(self, category: str):
        from gtcode.model import category as get_category, properties

        return properties(self._store, get_category(self._store, category))

    def relate(self, source: str, type: str, target: str, *, memo=None, evidence=None, note: str = "") -> dict:
        """SOURCE TYPE TARGET, grounded in evidence (addresses) and/or a memo."""
        from gtcode.model import relate

        evidence = as_list(evidence) if evidence is not None else None
        with self._transaction() as txn:
            return relate(self._store, txn, source, type, target, memo=memo, evidence=evidence, note=note)

    def unrelate(self, source: str, type: str, target: str) -> None:
        from gtcode.model import unrelate

        with self._transaction() as txn:
            unrelate(self._store, txn, source, type, target)

    def relations(self, type: str | None = None, category: str | None = None):
        from gtcode.model import relations

        return relations(self._store, type, category)

    def relation_types(self) -> list[dict]:
        from gtcode.model import relation_types

        return relation_types(self._store)

    def add_relation_type(self, name: str, label: str = "", polarity: str = "0") -> str:
        from gtcode.model import add_relation_type

        with self._transaction() as txn:
            return add_relation_type(self._store, txn, name, label, polarity)

    def paradigm(self, phenomenon: str, **roles) -> dict:
        """condition=, context=, intervening=, strategy=, consequence= (lists of categories); none shows it."""
        from gtcode.model import PARADIGM, paradigm, paradigm_view

        unknown = set(roles) - set(PARADIGM)
        if unknown:
            raise InputError(f"paradigm roles are {', '.join(PARADIGM)}; not {', '.join(sorted(unknown))}")
        if not any(roles.values()):
            return paradigm_view(self._store, phenomenon)
        with self._transaction() as txn:
            return paradigm(self._store, txn, phenomenon, roles)

    def set_core(self, category: str):
        from gtcode.model import set_core

        with self._transaction() as txn:
            return set_core(self._store, txn, category)

    def show(self, by: str | None = "role") -> dict:
        """The core category and, by role, what relates to it, each with its grounding."""
        from gtcode.analysis.grounding import model_view

        return model_view(self._store, by)

    def check(self, min_evidence: int = 2):
        """The rigour report: what is not yet grounded or connected."""
        from gtcode.analysis.grounding import check

        return check(self._store, min_evidence)


class Analysis(Namespace):
    """Read-only questions: search, constant comparison, words, co-occurrence, matrix, saturation."""

    def search(self, query: str, *, where=None, speaker: str | None = None, limit: int | None = 50,
               exact: bool = False):
        """(hits, total) ranked best first; words match their stem (film: films, filmed), or with `exact` only
        as typed (case aside)."""
        from gtcode.analysis.search import exact_hits, search
        from gtcode.scope import Scope

        sc = Scope.from_where(self._store, where)
        if not exact:
            return search(self._store, query, sc.clause, sc.params, speaker, limit)
        hits = exact_hits(search(self._store, query, sc.clause, sc.params, speaker, None)[0], query)
        return (hits[:limit] if limit else hits), len(hits)

    def retrieve(self, code, **options):
        """Every passage of CODE (and children), grouped by case, document or attribute."""
        from gtcode.analysis.retrieve import retrieve

        return retrieve(self._store, code, **options)

    def compare(self, a, b, **options):
        """Passages with A only, B only and both, split by case attributes."""
        from gtcode.analysis.retrieve import compare

        return compare(self._store, a, b, **options)

    def kwic(self, term: str, **options):
        """Keyword in context, lemma-aware."""
        from gtcode.analysis.words import kwic

        return kwic(self._store, term, **options)

    def freq(self, **options):
        """Content-word (or lemma) frequencies, optionally by attribute."""
        from gtcode.analysis.words import freq

        return freq(self._store, **options)

    def cooccurrence(self, codes=None, by: str = "segment", where=None, **options):
        """Code × code co-occurrence by segment, turn or document, with Jaccard."""
        from gtcode.analysis.cooccurrence import cooccurrence

        return cooccurrence(self._store, codes, by, where, **options)

    def matrix(self, cols: str, **options):
        """Codes or categories × values of a case attribute."""
        from gtcode.analysis.cooccurrence import matrix

        return matrix(self._store, cols, **options)

    def saturation(self, order: str = "imported", last: int = 3, **options):
        """New codes per interview and the share new in the last `last`."""
        from gtcode.analysis.saturation import saturation

        return saturation(self._store, order, last, **options)

    def suggest_relations(self) -> list[dict]:
        """Candidate relations from co-occurrence, strongest first; never applied."""
        from gtcode.analysis.cooccurrence import suggest_relations

        return suggest_relations(self._store)


class Team(Namespace):
    """Double coding: agreement between coders, and settling what they disagree on (`gtcode agreement …`)."""

    def agreement(self, *, coders: list[str] | None = None, codes: list[str] | None = None, unit: str = "segment",
                  where=None, pending_of: list[str] | None = None):
        """Percent agreement, Cohen's kappa and Krippendorff's alpha per code, and pooled; `pending_of`: coders
        whose pending codings count too (e.g. gtcode-suggest against a person)."""
        from gtcode.team.agreement import agreement

        return agreement(self._store, coders=coders, codes=codes, unit=unit, where=where, pending_of=pending_of)

    def disagreements(self, code: str, *, coders: list[str] | None = None, unit: str = "segment", where=None):
        """(coders, units where they differ on `code`), for the team to discuss and settle."""
        from gtcode.team.agreement import disagreements

        return disagreements(self._store, code, coders=coders, unit=unit, where=where)

    def settle(self, address: str, code: str, *, keep: bool, coders: list[str] | None = None) -> dict:
        """Record the team's decision on a disputed unit: keep the code for every coder, or drop it."""
        from gtcode.team.agreement import settle

        with self._transaction() as txn:
            return settle(self._store, txn, address, code, keep, coders)


class Redact(Namespace):
    """Confidentiality (`gtcode redact check/apply`)."""

    def check(self, key=None, *, detectors: bool = True):
        """What the key's names and the detectors still find in documents, memos, codes, cases and the log."""
        from gtcode.redact import Pseudonymiser, check

        return check(self._store, Pseudonymiser.from_key(key, detectors))

    def apply(self, key, *, detectors: bool = True):
        """Pseudonymise what is already stored; codings stay on the same words. Cannot be undone."""
        from gtcode.assist.index import forget_changed
        from gtcode.redact import Pseudonymiser, apply, compact

        pseudonymiser = Pseudonymiser.from_key(key, detectors)
        with self._transaction() as txn:
            report = apply(self._store, txn, pseudonymiser)
            forget_changed(self._store)   # the AI index's counts of the replaced words go too
        report.compacted = compact(self._store)  # VACUUM cannot run inside a transaction: after the commit
        return report


class History(Namespace):
    """The audit log and exact undo (`gtcode log`, `gtcode undo`)."""

    def log(self, *, code=None, coder: str | None = None, since: str | None = None, limit: int | None = 50):
        """Events, newest first, filtered by code, coder and date."""
        from gtcode.codes import resolve_code
        from gtcode.history import log

        uuids = [resolve_code(self._store, code).uuid] if code else None
        return log(self._store, code_uuids=uuids, coder=coder, since=since, limit=limit)

    def events(self, limit: int | None = None) -> list[dict]:
        """Every event as recorded, newest first."""
        from gtcode.history import events

        return events(self._store, limit)

    def undo(self, steps: int = 1) -> list[dict]:
        """Reverse this coder's last `steps` commands exactly; recorded as an event itself."""
        from gtcode.history import undo

        with self._transaction() as txn:
            return undo(self._store, txn, steps)
