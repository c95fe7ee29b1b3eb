"""Every write of publication: publish a decided period, unpublish it with a reason, change an
organisation's setting. Each guards, changes and logs in one transaction."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify_many
from danhgia.evaluations.models import Period
from danhgia.evaluations.rounds.close import require_within_quota
from danhgia.evaluations.rounds.month import MONTH
from danhgia.evaluations.services import EvaluationError
from danhgia.organisations.models import Unit
from danhgia.reports.publication.models import Privacy, Publication, PublicationSetting, Publisher
from danhgia.reports.publication.permissions import (
    PUBLISHABLE_STATES,
    can_edit_setting,
    can_publish,
)
from danhgia.reports.publication.queries import setting_for


class PublicationError(Exception):
    """A rule of publication was broken; the message is for the user and says what to do."""


PUBLICATION_ACTION_LABELS: dict[str, Any] = {
    "publication.published": gettext_lazy("results published"),
    "publication.unpublished": gettext_lazy("results unpublished"),
    "publication.setting_changed": gettext_lazy("publication setting changed"),
}


def _who_publishes(period: Period) -> str:
    setting = setting_for(period.organisation)
    if setting.publisher == Publisher.HEAD:
        return _("the head of %(unit)s") % {"unit": period.organisation.name}
    return _("the HR officer over %(unit)s") % {"unit": period.organisation.name}


def _describe(publication: Publication) -> dict[str, Any]:
    return {
        "period": publication.period_id,
        "audience": publication.audience,
        "privacy": publication.privacy,
        "published_at": publication.published_at,
    }


def _locked_period(period: Period) -> Period:
    return (
        Period.objects.select_for_update(of=("self",))
        .select_related("organisation", "rulebook")
        .get(pk=period.pk)
    )


@transaction.atomic
def publish_period(period: Period, *, by: User, audience: str, privacy: str) -> Publication:
    """Publish a decided (or closed) period: within the unit, or also on the public portal at
    `privacy`. Notifies everyone with a sheet in it. Logs `publication.published`.

    Raises PublicationError for someone the organisation's setting does not name, a period
    not decided yet, a quota scope over the quota (its people named), or a period already
    published (unpublish it first to change anything).
    """
    period = _locked_period(period)
    if not can_publish(by, period):
        raise PublicationError(
            _("Only %(who)s publishes the results of this organisation.")
            % {"who": _who_publishes(period)}
        )
    if period.state not in PUBLISHABLE_STATES:
        raise PublicationError(
            _(
                "%(period)s is %(state)s: results are published once every sheet is decided "
                "and the period has moved on to “decided”."
            )
            % {"period": period, "state": period.get_state_display()}
        )
    if audience not in Publication.Audience.values or privacy not in Privacy.values:
        raise ValueError(f"unknown audience or privacy: {audience}, {privacy}")
    try:
        require_within_quota(MONTH, period, _("Publishing %(period)s") % {"period": period})
    except EvaluationError as error:
        raise PublicationError(str(error)) from error
    current = Publication.objects.filter(period=period, unpublished_at__isnull=True).first()
    if current is not None:
        raise PublicationError(
            _(
                "%(period)s is already published (%(audience)s). To change the audience or "
                "the privacy, unpublish it with a reason, then publish again."
            )
            % {"period": period, "audience": current.get_audience_display()}
        )
    publication = Publication.objects.create(
        period=period,
        audience=audience,
        privacy=privacy,
        published_at=clock.now(),
        published_by=by,
    )
    log_action(
        publication,
        "publication.published",
        by=by,
        data={"after": {**_describe(publication), "unpublished_at": None}},
    )
    _announce(publication)
    return publication


def _announce(publication: Publication) -> None:
    """Tell everyone with a sheet in the period that its results are announced (once each)."""
    period = publication.period
    message = _("The results of %(period)s are announced within the unit.") % {"period": period}
    url = reverse("publication:internal_page", args=[period.pk])
    recipients = (
        period.sheets.filter(person__user__isnull=False)
        .values_list("person__user_id", flat=True)
        .order_by()
    )
    key = f"publication:{publication.pk}"
    notify_many(
        (User(pk=user_id), message, url, "publication", f"{key}:{user_id}")
        for user_id in recipients
    )


@transaction.atomic
def unpublish(publication: Publication, *, by: User, reason: str) -> Publication:
    """Take a publication down (public page, feeds and the unit's page), keeping the row with
    who, when and why. Logs `publication.unpublished` with the reason.

    Raises PublicationError for someone who may not publish the period, a publication already
    taken down, or no reason.
    """
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("period__organisation")
        .get(pk=publication.pk)
    )
    if not can_publish(by, publication.period):
        raise PublicationError(
            _("Only %(who)s unpublishes the results of this organisation.")
            % {"who": _who_publishes(publication.period)}
        )
    if publication.unpublished_at is not None:
        raise PublicationError(_("This publication was already taken down."))
    reason = reason.strip()
    if not reason:
        raise PublicationError(
            _("Give the reason for unpublishing: it is kept in the audit log and shown to HR.")
        )
    publication.unpublished_at = clock.now()
    publication.unpublished_by = by
    publication.unpublish_reason = reason
    publication.save(update_fields=["unpublished_at", "unpublished_by", "unpublish_reason"])
    log_action(
        publication,
        "publication.unpublished",
        by=by,
        data={
            "before": {**_describe(publication), "unpublished_at": None},
            "after": {"unpublished_at": publication.unpublished_at},
            "reason": reason,
        },
    )
    return publication


@transaction.atomic
def change_setting(
    organisation: Unit, *, by: User, privacy: str, publisher: str
) -> PublicationSetting:
    """Set an organisation's default privacy and who publishes (its sub-units follow unless
    they have their own). Logs `publication.setting_changed` with before/after.

    Raises PublicationError for anyone but HR or an admin over the organisation.
    """
    if not can_edit_setting(by, organisation):
        raise PublicationError(
            _("Only the HR officer or a system administrator over %(unit)s changes this.")
            % {"unit": organisation.name}
        )
    if privacy not in Privacy.values or publisher not in Publisher.values:
        raise ValueError(f"unknown privacy or publisher: {privacy}, {publisher}")
    setting = (
        PublicationSetting.objects.select_for_update().filter(organisation=organisation).first()
    )
    before = {"privacy": setting.privacy, "publisher": setting.publisher} if setting else None
    if setting is None:
        setting = PublicationSetting(organisation=organisation)
    setting.privacy = privacy
    setting.publisher = publisher
    setting.updated_at = clock.now()
    setting.updated_by = by
    setting.save()
    log_action(
        setting,
        "publication.setting_changed",
        by=by,
        data={"before": before, "after": {"privacy": privacy, "publisher": publisher}},
    )
    return setting
