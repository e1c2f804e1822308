"""Merging memos from another coder's project: memos match by uuid and their versions by uuid or text; the
other's newer versions are added, a memo edited in both is reported; links, comments and sign-offs follow.
"""

from __future__ import annotations

from collections import defaultdict

from gtcode.team.merge_state import Merger


def memos(merge: Merger) -> None:
    types = {r[0].casefold(): r[0] for r in merge.store.all("SELECT name FROM memo_types")}
    for r in merge.rows("SELECT * FROM memo_types ORDER BY id"):
        if r["name"].casefold() in types:
            merge.count("memo types", "present")
        else:
            merge.insert("memo_types", dict(r, builtin=0))
            types[r["name"].casefold()] = r["name"]
            merge.count("memo types", "added")
    ours = {r["uuid"]: r["id"] for r in merge.store.all("SELECT id, uuid FROM memos")}
    versions: dict[int, list] = defaultdict(list)
    for r in merge.store.all("SELECT * FROM memo_versions ORDER BY memo_id, version"):
        versions[r["memo_id"]].append(dict(r))
    vuuids = {v["uuid"] for vs in versions.values() for v in vs}
    theirs: dict[int, list] = defaultdict(list)
    for r in merge.rows("SELECT * FROM memo_versions ORDER BY memo_id, version"):
        theirs[r["memo_id"]].append(r)
    for m in merge.rows("SELECT * FROM memos ORDER BY id"):
        other_versions = theirs[m["id"]]
        if m["uuid"] not in ours:
            row = dict(m, type=types[m["type"].casefold()], created_by=merge.coder[m["created_by"]])
            memo_id = merge.memo[m["id"]] = merge.insert("memos", row)
            for v in other_versions:
                merge.insert("memo_versions", dict(v, memo_id=memo_id, created_by=merge.coder[v["created_by"]]),
                             vuuids)
                merge.version[(m["id"], v["version"])] = v["version"]
                merge.count("memo versions", "added")
            merge.latest_same[memo_id] = True
            merge.count("memos", "added")
            continue
        memo_id = merge.memo[m["id"]] = ours[m["uuid"]]
        _reconcile_memo(merge, m, memo_id, versions[memo_id], other_versions, vuuids)


def _reconcile_memo(merge: Merger, m: dict, memo_id: int, mine: list[dict], theirs: list[dict], vuuids: set) -> None:
    """Versions match by uuid or text; the other's newer versions are added, a divergence is reported."""
    def match(v):
        return next((x for x in mine if x["uuid"] == v["uuid"] or
                     (x["version"], x["title"], x["body"]) == (v["version"], v["title"], v["body"])), None) \
            or next((x for x in mine if (x["title"], x["body"]) == (v["title"], v["body"])), None)

    if not theirs or not mine:
        merge.count("memos", "present")
        return
    matched = [match(v) for v in theirs]
    for v, x in zip(theirs, matched):
        if x is not None:
            merge.version[(m["id"], v["version"])] = x["version"]
    merge.count("memo versions", "present", sum(x is not None for x in matched))
    k = next((i for i, x in enumerate(matched) if x is None), len(theirs))
    ahead = k == len(mine) and all(x is not None and x["version"] == i + 1 for i, x in enumerate(matched[:k]))
    if k == len(theirs) or not ahead and matched[-1] is not None:
        merge.count("memos", "present")   # nothing new, or the other's latest text is already here
        merge.latest_same[memo_id] = (theirs[-1]["title"], theirs[-1]["body"]) == (mine[-1]["title"],
                                                                                   mine[-1]["body"])
        return
    number = mine[-1]["version"]
    for v in theirs[k:] if ahead else theirs[-1:]:
        number += 1
        merge.insert("memo_versions", dict(v, memo_id=memo_id, version=number,
                                           created_by=merge.coder[v["created_by"]]), vuuids)
        merge.version[(m["id"], v["version"])] = number
        merge.count("memo versions", "added")
    for v in theirs:   # a diverged intermediate version: comments on it go to the new one
        merge.version.setdefault((m["id"], v["version"]), number)
    # The [[references]] of the text that is now latest are the other project's.
    merge.conn.execute("DELETE FROM memo_links WHERE memo_id = ? AND source = 'reference'", (memo_id,))
    merge.latest_same[memo_id] = True
    merge.count("memos", "updated")
    if not ahead:
        merge.warn(f"memo #{memo_id} {mine[-1]['title']!r} was edited in both projects; {merge.label}'s latest "
                   f"text is now version {number} (earlier versions keep this project's) — reconcile them")


def memo_parts(merge: Merger) -> None:
    memo_uuids = {r[0] for r in merge.store.all("SELECT uuid FROM memos")}
    ours = merge.store.all("SELECT * FROM memo_links")
    uuids = {r["uuid"] for r in ours}
    keys = {(r["memo_id"], r["target_type"], r["target_uuid"], r["start_char"], r["end_char"], r["source"])
            for r in ours}
    for r in merge.rows("SELECT * FROM memo_links ORDER BY id"):
        memo_id, kind = merge.memo[r["memo_id"]], r["target_type"]
        if kind in ("code", "category"):
            target = merge.code_uuid.get(r["target_uuid"], r["target_uuid"])
        elif kind in ("document", "segment"):
            target = merge.doc_uuid.get(r["target_uuid"])
        else:
            target = r["target_uuid"] if r["target_uuid"] in memo_uuids else None
        key = (memo_id, kind, target, r["start_char"], r["end_char"], r["source"])
        if r["uuid"] in uuids or key in keys:
            merge.count("memo links", "present")
        elif target is None:
            doc = next((d for d in merge.other_docs.values() if d["uuid"] == r["target_uuid"]), None)
            if doc is not None:
                merge.lost[doc["id"]] += 1
            merge.count("memo links", "skipped")
        elif r["source"] == "reference" and not merge.latest_same.get(memo_id):
            merge.count("memo links", "skipped")   # a reference in an older text; this project's text is newer
        else:
            keys.add(key)
            merge.insert("memo_links", dict(r, memo_id=memo_id, target_uuid=target,
                                            created_by=merge.coder[r["created_by"]]), uuids)
            merge.count("memo links", "added")
    for table, kind in (("memo_comments", "comments"), ("memo_signoffs", "sign-offs")):
        ours_ids = {r["uuid"]: r["id"] for r in merge.store.all(f"SELECT id, uuid FROM {table}")}
        ids: dict[int, int] = {}
        for r in merge.rows(f"SELECT * FROM {table} ORDER BY id"):
            if r["uuid"] in ours_ids:
                ids[r["id"]] = ours_ids[r["uuid"]]
                merge.count(kind, "present")
                continue
            row = dict(r, memo_id=merge.memo[r["memo_id"]], created_by=merge.coder[r["created_by"]],
                       version=merge.version.get((r["memo_id"], r["version"]), r["version"]))
            if r.get("parent_id") is not None:
                row["parent_id"] = ids.get(r["parent_id"])
            ids[r["id"]] = merge.insert(table, row)
            merge.count(kind, "added")
