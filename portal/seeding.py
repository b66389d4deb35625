"""What manage.py seed_demo loads its demo data with: files in portal/demo/, and rows synced to them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import CommandError
from django.db import models

DEMO_DIR = Path(__file__).resolve().parent / "demo"

M = TypeVar("M", bound=models.Model)


def load(name: str) -> Any:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def pick(objects: dict[str, M], slug: str, what: str) -> M:
    try:
        return objects[slug]
    except KeyError:
        raise CommandError(f"The demo data names an unknown {what}: {slug!r}") from None


def sync(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Create the row, or change only the fields that differ, so that a rerun writes nothing."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save()
    return instance
