"""Digital signatures: a signer's credential (their PKCS#12, kept encrypted) and each signed
PDF the system made (docs/signatures.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignerCredential(models.Model):
    """One person's signing key and certificate as a PKCS#12 blob.

    The blob is protected twice: by its own passphrase, which the person types each time they
    sign and which is never stored, and by a Fernet key derived from SECRET_KEY
    (`credentials.seal`), so a copy of the database alone yields nothing usable.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="signer_credential",
    )
    sealed_pkcs12 = models.BinaryField(_("sealed PKCS#12"))
    subject = models.CharField(_("certificate subject"), max_length=300)
    created_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("signing credential")
        verbose_name_plural = _("signing credentials")

    def __str__(self) -> str:
        return self.subject


class SignedDocument(models.Model):
    """A PDF signed in danhgia: what it is (`kind`, `reference`), its bytes (`file`) and their
    SHA-256, which the audit log also holds (`document.signed`)."""

    class Kind(models.TextChoices):
        MONTH_SUMMARY = "month_summary", _("summary of a month")
        SHEET = "sheet", _("monthly sheet of a person")
        ANNUAL_FORM = "annual_form", _("annual form of a person")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # "month_summary:<unit id>:<yyyy-mm>": what was signed, whatever the file is called.
    reference = models.CharField(_("reference"), max_length=100)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    file = models.FileField(upload_to="signed/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        indexes = [models.Index(fields=["reference", "-signed_at"])]

    def __str__(self) -> str:
        return self.reference
