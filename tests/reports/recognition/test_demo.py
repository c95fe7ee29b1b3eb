"""The demo: one initiative recognised and one waiting in Sở Nội vụ, once; the emulation
proposals of last year when its annual classification exists."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from danhgia.annual.services import open_annual
from danhgia.core.audit import verify_chain
from danhgia.organisations.models import Unit
from danhgia.reports.recognition.demo import seed_demo_recognition
from danhgia.reports.recognition.models import EmulationProposal, Initiative


@pytest.mark.django_db
def test_demo_initiatives_once_and_proposals_when_last_year_is_classified() -> None:
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo_recognition", stdout=out)
    assert sorted(Initiative.objects.values_list("status", flat=True)) == [
        "proposed",
        "recognised",
    ]
    assert {i.unit.code[:3] for i in Initiative.objects.select_related("unit")} == {"SNV"}
    assert EmulationProposal.objects.count() == 0

    call_command("seed_demo_recognition", stdout=StringIO())
    assert Initiative.objects.count() == 2

    today = timezone.localdate()
    snv = Unit.objects.get(code="SNV")
    open_annual(snv, today.year - 1, by=None)
    result = seed_demo_recognition(today)
    assert [p.title.code for p in result.proposals] == ["LDTT", "CSTDCS"]
    assert verify_chain()[1] is None
