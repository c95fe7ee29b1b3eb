"""The upload form. It checks the size and what the file is, before anything parses it."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form
from danhgia.organisations.imports.reading import (
    check_import_file,
)
from danhgia.organisations.imports.rows import ImportFileError
from danhgia.organisations.models import ORGANISATION_IMPORT_KINDS, ImportKind


class UploadForm(Form):
    kind = forms.ChoiceField(
        label=_("the file contains"),
        choices=[(kind.value, kind.label) for kind in ORGANISATION_IMPORT_KINDS],
        initial=ImportKind.PEOPLE,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("file"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file, at most %(limit)s."
        ) % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}

    def clean_file(self) -> UploadedFile:
        """The size, then the content (`reading.check_import_file`): a workbook must be a
        bounded archive, a CSV text, whatever the name says."""
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file accepted is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        try:
            check_import_file(data, upload.name or "")
        except ImportFileError as error:
            raise forms.ValidationError([problem.message for problem in error.problems]) from error
        return upload
