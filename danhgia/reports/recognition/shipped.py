"""The emulation titles shipped with the system (Luật Thi đua, khen thưởng 2022; Nghị định
98/2023/NĐ-CP). Every number is data HR can edit: the sources were not at hand to check each
figure, so each note says what to verify."""

from typing import Any, Final

SHIPPED_TITLES: Final[list[dict[str, Any]]] = [
    {
        "code": "LDTT",
        "name": "Lao động tiên tiến",
        "legal_source": "Luật Thi đua, khen thưởng 2022; Nghị định 98/2023/NĐ-CP",
        "conditions": {
            "min_annual_level": "good",
            "no_discipline_in_year": True,
            "min_months_worked": 10,
            "note": (
                "Hoàn thành tốt nhiệm vụ trở lên; không xét người bị kỷ luật trong năm; "
                "làm việc từ 10 tháng trong năm. Số tháng là mặc định cần đối chiếu "
                "Nghị định 98/2023."
            ),
        },
    },
    {
        "code": "CSTDCS",
        "name": "Chiến sĩ thi đua cơ sở",
        "legal_source": "Luật Thi đua, khen thưởng 2022; Nghị định 98/2023/NĐ-CP",
        "conditions": {
            "min_annual_level": "good",
            "no_discipline_in_year": True,
            "min_months_worked": 10,
            "initiative_min_scope": "unit",
            "requires_title": "LDTT",
            "note": (
                "Đạt danh hiệu Lao động tiên tiến và có sáng kiến được công nhận (cấp cơ sở "
                "trở lên) trong năm. Tỷ lệ tối đa so với số Lao động tiên tiến do Nghị định "
                "98/2023 quy định: xem xét khi quyết định."
            ),
        },
    },
]


def ensure_shipped_titles(model: Any = None) -> None:
    """Create the shipped titles that do not exist yet (never changes an edited one).
    `model` is the historical model inside a migration."""
    if model is None:
        from danhgia.reports.recognition.models import EmulationTitle as model
    for title in SHIPPED_TITLES:
        model.objects.get_or_create(
            code=title["code"],
            defaults={
                "name": title["name"],
                "legal_source": title["legal_source"],
                "conditions": title["conditions"],
            },
        )
