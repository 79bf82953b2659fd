"""The outbox: one row per task asked for by a write, written in the write's own transaction.

The row is deleted once the broker has taken the task. When the broker is down the write still
commits (its follow-up work is not lost with it) and the row waits for `outbox_drain`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task (by its dotted name) and its JSON arguments, waiting to be sent to the broker."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts to send"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(task_name=""), name="outbox_task_named")]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)!r}"
