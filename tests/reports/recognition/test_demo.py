"""The demo: one initiative recognised and one waiting in Sở Nội vụ, once; the emulation
proposals of last year when its annual classification exists."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from danhgia.core.audit import verify_chain
from danhgia.reports.recognition.models import EmulationProposal, Initiative


@pytest.mark.django_db
def test_demo_initiatives_once_and_proposals_when_last_year_is_classified() -> None:
    """`seed_demo` runs the annual demo before this one: last year is classified, so the
    proposals of both titles are built; running it again changes nothing."""
    call_command("seed_demo", stdout=StringIO())
    assert sorted(Initiative.objects.values_list("status", flat=True)) == [
        "proposed",
        "recognised",
    ]
    assert {i.unit.code[:3] for i in Initiative.objects.select_related("unit")} == {"SNV"}
    year = timezone.localdate().year - 1
    proposals = EmulationProposal.objects.filter(year=year).select_related("title")
    assert sorted(p.title.code for p in proposals) == ["CSTDCS", "LDTT"]

    call_command("seed_demo_recognition", stdout=StringIO())
    assert Initiative.objects.count() == 2
    assert EmulationProposal.objects.count() == 2
    assert verify_chain()[1] is None
