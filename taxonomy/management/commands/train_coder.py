"""Refit the job-title coder on the development titles plus the county's corrections, and save it."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from taxonomy.coding import clear_caches, fit_occupation_coder, save_occupation_coder


class Command(BaseCommand):
    help = (
        "Fit the occupation title coder on the bundled development titles plus every clerk's correction, "
        "and save it (numpy .npz, no pickle) where web and worker processes load it."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default=None, help="file to write (default: OCCUPATION_CODER_PATH)")

    def handle(self, *args, output=None, **options):
        start = time.perf_counter()
        coder = fit_occupation_coder()
        path = save_occupation_coder(coder, Path(output) if output else None)
        clear_caches()
        self.stdout.write(
            f"fitted on {coder.labelled_count} development titles and {coder.correction_count} corrections "
            f"in {time.perf_counter() - start:.1f} s (temperature {coder.temperature}, "
            f"major-group weight {coder.major_weight}, titles' SVM weight {coder.title_svm_weight}); saved to {path}"
        )
