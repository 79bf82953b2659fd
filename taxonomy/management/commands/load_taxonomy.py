"""Refresh occupations, places and skills from the reference files in taxonomy/data/."""

from django.core.management.base import BaseCommand
from django.db import transaction

from taxonomy.loaders import load_all
from taxonomy.models import Occupation, Place, Skill, SkillGroup
from taxonomy.services import reference_changed


class Command(BaseCommand):
    help = "Load or refresh the national occupational classification, places and the skill vocabulary."

    @transaction.atomic
    def handle(self, *args, **options):
        counts = load_all(Occupation=Occupation, Place=Place, SkillGroup=SkillGroup, Skill=Skill)
        reference_changed()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
