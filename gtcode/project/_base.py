"""What every namespace of the facade shares: the project's store and its one way to open a transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gtcode.project import Project
    from gtcode.store.db import Store


def as_list(value) -> list:
    """One value or many as a list: `"D1:4"` and `["D1:4"]` mean the same."""
    return [value] if isinstance(value, (str, int)) else list(value)


class Namespace:
    """A group of the facade's methods (`project.memos`, `project.codes`…), mirroring one CLI group."""

    #: namespaces that were methods in gtcode 0.1 (`p.codes()`): (that call, the method it is now)
    legacy_call: tuple[str, str] | None = None

    def __init__(self, project: "Project"):
        self._project = project

    def __call__(self, *args, **kwargs):
        """Deprecated: `p.codes()`, `p.cases()`, `p.memos(...)`, `p.model(...)` as in gtcode 0.1."""
        if self.legacy_call is None:
            raise TypeError(f"{type(self).__name__} is a namespace, not a function")
        from gtcode.project._legacy import deprecated

        old, method = self.legacy_call
        deprecated(old, method)
        return getattr(self, method.split(".")[1].rstrip("()"))(*args, **kwargs)

    @property
    def _store(self) -> "Store":
        return self._project.store

    def _transaction(self, *, dry_run: bool = False):
        return self._project.transaction(dry_run=dry_run)
