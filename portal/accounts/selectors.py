"""Questions about follows: what a person follows, by name (the account page), and what is new (the digest)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal.accounts.kinds import KINDS, NewThing
from portal.accounts.models import Account, Follow
from portal.accounts.tokens import unfollow_token


@dataclass
class Followed:
    """A follow with what it follows, named and linked."""

    follow: Follow
    kind_label: str
    name: str
    path: str
    target: Any = None
    new: list[NewThing] = field(default_factory=list)

    @property
    def unfollow_token(self) -> str:
        return unfollow_token(user_id=self.follow.user_id, follow_id=self.follow.pk)


def followed(user: Any) -> list[Followed]:
    """Everything the person follows that still exists (and that they may still follow), named: one query for
    the follows and one per kind of thing followed."""
    follows = list(Follow.objects.filter(user=user).order_by("kind", "created_at", "pk"))
    by_kind: dict[str, list[Follow]] = defaultdict(list)
    for follow in follows:
        if follow.kind in KINDS:
            by_kind[follow.kind].append(follow)
    found: list[Followed] = []
    for key, kind_follows in by_kind.items():
        kind = KINDS[key]
        targets = kind.targets(follow.target_id for follow in kind_follows if follow.target_id is not None)
        for follow in kind_follows:
            target = targets.get(follow.target_id) if follow.target_id is not None else None
            if kind.model is not None and target is None:
                continue  # the thing was deleted
            if kind.staff_only and not kind.may_follow(user, target):
                continue  # no longer a member of the team
            found.append(
                Followed(
                    follow, str(kind.label), kind.name(target, follow.query), kind.path(target, follow.query), target
                )
            )
    return found


def is_following(user: Any, *, kind: str, target_id: int | None = None, query: str = "") -> Follow | None:
    if not user.is_authenticated:
        return None
    return Follow.objects.filter(user=user, kind=kind, target_id=target_id, query=query).first()


def digest(account: Account, *, until: datetime) -> list[Followed]:
    """What is new in each thing the person follows, since the last digest (or since they followed it), up to
    ``until``; only the followed things with something new."""
    sections = []
    for item in followed(account.user):
        since = max(account.digest_sent_at, item.follow.created_at)
        item.new = KINDS[item.follow.kind].new_since(item.target, item.follow.query, since, until)
        if item.new:
            sections.append(item)
    return sections
