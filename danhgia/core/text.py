"""Vietnamese text helpers: one normal form, accent-folded search text, a collation key.

`nfc()` (one line: codes, names, titles) and `nfc_multiline()` (comments, descriptions) are the
one text normaliser of every input path: forms (danhgia.core.forms.CleanInputMixin), imports
(danhgia.organisations.imports.cells) and the API (danhgia.api.serializers.CleanText).
"""

import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_ORDER = {letter: index for index, letter in enumerate(_ALPHABET)}
# Letters whose diacritic is part of the letter (not a tone), after NFD decomposition.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


# Invisible characters never kept from input: format characters (Cf: zero-width space and
# joiners, the byte-order mark, bidirectional controls, soft hyphen), control characters (Cc;
# whitespace among them becomes a space, or stays a line break in multi-line text) and lone
# surrogates (Cs, which no database can store).
_INVISIBLE = frozenset({"Cf", "Cc", "Cs"})
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85"  # the control characters str.split() splits on


def _without_invisible(value: str, *, keep: str) -> str:
    return "".join(ch for ch in value if ch in keep or unicodedata.category(ch) not in _INVISIBLE)


def nfc(value: str | None) -> str:
    """Return `value` in Unicode NFC on one line: stripped, inner whitespace (line breaks
    included) collapsed to one space, format and control characters removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(_without_invisible(text, keep=_SPACES).split())


def nfc_multiline(value: str | None) -> str:
    """Multi-line text in NFC: line breaks (\r\n and \r become \n) and tabs kept, other
    control and format characters removed, spaces at the ends of the text stripped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _without_invisible(text, keep="\n\t").strip()


def fold(value: str | None) -> str:
    """Lower-case, accent-free form for search: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    decomposed = unicodedata.normalize("NFD", nfc(value).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def _letters(word: str) -> tuple[list[str], list[int]]:
    """Split a word into Vietnamese base letters and their tone marks."""
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            if tones:
                tones[-1] = _TONES[ch]
            continue
        if unicodedata.combining(ch):
            if letters and (letters[-1], ch) in _LETTER_MARKS:
                letters[-1] = _LETTER_MARKS[(letters[-1], ch)]
            continue
        letters.append(ch)
        tones.append(0)
    return letters, tones


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _token(rank: int) -> str:
    """Two base-36 characters: ASCII letters and digits only, so any database collation
    (C, en_US, ICU) orders these keys exactly as Python does."""
    rank = min(rank, 36 * 36 - 1)
    return _DIGITS[rank // 36] + _DIGITS[rank % 36]


_WORD_BREAK = _token(1)
_LEVEL_BREAK = _token(0)


def _rank(letter: str) -> int:
    if letter.isdigit():
        return 2 + int(letter)
    if letter in _ORDER:
        return 12 + _ORDER[letter]
    return 100 + ord(letter)


def collation_key(value: str | None) -> str:
    """A key whose plain string order is Vietnamese dictionary order (tones secondary)."""
    primary: list[str] = []
    secondary: list[str] = []
    for word in nfc(value).split(" "):
        letters, tones = _letters(word)
        primary.extend(_token(_rank(letter)) for letter in letters)
        primary.append(_WORD_BREAK)
        secondary.extend(str(tone) for tone in tones)
    return "".join(primary) + _LEVEL_BREAK + "".join(secondary)


def name_sort_key(full_name: str | None) -> str:
    """Roster order: by given name (last word), then by the full name."""
    name = nfc(full_name)
    given = name.rsplit(" ", 1)[-1] if name else ""
    return collation_key(given) + _LEVEL_BREAK + collation_key(name)
