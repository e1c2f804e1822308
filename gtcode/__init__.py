"""gtcode: a grounded-theory coding assistant for the terminal.

The library is the product; the CLI and the TUI are skins over `Project`.
`Project` is imported on first use, so `gtcode --version` and `--help` do not open the store's modules.
"""

from typing import TYPE_CHECKING

from gtcode.errors import GtcodeError

if TYPE_CHECKING:
    from gtcode.project import Project

__version__ = "0.1.0"
__all__ = ["Project", "GtcodeError", "__version__"]


def __getattr__(name: str):
    if name == "Project":
        from gtcode.project import Project

        globals()["Project"] = Project
        return Project
    raise AttributeError(f"module 'gtcode' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "Project"})
