"""A digest of the demo's content, to check that a seed is deterministic (ids, timestamps, ciphertext left out).

Rows are read in primary-key order and a foreign key is written as the position of the row it points
to (or as the code of a taxonomy row, the username of a user), so two databases seeded alike give
the same digest whatever ids their sequences handed out. Fernet ciphertext embeds a timestamp and a
random IV, so the encrypted columns are left out; the keyed hashes and masked forms stand for them.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth import get_user_model
from django.db import models

from taxonomy.models import Occupation, Place, Skill, SkillGroup

from . import vocabulary as v
from .reset import DOMAIN_MODELS

NATURAL_KEYS = {Occupation: "code", Place: "code", Skill: "code", SkillGroup: "code"}


def _skipped(field: models.Field) -> bool:
    return (
        field.primary_key
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
        or field.name.endswith("_encrypted")
    )


def content_digest() -> str:
    """SHA-256 over the seeded tables and the demo logins, independent of ids and of the clock."""
    User = get_user_model()
    positions: dict[type, dict[int, int]] = {}
    natural: dict[type, dict[int, str]] = {
        model: dict(model.objects.values_list("pk", key)) for model, key in NATURAL_KEYS.items()
    }
    natural[User] = dict(User.objects.values_list("pk", "username"))
    digest = hashlib.sha256()
    for model in reversed(DOMAIN_MODELS):  # parents first, so their positions are known
        fields = [f for f in model._meta.concrete_fields if not _skipped(f)]
        rows = model.objects.order_by("pk").values_list("pk", *[f.attname for f in fields])
        positions[model] = {}
        digest.update(model._meta.label.encode())
        for position, (pk, *values) in enumerate(rows.iterator(chunk_size=2000)):
            positions[model][pk] = position
            line = []
            for field, value in zip(fields, values, strict=True):
                if field.is_relation and value is not None:
                    target = field.related_model
                    value = positions[target][value] if target in positions else natural[target][value]
                line.append(value)
            digest.update(json.dumps(line, default=str, ensure_ascii=False).encode())
    for user in User.objects.filter(username__in=list(v.LOGINS)).order_by("username"):
        groups = sorted(user.groups.values_list("name", flat=True))
        digest.update(json.dumps([user.username, user.first_name, user.last_name, user.is_superuser,
                                  user.is_staff, groups], ensure_ascii=False).encode())
    return digest.hexdigest()
