"""Catalogue writes: add a product type, revise it from a date. Guard, change, log.

A product type is a chain of versions of one `code` in one unit's catalogue. A revision ends
the current version the day before the new one starts, so a month keeps the coefficients it
was scored with, and a task keeps the coefficient copied into it when it was assigned.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core.audit import log_action
from danhgia.core.text import nfc
from danhgia.organisations.models import JobPosition, Unit
from danhgia.work.models import ProductType
from danhgia.work.permissions import can_edit_catalogue
from danhgia.work.services import WorkError

CATALOGUE_ACTION_LABELS: dict[str, Any] = {
    "product_type.created": gettext_lazy("product added to the catalogue"),
    "product_type.revised": gettext_lazy("product revised"),
}
MAX_COEFFICIENT = Decimal("9999.99")
CENT = Decimal("0.01")


def check_coefficient(coefficient: Decimal) -> None:
    """Raise WorkError unless 0 < coefficient <= 9999.99 with at most two decimals."""
    if not coefficient.is_finite() or coefficient <= 0:
        raise WorkError(_("The conversion coefficient must be greater than zero."))
    if coefficient > MAX_COEFFICIENT:
        raise WorkError(_("The conversion coefficient must be at most 9999.99."))
    if coefficient != coefficient.quantize(CENT):
        raise WorkError(_("The conversion coefficient has at most two decimal places."))


def _guard(by: User, unit: Unit) -> None:
    if not can_edit_catalogue(by, unit):
        raise WorkError(
            _("You cannot change the product catalogue of %(unit)s.") % {"unit": unit.name}
        )


def snapshot(product: ProductType) -> dict[str, Any]:
    return {
        "code": product.code,
        "name": product.name,
        "unit": product.unit.code,
        "job_position": product.job_position.code if product.job_position else None,
        "unit_of_measure": product.unit_of_measure,
        "coefficient": product.coefficient,
        "valid_from": product.valid_from,
        "valid_to": product.valid_to,
    }


@transaction.atomic
def create_product_type(
    *,
    unit: Unit,
    code: str,
    name: str,
    unit_of_measure: str,
    coefficient: Decimal,
    valid_from: datetime.date,
    by: User,
    job_position: JobPosition | None = None,
) -> ProductType:
    """Add a product to `unit`'s catalogue with its first version. Logs `product_type.created`.

    Raises WorkError when `by` may not edit that catalogue, a text is empty, the coefficient
    is out of range, or the code is already in the catalogue (revise it instead).
    """
    _guard(by, unit)
    code, name, unit_of_measure = nfc(code), nfc(name), nfc(unit_of_measure)
    if not (code and name and unit_of_measure):
        raise WorkError(_("Give the code, the name and the unit of measure."))
    check_coefficient(coefficient)
    if ProductType.objects.filter(unit=unit, code=code).exists():
        raise WorkError(
            _("Product code %(code)s is already in this catalogue; revise it instead.")
            % {"code": code}
        )
    product = ProductType.objects.create(
        unit=unit,
        code=code,
        name=name,
        job_position=job_position,
        unit_of_measure=unit_of_measure,
        coefficient=coefficient,
        valid_from=valid_from,
    )
    log_action(product, "product_type.created", by=by, data=snapshot(product))
    return product


@transaction.atomic
def revise_product_type(
    product: ProductType,
    *,
    by: User,
    valid_from: datetime.date,
    coefficient: Decimal | None = None,
    name: str | None = None,
    unit_of_measure: str | None = None,
) -> ProductType:
    """End `product` the day before `valid_from` and start its next version with the given
    changes (None keeps a value). Returns the new version. Logs `product_type.revised`.

    Raises WorkError when `by` may not edit the catalogue, `product` is not the latest
    version, `valid_from` is not after the start of `product`, or nothing would change.
    """
    product = (
        ProductType.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=product.pk)
    )
    _guard(by, product.unit)
    latest = (
        ProductType.objects.filter(unit_id=product.unit_id, code=product.code)
        .order_by("-valid_from")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != product.pk:
        raise WorkError(_("Only the latest version of a product can be revised."))
    if valid_from <= product.valid_from:
        raise WorkError(
            _("The new version must start after %(date)s, when the current one started.")
            % {"date": product.valid_from.strftime("%d/%m/%Y")}
        )
    new_coefficient = coefficient if coefficient is not None else product.coefficient
    check_coefficient(new_coefficient)
    new_values: dict[str, Any] = {
        "name": nfc(name) if name is not None else product.name,
        "unit_of_measure": (
            nfc(unit_of_measure) if unit_of_measure is not None else product.unit_of_measure
        ),
        "coefficient": new_coefficient,
    }
    if not (new_values["name"] and new_values["unit_of_measure"]):
        raise WorkError(_("Give the code, the name and the unit of measure."))
    if all(getattr(product, key) == value for key, value in new_values.items()):
        raise WorkError(_("Nothing changed: give a new coefficient, name or unit of measure."))
    before = snapshot(product)
    product.valid_to = valid_from - datetime.timedelta(days=1)
    product.save(update_fields=["valid_to"])
    successor = ProductType.objects.create(
        unit=product.unit,
        code=product.code,
        job_position=product.job_position,
        valid_from=valid_from,
        **new_values,
    )
    log_action(
        successor,
        "product_type.revised",
        by=by,
        data={"previous_version": product.pk, "before": before, "after": snapshot(successor)},
    )
    return successor
