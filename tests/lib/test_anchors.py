"""Anchors follow their words through any edit of a transcript, or are reported: property-based."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from gtcode.anchors import map_spans, unchanged_blocks

WORDS = ["she", "said", "the", "camera", "felt", "odd", "mum", "baby", "film", "I", "was", "nervous", "."]


@st.composite
def transcript_and_edit(draw):
    tokens = draw(st.lists(st.sampled_from(WORDS), min_size=5, max_size=60))
    old = " ".join(tokens)
    # token boundaries of `old`, so spans and edits fall on words as a researcher's would
    bounds, pos = [], 0
    for t in tokens:
        bounds.append((pos, pos + len(t)))
        pos += len(t) + 1
    i = draw(st.integers(0, len(tokens) - 1))
    j = draw(st.integers(i, min(len(tokens), i + 6)))
    inserted = draw(st.lists(st.sampled_from(WORDS + ["changed", "words"]), max_size=4))
    new_tokens = tokens[:i] + inserted + tokens[j:]
    new = " ".join(new_tokens)
    spans = []
    for _ in range(draw(st.integers(1, 12))):
        a = draw(st.integers(0, len(tokens) - 1))
        b = draw(st.integers(a, min(len(tokens) - 1, a + 5)))
        spans.append((bounds[a][0], bounds[b][1]))
    return old, new, spans, (bounds[i][0], bounds[j - 1][1] if j > i else bounds[i][0]), (i, j, len(inserted))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(transcript_and_edit())
def test_a_surviving_anchor_keeps_exactly_its_words(case):
    old, new, spans, _, _ = case
    for (a, b), place in zip(spans, map_spans(unchanged_blocks(old, new), spans)):
        if place is not None:
            assert new[place[0]:place[1]] == old[a:b]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(transcript_and_edit())
def test_anchors_away_from_the_edit_always_survive(case):
    old, new, spans, (edit_start, edit_end), (i, j, n_inserted) = case
    if old == new:
        assert map_spans(unchanged_blocks(old, new), spans) == spans
        return
    # Where words repeat ("she she said" + "she she"), where the edit happened is ambiguous from the texts alone:
    # an insertion of repeated words may be aligned before or after their twins. Then an anchor may land on an
    # identical copy or be reported, never on other words (test_a_surviving_anchor_keeps_exactly_its_words).
    old_unique = len(set(old.split())) == len(old.split())
    for (a, b), place in zip(spans, map_spans(unchanged_blocks(old, new), spans)):
        # wholly before the edited words (and the space before them)
        if b < edit_start - 1 and old_unique and len(set(new.split())) == len(new.split()):
            assert place == (a, b)
        # Wholly after the edit: moved by the change in length.
        if a > edit_end + 1 and j > i and old_unique:
            assert place is not None and new[place[0]:place[1]] == old[a:b]


def test_an_edit_inside_an_anchor_breaks_it():
    old = "Alpha sentence one. Bravo sentence two. Charlie sentence three."
    new = "Alpha sentence one. Bravo sentence 2. Charlie sentence three."
    spans = [(0, 19), (20, 39), (40, 63)]
    places = map_spans(unchanged_blocks(old, new), spans)
    assert places[0] == (0, 19) and places[1] is None and new[places[2][0]:places[2][1]] == old[40:63]


SENTENCES = ["Alpha one.", "Bravo two.", "Charlie three.", "Delta four.", "Echo five.", "Foxtrot six.",
             "Golf seven.", "Hotel eight."]


def _anchor_texts(p):
    """kind → sorted words of every anchor in D1."""
    from gtcode.anchors import document_anchors

    return sorted((a.kind, a.what, a.words) for a in document_anchors(p.store, 1))


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None)
@given(order=st.permutations(SENTENCES), picks=st.lists(st.integers(0, 7), min_size=4, max_size=4),
       drop=st.integers(0, 7), reword=st.booleans())
def test_replacing_a_transcript_carries_anchors_of_every_kind_or_refuses(tmp_path_factory, order, picks, drop,
                                                                        reword):
    from gtcode import Project

    folder = tmp_path_factory.mktemp("study")
    text = "I: Tell me.\n\nP01: " + " ".join(order) + "\n"
    (folder / "P01.txt").write_text(text, encoding="utf-8")
    with Project.init(folder / "proj", coder="tester") as p:
        p.docs.import_paths([folder / "P01.txt"], interviewer="I")
        seg = [f"D1:{n + 2}" for n in picks]                        # D1:1 is the question
        p.codes.add("A")
        p.codes.add("B")
        p.coding.apply(seg[0], "A")
        p.memos.new("m", f"See [[{seg[1]}]].")
        p.model.relate("A", "facilitates", "B", evidence=[seg[2]])
        p.model.new_category("Cat")
        p.model.set_property("Cat", "size", "small..big", at=[f"{seg[3]}=big"])
        before = _anchor_texts(p)
        edited = order[drop].replace(".", ", reworded.") if reword else ""
        new_text = "I: Tell me.\n\nP01: " + " ".join(x for x in (*order[:drop], edited, *order[drop + 1:]) if x) + "\n"
        (folder / "P01.txt").write_text(new_text, encoding="utf-8")
        touched = order[drop] in {a[2] for a in before}
        dump = list(p.store.conn.iterdump())
        report = p.docs.import_paths([folder / "P01.txt"], replace=True, interviewer="I")
        if touched:                                                  # an anchored sentence changed: refused
            assert report.count("failed") == 1 and order[drop] in report.outcomes[0].message
            assert list(p.store.conn.iterdump()) == dump
            report = p.docs.import_paths([folder / "P01.txt"], replace=True, force=True, interviewer="I")
            assert _anchor_texts(p) == [a for a in before if a[2] != order[drop]]
        else:                                                        # every anchor on its words
            assert report.count("replaced") == 1
            assert _anchor_texts(p) == before
        assert p.docs.text("D1") == new_text
