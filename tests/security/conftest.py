"""The security tests reuse the API tests' fixture world (stations, residents, postings, sessions)."""

from tests.api.conftest import *  # noqa: F403
