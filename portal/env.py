"""Small, strict readers for settings that come from the environment.

Each raises ImproperlyConfigured with the variable's name when a value cannot be understood,
so a typo in a deployment fails at start-up instead of quietly meaning something else.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS)}, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number (seconds), not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    """A web address without a trailing slash: ``https://delarum.example``."""
    raw = (os.environ.get(name) or "").strip() or default
    url = urlsplit(raw)
    if url.scheme not in ("http", "https") or not url.hostname or url.path.strip("/") or url.query:
        raise ImproperlyConfigured(f"{name} must be the site's address, like https://delarum.example, not {raw!r}.")
    return raw.rstrip("/")


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def env_networks(name: str) -> list[IPNetwork]:
    """A comma-separated list of IP addresses or CIDR networks (``10.0.0.0/8, 2001:db8::/32``)."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks (10.0.0.0/8), comma-separated; {item!r} is neither."
            ) from None
    return networks


def env_required(name: str, reason: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set {reason}.")
    return value


@dataclass(frozen=True)
class EmailServer:
    host: str
    port: int
    user: str
    password: str
    use_tls: bool
    use_ssl: bool


def env_email_url(name: str) -> EmailServer | None:
    """The SMTP server in ``smtp://user:password@host:port`` with ``?tls=1`` (STARTTLS) or ``?ssl=1``.

    User and password may be percent-encoded (``%40`` for ``@``). None when the variable is unset or empty.
    """
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return None
    url = urlsplit(raw)
    example = "smtp://user:password@host:587?tls=1"
    if url.scheme != "smtp" or not url.hostname:
        raise ImproperlyConfigured(f"{name} must look like {example}.")
    try:
        port = url.port or 25
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number; it must look like {example}.") from None
    options = dict(parse_qsl(url.query, keep_blank_values=True))
    if unknown := set(options) - {"tls", "ssl"}:
        raise ImproperlyConfigured(f"{name} understands only ?tls=1 or ?ssl=1, not {', '.join(sorted(unknown))}.")
    use_tls, use_ssl = (options.get(key, "0").strip().lower() in TRUE_WORDS for key in ("tls", "ssl"))
    if use_tls and use_ssl:
        raise ImproperlyConfigured(f"{name} may ask for tls or ssl, not both.")
    return EmailServer(
        host=url.hostname,
        port=port,
        user=unquote(url.username or ""),
        password=unquote(url.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )
