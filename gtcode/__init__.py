"""gtcode: a grounded-theory coding assistant for the terminal.

The library is the product; the CLI and the TUI are skins over `Project`.
"""

from gtcode.errors import GtcodeError
from gtcode.project import Project

__version__ = "0.1.0"
__all__ = ["Project", "GtcodeError", "__version__"]
