"""The form of the spreadsheet import pages (the bureau's postings, the liaison staff's residents)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.imports import max_file_bytes


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"), max_length=255, allow_empty_file=True)
    # A new key with every blank form: the same form sent twice (a double click) stores one import.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4().hex

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_file_bytes()
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)})
        return upload
