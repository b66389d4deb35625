"""Production settings: refuse to start half-configured, and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from portal.env import env_bool, env_int, env_list, env_networks, env_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-enough-and-random-0123456789abcdefghij",
    "ALLOWED_HOSTS": "delarum.example",
    # Deployment checks do not connect; a database that does not exist proves it.
    "DATABASE_URL": "postgres://delarum@127.0.0.1:9/delarum",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "SECURE_SSL_REDIRECT",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_production_passes_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_a_typo_in_debug_fails_loudly():
    result = manage("check", **{**PRODUCTION, "DEBUG": "ja"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_env_helpers_read_and_refuse(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("NUMBER", "12")
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_bool("FLAG") is True
    assert env_int("NUMBER", 1) == 12
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be a whole number"):
        env_int("NUMBER", 1)


def test_the_site_address_is_read_and_refused(monkeypatch):
    assert env_url("SITE_URL", "https://delarum.example/") == "https://delarum.example"
    monkeypatch.setenv("SITE_URL", "delarum.example")
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be the site's address"):
        env_url("SITE_URL", "https://delarum.example")


def test_the_worker_reaches_the_database_of_database_url(db):
    # Production: DATABASE_URL, here the test database over the embedded server's Unix socket.
    database = connection.settings_dict
    password = f":{quote(database['PASSWORD'], safe='')}" if database.get("PASSWORD") else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    url = f"postgres://{database['USER']}{password}@{quote(database['HOST'], safe='')}{port}/{database['NAME']}"
    result = manage("procrastinate", "healthchecks", **{**PRODUCTION, "DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "Worker App: OK" in result.stdout


def test_requests_behind_the_tls_proxy_count_as_secure(settings, client, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/sv/areas/").status_code == 301
    assert client.get("/sv/areas/", headers={"x-forwarded-proto": "https"}).status_code != 301


@pytest.mark.django_db
def test_health_answers_over_plain_http(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_security_headers_are_sent(client, db):
    response = client.get("/sv/areas/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_trusted_proxies_are_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12,2001:db8::/32")
    assert [str(network) for network in env_networks("TRUSTED_PROXIES")] == [
        "10.0.0.1/32",
        "172.16.0.0/12",
        "2001:db8::/32",
    ]
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert env_networks("TRUSTED_PROXIES") == []


def test_a_trusted_proxy_that_is_no_address_fails_loudly():
    result = manage("check", **PRODUCTION, TRUSTED_PROXIES="10.0.0.1, proxy.internal")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES must list IP addresses or networks" in result.stderr
    assert "'proxy.internal'" in result.stderr
