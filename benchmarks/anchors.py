"""gtcode anchor benchmark: re-importing a corrected 20,000-word transcript that carries 1,000 anchors.

    python benchmarks/anchors.py [--words 20000] [--anchors 1000] [--runs 5]

Builds one interview of `--words` words (two speakers, sentences of 8-16 words) and anchors `--anchors`
segments of it (at most two in three), in the proportions a working project has: 70 % codings, 10 % memo links, 10 % relation
evidence, 10 % property placements. Then times, as medians:

* the diff alone (`anchors.unchanged_blocks`) between the transcript and a corrected copy (one sentence in the
  middle deleted, one word fixed near the start);
* the plan (`anchors.plan`: read every anchor and place it);
* the whole `import --replace` of the corrected file through the library (read, segment, carry, write);
* a `docs edit` of the same document in place, and its undo.

Goal: the carry well under a second. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

GOAL_S = 1.0
VOCAB = ("film camera baby mum felt nervous watched guider session home visit trust judged proud moment smile "
         "talk help health visitor partner sleep tired worry video review strengths attunement notice").split()


def transcript(words: int, rng: random.Random) -> str:
    turns, count, n = [], 0, 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            k = rng.randint(8, 16)
            sentences.append(" ".join(rng.choice(VOCAB) for _ in range(k)).capitalize() + f" s{n}.")
            n += 1
            count += k + 1
        turns.append(("I" if len(turns) % 2 == 0 else "P01") + ": " + " ".join(sentences))
    return "\n\n".join(turns) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=20_000)
    ap.add_argument("--anchors", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from gtcode import Project, anchors

    rng = random.Random(7)
    text = transcript(args.words, rng)
    tmp = Path(tempfile.mkdtemp(prefix="gtcode-anchors-"))
    (tmp / "P01.txt").write_text(text, encoding="utf-8")
    with Project.init(tmp / "proj", coder="bench") as p:
        p.docs.import_paths([tmp / "P01.txt"], interviewer="I")
        segs = p.docs.segments("D1")
        chosen = rng.sample(segs, min(args.anchors, len(segs) * 2 // 3))
        n_code = int(len(chosen) * 0.7)
        n_rest = (len(chosen) - n_code) // 3
        p.codes.add("B")
        p.model.new_category("Cat")
        p.model.add_property("Cat", "size", "small..big")
        with p.transaction():
            for i, s in enumerate(chosen[:n_code]):
                p.coding.apply(s.address, f"Code {i % 40}", create=True)
            links = chosen[n_code:n_code + n_rest]
            p.memos.new("Anchors", " ".join(f"[[{s.address}]]" for s in links))
            p.model.relate("Code 0", "facilitates", "B",
                           evidence=[s.address for s in chosen[n_code + n_rest:n_code + 2 * n_rest]])
            p.model.place("Cat", "size", [f"{s.address}=big" for s in chosen[n_code + 2 * n_rest:]])
        held = len(anchors.document_anchors(p.store, 1))
        # The correction: one unanchored sentence in the middle deleted, one unanchored word fixed near the start.
        anchored = {s.text for s in chosen}
        free = [s for s in segs if s.text not in anchored]
        middle = free[len(free) // 2].text
        early = free[1].text
        corrected = text.replace(middle + " ", "", 1).replace(early, early.replace(" ", "  ", 1), 1)
        words = len(text.split())

        def timed(fn):
            runs = []
            for _ in range(args.runs):
                t = time.perf_counter()
                fn()
                runs.append(time.perf_counter() - t)
            return statistics.median(runs)

        diff_s = timed(lambda: anchors.unchanged_blocks(text, corrected))
        plan = anchors.plan(p.store, 1, text, corrected)
        plan_s = timed(lambda: anchors.plan(p.store, 1, text, corrected))
        (tmp / "P01.txt").write_text(corrected, encoding="utf-8")
        t = time.perf_counter()
        report = p.docs.import_paths([tmp / "P01.txt"], replace=True, interviewer="I")
        replace_s = time.perf_counter() - t
        kept = len(anchors.document_anchors(p.store, 1))
        # `gtcode docs edit`: the same kind of correction made in place (another sentence taken out).
        edited = corrected.replace(free[len(free) // 3].text + " ", "", 1)
        t = time.perf_counter()
        done = p.docs.edit("D1", edited)
        edit_s = time.perf_counter() - t
        undo_t = time.perf_counter()
        p.history.undo()
        undo_s = time.perf_counter() - undo_t
    print(f"transcript: {words:,} words, {held:,} anchors ({n_code} codings, {n_rest} memo links, "
          f"{n_rest} relation evidence, {len(chosen) - n_code - 2 * n_rest} placements)")
    print(f"  diff (word tokens)             {diff_s * 1000:8.1f} ms")
    print(f"  plan (read + place anchors)    {plan_s * 1000:8.1f} ms   goal < {GOAL_S * 1000:.0f} ms   "
          f"({plan.moved} move, {len(plan.broken)} break)")
    print(f"  import --replace, whole        {replace_s * 1000:8.1f} ms   ({report.outcomes[0].status}; "
          f"{kept:,} anchors after)")
    print(f"  docs edit, whole               {edit_s * 1000:8.1f} ms   goal < {GOAL_S * 1000:.0f} ms   "
          f"({done.moved:,} moved, {done.kept:,} stayed, {len(done.dropped)} dropped)")
    print(f"  undo of that edit              {undo_s * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
