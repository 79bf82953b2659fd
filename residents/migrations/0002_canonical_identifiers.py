"""Re-canonicalise stored ID numbers and phones (NFKC: full-width digits to ASCII) and re-hash them.

Rows stored before identifiers were canonicalised may hold ５２０６… or １３８…, hashed as typed, so an
ASCII search missed them and the same person could be registered twice. A row whose canonical ID number
clashes with another resident's is left as it is and named in the output, for staff to merge by hand."""

from django.db import migrations

from residents import pii
from taxonomy.identifiers import mask_id_number, mask_phone, normalise_id_number, normalise_phone


def recanonicalise(apps, schema_editor):
    resident_model = apps.get_model("residents", "Resident")
    taken = set(resident_model.objects.values_list("id_number_hash", flat=True))
    changed = []
    fields = ("id_number_encrypted", "id_number_hash", "id_number_masked", "phone_encrypted", "phone_hash",
              "phone_masked")
    for resident in resident_model.objects.only("pk", *fields).iterator(chunk_size=2000):
        number = normalise_id_number(pii.decrypt(resident.id_number_encrypted))
        digest = pii.lookup_hash(number)
        dirty = False
        if digest != resident.id_number_hash:
            if digest in taken:
                print(f"\n  resident {resident.pk}: its canonical ID number belongs to another resident; left as is")
            else:
                taken.discard(resident.id_number_hash)
                taken.add(digest)
                resident.id_number_encrypted = pii.encrypt(number)
                resident.id_number_hash = digest
                resident.id_number_masked = mask_id_number(number)
                dirty = True
        if resident.phone_encrypted:
            phone = normalise_phone(pii.decrypt(resident.phone_encrypted))
            phone_digest = pii.lookup_hash(phone)
            if phone_digest != resident.phone_hash:
                resident.phone_encrypted = pii.encrypt(phone)
                resident.phone_hash = phone_digest
                resident.phone_masked = mask_phone(phone)
                dirty = True
        if dirty:
            changed.append(resident)
        if len(changed) >= 500:
            resident_model.objects.bulk_update(changed, fields)
            changed = []
    if changed:
        resident_model.objects.bulk_update(changed, fields)


class Migration(migrations.Migration):

    dependencies = [
        ("residents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(recanonicalise, migrations.RunPython.noop),
    ]
