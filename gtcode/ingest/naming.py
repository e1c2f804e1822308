"""Document names on import: one name per file, distinct within a batch, and a clear word on a clash.

A document is named after its file's stem. Files of one batch that share a stem (`example.vtt` and
`example.srt`) get the format added (`example (vtt)`), the folder when they share the format (`P01 (site-a)`);
`--name` names a single file's document. A clash with a document imported from a different file never
suggests `--replace`, which would overwrite an unrelated transcript.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def batch_names(files: list[Path]) -> dict[Path, str]:
    """Distinct names for the files of a batch that share a stem: `example (vtt)`, `example (srt)`; `P01 (site-a)`
    and `P01 (site-b)` for one format in two folders; `example (vtt, site-b)` when only some share the format."""
    by_stem: dict[str, list[Path]] = {}
    for f in files:
        by_stem.setdefault(f.stem.casefold(), []).append(f)
    names: dict[Path, str] = {}
    for group in by_stem.values():
        if len(group) < 2:
            continue
        suffixes = Counter(f.suffix.lower() for f in group)
        for f in group:
            fmt = f.suffix.lower().lstrip(".") or "file"
            folder = f.parent.name or "."
            if len(suffixes) == 1:            # one format: the folders tell them apart
                names[f] = f"{f.stem} ({folder})"
            else:
                names[f] = f"{f.stem} ({fmt})" if suffixes[f.suffix.lower()] == 1 else f"{f.stem} ({fmt}, {folder})"
    return names


def names_notes(files: list[Path], names: dict[Path, str]) -> list[str]:
    """One note per shared stem, saying which name each file gets."""
    groups: dict[str, list[Path]] = {}
    for f in files:
        if f in names:
            groups.setdefault(f.stem.casefold(), []).append(f)
    return [f"{' and '.join(str(f) for f in group)} share a name; imported as "
            + " and ".join(repr(names[f]) for f in group) for group in groups.values()]


def clash_message(path: Path, name: str, doc_id: int, source: str | None, replace: bool) -> str | None:
    """Why a file cannot take the name of an existing document (None: it may, as a --replace of the same file)."""
    other = Path(source or "").name
    if other and other.casefold() != path.name.casefold():
        return (f"{path}: document {name!r} (D{doc_id}) was imported from a different file ({other}); "
                "import this one under another name with --name NAME")
    if not replace:
        return (f"{path}: document {name!r} (D{doc_id}) already exists with different text; "
                "use --replace to re-import it")
    return None
