"""A progress bar for management commands that work through many items."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import OutputWrapper

WIDTH = 40


def progress_bar(out: OutputWrapper, total: int, *, label: str = "") -> Callable[[int], None]:
    """A function to call with the number done so far: it redraws one line, at most once per percent."""
    prefix = f"{label} " if label else ""
    shown = -1

    def show(done: int) -> None:
        nonlocal shown
        percent = 100 * done // max(total, 1)
        if percent == shown:
            return
        shown = percent
        filled = WIDTH * done // max(total, 1)
        out.write(f"\r{prefix}[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}", ending="")
        out.flush()

    return show
