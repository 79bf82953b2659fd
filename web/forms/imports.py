"""The form of the spreadsheet import pages (the bureau's postings, the liaison staff's residents)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.imports import max_file_bytes


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"), max_length=255, allow_empty_file=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_file_bytes()
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)})
        return upload
