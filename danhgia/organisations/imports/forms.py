"""The upload form. It checks what can be checked without reading the file: size and type."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form
from danhgia.organisations.imports.reading import TEXT_EXTENSIONS, XLSX_EXTENSIONS, extension
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
        upload: UploadedFile = self.cleaned_data["file"]
        suffix = extension(upload.name or "")
        if upload.size is not None and upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file accepted is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        if suffix == ".xls":
            raise forms.ValidationError(
                _(
                    "Old Excel files (.xls) are not accepted. Open the file in Excel and save it "
                    "as “Excel Workbook (.xlsx)”."
                )
            )
        if suffix not in XLSX_EXTENSIONS | TEXT_EXTENSIONS:
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return upload
