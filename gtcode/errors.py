"""Every error gtcode raises on purpose. The CLI maps them to one line and an exit code."""

from __future__ import annotations


class GtcodeError(Exception):
    """Base class: a problem the user can fix; `exit_code` is what the CLI returns."""

    exit_code = 1


class ProjectNotFound(GtcodeError):
    exit_code = 2


class NotAProject(GtcodeError):
    """A file that is not a gtcode project was named as one; it is never overwritten."""

    exit_code = 2


class ProjectExists(GtcodeError):
    exit_code = 2


class SchemaTooNew(GtcodeError):
    """The project was written by a newer gtcode; opening it could damage it."""

    exit_code = 2


class ProjectBusy(GtcodeError):
    """Another gtcode process held the project for longer than the busy timeout."""

    exit_code = 75


class InputError(GtcodeError):
    """A file or value the user gave cannot be read or makes no sense."""


class UnsupportedFormat(InputError):
    pass


class EmptyDocument(InputError):
    pass


class DecodeFailed(InputError):
    pass


class NoTurns(InputError):
    pass


class WouldOrphanCodings(InputError):
    pass


class UnknownDocument(InputError):
    pass


class UnknownSegment(InputError):
    pass


class UnknownCase(InputError):
    pass


class BadAddress(InputError):
    pass


class BadFilter(InputError):
    pass


class BadQuery(InputError):
    pass


class NlpModelMissing(GtcodeError):
    exit_code = 2


class ConfigError(GtcodeError):
    exit_code = 2


def did_you_mean(name: str, choices) -> str:
    """A ' (did you mean …?)' suffix for unknown names, or ''."""
    import difflib

    close = difflib.get_close_matches(name, list(dict.fromkeys(choices)), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


class UnknownCode(InputError):
    pass


class DuplicateCode(InputError):
    pass


class CodeInUse(InputError):
    """Deleting would lose codings or child codes; --force says the researcher means it."""


class QuoteNotFound(InputError):
    pass


class NothingToUndo(InputError):
    pass


class UndoConflict(InputError):
    """A later command changed the same rows; undoing out of order would lose work."""


class BadCodebook(InputError):
    pass


class UnknownMemo(InputError):
    pass


class BadLink(InputError):
    pass


class EditorFailed(InputError):
    """No editor, or the editor failed: nothing is saved."""


class UnknownCategory(InputError):
    pass


class UnknownRelationType(InputError):
    pass


class BadRelation(InputError):
    pass


class GraphvizNotFound(InputError):
    """`--engine graphviz` was asked for but Graphviz's `dot` is not installed."""


# --- exchange (REFI-QDA) ---
class BadExchangeFile(InputError):
    """A .qdpx/.qdc that cannot be imported as a whole: missing project.qde, unknown namespace, duplicate GUIDs."""


class UnsafeExchangeFile(BadExchangeFile):
    """A .qdpx refused for safety: path traversal, zip bomb, DOCTYPE (XXE, billion laughs)."""
