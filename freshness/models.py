"""One version counter per domain, bumped by the services that write it, and the log of what changed.

A cached read (an index of open postings, the residents seeking work, a dashboard's figures) is keyed
on the versions of the domains it depends on. The service that writes bumps its domain's counter in
the same transaction as the write, so a reader that sees the new version also sees the new rows.
Freshness is never inferred from `Max(updated_at)` or counts.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    """What a version counts changes of (and what a cached read may depend on)."""

    POSTINGS = "postings", _("employers and job postings")
    RESIDENTS = "residents", _("households, residents, their skills and preferences")
    TRAINING = "training", _("courses, sessions and enrolments")
    OUTCOMES = "outcomes", _("recommendations, placements and follow-ups")
    REFERENCE = "reference", _("skills, occupations and places")
    MODEL = "model", _("learned ranking models")
    RECEPTIONS = "receptions", _("receptions, duty rotas and requests")


# The record id logged for a version whose change touched no record an index holds (a new household, a
# course): record ids start at 1.
NO_RECORD = 0


class DomainVersion(models.Model):
    """The current version of a domain: it only goes up, inside the transaction that writes the domain."""

    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    # New whenever the row is created again (a test's flush, a restored database): versions of another
    # epoch are not comparable, so a cache built under one is never taken for the other.
    epoch = models.UUIDField(_("epoch"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("domain version")
        verbose_name_plural = _("domain versions")

    def __str__(self) -> str:
        return f"{self.domain} v{self.version}"


class Change(models.Model):
    """Which record a version of a domain changed (null: anything may have changed). Readers that keep an
    index patch it from these rows instead of rebuilding it; old rows are pruned."""

    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    version = models.PositiveBigIntegerField(_("version"))
    object_id = models.BigIntegerField(_("record"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [models.Index(fields=["domain", "version"], name="freshness_change_domain_ver")]
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="freshness_change_version_gte_1")]

    def __str__(self) -> str:
        return f"{self.domain} v{self.version}: {self.object_id if self.object_id is not None else '*'}"
