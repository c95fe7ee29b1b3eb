"""Recognition: initiatives, emulation titles and proposals, reward decisions, a person's record
of results.

Everyone proposes and lists initiatives; the author and every role over the author's unit read
one; HR and the head over the unit record the council's assessment (the author and roles that
may not get 403). Titles are read by all and edited by HR of the province. Proposals are for HR,
admins and heads (a province's proposal is out of a department head's scope: 404); reward
decisions are read by role holders and recorded by HR. The record of results is scoped like the
evaluation record.
"""

from typing import Any

from django.utils import timezone

from danhgia.reports.recognition.models import EmulationProposal, EmulationTitle, Initiative
from danhgia.reports.recognition.services import propose_initiative
from tests.conftest import World
from tests.matrix import Row


def _initiative(world: World) -> list[Any]:
    person = world.people["staff"]
    found = Initiative.objects.filter(person=person).first()
    if found is None:
        found = propose_initiative(
            person,
            by=world.users["staff"],
            title="Số hóa hồ sơ công chức",
            description="Quét và lập chỉ mục hồ sơ giấy.",
        )
    return [found.pk]


def _title(world: World) -> list[Any]:
    return [EmulationTitle.objects.get(code="LDTT").pk]


def _proposal(world: World) -> list[Any]:
    proposal, _ = EmulationProposal.objects.get_or_create(
        organisation=world.province,
        year=2025,
        title=EmulationTitle.objects.get(code="LDTT"),
        defaults={"conditions": {}, "built_at": timezone.now()},
    )
    return [proposal.pk]


def _staff(world: World) -> list[Any]:
    return [world.people["staff"].pk]


EVERYONE = "302 200 200 200 200 200 200 200"
HR_ONLY = "302 403 403 403 403 403 200 403"

ROWS = [
    Row("recognition:initiative_list", EVERYONE),
    Row("recognition:initiative_create", EVERYONE),
    Row("recognition:initiative_detail", "302 200 404 200 200 404 200 200", _initiative),
    Row("recognition:initiative_assess", "302 403 404 403 200 404 200 403", _initiative),
    Row("recognition:title_list", EVERYONE),
    Row("recognition:title_edit", HR_ONLY, _title),
    Row("recognition:proposal_list", "302 403 403 403 200 200 200 403"),
    Row("recognition:proposal_detail", "302 404 404 404 404 404 200 403", _proposal),
    Row("recognition:reward_list", "302 403 403 200 200 200 200 200"),
    Row("recognition:reward_create", HR_ONLY),
    Row("recognition:person_record", "302 200 404 200 200 404 200 200", _staff),
]
