"""Messages and help that read right to a newcomer (issue 18): what a command says when it cannot do what was
asked, counts in words ("1 document", "2 passages"), and the forms people type (a slash in a code name, an
address written twice, `--since yesterday`)."""

from __future__ import annotations

import json
import shlex

import pytest

from gtcode.text import clip, plural

from tests.conftest import invoke
from tests.lib import test_coding as lib
from tests.lib.test_coding import coding_rows

coded = lib.coded  # one interview, P01; codes Barriers/Fear of judgement, Facilitators/Strengths-based focus


def one_error(res, *parts: str) -> str:
    """The command failed with exit 1 and one `Error:` line holding every part."""
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith("Error: ") and len(res.stderr.strip().splitlines()) == 1, res.stderr
    for part in parts:
        assert part in res.stderr, res.stderr
    return res.stderr


# --- wording helpers ----------------------------------------------------------------------------------------
def test_plural_and_clip():
    assert [plural(1, "document"), plural(2, "passage"), plural(1_204, "category", "categories")] == [
        "1 document", "2 passages", "1,204 categories"]
    assert clip("a\nb  c") == "a b c"
    cut = clip("word " * 30)
    assert len(cut) == 70 and cut.endswith("…") and not cut.endswith(" …")


# --- code --search off a terminal -------------------------------------------------------------------------
def test_code_search_without_a_terminal_says_pass_yes_and_codes_nothing(coded):
    before = coding_rows(coded)
    res = invoke(coded, "code", "--search", "camera OR evidence", "Fear of judgement", input="", ok=False)
    assert res.exit_code == 1 and "unexpected" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].startswith("Error: nothing coded") and "pass --yes" in res.stderr
    assert coding_rows(coded) == before


def test_code_search_says_how_many_more_it_will_code_than_it_shows(coded, monkeypatch):
    import gtcode.cli.coding

    monkeypatch.setattr(gtcode.cli.coding, "PREVIEW", 1)
    res = invoke(coded, "code", "--search", "camera OR evidence", "Fear of judgement", "--yes")
    assert "2 matches, showing the first 1" in res.stderr and "All 2 will be coded" in res.stderr
    assert [p.address for p in coded.coding.passages("Fear of judgement")] == ["D1:2", "D1:3"]


# --- log --since --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("since", ["banana", "2026-13-01"])
def test_log_since_refuses_what_is_not_a_date(coded, since):
    one_error(invoke(coded, "log", "--since", since, ok=False), f"--since {since!r}: not a date")


def test_log_since_takes_the_forms_audit_takes(coded):
    invoke(coded, "code", "D1:2", "Fear of judgement")
    for since in ("today", "yesterday", "7d", "2w"):
        assert json.loads(invoke(coded, "log", "--since", since, "--json").stdout), since
    assert json.loads(invoke(coded, "log", "--since", "2999-01-01", "--json").stdout) == []


def test_log_filters_by_person_with_by(coded):
    invoke(coded, "code", "D1:2", "Fear of judgement", coder="Sam")
    events = json.loads(invoke(coded, "log", "--by", "sam", "--json").stdout)
    assert events and {e["coder"] for e in events} == {"Sam"}


# --- memo history, piped ------------------------------------------------------------------------------------
def test_memo_history_piped_shows_a_change_late_in_a_long_line(coded):
    start = "She said the camera made her feel watched, " * 6
    invoke(coded, "memo", "new", "--title", "Watched", "--body", start + "and then it helped.")
    invoke(coded, "memo", "edit", "1", "--body", start + "and then it stopped mattering.")
    out = invoke(coded, "memo", "history", "1").stdout          # not a terminal: 120 columns
    assert "[-helped-]" in out and "{+stopped mattering+}" in out
    assert max(len(line) for line in out.splitlines()) <= 120


# --- code names with a slash; missing parents; --create ---------------------------------------------------
def test_a_code_name_may_hold_a_slash(coded):
    invoke(coded, "codes", "add", r"Either\/or thinking", "--parent", "Barriers")
    codes = [c["path"] for c in json.loads(invoke(coded, "codes", "list", "--json").stdout)]
    assert r"Barriers/Either\/or thinking" in codes
    invoke(coded, "code", "D1:2", "Either/or thinking")             # the name typed whole finds it
    invoke(coded, "code", "D1:3", r"Barriers/Either\/or thinking")  # and so does the path
    assert [p.address for p in coded.coding.passages(r"Barriers/Either\/or thinking")] == ["D1:2", "D1:3"]


def test_a_missing_parent_is_named_as_such(coded):
    before = coding_rows(coded)
    err = one_error(invoke(coded, "codes", "add", "Costs/Travel", ok=False), "parent 'Costs' does not exist",
                    "gtcode codes add 'Costs'", r"gtcode codes add 'Costs\/Travel'")
    assert "no code" not in err
    assert coding_rows(coded) == before


