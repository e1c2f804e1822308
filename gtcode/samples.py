"""The samples gtcode ships: the demo's fictional VIG transcripts, its participants and pseudonym key, and the
starter codebooks. In a checkout they sit beside the package (`transcripts/`, `codebooks/`); `pip install`
puts them under `<prefix>/share/gtcode/` (see pyproject's data-files)."""

from __future__ import annotations

import site
import sys
from pathlib import Path

from gtcode.errors import InputError

CODEBOOK_SUFFIXES = (".yml", ".yaml", ".json", ".qdc")


def bundled(name: str) -> Path:
    """A folder of samples (`transcripts`, `codebooks`): beside the package in a checkout, else where
    `pip install` put it (the environment's prefix, or the user's base for `pip install --user`)."""
    candidates = [Path(__file__).resolve().parent.parent / name, Path(sys.prefix) / "share" / "gtcode" / name,
                  Path(site.USER_BASE or "") / "share" / "gtcode" / name]
    return next((c for c in candidates if c.is_dir()), candidates[0])


def bundled_transcripts() -> Path:
    return bundled("transcripts")


def bundled_key() -> Path:
    """The demo's pseudonym key (fictional names); a real study keeps its key outside the project."""
    return bundled_transcripts() / "pseudonym-key.csv"


def bundled_codebook(name: str = "vig-engagement") -> Path:
    return bundled("codebooks") / f"{name}.yml"


def bundled_codebooks() -> list[str]:
    """The names of the starter codebooks gtcode ships (`gtcode codebook import NAME`)."""
    folder = bundled("codebooks")
    return sorted(p.stem for p in folder.iterdir() if p.suffix in CODEBOOK_SUFFIXES) if folder.is_dir() else []


def codebook_path(ref: str | Path) -> Path:
    """A codebook the user named: a file, or the name of a bundled starter codebook (`vig-engagement`)."""
    path = Path(ref)
    if path.exists() or path.suffix or len(path.parts) > 1:
        return path
    folder = bundled("codebooks")
    for suffix in CODEBOOK_SUFFIXES:
        if (folder / f"{ref}{suffix}").is_file():
            return folder / f"{ref}{suffix}"
    names = bundled_codebooks()
    raise InputError(f"{ref}: no such codebook file, and no bundled codebook of that name"
                     + (f" (bundled: {', '.join(names)})" if names else ""))
