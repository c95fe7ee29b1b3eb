"""Synthetic Vietnamese names from lists of họ, đệm and tên (Faker's vi_VN ones are unrealistic).

Weights follow the usual national shares, tilted to central Vietnam (Quảng Nam), where Huỳnh
and Võ are more common than Hoàng and Vũ. Every string is NFC with full diacritics.
"""

import random
from typing import Literal

Gender = Literal["male", "female"]

# (family name, relative weight)
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 36),
    ("Trần", 11),
    ("Lê", 10),
    ("Phạm", 6),
    ("Huỳnh", 5),
    ("Võ", 5),
    ("Phan", 4),
    ("Hoàng", 2),
    ("Vũ", 1),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Trương", 2),
    ("Đinh", 1),
    ("Đoàn", 1),
    ("Lương", 1),
    ("Mai", 1),
    ("Cao", 1),
    ("Thái", 1),
    ("Châu", 1),
)

# Repeats are weights: Văn and Thị are by far the most common middle names.
MIDDLE_NAMES: dict[Gender, tuple[str, ...]] = {
    "male": (
        "Văn", "Văn", "Văn", "Văn", "Hữu", "Minh", "Đức", "Quang", "Công", "Đình", "Xuân",
        "Thanh", "Ngọc", "Tấn", "Bá", "Anh", "Quốc", "Trọng", "Như",
    ),
    "female": (
        "Thị", "Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Bích", "Kim", "Mỹ",
        "Hoài", "Phương", "Diệu", "Thùy", "Khánh", "Bảo",
    ),
}  # fmt: skip

# A second middle name after "Thị" ("Nguyễn Thị Thu Hà"), common for women.
SECOND_FEMALE_MIDDLE_NAMES: tuple[str, ...] = ("Thu", "Ngọc", "Kim", "Bích", "Mỹ", "Thanh")

GIVEN_NAMES: dict[Gender, tuple[str, ...]] = {
    "male": (
        "An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hòa", "Hùng",
        "Huy", "Khang", "Khánh", "Kiên", "Lâm", "Long", "Lợi", "Minh", "Nam", "Nhân",
        "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh",
        "Toàn", "Trí", "Trung", "Tuấn", "Việt", "Vinh",
    ),
    "female": (
        "An", "Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Huyền",
        "Hương", "Khánh", "Lan", "Liên", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân",
        "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy", "Trâm", "Trang", "Tuyết",
        "Uyên", "Vân", "Vy", "Xuân", "Yến",
    ),
}  # fmt: skip


def random_gender(rng: random.Random) -> Gender:
    return "female" if rng.random() < 0.5 else "male"


def random_full_name(rng: random.Random, gender: Gender) -> str:
    """A plausible full name: họ, one or two đệm consistent with `gender`, tên.

    Never repeats a word ("Minh Minh", "Hoàng Văn Hoàng"), which real names almost never do.
    """
    families = [name for name, _weight in FAMILY_NAMES]
    weights = [weight for _name, weight in FAMILY_NAMES]
    while True:
        family = rng.choices(families, weights)[0]
        middle = [rng.choice(MIDDLE_NAMES[gender])]
        if gender == "female" and middle[0] == "Thị" and rng.random() < 0.2:
            middle.append(rng.choice(SECOND_FEMALE_MIDDLE_NAMES))
        given = rng.choice(GIVEN_NAMES[gender])
        words = [family, *middle, given]
        if len(set(words)) == len(words):
            return " ".join(words)