def test_invivo_words_may_hold_a_slash_and_its_errors_do_not_mention_quote(coded):
    one_error(invoke(coded, "invivo", "D1:2,4", "evidence", ok=False), "invivo needs one segment")
    assert "--quote" not in invoke(coded, "invivo", "D1:2,4", "evidence", ok=False).stderr


def test_no_code_mentions_create_and_did_you_mean_lists_a_code_once(coded):
    err = one_error(invoke(coded, "code", "D1:2", "Fear of judgment", ok=False),
                    "no code 'Fear of judgment'", "pass --create")
    assert err.count("Fear of judgement") == 1            # once, not as its name and again as its path
    assert "pass --create" not in invoke(coded, "codes", "show", "Fear of judgment", ok=False).stderr


def test_codes_move_takes_the_new_parent_as_an_argument(coded):
    invoke(coded, "codes", "move", "Fear of judgement", "Facilitators")
    assert coded.codes.get("Fear of judgement").path == "Facilitators/Fear of judgement"
    one_error(invoke(coded, "codes", "move", "Fear of judgement", "Barriers", "--parent", "Facilitators",
                     ok=False), "give one")


# --- addresses ----------------------------------------------------------------------------------------------
def test_an_address_with_the_document_twice_or_a_list_in_one_argument(coded):
    invoke(coded, "code", "D1:2-D1:3", "Fear of judgement")
    invoke(coded, "code", "D1:5, D1:6", "Strengths-based focus")
    assert [p.address for p in coded.coding.passages("Fear of judgement")] == ["D1:2-3"]
    assert [p.address for p in coded.coding.passages("Strengths-based focus")] == ["D1:5", "D1:6"]  # as two args
    one_error(invoke(coded, "code", "D1:2-D2:3", "Fear of judgement", ok=False),
              "a range stays within one document")


def test_docs_show_past_the_last_segment_is_an_error_like_code(coded):
    n = coded.docs.get("D1").segments
    one_error(invoke(coded, "docs", "show", "D1", "--segments", "600-700", ok=False),
              f"has segments 1-{n}; no segment 600-700")
    tail = invoke(coded, "docs", "show", "D1", "--segments", f"{n}-700")
    assert f"has {n} segments" in tail.stderr and tail.stdout.strip()


# --- counts in words ----------------------------------------------------------------------------------------
def test_stats_counts_codes_codings_memos_and_categories(coded):
    invoke(coded, "code", "D1:2", "D1:4", "Fear of judgement")
    invoke(coded, "memo", "new", "--title", "First thoughts", "--body", "Evidence.")
    data = json.loads(invoke(coded, "stats", "--json").stdout)
    assert (data["codes"], data["codings"], data["memos"], data["categories"]) == (4, 2, 1, 0)
    out = invoke(coded, "stats").stdout
    for label, value in (("Codes", "4"), ("Codings", "2"), ("Memos", "1"), ("Categories", "0")):
        assert any(line.split()[:2] == [label, value] for line in out.splitlines()), label


def test_counts_are_in_words_not_s_in_brackets(coded):
    invoke(coded, "code", "D1:2", "Fear of judgement")
    show = invoke(coded, "codes", "show", "Fear of judgement").stdout
    assert "1 coding in 1 document, 1 case" in show and "(s)" not in show
    assert "1 doc · 1 case" in invoke(coded, "codes", "tree").stdout
    assert "Removed or trimmed 1 coding." in invoke(coded, "uncode", "D1:2", "Fear of judgement").stderr


# --- the audit's reasons ------------------------------------------------------------------------------------
def test_the_audit_shows_a_command_as_typed_not_shell_quoted(coded):
    from gtcode.report.audit import readable_command

    typed = ["gtcode", "codes", "rename", "Mother's guilt", "Guilt or shame"]
    assert readable_command(shlex.join(typed)) == """gtcode codes rename "Mother's guilt" 'Guilt or shame'"""
    coded.codes.add("Mother's guilt")
    invoke(coded, "codes", "rename", "Mother's guilt", "A mother's guilt")
    md = invoke(coded, "audit", "--all", "--format", "md").stdout
    assert """codes rename "Mother's guilt" "A mother's guilt\"""" in md and "'\"'\"'" not in md


def test_invivo_words_with_a_slash_become_a_code(coded, tmp_path):
    (tmp_path / "P09.txt").write_text("Interviewer: And work?\n\nP09: It was all feature/enhancement work then.\n",
                                      encoding="utf-8")
    invoke(coded, "import", tmp_path / "P09.txt")
    res = invoke(coded, "invivo", "D2:2", "feature/enhancement work")
    assert r"'feature\/enhancement work'" in res.stderr
    assert [p.address for p in coded.coding.passages("feature/enhancement work")] == ["D2:2"]
