import unicodedata

from danhgia.core.text import collation_key, fold, name_sort_key, nfc, nfc_multiline


def test_nfc_joins_decomposed_text_and_collapses_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Văn Đức ")
    assert nfc(decomposed) == "Nguyễn Văn Đức"
    assert nfc(None) == ""


def test_fold_drops_accents_and_d_stroke() -> None:
    assert fold("Nguyễn Văn ĐỨC") == "nguyen van duc"
    assert fold(unicodedata.normalize("NFD", "Ánh")) == "anh"


def test_vietnamese_alphabet_order() -> None:
    words = ["Đức", "Dũng", "Ân", "Ăn", "An", "Ơn", "Ôn", "On", "Ưng", "Ung", "Vy"]
    assert sorted(words, key=collation_key) == [
        "An", "Ăn", "Ân", "Dũng", "Đức", "On", "Ôn", "Ơn", "Ung", "Ưng", "Vy",
    ]  # fmt: skip


def test_tones_are_secondary() -> None:
    words = ["Hà", "Hạnh", "Ha", "Hải", "Hanh"]
    assert sorted(words, key=collation_key) == ["Ha", "Hà", "Hải", "Hanh", "Hạnh"]


def test_roster_order_is_by_given_name_then_full_name() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Bình", "Phạm Đức Anh"]
    assert sorted(names, key=name_sort_key) == [
        "Nguyễn Thị An",
        "Phạm Đức Anh",
        "Lê Văn Bình",
        "Trần Văn Bình",
    ]


def test_nfc_removes_format_and_control_characters() -> None:
    typed = "\ufeffZW1\u200b \u200cNguyễn\u200d\u202e Văn\x07\x00\u00ad An\ud800\n"
    assert nfc(typed) == "ZW1 Nguyễn Văn An"


def test_nfc_multiline_keeps_line_breaks_and_tabs_only() -> None:
    typed = " Dòng một\u200b\r\n\tDòng hai\x0b\x1b\u2066\r Dòng ba \n"
    assert nfc_multiline(typed) == "Dòng một\n\tDòng hai\n Dòng ba"
