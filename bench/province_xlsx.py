"""Write a province-sized pair of import files: ~5,000 units and 50,000 people (.xlsx).

Names are built from common họ, đệm and tên; dates are real Excel dates; every value goes
through the same column headers as the import template. Deterministic (fixed seed).
Usable alone: `python bench/province_xlsx.py /tmp/out` writes don-vi.xlsx and nhan-su.xlsx.
"""

import datetime
import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

HO = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Đoàn",
    "Lương",
]
DEM = [
    "Văn",
    "Thị",
    "Hữu",
    "Đức",
    "Minh",
    "Thanh",
    "Ngọc",
    "Quốc",
    "Thu",
    "Hoài",
    "Xuân",
    "Kim",
    "Bảo",
    "Gia",
    "Phương",
    "Tuấn",
    "Thùy",
    "Mỹ",
    "Công",
    "Đình",
]
TEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Hạnh",
    "Hải",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngọc",
    "Nhung",
    "Phúc",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Tùng",
    "Uyên",
    "Vân",
    "Việt",
    "Yến",
    "Ánh",
    "Ơn",
    "Ước",
    "Ửng",
]
CATEGORIES = ["công chức"] * 5 + ["viên chức"] * 3 + ["cán bộ", "người lao động"]
TITLES = ["Chuyên viên"] * 8 + ["Chuyên viên chính", "Phó trưởng phòng", "Trưởng phòng"]
JOBS = [(f"VTVL-{n:03d}", f"Vị trí việc làm số {n}") for n in range(1, 61)]
UNITS_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
]
PEOPLE_HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Đơn vị",
    "Ngạch/Loại",
    "Chức vụ",
    "Lãnh đạo",
    "Vị trí việc làm",
    "Tên vị trí việc làm",
    "Email",
    "Điện thoại",
    "Ngày bắt đầu",
    "Ngày kết thúc",
]


def unit_rows(departments: int = 100, children: int = 49) -> list[list[object]]:
    """The province TINH, its departments and their divisions: 1 + d + d*c rows."""
    start = datetime.date(2020, 1, 1)
    rows: list[list[object]] = [["TINH", "Tỉnh Thử nghiệm", "tỉnh/thành phố", "", start, None]]
    for d in range(1, departments + 1):
        rows.append([f"S{d:03d}", f"Sở số {d}", "sở/ban/ngành", "TINH", start, None])
        for c in range(1, children + 1):
            kind = "phòng" if c <= 10 else "đơn vị sự nghiệp"
            rows.append([f"S{d:03d}-{c:02d}", f"Phòng {c} Sở {d}", kind, f"S{d:03d}", start, None])
    return rows


def people_rows(count: int, unit_codes: list[str], title_suffix: str = "") -> list[list[object]]:
    rng = random.Random(2026)
    rows: list[list[object]] = []
    for n in range(1, count + 1):
        name = f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"
        job_code, job_name = rng.choice(JOBS)
        start = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(9000))
        title = rng.choice(TITLES)
        rows.append(
            [
                f"CB{n:06d}",
                name,
                rng.choice(unit_codes),
                rng.choice(CATEGORIES),
                title + title_suffix,
                "có" if title.startswith(("Trưởng", "Phó")) else "không",
                job_code,
                job_name,
                f"cb{n:06d}@example.gov.vn",
                f"09{rng.randrange(10**8):08d}",
                start,
                None,
            ]
        )
    return rows


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append(header)
    for row in rows:
        cells: list[object] = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(path)
    return path


def write_province(folder: Path, people: int = 50_000, title_suffix: str = "") -> tuple[Path, Path]:
    """Write don-vi.xlsx and nhan-su.xlsx into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    units = unit_rows()
    leaves = [str(row[0]) for row in units if str(row[0]).count("-") == 1]
    units_path = write_xlsx(folder / "don-vi.xlsx", UNITS_HEADER, units)
    people_path = write_xlsx(
        folder / f"nhan-su{title_suffix and '-2'}.xlsx",
        PEOPLE_HEADER,
        people_rows(people, leaves, title_suffix),
    )
    return units_path, people_path


if __name__ == "__main__":
    print(*write_province(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/danhgia-bench")))
