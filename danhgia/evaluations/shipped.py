"""The rulebooks shipped with the system, as data, and `ensure_shipped_rulebooks()`.

Migration 0002 holds a frozen copy of this data, so a fresh database has both rulebooks; a test
keeps the two equal. Fractional numbers are written as strings so JSON keeps them exact.
Notes say which numbers are local choices ([L] in docs/domain.md §20) to be reviewed.
"""

import datetime
from typing import Any, Final

from django.db import transaction

from danhgia.core import clock
from danhgia.evaluations.models import Rulebook

LEVEL_NAMES: Final = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "completed": "Hoàn thành nhiệm vụ",
    "not_completed": "Không hoàn thành nhiệm vụ",
}


def _levels(note: str) -> dict[str, Any]:
    thresholds = {"excellent": 90, "good": 70, "completed": 50, "not_completed": 0}
    return {
        "items": [
            {"code": code, "name": LEVEL_NAMES[code], "min_score": thresholds[code]}
            for code in LEVEL_NAMES
        ],
        "note": note,
    }


ND335_2025: Final[dict[str, Any]] = {
    "code": "ND335-2025",
    "version": 1,
    "name": "Nghị định 335/2025/NĐ-CP (công chức)",
    "legal_source": "Nghị định số 335/2025/NĐ-CP của Chính phủ, áp dụng từ 01/01/2026",
    "applies_from": datetime.date(2026, 1, 1),
    "local_defaults": False,
    "criteria": {
        "items": [
            {
                "code": "ethics",
                "name": "Chính trị, tư tưởng, đạo đức, lối sống, văn hóa công vụ, kỷ luật, "
                "kỷ cương",
                "max_points": 10,
            },
            {
                "code": "competence",
                "name": "Năng lực chuyên môn, trách nhiệm, thái độ phục vụ Nhân dân, doanh "
                "nghiệp, phối hợp",
                "max_points": 10,
            },
            {
                "code": "innovation",
                "name": "Đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm",
                "max_points": 10,
            },
        ],
        "note": "Tổng 30 điểm theo Nghị định; cách chia 10/10/10 giữa các tiêu chí là lựa chọn "
        "của địa phương [L], trung ương không quy định.",
    },
    "task_scoring": {
        "strategy": "nd335_abc",
        "params": {
            "general_share": 30,
            "task_share": 70,
            "weights": {"a": 1, "b": 1, "c": 1},
            "error_deduction": "0.25",
            "delay_deduction": "0.25",
            "cap_pct": 100,
            "unassessed_meets_quality": True,
            "no_tasks": "zero",
            "leader": {
                "weights": {"own": 1, "d": 1, "dd": 1, "e": 1},
                "d_full_pct": 100,
                "d_reduced_pct": 50,
                "e_default_pct": 100,
            },
        },
        "note": "30/70, khấu trừ 25% mỗi lỗi nội dung lớn hoặc mỗi lần chậm, d = 100%/50% theo "
        "Nghị định. Lựa chọn địa phương [L], cần rà soát pháp lý: cách kết hợp a, b, c "
        "(trung bình cộng, tối đa 100%), trọng số của lãnh đạo (bình quân nhiệm vụ riêng, d, đ, "
        "e), e mặc định 100%, nhiệm vụ chưa được đánh giá coi như đạt chất lượng, tháng không "
        "được giao nhiệm vụ tính 0%.",
    },
    "levels": _levels("Ngưỡng 90/70/50 theo Nghị định 335/2025."),
    "vetoes": {
        "enabled": ["discipline_reprimand_or_higher", "degradation", "corruption_in_led_unit"],
        "note": "Theo Nghị định 335/2025.",
    },
    "quota": {
        "share": "0.20",
        "base_level": "good",
        "top_level": "excellent",
        "scope": "unit_and_group",
        "exception_share": "0.25",
        "rounding": "down",
        "enforcement": "exception_with_reason",
        "note": "20% số được xếp loại hoàn thành tốt, trong đơn vị và trong từng nhóm có nhiệm "
        "vụ tương đồng. Lựa chọn địa phương [L]: ngoại lệ 25% cho đơn vị có thành tích nổi "
        "bật, làm tròn xuống, cho phép ngoại lệ kèm lý do.",
    },
    "annual": {
        "strategy": "average",
        "params": {
            "min_months_worked": 6,
            "maternity_exempt": True,
            "absent_cap_from_months": 3,
            "absent_cap_level": "completed",
            "head_not_above_unit": False,
        },
        "note": "Điểm năm là trung bình các kỳ đã làm việc (Nghị định 335, Điều 21); dưới 6 "
        "tháng không xếp loại trừ nghỉ thai sản, vắng 3 đến dưới 6 tháng tối đa hoàn thành "
        "nhiệm vụ (Nghị định 90/2020).",
    },
    "deadlines": {
        "self_evaluation_days": 3,
        "review_days": 5,
        "decision_days": 7,
        "note": "Số ngày sau ngày cuối kỳ; lựa chọn địa phương [L], không có quy định chung.",
    },
}

