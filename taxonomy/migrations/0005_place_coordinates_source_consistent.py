"""Coordinates come in pairs, and only an unknown place has none (its own transaction: the data
migration before it leaves deferred triggers on the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("taxonomy", "0004_place_coordinates_source"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='place',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('coordinates_source', 'unknown'), ('latitude__isnull', True), ('longitude__isnull', True)), models.Q(('coordinates_source__in', ['surveyed', 'estimated']), ('latitude__isnull', False), ('longitude__isnull', False)), _connector='OR'), name='place_coordinates_source_consistent'),
        ),
    ]
