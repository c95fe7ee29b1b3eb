"""Vietnamese text helpers: one normal form, accent-folded search text, a collation key."""

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


def nfc(value: str | None) -> str:
    """Return `value` stripped, in Unicode NFC, with inner whitespace collapsed."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


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


def collation_key(value: str | None) -> str:
    """A string whose code-point order is Vietnamese dictionary order (tones secondary)."""
    primary: list[str] = []
    secondary: list[str] = []
    for word in nfc(value).split(" "):
        letters, tones = _letters(word)
        for letter in letters:
            rank = _ORDER.get(letter)
            primary.append(chr(0x100 + rank) if rank is not None else letter)
        primary.append(" ")
        secondary.extend(str(tone) for tone in tones)
    return "".join(primary).rstrip() + "\x00" + "".join(secondary)


def name_sort_key(full_name: str | None) -> str:
    """Roster order: by given name (last word), then by the full name."""
    name = nfc(full_name)
    given = name.rsplit(" ", 1)[-1] if name else ""
    return collation_key(given) + "\x01" + collation_key(name)
