"""Create the two shipped rulebooks (Nghị định 335/2025 and the Quảng Nam 2022 template).

The data is a frozen copy of `danhgia.evaluations.shipped` as of this migration: migrations
never import app code, which may change later. Existing rows (same code and version) are left
alone; reversing keeps the rows (they may be in use) and re-applying creates nothing twice.
"""

import datetime

from django.db import migrations
from django.utils import timezone

RULEBOOKS = [
    {
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
                    "name": "Chính trị, tư tưởng, đạo đức, lối sống, văn hóa công vụ, kỷ "
                    "luật, kỷ cương",
                    "max_points": 10,
                },
                {
                    "code": "competence",
                    "name": "Năng lực chuyên môn, trách nhiệm, thái độ phục vụ Nhân dân, "
                    "doanh nghiệp, phối hợp",
                    "max_points": 10,
                },
                {
                    "code": "innovation",
                    "name": "Đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm",
                    "max_points": 10,
                },
            ],
            "note": "Tổng 30 điểm theo Nghị định; cách chia 10/10/10 giữa các tiêu chí là "
            "lựa chọn của địa phương [L], trung ương không quy định.",
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
            "note": "30/70, khấu trừ 25% mỗi lỗi nội dung lớn hoặc mỗi lần chậm, d = "
            "100%/50% theo Nghị định. Lựa chọn địa phương [L], cần rà soát pháp "
            "lý: cách kết hợp a, b, c (trung bình cộng, tối đa 100%), trọng số "
            "của lãnh đạo (bình quân nhiệm vụ riêng, d, đ, e), e mặc định 100%, "
            "nhiệm vụ chưa được đánh giá coi như đạt chất lượng, tháng không "
            "được giao nhiệm vụ tính 0%.",
        },
        "levels": {
            "items": [
                {"code": "excellent", "name": "Hoàn thành xuất sắc nhiệm vụ", "min_score": 90},
                {"code": "good", "name": "Hoàn thành tốt nhiệm vụ", "min_score": 70},
                {"code": "completed", "name": "Hoàn thành nhiệm vụ", "min_score": 50},
                {"code": "not_completed", "name": "Không hoàn thành nhiệm vụ", "min_score": 0},
            ],
            "note": "Ngưỡng 90/70/50 theo Nghị định 335/2025.",
        },
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
            "note": "20% số được xếp loại hoàn thành tốt, trong đơn vị và trong từng nhóm có "
            "nhiệm vụ tương đồng. Lựa chọn địa phương [L]: ngoại lệ 25% cho đơn vị có "
            "thành tích nổi bật, làm tròn xuống, cho phép ngoại lệ kèm lý do.",
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
            "note": "Điểm năm là trung bình các kỳ đã làm việc (Nghị định 335, Điều 21); dưới "
            "6 tháng không xếp loại trừ nghỉ thai sản, vắng 3 đến dưới 6 tháng tối đa "
            "hoàn thành nhiệm vụ (Nghị định 90/2020).",
        },
        "deadlines": {
            "self_evaluation_days": 3,
            "review_days": 5,
            "decision_days": 7,
            "note": "Số ngày sau ngày cuối kỳ; lựa chọn địa phương [L], không có quy định chung.",
        },
    },
    {
        "code": "QNAM-2022",
        "version": 1,
        "name": "Mô hình đánh giá theo kết quả làm việc (Quảng Nam 2022)",
        "legal_source": "Quyết định số 2208/QĐ-UBND ngày 24/8/2022 của UBND tỉnh Quảng Nam; Công văn "
        "915 ngày 5/4/2022 của Ban Thường vụ Tỉnh ủy",
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
            "note": "Số lượng, chất lượng, tiến độ được tính từ nhiệm vụ (phần kết quả "
            "nhiệm vụ); hiệu quả và trách nhiệm được chấm ở đây. Chưa tìm được toàn "
            "văn Quyết định 2208/QĐ-UBND: mọi con số ở đây là mặc định của địa "
            "phương [L], cần rà soát và điều chỉnh.",
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
            "note": "Chưa tìm được toàn văn Quyết định 2208/QĐ-UBND: mọi con số ở đây "
            "là mặc định của địa phương [L], cần rà soát và điều chỉnh.",
        },
        "levels": {
            "items": [
                {"code": "excellent", "name": "Hoàn thành xuất sắc nhiệm vụ", "min_score": 90},
                {"code": "good", "name": "Hoàn thành tốt nhiệm vụ", "min_score": 70},
                {"code": "completed", "name": "Hoàn thành nhiệm vụ", "min_score": 50},
                {"code": "not_completed", "name": "Không hoàn thành nhiệm vụ", "min_score": 0},
            ],
            "note": "Chưa tìm được toàn văn Quyết định 2208/QĐ-UBND: mọi con số ở đây là mặc "
            "định của địa phương [L], cần rà soát và điều chỉnh.",
        },
        "vetoes": {
            "enabled": ["any_discipline", "degradation"],
            "note": "Chưa tìm được toàn văn Quyết định 2208/QĐ-UBND: mọi con số ở đây là mặc "
            "định của địa phương [L], cần rà soát và điều chỉnh.",
        },
        "quota": {
            "share": "0.20",
            "base_level": "good",
            "top_level": "excellent",
            "scope": "unit_and_group",
            "exception_share": "0.25",
            "rounding": "down",
            "enforcement": "exception_with_reason",
            "note": "Chưa tìm được toàn văn Quyết định 2208/QĐ-UBND: mọi con số ở đây là mặc "
            "định của địa phương [L], cần rà soát và điều chỉnh.",
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
            "note": "Chưa tìm được toàn văn Quyết định 2208/QĐ-UBND: mọi con số ở đây là mặc "
            "định của địa phương [L], cần rà soát và điều chỉnh.",
        },
        "deadlines": {
            "self_evaluation_days": 5,
            "review_days": 7,
            "decision_days": 10,
            "note": "Chưa tìm được toàn văn Quyết định 2208/QĐ-UBND: mọi con số ở đây là "
            "mặc định của địa phương [L], cần rà soát và điều chỉnh.",
        },
    },
]


def create_shipped_rulebooks(apps, schema_editor):
    Rulebook = apps.get_model("evaluations", "Rulebook")
    for data in RULEBOOKS:
        if not Rulebook.objects.filter(code=data["code"], version=data["version"]).exists():
            Rulebook.objects.create(**data, created_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_shipped_rulebooks, migrations.RunPython.noop),
    ]
