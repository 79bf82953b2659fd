# An employer's contact phone may be a landline with its area code (0856-3221234-801), not only a mobile.

import taxonomy.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="employer",
            name="contact_phone",
            field=models.CharField(
                blank=True,
                help_text="A mobile number or a landline with its area code, such as 0856-3221234.",
                max_length=20,
                validators=[taxonomy.validators.contact_phone_validator],
                verbose_name="contact phone",
            ),
        ),
    ]
