"""The emulation titles page: conditions shown as Vietnamese sentences, and edited with one
field per kind of condition (never a JSON document with English keys)."""

from typing import Any

import pytest
from django.urls import reverse

from danhgia.core.models import AuditLog
from tests.conftest import World
from tests.reports.recognition.conftest import title

ENGLISH_KEYS = ("min_annual_level", "no_discipline_in_year", "min_months_worked", "requires_title")


@pytest.mark.django_db
def test_the_titles_page_shows_the_conditions_as_sentences(world: World, login: Any) -> None:
    response = login(world.users["staff"]).get(reverse("recognition:title_list"))
    html = response.content.decode()
    assert response.status_code == 200
    for key in (*ENGLISH_KEYS, '"note"', "{&quot;"):
        assert key not in html
    sentences = {
        code: [
            str(line)
            for line in next(t for t in response.context["titles"] if t.code == code).sentences
        ]
        for code in ("LDTT", "CSTDCS")
    }
    assert sentences["LDTT"] == [
        "Xếp loại năm từ mức “hoàn thành tốt nhiệm vụ” trở lên.",
        "Không bị kỷ luật có hiệu lực trong năm.",
        "Làm việc ít nhất 10 tháng trong năm.",
    ]
    assert sentences["CSTDCS"][-2:] == [
        "Có sáng kiến được công nhận trong năm, từ cấp cơ sở trở lên.",
        "Đồng thời đạt danh hiệu “Lao động tiên tiến” trong năm.",
    ]
    assert "Làm việc ít nhất 10 tháng trong năm." in html
    assert "Số tháng là mặc định cần đối chiếu" in html  # the note, as written


@pytest.mark.django_db
def test_a_title_is_edited_with_a_field_per_condition(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    ldtt = title("LDTT")
    url = reverse("recognition:title_edit", args=[ldtt.pk])
    form = client.get(url).context["form"]
    html = client.get(url).content.decode()
    for key in ENGLISH_KEYS:
        assert f"{key}</" not in html and f'"{key}"' not in html.replace(f'name="{key}"', "")
    assert "Xếp loại năm thấp nhất" in html or "xếp loại năm thấp nhất" in html
    assert (form["min_annual_level"].value(), form["min_months_worked"].value()) == ("good", 10)
    assert form["no_discipline_in_year"].value() is True
    response = client.post(
        url,
        {
            "name": "Lao động tiên tiến",
            "legal_source": ldtt.legal_source,
            "active": "on",
            "min_annual_level": "completed",
            "min_months_worked": "6",
            "initiative_min_scope": "",
            "requires_title": "",
            "note": "Theo Nghị định 98/2023",
        },
    )
    assert response.status_code == 302
    ldtt.refresh_from_db()
    assert ldtt.conditions == {
        "min_annual_level": "completed",
        "no_discipline_in_year": False,
        "min_months_worked": 6,
        "initiative_min_scope": "",
        "requires_title": "",
        "note": "Theo Nghị định 98/2023",
    }
    assert AuditLog.objects.filter(action="emulation_title.updated").count() == 1
    page = client.get(reverse("recognition:title_list")).content.decode()
    assert "Xếp loại năm từ mức “hoàn thành nhiệm vụ” trở lên." in page
    assert "Làm việc ít nhất 6 tháng trong năm." in page
    assert "Không bị kỷ luật có hiệu lực trong năm." not in page.split("Chiến sĩ")[0]


@pytest.mark.django_db
def test_a_wrong_condition_is_refused_with_what_was_typed(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    ldtt = title("LDTT")
    url = reverse("recognition:title_edit", args=[ldtt.pk])
    response = client.post(
        url,
        {"name": "LĐTT", "active": "on", "min_months_worked": "13", "requires_title": "LDTT"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"min_months_worked", "requires_title"}  # a title never needs itself
    assert 'value="13"' in response.content.decode()
    ldtt.refresh_from_db()
    assert ldtt.name == "Lao động tiên tiến"
