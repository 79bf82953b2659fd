"""Code job titles (one per line, from a file or stdin) to the 2022 classification, as CSV."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from taxonomy.coding import occupation_coder
from taxonomy.exports import SafeCsvWriter

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Read job titles one per line (a file or '-' for stdin) and write CSV: title, code, name, confidence, "
        "method and the top-3 alternatives (code name probability, separated by ' | ')."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", nargs="?", default="-", help="file of titles, one per line; '-' = stdin")
        parser.add_argument("-o", "--output", default="-", help="CSV file to write; '-' = stdout")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    def handle(self, *args, input, output, no_progress, **options):
        source = sys.stdin if input == "-" else open(input, encoding="utf-8-sig")  # noqa: SIM115
        target = self.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
        try:
            titles = [line.rstrip("\r\n") for line in source]
            titles = [t for t in titles if t.strip()]
            coder = occupation_coder()
            writer = SafeCsvWriter(target)  # titles come from bureaus' files: keep them inert
            writer.writerow(["title", "code", "name", "confidence", "method", "alternatives"])
            progress = tqdm(total=len(titles), unit="title", disable=no_progress, file=sys.stderr)
            for start in range(0, len(titles), BATCH):
                for result in coder.code_many(titles[start : start + BATCH]):
                    alternatives = " | ".join(f"{c} {n} {p:.3f}" for c, n, p in result.alternatives)
                    writer.writerow([result.title, result.code or "", result.name or "",
                                     f"{result.confidence:.3f}", result.method, alternatives])
                progress.update(min(BATCH, len(titles) - start))
            progress.close()
        finally:
            if source is not sys.stdin:
                source.close()
            if target is not self.stdout:
                target.close()
