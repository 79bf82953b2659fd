"""Uploaded files out of clear text: erase the files of ended imports, seal those still waiting, and mask
any identifier in the stored row reports (issue 15)."""

from django.conf import settings
from django.db import migrations, models

from taxonomy.sealed import redact_identifiers, seal


def seal_or_erase(apps, schema_editor):
    ImportJob = apps.get_model("taxonomy", "ImportJob")
    for job in ImportJob.objects.all().iterator(chunk_size=100):
        unfinished = job.status in ("pending", "running")
        job.content = seal(bytes(job.content)) if unfinished and job.content else b""
        job.file_name = redact_identifiers(job.file_name)
        job.failure = redact_identifiers(job.failure)
        job.errors = [{**error, "message": redact_identifiers(str(error.get("message", "")))}
                      for error in job.errors or []]
        job.save(update_fields=["content", "file_name", "failure", "errors"])


class Migration(migrations.Migration):

    dependencies = [
        ('taxonomy', '0006_import_kind_outcomes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='attempts'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='queued_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='queued at'),
        ),
        migrations.AlterField(
            model_name='importjob',
            name='content',
            field=models.BinaryField(blank=True, default=b'', verbose_name='file content (encrypted)'),
        ),
        migrations.RunPython(seal_or_erase, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='importjob',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'running']), ('content', b''), _connector='OR'), name='import_job_file_erased_at_end'),
        ),
    ]
