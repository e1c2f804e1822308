"""`project.codes`, `project.coding`, `project.review` and `project.codebook`: open coding."""

from __future__ import annotations

from gtcode.project._base import Namespace, as_list


class Codes(Namespace):
    """The code tree (`gtcode codes …`)."""

    legacy_call = ("codes()", "codes.list()")

    def list(self):
        """Every code in tree order, each with its path."""
        from gtcode.codes import all_codes

        return all_codes(self._store)

    def get(self, ref):
        """A code by path (`A/B`), by name when unique, or by number (`#12`)."""
        from gtcode.codes import resolve_code

        return resolve_code(self._store, ref)

    def add(self, name: str, parent: str | None = None, **fields):
        """Add a code (`Barriers/Fear of judgement`, a slash in a name written `\\/`, or name + parent, the name
        then taken whole). Fields: description, color, …"""
        from gtcode.codes import add_code, split_parent

        if parent is None:
            parent, name = split_parent(name)
        with self._transaction() as txn:
            return add_code(self._store, txn, name, parent or None, **fields)

    def rename(self, ref, new_name: str):
        from gtcode.codes import rename_code

        with self._transaction() as txn:
            return rename_code(self._store, txn, ref, new_name)

    def move(self, ref, parent: str | None):
        from gtcode.codes import move_code

        with self._transaction() as txn:
            return move_code(self._store, txn, ref, parent)

    def describe(self, ref, **values):
        """Definition (description), include, exclude, example, color; None keeps a value."""
        from gtcode.codes import describe_code

        with self._transaction() as txn:
            return describe_code(self._store, txn, ref, **values)

    def merge(self, sources: list[str], target: str) -> dict:
        """Move every coding of `sources` onto `target` and delete the sources; memos about them follow."""
        from gtcode.codes import resolve_code
        from gtcode.coding import merge_codes
        from gtcode.memos import retarget_code_links

        with self._transaction() as txn:
            moving = [resolve_code(self._store, ref) for ref in as_list(sources)]
            result = merge_codes(self._store, txn, [c.path for c in moving], target)
            into = resolve_code(self._store, result["target"])
            for code in moving:
                retarget_code_links(self._store, code.uuid, into.uuid)
            return result

    def split(self, ref, into: str, coding_ids: list[int]) -> dict:
        """Move the chosen codings of a code onto a new or existing code."""
        from gtcode.coding import split_code

        with self._transaction() as txn:
            return split_code(self._store, txn, ref, into, list(coding_ids))

    def delete(self, ref, force: bool = False) -> dict:
        from gtcode.coding import delete_code

        with self._transaction() as txn:
            return delete_code(self._store, txn, ref, force)

    def counts(self, include_pending: bool = False, *, within=None) -> dict:
        """Per code: own codings, and codings, documents and cases of it with its children; `within` (whole
        subtrees of code ids) counts only those."""
        from gtcode.coding import code_counts

        return code_counts(self._store, include_pending, within=within)

    def summary(self, ref, by: str | None = None) -> dict:
        """`codes show`: definition, counts (overall and by case attribute), exemplars and memos."""
        from gtcode.analysis.exemplars import code_summary
        from gtcode.memos import memos_about

        data = code_summary(self._store, ref, by)
        return data | {"memos": [{"id": m.id, "title": m.title, "type": m.type, "version": m.version,
                                  "review": m.review} for m in memos_about(self._store, data["uuid"])]}


