"""Link health: is a resource's web address still there?

A check asks with HEAD, and with GET when HEAD is refused or fails (many servers answer HEAD badly). It
follows redirects (and records where they led), gives up after a timeout, retries what may pass on a
second try (timeouts, refused connections, 429 and 5xx answers) with a growing pause, and never asks more
than a few questions of one host at a time, with a pause between them, so no site is hammered.

Only http(s) addresses on public networks are contacted: each host name is resolved, every address it
resolves to must be public, and the connection goes to that checked address (a later DNS answer cannot
point it elsewhere). Loopback is allowed only when ``LINK_CHECK_ALLOW_LOOPBACK`` is on (tests, local use);
private, link-local and other reserved networks never.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
# Answers to HEAD that are worth asking again with GET.
RETRY_WITH_GET = {400, 403, 404, 405, 406, 500, 501, 503}


@dataclass(frozen=True)
class CheckSettings:
    timeout: float = 10.0
    per_host: int = 2
    host_delay: float = 1.0
    retries: int = 2
    backoff: float = 2.0
    allow_loopback: bool = False
    user_agent: str = "Delarum link checker"

    @classmethod
    def from_settings(cls, **overrides: Any) -> CheckSettings:
        base = cls(
            timeout=settings.LINK_CHECK_TIMEOUT,
            per_host=settings.LINK_CHECK_PER_HOST,
            host_delay=settings.LINK_CHECK_HOST_DELAY,
            retries=settings.LINK_CHECK_RETRIES,
            backoff=settings.LINK_CHECK_BACKOFF,
            allow_loopback=settings.LINK_CHECK_ALLOW_LOOPBACK,
            user_agent=settings.LINK_CHECK_USER_AGENT,
        )
        return replace(base, **{name: value for name, value in overrides.items() if value is not None})


@dataclass
class LinkResult:
    url: str
    ok: bool
    status: int | None = None
    final_url: str = ""
    error: str = ""
    redirects: list[str] = field(default_factory=list)
    attempts: int = 1

    @property
    def redirected(self) -> bool:
        return bool(self.redirects)


class RefusedAddress(Exception):
    """The address is not one the checker may contact."""


class Retryable(Exception):
    """A failure that may pass on a second try."""


def public_address(host: str, port: int, *, allow_loopback: bool) -> str:
    """The IP address to connect to for ``host``, if every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Retryable(f"host not found: {host}") from error
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global or address.is_multicast:
            raise RefusedAddress(f"not a public address: {host} ({address})")
    return str(addresses[0])


