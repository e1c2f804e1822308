"""The terminal coding interface (`gtcode tui`). Only `gtcode.cli.tui` imports this package, lazily."""

from __future__ import annotations


def make_app(project_path=None, document=None, coder: str | None = None, **options):
    """Build the Textual app for a project; see `gtcode.tui.app.make_app`."""
    from gtcode.tui.app import make_app as build

    return build(project_path, document, coder, **options)


__all__ = ["make_app"]
