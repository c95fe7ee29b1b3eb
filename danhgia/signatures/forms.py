from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form

PDF_MAGIC = b"%PDF-"


class VerifyForm(Form):
    document = forms.FileField(label=_("signed PDF"))

    def clean_document(self) -> bytes:
        upload = self.cleaned_data["document"]
        if upload.size > settings.SIGNATURE_VERIFY_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB."),
                params={"size": settings.SIGNATURE_VERIFY_MAX_BYTES // (1024 * 1024)},
            )
        data: bytes = upload.read()
        if not data.startswith(PDF_MAGIC):
            raise ValidationError(_("The file is not a PDF."))
        return data


class SignMonthForm(Form):
    passphrase = forms.CharField(
        label=_("signing password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


PKCS12_MAX_BYTES = 100 * 1024  # a key, its certificate and a chain weigh a few kilobytes


class CredentialForm(Form):
    pkcs12 = forms.FileField(label=_("certificate file (.p12, .pfx)"))
    passphrase = forms.CharField(
        label=_("password of the certificate file"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_pkcs12(self) -> bytes:
        upload = self.cleaned_data["pkcs12"]
        if upload.size > PKCS12_MAX_BYTES:
            raise ValidationError(_("The certificate file is too large."))
        data: bytes = upload.read()
        return data