class Coding(Namespace):
    """Applying codes to words (`gtcode code`, `uncode`, `invivo`) and reading them back as passages."""

    def apply(self, addresses, codes, *, quote: str | None = None, nth: int | None = None,
              create: bool = False) -> dict:
        """Code segments (`D3:17`, `D3:17-21`, `D3:4,9`) or, with `quote`, exact words in one segment or range,
        across segments and turns; `nth` (1-based) picks one when the words occur more than once."""
        from gtcode.coding import code_spans
        from gtcode.spans import spans_for_addresses

        spans = spans_for_addresses(self._store, as_list(addresses), quote, nth)
        with self._transaction() as txn:
            return code_spans(self._store, txn, as_list(codes), spans, create=create)

    def apply_spans(self, spans, codes, *, create: bool = False) -> dict:
        """Code spans found another way (e.g. `search_spans`)."""
        from gtcode.coding import code_spans

        with self._transaction() as txn:
            return code_spans(self._store, txn, as_list(codes), list(spans), create=create)

    def document_keys(self, document_id: int) -> set:
        """(coding, code, status) of each coding in one document, to tell which codes a write changed."""
        from gtcode.coding import coding_keys

        return coding_keys(self._store, document_id)

    def search_spans(self, query: str, *, where=None, speaker: str | None = None):
        """Every search hit as a segment span, for `code --search`: (hits, spans)."""
        from gtcode.spans import Span

        hits, _ = self._project.analysis.search(query, where=where, speaker=speaker, limit=None)
        return hits, [Span(h.document_id, h.start, h.end, h.address) for h in hits]

    def remove(self, addresses, codes, *, quote: str | None = None, nth: int | None = None,
               all_coders: bool = False) -> int:
        """Take codes off segments or a quote (`nth` as in `apply`); codings that only partly overlap are trimmed."""
        from gtcode.coding import uncode_spans
        from gtcode.spans import spans_for_addresses

        spans = spans_for_addresses(self._store, as_list(addresses), quote, nth)
        with self._transaction() as txn:
            return uncode_spans(self._store, txn, as_list(codes), spans, all_coders)

    def invivo(self, address: str, quote: str, parent: str | None = None, *, nth: int | None = None):
        """Create a code named by the participant's own words and code exactly those words (`nth` as in `apply`)."""
        from gtcode.coding import code_invivo

        with self._transaction() as txn:
            return code_invivo(self._store, txn, address, quote, parent, nth)

    def passages(self, codes=None, *, where=None, include_pending: bool = False, context: int = 0,
                 children: bool = True, speaker: str | None = None):
        """Coded passages of the given codes (and their children), with address, speaker and context."""
        from gtcode.codes import select_codes
        from gtcode.coding import passages
        from gtcode.scope import Scope

        ids = select_codes(self._store, codes, children=children)
        sc = Scope.from_where(self._store, where)
        return passages(self._store, ids, sc.clause, sc.params, include_pending, context, speaker)


class Review(Namespace):
    """Autocoding and the pending suggestions it leaves for review (`gtcode autocode`, `gtcode review …`)."""

    def autocode(self, *, dry_run: bool = False, examples: int = 3, retry_rejected: bool = False, **match):
        """Suggest codings from codebook patterns, pending until reviewed. `match`: codebook, code, all_speakers,
        where, model, progress. Matching runs before the write lock is taken, so other writers wait less."""
        from gtcode.codebook.autocode import autocode_run, match_patterns

        run = match_patterns(self._store, **match)
        with self._transaction(dry_run=dry_run) as txn:
            return autocode_run(self._store, txn, run, examples=examples, retry_rejected=retry_rejected)

    def pending(self, code: str | None = None, *, where=None, context: int = 0):
        """Suggested codings waiting for review."""
        from gtcode.codebook.autocode import pending

        return pending(self._store, code, where=where, context=context)

    def accept(self, ids=None, *, code: str | None = None, all_pending: bool = False) -> dict:
        """Confirm pending codings (by id, of a code's subtree, or all); counts per code."""
        return self._decide("accept", ids, code, all_pending)

    def reject(self, ids=None, *, code: str | None = None, all_pending: bool = False) -> dict:
        """Delete pending codings; a rejected suggestion is never made again."""
        return self._decide("reject", ids, code, all_pending)

    def _decide(self, action: str, ids, code: str | None, all_pending: bool) -> dict:
        from gtcode.codebook.autocode import review

        with self._transaction() as txn:
            return review(self._store, txn, action, ids, code=code, all_pending=all_pending)


class Codebook(Namespace):
    """Codebook files (`gtcode codebook import/export`)."""

    def import_file(self, path, dry_run: bool = False):
        """Add or update codes from a YAML codebook — a file, or a bundled starter codebook's name
        (`vig-engagement`) — never deleting; returns what changed."""
        from gtcode.codebook import import_codebook_file
        from gtcode.samples import codebook_path

        with self._transaction(dry_run=dry_run) as txn:
            return import_codebook_file(self._store, txn, codebook_path(path))

    def export(self, fmt: str = "yaml", code: str | None = None) -> str:
        """The codebook (or one code's subtree) as yaml, csv or md text."""
        from gtcode.codebook import export_codebook

        return export_codebook(self._store, fmt, code, title=self._project.name)
