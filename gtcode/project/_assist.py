"""`project.assist`: local AI assistance that suggests and never applies (`gtcode similar`, `suggest`, `explore`,
`ai …`). Every run first checks the user's switch and the project lock, and is recorded in the audit log."""

from __future__ import annotations

from gtcode.project._base import Namespace, as_list


class Assist(Namespace):
    """Similar passages, contrast cases, suggested codes, groupings; the AI switch and lock."""

    def _run(self, what: str, params: dict, compute, *, write=None):
        """Check the switches, compute (reads only), then record the run (and any writes) as one command."""
        from gtcode.assist.governance import check_allowed, record_run

        check_allowed(self._store)
        result, info, counts = compute()
        with self._transaction() as txn:
            if write is not None:
                counts = counts | write(txn, result)
            record_run(txn, what, info, params, counts)
        return result

    def similar(self, address: str, *, top: int = 10, where=None, unit: str = "segment") -> dict:
        """The participant passages in other documents most like the one at `address`, with their codes."""
        from gtcode.assist.similar import similar

        def compute():
            r = similar(self._store, address, top=top, where=where, unit=unit)
            return r, r["info"], {"compared": r["compared"], "shown": len(r["results"])}
        return self._run("similar", {"address": address, "top": top, "where": as_list(where or []), "unit": unit},
                         compute)

    def contrast(self, code: str, *, top: int = 10, where=None) -> dict:
        """A code's passages least like its others: candidate negative cases, most different first."""
        from gtcode.assist.similar import contrast

        def compute():
            r = contrast(self._store, code, top=top, where=where)
            return r, r["info"], {"passages": r["passages"], "shown": len(r["results"])}
        return self._run("contrast", {"code": code, "top": top, "where": as_list(where or [])}, compute)

    def suggest(self, refs=None, *, unit: str = "segment", top: int = 3, where=None, apply: bool = False):
        """Codes ranked for uncoded passages (a `SuggestRun`); with `apply`, pending codings by `gtcode-suggest`."""
        from gtcode.assist.suggest import apply_suggestions, suggest

        def compute():
            run = suggest(self._store, as_list(refs or []), unit=unit, top=top, where=where)
            return run, run.info, {"passages": len(run.items), "trained_on": run.trained_on,
                                   "suggestions": sum(len(s) for _, s in run.items)}

        def write(txn, run):
            return {"applied": sum(apply_suggestions(self._store, txn, run).values())}
        return self._run("suggest", {"refs": as_list(refs or []), "unit": unit, "top": top,
                                     "where": as_list(where or []), "apply": apply}, compute,
                         write=write if apply else None)

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
                                 f"document(s) here are not ({listed}): run gtcode redact apply KEY.csv, or "
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

    # --- governance ------------------------------------------------------------------------------------------
    def status(self) -> dict:
        """The user's switch, the project lock, the local model setting and the latest runs."""
        from gtcode.assist.governance import lock_state, runs, user_switch
        from gtcode.config import load_config

        config = load_config()
        return {"user": user_switch(), "lock": lock_state(self._store), "llm": config.get("llm"),
                "llm_model": config.get("llm_model"), "runs": runs(self._store)}

    def lock(self, reason: str = "") -> dict:
        """Lock every AI command for this project (recorded, with the reason)."""
        return self._set_lock(True, reason)

    def unlock(self, reason: str = "") -> dict:
        return self._set_lock(False, reason)

    def _set_lock(self, locked: bool, reason: str) -> dict:
        from gtcode.assist.governance import set_lock

        with self._transaction() as txn:
            return set_lock(self._store, txn, locked, reason)
