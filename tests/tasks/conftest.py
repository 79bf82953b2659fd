"""Real Celery workers for the task tests: a subprocess on a queue of its own, against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def worker_env() -> dict[str, str]:
    """The environment that points a subprocess at the test database and the real broker."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL,
        "PYTHONPATH": str(ROOT),
    }


class Worker:
    """`celery worker` in a subprocess on `queue`; `kill()` sends SIGKILL to it and its pool processes."""

    def __init__(self, queue: str, *, concurrency: int = 2, env: dict[str, str] | None = None):
        self.queue, self.concurrency, self.env = queue, concurrency, env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        from config.celery import app

        self.process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", self.queue, "-c", str(self.concurrency),
             "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{self.queue}-{uuid.uuid4().hex[:4]}@%h"],
            cwd=ROOT, env={**worker_env(), "CELERY_QUEUE": self.queue, **self.env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            replies = app.control.ping(timeout=1.0) or []
            if any(self.queue in name for reply in replies for name in reply):
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not start:\n{self.output()}")

    def output(self) -> str:
        if self.process is None or self.process.poll() is None:
            return ""
        return self.process.stdout.read() if self.process.stdout else ""

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children) at once, as an OOM killer or a lost machine."""
        os.killpg(self.process.pid, 9)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=20)


@pytest.fixture
def worker_queue():
    """A queue of the test's own, which the test's tasks are sent to (not eagerly run)."""
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous


@pytest.fixture
def celery_worker_queue(worker_queue):
    """Start `celery worker` in a subprocess on the test's queue, against the test database."""
    worker = Worker(worker_queue).start()
    try:
        yield worker_queue
    finally:
        worker.stop()