class HostGate:
    """At most ``per_host`` requests to one host at a time, starting at least ``delay`` seconds apart."""

    def __init__(self, per_host: int, delay: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_host, self.delay, self.sleep = max(1, per_host), max(0.0, delay), sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self.delay
            if start > now:
                self.sleep(start - now)
            yield


class LinkChecker:
    def __init__(self, config: CheckSettings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self.sleep = sleep
        self.gate = HostGate(config.per_host, config.host_delay, sleep)
        self._tls = ssl.create_default_context()

    def check(self, url: str) -> LinkResult:
        """Check one address, retrying with a growing pause what may pass on a second try."""
        attempt = 0
        while True:
            attempt += 1
            try:
                result = self._follow(url)
            except RefusedAddress as error:
                return LinkResult(url=url, ok=False, error=str(error), attempts=attempt)
            except Retryable as error:
                result = LinkResult(url=url, ok=False, error=str(error))
                retry = True
            else:
                retry = not result.ok and (result.status == 429 or (result.status or 0) >= 500)
            result.attempts = attempt
            if not retry or attempt > self.config.retries:
                return result
            self.sleep(self.config.backoff * 2 ** (attempt - 1))

    def check_many(
        self, urls: Iterable[str], *, workers: int = 16, progress: Callable[[int], None] | None = None
    ) -> dict[str, LinkResult]:
        results: dict[str, LinkResult] = {}
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="check_links") as pool:
            futures = {pool.submit(self.check, url): url for url in dict.fromkeys(urls)}
            for done, future in enumerate(as_completed(futures), start=1):
                results[futures[future]] = future.result()
                if progress:
                    progress(done)
        return results

    def _follow(self, url: str) -> LinkResult:
        redirects: list[str] = []
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            status, location = self._ask(current)
            if 300 <= status < 400 and location:
                current = urljoin(current, location)
                redirects.append(current)
                continue
            return LinkResult(
                url=url,
                ok=status < 400,
                status=status,
                final_url=current if redirects else "",
                error="" if status < 400 else f"HTTP {status}",
                redirects=redirects,
            )
        return LinkResult(url=url, ok=False, error="too many redirects", final_url=current, redirects=redirects)

    def _ask(self, url: str) -> tuple[int, str]:
        """HEAD, then GET when HEAD is refused or fails: (status, Location header)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RefusedAddress(f"not an http(s) address: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = public_address(parts.hostname, port, allow_loopback=self.config.allow_loopback)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with self.gate.slot(parts.hostname):
            try:
                status, location = self._request(parts.scheme, parts.hostname, port, address, "HEAD", target)
            except Retryable:
                status, location = 0, ""
            if status == 0 or status in RETRY_WITH_GET:
                status, location = self._request(parts.scheme, parts.hostname, port, address, "GET", target)
        return status, location

    def _request(self, scheme: str, host: str, port: int, address: str, method: str, target: str) -> tuple[int, str]:
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=self.config.timeout, context=self._tls)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=self.config.timeout)
        # Connect to the address that was checked, while TLS and the Host header keep the name.
        connection._create_connection = lambda where, *args, **kwargs: socket.create_connection(  # type: ignore[attr-defined]
            (address, where[1]), *args, **kwargs
        )
        try:
            connection.request(method, target, headers={"User-Agent": self.config.user_agent, "Accept": "*/*"})
            response = connection.getresponse()
            if method == "GET":
                response.read(2048)  # enough to know the body started; the rest is not needed
            return response.status, response.getheader("Location") or ""
        except TimeoutError as error:
            raise Retryable("timed out") from error
        except (OSError, http.client.HTTPException) as error:
            raise Retryable(f"{type(error).__name__}: {error}".strip(": ")) from error
        finally:
            connection.close()


@dataclass
class CheckSummary:
    addresses: int = 0
    checked: int = 0
    ok: int = 0
    redirected: int = 0
    failed: int = 0
    newly_broken: int = 0
    broken: int = 0


def record_results(resources: list[Any], results: dict[str, LinkResult], *, checked_at: Any) -> CheckSummary:
    """Store each resource's last status, time and consecutive failures (broken after three in a row).

    Link health is the checker's state, not an edit: one bulk update, no new version or history entry.
    """
    from resources.models import Resource
    from resources.models.catalogue import BROKEN_AFTER_FAILURES, LINK_HEALTH_FIELDS

    summary = CheckSummary()
    for resource in resources:
        result = results[resource.url]
        summary.checked += 1
        resource.link_status = result.status
        resource.link_error = result.error[:300]
        resource.link_final_url = result.final_url[:500]
        resource.link_checked_at = checked_at
        if result.ok:
            summary.ok += 1
            summary.redirected += result.redirected
            resource.link_failures = 0
        else:
            summary.failed += 1
            resource.link_failures = min(resource.link_failures + 1, 32767)
            summary.newly_broken += resource.link_failures == BROKEN_AFTER_FAILURES
        summary.broken += resource.link_failures >= BROKEN_AFTER_FAILURES
    Resource.objects.bulk_update(resources, LINK_HEALTH_FIELDS, batch_size=1000)
    return summary


def check_published_links(
    *, config: CheckSettings, workers: int, progress: Callable[[int], Callable[[int], None]] | None = None
) -> CheckSummary:
    """Check the address of every published resource, each address once however many resources use it, and
    keep what was found. ``progress`` is given the number of addresses and returns what to call as they pass."""
    from django.utils import timezone

    from resources.models import Resource

    resources = list(Resource.objects.published().exclude(url="").only("pk", "url", "link_failures").order_by("pk"))
    urls = list(dict.fromkeys(resource.url for resource in resources))
    results = LinkChecker(config).check_many(urls, workers=workers, progress=progress(len(urls)) if progress else None)
    summary = record_results(resources, results, checked_at=timezone.now())
    summary.addresses = len(urls)
    return summary
