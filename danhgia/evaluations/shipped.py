"""The rulebooks shipped with the system, as data, and `ensure_shipped_rulebooks()`.

Migrations hold frozen copies of this data (0002: Nghị định 335 version 1 and Quảng Nam 2022;
0006: Nghị định 335 version 2 and Nghị định 90; 0007: Nghị định 335 version 3), so a fresh
database has every rulebook; a test keeps them equal. A shipped rulebook never changes once
released: a change is a NEW version (periods keep the version they were opened with).
Fractional numbers are written as strings so JSON keeps them exact. Notes say which numbers
are local choices ([L] in docs/domain.md §20) to be reviewed; from version 2 on, each part's
`sources` gives every number and rule its article and clause, or marks it a local choice
("[L] ...").
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

_ND335 = "Nghị định 335/2025/NĐ-CP"

ND335_2025_V2: Final[dict[str, Any]] = {
    "code": "ND335-2025",
    "version": 2,
    "name": "Nghị định 335/2025/NĐ-CP (công chức)",
    "legal_source": "Nghị định số 335/2025/NĐ-CP của Chính phủ, áp dụng từ 01/01/2026",
    "applies_from": datetime.date(2026, 1, 1),
    "local_defaults": False,
    "criteria": {
        "items": ND335_2025["criteria"]["items"],
        "note": "Tổng 30 điểm theo Nghị định; cách chia 10/10/10 giữa các tiêu chí là lựa chọn "
        "của địa phương [L], trung ương không quy định.",
        "sources": {
            "items": f"{_ND335}, Điều 12 khoản 2 điểm a, b, c (ba nhóm tiêu chí chung)",
            "items.max_points": "[L] Nghị định chỉ quy định tổng 30 điểm (Điều 12 khoản 2); "
            "chia đều 10/10/10 là lựa chọn của địa phương.",
        },
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
            "rounding": "half_up",
            "leader": {
                "weights": {"own": 1, "d": 1, "dd": 1, "e": 1},
                "d_full_pct": 100,
                "d_reduced_pct": 50,
                "e_default_pct": 100,
                "dd": {"assessed_by": "reviewer", "values": [100, 50], "until_assessed": 100},
                "e": {"assessed_by": "reviewer", "values": [100, 50], "until_assessed": 100},
            },
        },
        "note": "Phiên bản 2: d tính theo mức xếp loại cuối cùng của công chức thuộc quyền, "
        "đ và e do người nhận xét phiếu của lãnh đạo đánh giá (100% hoặc 50%), điểm tính bằng "
        "một phép chia từ số liệu chính xác.",
        "sources": {
            "strategy": f"{_ND335}, Điều 14 khoản 2 (a, b, c) và Điều 15 khoản 3 (lãnh đạo: "
            "d, đ, e)",
            "params.general_share": f"{_ND335}, Điều 12 khoản 2 (tiêu chí chung tối đa 30 điểm)",
            "params.task_share": f"{_ND335}, Điều 12 khoản 3 (kết quả thực hiện nhiệm vụ tối "
            "đa 70 điểm)",
            "params.weights": "[L] Nghị định in cách kết hợp a, b, c dưới dạng hình ảnh; dùng "
            "trung bình cộng (a + b + c) / 3 như nhiều nơi áp dụng, cần rà soát pháp lý "
            "(docs/decisions.md).",
            "params.error_deduction": f"{_ND335}, Điều 14 khoản 2 điểm b (mỗi lần sai sót lớn "
            "trừ 25% điểm chất lượng của sản phẩm)",
            "params.delay_deduction": f"{_ND335}, Điều 14 khoản 2 điểm c (mỗi lần chậm trừ 25% "
            "điểm tiến độ của sản phẩm)",
            "params.cap_pct": "[L] Tỷ lệ nhiệm vụ tối đa 100% (70 điểm), theo thang điểm 100 "
            "của Điều 12.",
            "params.unassessed_meets_quality": "[L] Sản phẩm chưa được đánh giá chất lượng "
            "tạm coi là đạt; phiếu ghi rõ dòng nào chưa được đánh giá.",
            "params.no_tasks": "[L] Nghị định không quy định tháng không được giao sản phẩm: "
            "a, b, c tính 0%; phiếu và trang quyết định ghi rõ lý do để người quyết định xem "
            "xét.",
            "params.rounding": "[L] Tỷ lệ làm tròn 3 chữ số thập phân, điểm 2 chữ số, từ giá "
            "trị chính xác (một phép chia), 5 làm tròn lên.",
            "params.leader.weights": "[L] Điểm nhiệm vụ của lãnh đạo là trung bình cộng của "
            "kết quả nhiệm vụ riêng, d, đ, e.",
            "params.leader.d_full_pct": f"{_ND335}, Điều 15 khoản 3 điểm a (100% công chức "
            "thuộc quyền từ mức hoàn thành nhiệm vụ trở lên)",
            "params.leader.d_reduced_pct": f"{_ND335}, Điều 15 khoản 3 điểm a (có công chức "
            "thuộc quyền không hoàn thành nhiệm vụ: 50%)",
            "params.leader.e_default_pct": "[L] Chỉ dùng cho phiên bản 1; phiên bản 2 dùng "
            "leader.e.",
            "params.leader.dd": f"{_ND335}, Điều 15 khoản 3 điểm b (khả năng tổ chức triển "
            "khai thực hiện nhiệm vụ: 100% khi đơn vị hoàn thành toàn bộ nhiệm vụ theo kế "
            "hoạch, đúng tiến độ, bảo đảm chất lượng; mức còn lại 50%). [L] Người đánh giá là "
            "người nhận xét phiếu; tạm tính 100% cho đến khi được đánh giá.",
            "params.leader.e": f"{_ND335}, Điều 15 khoản 3 điểm c (khả năng tập hợp, đoàn kết "
            "công chức). [L] Giá trị 100%/50% và người đánh giá là người nhận xét phiếu; tạm "
            "tính 100% cho đến khi được đánh giá.",
        },
    },
    "levels": {
        **_levels("Ngưỡng 90/70/50 theo Nghị định 335/2025."),
        "sources": {"items": f"{_ND335}, Điều 20 khoản 1 đến 4 (ngưỡng 90, 70, 50 điểm)"},
    },
    "vetoes": {
        "enabled": ["discipline_reprimand_or_higher", "degradation", "corruption_in_led_unit"],
        "note": "Theo Nghị định 335/2025.",
        "sources": {"enabled": f"{_ND335}, Điều 20 khoản 4 điểm b, c, d"},
    },
    "quota": {
        "share": "0.20",
        "base_level": "good",
        "top_level": "excellent",
        "scope": "unit_and_group",
        "exception_share": "0.25",
        "exception_granted_by": "decider",
        "rounding": "down",
        "enforcement": "exception_with_reason",
        "note": "20% số được xếp loại hoàn thành tốt, trong đơn vị và trong từng nhóm có nhiệm "
        "vụ tương đồng. Lựa chọn địa phương [L]: ngoại lệ 25% cho đơn vị có thành tích nổi "
        "bật, làm tròn xuống, cho phép ngoại lệ kèm lý do.",
        "sources": {
            "share": f"{_ND335}, Điều 20 khoản 5 điểm a",
            "base_level": f"{_ND335}, Điều 20 khoản 5 điểm a",
            "top_level": f"{_ND335}, Điều 20 khoản 5 điểm a",
            "scope": f"{_ND335}, Điều 20 khoản 5 điểm a (cùng cơ quan, đơn vị và từng nhóm "
            "có nhiệm vụ tương đồng)",
            "exception_share": f"{_ND335}, Điều 20 khoản 5 điểm b cho phép ngoại lệ với tổ "
            "chức có thành tích xuất sắc; [L] mức 25% là lựa chọn của địa phương.",
            "exception_granted_by": "[L] Văn bản không rõ ai cho phép ngoại lệ: người quyết "
            "định xếp loại, kèm lý do (docs/decisions.md).",
            "rounding": "[L] Nghị định không quy định làm tròn: làm tròn xuống và hiển thị.",
            "enforcement": "[L] Vượt tỷ lệ chỉ được khi ghi lý do ngoại lệ.",
        },
    },
    "annual": {
        "strategy": "average",
        "params": {
            "min_months_worked": 0,
            "maternity_exempt": True,
            "absent_cap_from_months": 0,
            "absent_cap_level": "completed",
            "head_not_above_unit": False,
        },
        "note": "Điểm năm là trung bình các kỳ của thời gian công tác thực tế (Nghị định 335, "
        "Điều 21); không có ngưỡng tháng tối thiểu hay giới hạn do vắng mặt: các quy định đó "
        "thuộc Nghị định 90/2020 (bộ quy tắc ND90-2020).",
        "sources": {
            "strategy": f"{_ND335}, Điều 21 khoản 2 (trung bình điểm các tháng, quý của thời "
            "gian công tác thực tế)",
            "params.min_months_worked": f"{_ND335}, Điều 21: xếp loại trên thời gian công tác "
            "thực tế, không có số tháng tối thiểu (0).",
            "params.maternity_exempt": f"{_ND335}, Điều 21 (nghỉ ốm, thai sản: xếp loại theo "
            "thời gian công tác thực tế)",
            "params.absent_cap_from_months": f"{_ND335}, Điều 21: không giới hạn mức do vắng "
            "mặt (0); giới hạn 3 tháng là của Nghị định 90/2020.",
            "params.absent_cap_level": f"{_ND335}, Điều 21: không dùng "
            "(absent_cap_from_months bằng 0).",
            "params.head_not_above_unit": "[L] Hướng dẫn của Đảng năm 2019, chưa xác nhận cho "
            "Nghị định 335: tắt.",
        },
    },
    "deadlines": {
        "self_evaluation_days": 3,
        "review_days": 5,
        "decision_days": 7,
        "note": "Số ngày sau ngày cuối kỳ; lựa chọn địa phương [L], không có quy định chung.",
        "sources": {
            "self_evaluation_days": "[L] Không có quy định chung về ngày.",
            "review_days": "[L] Không có quy định chung về ngày.",
            "decision_days": "[L] Không có quy định chung về ngày.",
        },
    },
}

_ND90 = "Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)"
_ND90_MONTHLY = (
    "[L] Nghị định 90/2020 không quy định chấm điểm hằng tháng: phần chấm điểm tháng dùng "
    "cách của Nghị định 335 như một lựa chọn của địa phương."
)

ND90_2020: Final[dict[str, Any]] = {
    "code": "ND90-2020",
    "version": 1,
    "name": "Nghị định 90/2020/NĐ-CP và 48/2023/NĐ-CP (viên chức, trường hợp đặc thù)",
    "legal_source": "Nghị định số 90/2020/NĐ-CP ngày 13/8/2020, sửa đổi bởi Nghị định số "
    "48/2023/NĐ-CP ngày 17/7/2023",
    "applies_from": datetime.date(2020, 8, 13),
    "local_defaults": False,
    "criteria": {
        "items": ND335_2025["criteria"]["items"],
        "note": _ND90_MONTHLY,
        "sources": {"items": _ND90_MONTHLY},
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
            "rounding": "half_up",
            "leader": {
                "weights": {"own": 1, "d": 1, "dd": 1, "e": 1},
                "d_full_pct": 100,
                "d_reduced_pct": 50,
                "e_default_pct": 100,
                "dd": {"assessed_by": "reviewer", "values": [100, 50], "until_assessed": 100},
                "e": {"assessed_by": "reviewer", "values": [100, 50], "until_assessed": 100},
            },
        },
        "note": _ND90_MONTHLY,
        "sources": {"strategy": _ND90_MONTHLY, "params": _ND90_MONTHLY},
    },
    "levels": {
        **_levels(_ND90_MONTHLY),
        "sources": {
            "items": f"{_ND90}, Điều 2 khoản 2 (bốn mức xếp loại); [L] ngưỡng điểm "
            "90/70/50 theo cách chấm tháng của địa phương."
        },
    },
    "vetoes": {
        "enabled": ["any_discipline", "degradation", "corruption_in_led_unit"],
        "note": "Bị kỷ luật trong năm (Đảng hoặc hành chính) thì không hoàn thành nhiệm vụ "
        "(Nghị định 48/2023).",
        "sources": {
            "enabled": f"{_ND90}, Điều 2 khoản 5 (sửa đổi bởi Nghị định 48/2023, Điều 1): "
            "bị kỷ luật trong năm đánh giá thì không hoàn thành nhiệm vụ; Điều 7 và 11 (suy "
            "thoái; đơn vị phụ trách có tham nhũng)"
        },
    },
    "quota": {
        "share": "0.20",
        "base_level": "good",
        "top_level": "excellent",
        "scope": "unit_and_group",
        "exception_share": "0.20",
        "exception_granted_by": "decider",
        "rounding": "down",
        "enforcement": "block",
        "note": "Tỷ lệ hoàn thành xuất sắc không quá 20% số hoàn thành tốt (quy định của Đảng "
        "áp dụng kèm Nghị định 90).",
        "sources": {
            "share": f"{_ND90}, Điều 2 khoản 3 (không vượt tỷ lệ đảng viên hoàn thành xuất "
            "sắc) và quy định của Đảng (20% số hoàn thành tốt)",
            "base_level": f"{_ND90}, Điều 2 khoản 3",
            "top_level": f"{_ND90}, Điều 2 khoản 3",
            "scope": "[L] Trong đơn vị và từng nhóm có nhiệm vụ tương đồng.",
            "exception_share": "[L] Không có ngoại lệ: bằng tỷ lệ chung.",
            "exception_granted_by": "[L] Không dùng (không có ngoại lệ).",
            "rounding": "[L] Làm tròn xuống.",
            "enforcement": "[L] Vượt tỷ lệ thì không được quyết định.",
        },
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
        "note": "Dưới 6 tháng công tác không xếp loại (trừ nghỉ thai sản); vắng 3 đến dưới 6 "
        "tháng tối đa hoàn thành nhiệm vụ (Nghị định 90/2020).",
        "sources": {
            "strategy": "[L] Nghị định 90 xếp loại theo tiêu chí, không theo điểm tháng: điểm "
            "năm là trung bình các kỳ đã làm việc.",
            "params.min_months_worked": f"{_ND90}, Điều 2 khoản 4 (dưới 6 tháng không xếp loại)",
            "params.maternity_exempt": f"{_ND90}, Điều 2 khoản 4 (trừ nghỉ thai sản)",
            "params.absent_cap_from_months": f"{_ND90}, Điều 2 khoản 4 (vắng từ 3 đến dưới 6 "
            "tháng)",
            "params.absent_cap_level": f"{_ND90}, Điều 2 khoản 4 (không xếp từ hoàn thành "
            "tốt trở lên)",
            "params.head_not_above_unit": "[L] Hướng dẫn của Đảng năm 2019, không thuộc Nghị "
            "định 90: tắt, bật khi địa phương áp dụng.",
        },
    },
    "deadlines": {
        "self_evaluation_days": 5,
        "review_days": 7,
        "decision_days": 10,
        "note": "[L] Không có quy định chung về ngày.",
        "sources": {
            "self_evaluation_days": "[L] Không có quy định chung về ngày.",
            "review_days": "[L] Không có quy định chung về ngày.",
            "decision_days": "[L] Không có quy định chung về ngày.",
        },
    },
}

# Version 3 is version 2 with the band as a ceiling: the head who decides may lower a level
# (the quota, a veto, a reason) but not raise it above the band of the score (Art. 20).
ND335_2025_V3: Final[dict[str, Any]] = {
    **ND335_2025_V2,
    "version": 3,
    "levels": {
        **_levels("Ngưỡng 90/70/50 theo Nghị định 335/2025."),
        "may_raise_above_band": False,
        "sources": {
            "items": f"{_ND335}, Điều 20 khoản 1 đến 4 (ngưỡng 90, 70, 50 điểm)",
            "may_raise_above_band": f"{_ND335}, Điều 20 (mỗi mức xếp loại được xác định theo "
            "điểm; người quyết định chỉ được xếp thấp hơn)",
        },
    },
}

# The annual forms of Nghị định 90/2020 (Mẫu 01 cán bộ, 02 công chức, 03 viên chức; contract
# workers on the viên chức form): what a rulebook without `annual.forms` prints, as every
# rulebook shipped before version 4 of Nghị định 335 did, so the forms of past years stay.
ND90_FORMS: Final[dict[str, dict[str, str]]] = {
    "can_bo": {"code": "01", "title": "Phiếu đánh giá, xếp loại chất lượng cán bộ"},
    "cong_chuc": {"code": "02", "title": "Phiếu đánh giá, xếp loại chất lượng công chức"},
    "vien_chuc": {"code": "03", "title": "Phiếu đánh giá, xếp loại chất lượng viên chức"},
    "nguoi_lao_dong": {"code": "03", "title": "Phiếu đánh giá, xếp loại chất lượng viên chức"},
}

# Version 4 is version 3 with the annual forms of its regime: Nghị định 335 governs công chức
# (Art. 1-2), so a công chức's year from 2026 is no longer printed on Nghị định 90's Mẫu 02.
# The form number of Nghị định 335's appendix could not be verified: no number is printed.
ND335_2025_V4: Final[dict[str, Any]] = {
    **ND335_2025_V3,
    "version": 4,
    "annual": {
        **ND335_2025_V3["annual"],
        "forms": {
            "cong_chuc": {
                "code": "",
                "title": "Phiếu đánh giá, xếp loại chất lượng công chức năm",
            },
            "can_bo": {
                "code": "",
                "title": "Phiếu đánh giá, xếp loại chất lượng cán bộ năm",
            },
        },
        "sources": {
            **ND335_2025_V3["annual"]["sources"],
            "forms": f"{_ND335}, Điều 1 và 2 (phạm vi: công chức) và Điều 21 (xếp loại năm). "
            "[L] Số hiệu mẫu phiếu trong phụ lục của Nghị định chưa được đối chiếu: không in số "
            "mẫu; cán bộ dùng phiếu cùng cách tính (cần rà soát pháp lý, docs/decisions.md).",
        },
    },
}

_LVC = "Luật Viên chức 2025"
_VC_UNSURE = (
    "[L] Chưa đối chiếu nguyên văn Điều 26 Luật Viên chức 2025 (hiệu lực 01/7/2026 theo báo "
    "chí; Chính phủ ban hành khung tiêu chí): cho đến khi có văn bản hướng dẫn, áp dụng Nghị "
    "định 90/2020 sửa đổi bởi Nghị định 48/2023 (docs/decisions.md)."
)
_VC_MONTHLY = (
    f"{_LVC}, Điều 26 (đánh giá thường xuyên, dựa trên kết quả, sản phẩm công việc) {_VC_UNSURE} "
    "Cách chấm tháng (30 điểm tiêu chí chung, 70 điểm nhiệm vụ, a, b, c) là lựa chọn của địa "
    "phương [L], như bộ quy tắc ND90-2020."
)

VC_2025: Final[dict[str, Any]] = {
    **ND90_2020,
    "code": "VC-2025",
    "version": 1,
    "name": "Viên chức: Luật Viên chức 2025, Nghị định 90/2020 và 48/2023",
    "legal_source": "Luật Viên chức năm 2025 (Điều 26); Nghị định số 90/2020/NĐ-CP sửa đổi bởi "
    "Nghị định số 48/2023/NĐ-CP, phần còn áp dụng cho viên chức",
    "applies_from": datetime.date(2026, 1, 1),
    "criteria": {**ND90_2020["criteria"], "note": _VC_MONTHLY, "sources": {"items": _VC_MONTHLY}},
    "task_scoring": {
        **ND90_2020["task_scoring"],
        "note": _VC_MONTHLY,
        "sources": {"strategy": _VC_MONTHLY, "params": _VC_MONTHLY},
    },
    "levels": {
        **_levels("Bốn mức xếp loại của viên chức; ngưỡng 90/70/50 của cách chấm tháng [L]."),
        "may_raise_above_band": False,
        "sources": {
            "items": f"{_ND90}, Điều 2 khoản 2 (bốn mức xếp loại); [L] ngưỡng điểm 90/70/50 "
            "theo cách chấm tháng của địa phương.",
            "may_raise_above_band": "[L] Mức xếp loại không cao hơn khung điểm, như công chức "
            "cùng đơn vị (Nghị định 335, Điều 20); mã mức giống nhau để tỷ lệ tính chung.",
        },
    },
    "annual": {
        **ND90_2020["annual"],
        "forms": {
            "vien_chuc": {
                "code": "03",
                "title": "Phiếu đánh giá, xếp loại chất lượng viên chức",
            },
            "nguoi_lao_dong": {
                "code": "03",
                "title": "Phiếu đánh giá, xếp loại chất lượng viên chức",
            },
        },
        "sources": {
            **ND90_2020["annual"]["sources"],
            "forms": f"{_ND90}, Mẫu số 03 (viên chức). [L] Người lao động dùng mẫu của viên "
            "chức; mẫu theo Luật Viên chức 2025 chưa được ban hành.",
        },
    },
}

# Oldest migration first: 0002 shipped the first two, 0006 the next two, 0007 the fifth,
# 0009 the last two.
SHIPPED_RULEBOOKS: Final = (
    ND335_2025,
    QNAM_2022,
    ND335_2025_V2,
    ND90_2020,
    ND335_2025_V3,
    ND335_2025_V4,
    VC_2025,
)
# What a new period takes: the latest version of each.
CURRENT_RULEBOOKS: Final = (ND335_2025_V4, QNAM_2022, ND90_2020, VC_2025)


@transaction.atomic
def ensure_shipped_rulebooks() -> list[Rulebook]:
    """Create each shipped rulebook (version 1) that is missing; leave existing ones untouched.

    Idempotent, no user, no audit row: this is installation data, as migrations 0002 and
    0005 write it.
    Returns the shipped rulebooks, in the order above.
    """
    rulebooks = []
    for data in SHIPPED_RULEBOOKS:
        rulebook = Rulebook.objects.filter(code=data["code"], version=data["version"]).first()
        if rulebook is None:
            rulebook = Rulebook.objects.create(**data, created_at=clock.now())
        rulebooks.append(rulebook)
    return rulebooks
