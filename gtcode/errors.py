"""Every error gtcode raises on purpose, in families. The CLI maps them to one line and an exit code.

    GtcodeError                    a problem the user can fix                     exit 1
    ├── ProjectError               the project file itself                        exit 2
    │   (ProjectNotFound, NotAProject, ProjectExists, SchemaTooNew, ProjectDamaged)
    ├── SetupError                 this machine's set-up                          exit 2
    │   (NlpModelMissing, ConfigError)
    ├── ProjectBusy                another process holds the project              exit 75
    └── InputError                 something the user named or gave               exit 1
        ├── NotFound               names nothing in the project (UnknownCode, UnknownMemo, QuoteNotFound…)
        ├── Invalid                cannot be read or makes no sense (BadAddress, UnsupportedFormat…)
        └── Conflict               clashes with what the project holds (DuplicateCode, CodeInUse, CaseInUse…)

`InputError` stays the catch-all for "the user's input": code that catches it catches all three kinds.
"""

from __future__ import annotations


class GtcodeError(Exception):
    """Base class: a problem the user can fix; `exit_code` is what the CLI returns."""

    exit_code = 1


def did_you_mean(name: str, choices) -> str:
    """A ' (did you mean …?)' suffix for unknown names, or ''."""
    import difflib

    close = difflib.get_close_matches(name, list(dict.fromkeys(choices)), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


# --- the project file ---------------------------------------------------------------------------------------
class ProjectError(GtcodeError):
    """The project file cannot be found, opened or created as asked."""

    exit_code = 2


class ProjectNotFound(ProjectError):
    """No project at the path given, in $GTCODE_PROJECT, or in this folder or its parents."""


class NotAProject(ProjectError):
    """A file that is not a gtcode project was named as one; it is never overwritten."""


class ProjectExists(ProjectError):
    """`init` would overwrite an existing project or other file."""


class SchemaTooNew(ProjectError):
    """The project was written by a newer gtcode; opening it could damage it."""


class ProjectDamaged(ProjectError):
    """SQLite found the project file malformed: nothing is written to it; restore a backup (`gtcode doctor`)."""


# --- this machine ------------------------------------------------------------------------------------------
class SetupError(GtcodeError):
    """Something about this machine's set-up, not the data: a missing model, a broken config file."""

    exit_code = 2


class NlpModelMissing(SetupError):
    """The spaCy pipeline asked for is not installed (gtcode never downloads one)."""


class ConfigError(SetupError):
    """The config file or a config value cannot be used."""


# --- busy --------------------------------------------------------------------------------------------------
class ProjectBusy(GtcodeError):
    """Another gtcode process held the project for longer than the busy timeout."""

    exit_code = 75


# --- the user's input --------------------------------------------------------------------------------------
class InputError(GtcodeError):
    """A file or value the user gave cannot be used; the base of NotFound, Invalid and Conflict."""


class NotFound(InputError):
    """A name, number or address that names nothing in the project."""


class Invalid(InputError):
    """A file or value that cannot be read or makes no sense."""


class Conflict(InputError):
    """A change that clashes with what the project already holds; nothing is changed."""


# NotFound
class UnknownDocument(NotFound):
    """No document has that number, name or path."""


class UnknownSegment(NotFound):
    """The document has no segment with that number."""


class UnknownCase(NotFound):
    """No case has that name."""


class UnknownCode(NotFound):
    """No code has that name, path or number."""


class UnknownMemo(NotFound):
    """No memo has that number or title."""


class UnknownCategory(NotFound):
    """No category has that name."""


class UnknownRelationType(NotFound):
    """The relation type is neither built in nor added to this project."""


class QuoteNotFound(NotFound):
    """The quoted words are not in the segments named."""


# Invalid
class UnsupportedFormat(Invalid):
    """A file type or output format gtcode does not read or write."""


class EmptyDocument(Invalid):
    """A transcript with no text in it."""


class DecodeFailed(Invalid):
    """A text file in no encoding gtcode can read."""


class NoTurns(Invalid):
    """A transcript in which no speaker turn could be found."""


class FileTooLarge(Invalid):
    """A file past one of the readers' size limits (bytes, pages, zip entries, a CSV cell); it is refused whole."""


class AmbiguousQuote(Invalid):
    """The quoted words occur more than once in the segments named; `--nth` picks one (`occurrences` lists them)."""

    def __init__(self, message: str, occurrences=()):
        super().__init__(message)
        self.occurrences = list(occurrences)


class BadAddress(Invalid):
    """An address that is not `D3:17`, `D3:17-21`, `P01:4,9` or a known document name with segments."""


class BadFilter(Invalid):
    """A `--where` filter that is not `attribute=value` (or `!=`, `~`), or names no attribute."""


class BadQuery(Invalid):
    """A search query that the full-text index cannot parse."""


class BadCodebook(Invalid):
    """A codebook file (YAML, CSV, .qdc) that cannot be imported as it is."""


class BadLink(Invalid):
    """A memo link or [[reference]] that is not a known kind of target."""


class BadRelation(Invalid):
    """A relation that cannot be made: a category related to itself, an unknown role, no grounds."""


class BadKey(Invalid):
    """A pseudonym key file that cannot be used as it is; nothing is changed."""


class BadName(Invalid):
    """A new name gtcode cannot use: empty, or one that would read as a document number or an address."""


class EditorFailed(Invalid):
    """No editor, or the editor failed: nothing is saved."""


class GraphvizNotFound(Invalid):
    """`--engine graphviz` was asked for but Graphviz's `dot` is not installed."""


class BadExchangeFile(Invalid):
    """A .qdpx/.qdc that cannot be imported as a whole: missing project.qde, unknown namespace, duplicate GUIDs."""


class UnsafeExchangeFile(BadExchangeFile):
    """A .qdpx refused for safety: path traversal, zip bomb, DOCTYPE (XXE, billion laughs)."""


class UnsafeFile(Invalid):
    """An input refused for safety: a zip bomb, too many entries, or size or nesting past a configured limit."""


class CannotWrite(Invalid):
    """An output that cannot be written: a folder, a missing folder, no permission, a full disk."""


# Conflict
class DuplicateCode(Conflict):
    """A code of that name already exists under that parent."""


class CodeInUse(Conflict):
    """Deleting would lose codings or child codes; --force says the researcher means it."""


class DuplicateDocument(Conflict):
    """Another document already has that name (names are compared ignoring case)."""


class DocumentInUse(Conflict):
    """Deleting the document would take codings, memo links, evidence or placements with it; --force says the
    researcher means it."""


class DuplicateCase(Conflict):
    """Another case already has that name; renaming does not merge cases."""


class CaseInUse(Conflict):
    """Documents are linked to the case; --force unlinks them (the documents stay) and deletes it."""


class WouldBreakAnchors(Conflict):
    """Changing a document's text would take away the words that codings, memo links, relation evidence or
    property placements point at; nothing is changed unless the researcher adds --force."""


class NothingToUndo(Conflict):
    """This coder has no command left to undo."""


class UndoConflict(Conflict):
    """A later command changed the same rows; undoing out of order would lose work."""


class AssistDisabled(Conflict):
    """AI assistance is switched off (`gtcode ai off`) or locked for this project; nothing was run."""


class LLMRefused(Invalid):
    """A local language model may only be reached on this machine (loopback), or it did not answer usefully."""
