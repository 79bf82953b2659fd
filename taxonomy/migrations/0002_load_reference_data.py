"""Load the national occupational classification, Tongren's places and the skill vocabulary."""

from django.db import migrations


def forwards(apps, schema_editor):
    from taxonomy.loaders import load_all

    load_all(
        Occupation=apps.get_model("taxonomy", "Occupation"),
        Place=apps.get_model("taxonomy", "Place"),
        SkillGroup=apps.get_model("taxonomy", "SkillGroup"),
        Skill=apps.get_model("taxonomy", "Skill"),
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
