"""Paragraphs of formatted documents (Word, ODT, HTML) into canonical text plus bold speaker labels.

A paragraph is a list of (text, bold) runs. When it opens with a bold
`Name:` (or bold `Name` then `:`), that label is handed to
`turns_from_lines` as a hint, so styled transcripts need no naming rule.
"""

from __future__ import annotations

from gtcode.text import normalise

Hint = tuple[int, str]     # (label length within the line, speaker)


def bold_label(runs: list[tuple[str, bool]]) -> Hint | None:
    """(label length, speaker) when the paragraph opens with a bold speaker label, else None."""
    text = "".join(t for t, _ in runs)
    bold = ""
    for chunk, is_bold in runs:
        if is_bold and (chunk.strip() or bold):
            bold += chunk
        elif not bold and not chunk.strip():
            continue
        else:
            break
    stripped = bold.strip()
    if not stripped or len(stripped) > 60:
        return None
    head = text.lstrip()
    lead = len(text) - len(head)
    if stripped.endswith(":") and head.startswith(stripped):
        speaker = stripped[:-1].strip()
        return (lead + len(stripped), speaker) if speaker else None
    after = head[len(stripped):] if head.startswith(stripped) else ""
    if after.lstrip().startswith(":"):
        return len(text) - len(after.lstrip()) + 1, stripped
    return None


def join_lines(blocks) -> tuple[str, dict[int, Hint]]:
    """(raw line, hint or None) pairs → canonical text (one line each) and hints keyed by line offset."""
    lines: list[str] = []
    hints: dict[int, Hint] = {}
    pos = 0
    for raw, hint in blocks:
        line = normalise(raw).replace("\n", " ")  # soft line breaks stay inside the paragraph
        if hint is not None:
            # The hint was measured on the raw paragraph; NFC can shorten it (e + U+0301 → é).
            label_len, speaker = hint
            hints[pos] = (len(normalise(raw[:label_len])), normalise(speaker).strip())
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines), hints
