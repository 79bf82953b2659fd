"""Schemathesis against every operation of the API schema, for every role, in-process.

Not part of the suite (the name does not match test_*.py): `scripts/schemathesis.sh` runs it after the suite,
in `.ci/run`, on a database of its own. One test per role (bureau, liaison, resident, deputy, anonymous; spread
over the xdist workers): for each operation it generates up to FUZZ_EXAMPLES requests from the schema
(hypothesis, fixed seed, no shrinking), sends them through Django's test client against the small station of
the API tests (tests/api/conftest.py `world`), and checks every response with schemathesis: no 5xx, a
documented status code, a documented content type, a body that conforms to the documented schema. Path ids are
drawn half from the generated integers and half from the seeded objects, so detail and action endpoints are
reached with real objects too. An operation that refuses the role (401/403) on its first REFUSED_PROBE examples
sends no more. Each role writes its counts and failures to FUZZ_REPORT_DIR for the script's summary line, and
fails listing each (operation, status, what failed) once.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
# Refused (401/403) on the first REFUSED_PROBE examples of an operation: the login and role checks come before
# anything the request carries, so the rest of its examples are generated but not sent.
REFUSED_PROBE = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BASE_URL = "http://testserver"
ROLES = ("bureau", "liaison", "resident", "deputy", "anonymous")
TOKEN_PATH = "/api/v1/auth/token/"
# The seeded object each resource's `{id}` may stand for (the first path segment after /api/v1/).
SEEDED = {
    "jobs": "posting", "residents": "resident", "households": "household", "employers": "employer",
    "courses": "course", "sessions": "session", "skills": "skill", "occupations": "occupation",
    "stations": "station", "enrollments": "enrollment", "recommendations": "recommendation",
    "places": "place",
}


def _seeded_ids(world, station, liaison_user) -> dict[str, int]:
    from matching.services import recommendation_create
    from training.services import enrollment_create

    ids = {name: obj.pk for name, obj in world.items() if hasattr(obj, "pk")}
    ids["station"] = station.pk
    ids["place"] = world["resident"].household.site_id
    ids["enrollment"] = enrollment_create(session=world["session"], resident=world["resident"]).pk
    ids["recommendation"] = recommendation_create(resident=world["neighbour"], posting=world["posting"],
                                                  recommended_by=liaison_user, score=0.5, explanation={}).pk
    return ids


def _strategy(operation, ids: dict[str, int]):
    generated = operation.as_strategy()
    names = [p.name for p in operation.path_parameters]
    resource = operation.path.removeprefix("/api/v1/").split("/")[0]
    seeded = SEEDED.get(resource)
    if names and seeded in ids:
        values = {name: ids[seeded] for name in names if name in ("id", "pk")}
        if values:
            return st.one_of(generated, operation.as_strategy(path_parameters=values))
    return generated


def _send(client: Client, case, token: str | None):
    headers = {"Authorization": f"Token {token}"} if token else {}
    kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=headers)
    allowed = ("method", "url", "headers", "files", "data", "params", "cookies", "json")
    prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in allowed}).prepare()
    sent = {k: v for k, v in prepared.headers.items() if k.lower() not in ("content-type", "content-length")}
    body = prepared.body or b""
    started = time.perf_counter()
    response = client.generic(prepared.method, prepared.path_url, body.encode() if isinstance(body, str) else body,
                              content_type=prepared.headers.get("Content-Type", ""), headers=sent)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return schemathesis.Response(
        status_code=response.status_code, headers={k.lower(): [v] for k, v in response.items()}, content=content,
        request=prepared, elapsed=time.perf_counter() - started, verify=False, message=response.reason_phrase,
    )


def _explain(error: BaseException) -> list[str]:
    found = getattr(error, "exceptions", None)
    if found:
        return [line for sub in found for line in _explain(sub)]
    detail = " | ".join(line.strip() for line in str(error).strip().splitlines()[:8] if line.strip())
    return [f"{getattr(error, 'title', '') or type(error).__name__}: {detail[:600]}"]


def _explore(strategy, attempt) -> None:
    """Up to EXAMPLES cases of the strategy, each given to `attempt`; fixed seed, no shrinking, no database."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
              report_multiple_bugs=False)
    @given(case=strategy)
    def explore(case):
        attempt(case)

    explore()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation(role, world, station, bureau_user, liaison_user, resident_user, deputy_user, admin_user):
    started = time.perf_counter()
    staff = Client()
    staff.force_login(admin_user)
    raw = staff.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    client = Client(raise_request_exception=False)
    schema = schemathesis.openapi.from_dict(raw)
    operations = [result.ok() for result in schema.get_all_operations()]
    ids = _seeded_ids(world, station, liaison_user)
    user = {"bureau": bureau_user, "liaison": liaison_user, "resident": resident_user, "deputy": deputy_user,
            "anonymous": None}[role]
    token = AuthToken.objects.create(user=user)[1] if user else None
    statuses, refused = Counter(), 0
    failures: dict[tuple, set[str]] = defaultdict(set)

    only = os.environ.get("FUZZ_ONLY", "")  # a part of "METHOD /path" to fuzz those operations alone
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        if only not in label:
            continue
        seen: list[int] = []

        def attempt(case, label=label, seen=seen):
            if len(seen) >= REFUSED_PROBE and set(seen) <= {401, 403}:
                return  # refused on every probe: the rest would test the same login or role check again
            # A logout ends the token it is made with: each one uses a token of its own.
            own = AuthToken.objects.create(user=user)[1] if user and label == f"DELETE {TOKEN_PATH}" else token
            response = _send(client, case, own)
            seen.append(response.status_code)
            statuses[response.status_code // 100] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - each failure is recorded
                sent = response.request
                body = sent.body.decode(errors="replace") if isinstance(sent.body, bytes) else sent.body
                request = f" [{sent.method} {sent.path_url}{' body ' + body[:200] if body else ''}]"
                for line in _explain(error):
                    failures[(label, response.status_code)].add(line + request)

        try:
            _explore(_strategy(operation, ids), attempt)
        except HypothesisException as error:  # an operation no example can be generated for
            failures[(label, 0)].add(f"generation: {type(error).__name__}: {error}")
        refused += len(seen) == REFUSED_PROBE and set(seen) <= {401, 403}

    lines = [f"{role:9} {label} -> {status}: {line}"
             for (label, status), found in sorted(failures.items()) for line in sorted(found)]
    summary = {"role": role, "operations": len(operations), "refused": refused, "requests": sum(statuses.values()),
               "statuses": {f"{k}xx": v for k, v in sorted(statuses.items())}, "failures": lines,
               "seconds": round(time.perf_counter() - started, 1)}
    if os.environ.get("FUZZ_REPORT_DIR"):
        Path(os.environ["FUZZ_REPORT_DIR"], f"{role}.json").write_text(json.dumps(summary, ensure_ascii=False))
    assert not lines, "\n".join([f"{len(lines)} schema failures for {role}:", *lines])
