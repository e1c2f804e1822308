"""`project.assist`: local AI assistance that suggests and never applies (`gtcode similar`, `suggest`, `explore`,
`ai …`). Every run first checks the user's switch and the project lock, and is recorded in the audit log."""

from __future__ import annotations

from gtcode.project._base import Namespace, as_list


class Assist(Namespace):
    """Similar passages, contrast cases, suggested codes, groupings; the AI switch and lock."""

    def _run(self, what: str, params: dict, compute, *, write=None, index: bool = False):
        """Check the switches, compute (reads only), then record the run (and any writes) as one command.

        With `index`, the stored passage index is brought up to date first: `compute(refresh)` gets what was
        counted in memory, and it is stored in the run's transaction."""
        from gtcode.assist.governance import check_allowed, record_run

        check_allowed(self._store)
        refresh = None
        if index:
            from gtcode.assist.index import plan

            refresh = plan(self._store)
        result, info, counts = compute(refresh) if index else compute()
        with self._transaction() as txn:
            if refresh is not None and refresh.documents:
                refresh.write(self._store)
                counts = counts | ({"indexed": refresh.counted} if refresh.counted else {})
            if write is not None:
                counts = counts | write(txn, result)
            record_run(txn, what, info, params, counts)
        return result

    def similar(self, address: str, *, top: int = 10, where=None, unit: str = "segment") -> dict:
        """The participant passages in other documents most like the one at `address`, with their codes."""
        from gtcode.assist.similar import similar

        def compute(refresh=None):
            r = similar(self._store, address, top=top, where=where, unit=unit, refresh=refresh)
            return r, r["info"], {"compared": r["compared"], "shown": len(r["results"])}
        return self._run("similar", {"address": address, "top": top, "where": as_list(where or []), "unit": unit},
                         compute, index=unit == "segment")

    def contrast(self, code: str, *, top: int = 10, where=None) -> dict:
        """A code's passages least like its others: candidate negative cases, most different first."""
        from gtcode.assist.similar import contrast

        def compute():
            r = contrast(self._store, code, top=top, where=where)
            return r, r["info"], {"passages": r["passages"], "shown": len(r["results"])}
        return self._run("contrast", {"code": code, "top": top, "where": as_list(where or [])}, compute)

    def suggest(self, refs=None, *, unit: str = "segment", top: int = 3, where=None, apply: bool = False,
                explain: bool = False):
        """Codes ranked for uncoded passages (a `SuggestRun`); with `apply`, pending codings by `gtcode-suggest`;
        with `explain`, the local model's one-sentence rationale for each passage's top suggestion."""
        from gtcode.assist.suggest import apply_suggestions, explain as explain_run, sent_addresses, suggest

        def compute(refresh):
            model = None
            if explain:
                from gtcode.assist.llm import LocalModel

                model = LocalModel.from_config()
            run = suggest(self._store, as_list(refs or []), unit=unit, top=top, where=where, refresh=refresh)
            counts = {"passages": len(run.items), "trained_on": run.trained_on,
                      "suggestions": sum(len(s) for _, s in run.items)}
            if model is None:
                return run, run.info, counts
            self._pseudonymised_only(sent_addresses(run))
            run.info |= model.info
            return run, run.info, counts | {"explained": explain_run(self._store, run, model)}

        def write(txn, run):
            return {"applied": sum(apply_suggestions(self._store, txn, run).values())}
        return self._run("suggest", {"refs": as_list(refs or []), "unit": unit, "top": top,
                                     "where": as_list(where or []), "apply": apply, "explain": explain}, compute,
                         write=write if apply else None, index=True)

    def explore(self, *, k: int = 6, where=None, unit: str = "segment", name: bool = False,
                memo: str | None = None) -> dict:
        """Groupings of uncoded participant passages; `name` asks the local model for names; `memo` saves them."""
        from gtcode.assist.explore import explore, groups_memo

        def compute():
            r = explore(self._store, k=k, where=where, unit=unit)
            info = r["info"]
            if name:
                from gtcode.assist.llm import LocalModel, name_group

                model = LocalModel.from_config()
                self._pseudonymised_only([p["address"] for g in r["groups"] for p in g["passages"]])
                for g in r["groups"]:
                    g["name"] = name_group(model, g["words"], [p["text"] for p in g["passages"]])
                info = info | model.info
            return r, info, {"passages": r["passages"], "groups": len(r["groups"])}

        def write(txn, r):
            from gtcode.memos import create_memo

            made, _ = create_memo(self._store, txn, memo, groups_memo(r), "theoretical", None)
            r["memo"] = made.id
            return {"memo": 1}
        return self._run("explore", {"k": k, "where": as_list(where or []), "unit": unit, "name": name},
                         compute, write=write if memo else None)

    def _pseudonymised_only(self, addresses) -> None:
        """The local model is only sent pseudonymised text: refuse (naming them) when a passage's document is
        not."""
        from gtcode.documents import not_pseudonymised
        from gtcode.errors import AssistDisabled

        missing = not_pseudonymised(self._store, [int(a[1:].split(":")[0]) for a in addresses])
        if missing:
            listed = ", ".join(f"D{i} {n!r}" for i, n in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise AssistDisabled(f"the local language model is only sent pseudonymised text, and {len(missing)} "
                                 f"document{'s are' if len(missing) != 1 else ' is'} not ({listed}): "
                                 "run gtcode redact apply KEY.csv, or "
                                 "import them with --pseudonymise; nothing was sent")

    def summarise(self, code: str, *, memo: bool = False, limit: int = 30) -> dict:
        """A local model's draft summary of a code's passages, every quotation verified; `memo` saves it."""
        from gtcode.assist.llm import LocalModel, summarise

        def compute():
            model = LocalModel.from_config()
            found = self._project.coding.passages([code])[:limit]
            self._pseudonymised_only([p.address for p in found])
            data = [{"address": p.address, "text": p.text} for p in found]
            r = summarise(model, self._project.codes.get(code).path, data)
            return r, {"method": "llm-summary"} | model.info, {"passages": len(data),
                                                                "unverified": len(r["unverified"])}

        def write(txn, r):
            from gtcode.memos import create_memo

            made, _ = create_memo(self._store, txn, f"Draft summary: {r['code']} (local model, to check)",
                                  r["draft"], "code", [f"code:{r['code']}"])
            r["memo"] = made.id
            return {"memo": 1}
        return self._run("summary", {"code": code, "limit": limit}, compute, write=write if memo else None)

    # --- the stored index ------------------------------------------------------------------------------------
    def index(self) -> dict:
        """Bring the stored passage index up to date now (an AI command: refused when off or locked)."""
        from gtcode.assist.index import status

        def compute(refresh):
            return {"counted": refresh.counted, "reused": refresh.reused}, {"method": refresh.method}, {}

        def write(txn, result):
            result.update(status(self._store))
            return {"segments": result["segments"]}
        return self._run("index", {}, compute, write=write, index=True)

    def drop_index(self) -> dict:
        """Delete the stored passage index (derived from transcript words); recorded. Allowed when AI is off or
        locked. The file is then compacted so no freed page keeps the counts."""
        from gtcode.assist.index import drop
        from gtcode.redact import compact

        with self._transaction() as txn:
            held = drop(self._store, txn)
        if held["segments"]:
            held["compacted"] = compact(self._store)
        return held

    # --- governance ------------------------------------------------------------------------------------------
    def status(self) -> dict:
        """The user's switch, the project lock, the local model setting, the stored index and the latest runs."""
        from gtcode.assist.governance import lock_state, runs, user_switch
        from gtcode.assist.index import status
        from gtcode.config import load_config

        config = load_config()
        return {"user": user_switch(), "lock": lock_state(self._store), "llm": config.get("llm"),
                "llm_model": config.get("llm_model"), "index": status(self._store), "runs": runs(self._store)}

    def stored_index(self) -> dict:
        """What the stored passage index holds (segments, documents, bytes); reading it needs no AI."""
        from gtcode.assist.index import status

        return status(self._store)

    def lock(self, reason: str = "") -> dict:
        """Lock every AI command for this project (recorded, with the reason)."""
        return self._set_lock(True, reason)

    def unlock(self, reason: str = "") -> dict:
        return self._set_lock(False, reason)

    def _set_lock(self, locked: bool, reason: str) -> dict:
        from gtcode.assist.governance import set_lock
        from gtcode.assist.index import status

        with self._transaction() as txn:
            return set_lock(self._store, txn, locked, reason) | {"index": status(self._store)}