_QNAM_NOTE = (
    "Chưa tìm được toàn văn Quyết định 2208/QĐ-UBND: mọi con số ở đây là mặc định của địa "
    "phương [L], cần rà soát và điều chỉnh."
)

QNAM_2022: Final[dict[str, Any]] = {
    "code": "QNAM-2022",
    "version": 1,
    "name": "Mô hình đánh giá theo kết quả làm việc (Quảng Nam 2022)",
    "legal_source": "Quyết định số 2208/QĐ-UBND ngày 24/8/2022 của UBND tỉnh Quảng Nam; "
    "Công văn 915 ngày 5/4/2022 của Ban Thường vụ Tỉnh ủy",
    "applies_from": datetime.date(2022, 9, 1),
    "local_defaults": True,
    "criteria": {
        "items": [
            {"code": "efficiency", "name": "Hiệu quả công việc", "max_points": 15},
            {
                "code": "responsibility",
                "name": "Tinh thần trách nhiệm, thái độ, ý thức kỷ luật",
                "max_points": 15,
            },
        ],
        "note": "Số lượng, chất lượng, tiến độ được tính từ nhiệm vụ (phần kết quả nhiệm vụ); "
        "hiệu quả và trách nhiệm được chấm ở đây. " + _QNAM_NOTE,
    },
    "task_scoring": {
        "strategy": "qn2022_weighted",
        "params": {
            "general_share": 30,
            "task_share": 70,
            "weights": {"quantity": 40, "quality": 40, "timeliness": 20},
            "error_deduction": "0.25",
            "delay_deduction": "0.25",
            "cap_pct": 100,
            "unassessed_meets_quality": True,
            "no_tasks": "zero",
        },
        "note": _QNAM_NOTE,
    },
    "levels": _levels(_QNAM_NOTE),
    "vetoes": {"enabled": ["any_discipline", "degradation"], "note": _QNAM_NOTE},
    "quota": {
        "share": "0.20",
        "base_level": "good",
        "top_level": "excellent",
        "scope": "unit_and_group",
        "exception_share": "0.25",
        "rounding": "down",
        "enforcement": "exception_with_reason",
        "note": _QNAM_NOTE,
    },
    "annual": {
        "strategy": "average",
        "params": {
            "min_months_worked": 6,
            "maternity_exempt": True,
            "absent_cap_from_months": 3,
            "absent_cap_level": "completed",
            "head_not_above_unit": False,
        },
        "note": _QNAM_NOTE,
    },
    "deadlines": {
        "self_evaluation_days": 5,
        "review_days": 7,
        "decision_days": 10,
        "note": _QNAM_NOTE,
    },
}

SHIPPED_RULEBOOKS: Final = (ND335_2025, QNAM_2022)


@transaction.atomic
def ensure_shipped_rulebooks() -> list[Rulebook]:
    """Create each shipped rulebook (version 1) that is missing; leave existing ones untouched.

    Idempotent, no user, no audit row: this is installation data, as migration 0002 writes it.
    Returns the shipped rulebooks, in the order above.
    """
    rulebooks = []
    for data in SHIPPED_RULEBOOKS:
        rulebook = Rulebook.objects.filter(code=data["code"], version=data["version"]).first()
        if rulebook is None:
            rulebook = Rulebook.objects.create(**data, created_at=clock.now())
        rulebooks.append(rulebook)
    return rulebooks
