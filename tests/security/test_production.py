"""The service started as the README says for production (gunicorn, LIANXIN_ENV=production, files collected
by scripts/setup.sh's command), asked over HTTP: pages render, and every protective header is there."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from knox.models import AuthToken

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def production(tmp_path, transactional_db):
    """gunicorn in production mode on the test database, with the static files collected as setup.sh does."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(STATIC_ROOT=str(tmp_path / "static"), STATIC_MANIFEST="1", DATABASE_URL=database_url())
    env.pop("LIANXIN_ENV", None)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],  # noqa: S603 (our own command)
                   cwd=ROOT, env=env, check=True, timeout=180)
    env.pop("STATIC_MANIFEST")
    env.update(LIANXIN_ENV="production", SECRET_KEY="production-test-" + "k" * 40,
               PII_ENCRYPTION_KEYS=",".join(settings.PII_ENCRYPTION_KEYS), PII_HASH_KEY=settings.PII_HASH_KEY,
               ALLOWED_HOSTS="127.0.0.1", CELERY_BROKER_URL="")
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [PYTHON.parent / "gunicorn", "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, *, headers: dict | None = None, data: bytes | None = None):
    headers = {"X-Forwarded-Proto": "https", **(headers or {})}
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (the server this test started)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def cookies(headers) -> SimpleCookie:
    jar = SimpleCookie()
    for line in headers.get_all("Set-Cookie") or []:
        jar.load(line)
    return jar


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the reference data is back for the next tests
def test_production_starts_and_sends_every_protective_header(production, liaison_user, resident_user):
    status, headers, body = fetch(f"{production}/login/")
    assert status == 200, body[:2000]
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "camera=()" in headers["Permissions-Policy"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    # The page's own static files are served, under their hashed names.
    css = next(part.split('"')[0] for part in body.decode().split('href="')[1:] if part.startswith("/static/"))
    assert fetch(f"{production}{css}")[0] == 200
    assert ".css" in css
    assert css.count(".") >= 2  # lianxin.<hash>.css

    # The tests hash with MD5 for speed; the server knows only the production hashers.
    liaison_user.password = PBKDF2PasswordHasher().encode("pass-word-123", "production-salt", iterations=1000)
    liaison_user.save(update_fields=["password"])
    # A page with personal data: not kept by any cache; the session cookie is secure and ends after a working
    # day. (Cookies by hand: they are Secure, and this client speaks plain HTTP to the app behind its proxy.)
    status, headers, _body = fetch(f"{production}/login/")
    csrf = cookies(headers)["csrftoken"].value
    data = f"username=liaison1&password=pass-word-123&csrfmiddlewaretoken={csrf}".encode()
    status, headers, _body = fetch(f"{production}/login/", data=data, headers={
        "Referer": f"https://{production.removeprefix('http://')}/login/", "Cookie": f"csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", _body.decode())
    session = cookies(headers)["sessionid"]
    assert session["secure"]
    assert not session["max-age"]  # ends when the browser closes, and on the server after SESSION_COOKIE_AGE
    signed_in = {"Cookie": f"sessionid={session.value}; csrftoken={csrf}"}
    status, headers, body = fetch(f"{production}/liaison/", headers=signed_in)
    assert status == 200, body[:500]
    assert headers["Cache-Control"] == "no-store"

    # The schema and the docs: signed-in staff only.
    assert fetch(f"{production}/api/schema/")[0] in (401, 403)
    assert fetch(f"{production}/api/docs/")[0] in (401, 403)
    _instance, resident_key = AuthToken.objects.create(user=resident_user)
    assert fetch(f"{production}/api/schema/", headers={"Authorization": f"Token {resident_key}"})[0] == 403
    _instance, staff_key = AuthToken.objects.create(user=liaison_user)
    status, headers, _body = fetch(f"{production}/api/schema/", headers={"Authorization": f"Token {staff_key}"})
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert fetch(f"{production}/api/docs/", headers=signed_in)[0] == 200


def test_sessions_end_after_a_working_day():
    assert settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert Fernet  # keys for production come from the environment (see the fixture)
