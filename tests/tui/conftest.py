"""Fixtures of the TUI tests."""

from __future__ import annotations

import asyncio
from time import monotonic, process_time

import pytest


async def _idle_in_short_steps(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    """Textual's `wait_for_idle` (sleep until a step passes with under 1 ms of CPU) in 2 ms steps, not 20 ms."""
    start = monotonic()
    while True:
        cpu = process_time()
        await asyncio.sleep(0.002)
        elapsed = monotonic() - start
        if elapsed >= max_sleep or (elapsed > min_sleep and process_time() - cpu < 0.001):
            return


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch):
    """Pilot waits for the app to go idle twice after each key it sends, in 20 ms steps: 40-60 ms a key, most of
    the time of a test that types a title. The app does its work on the event loop (no threads), which runs while
    Pilot sleeps, and `press` then waits for every queued message; shorter steps reach the same point sooner.
    `pilot.pause()`, which lets a frame be laid out and drawn, keeps Textual's own wait."""
    import textual.app

    monkeypatch.setattr(textual.app, "wait_for_idle", _idle_in_short_steps)
