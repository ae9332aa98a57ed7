"""Vietnamese alphabetical order for rosters: letters first, then tones, then case."""

from __future__ import annotations

import unicodedata

from domain.collation import vietnamese_key


def ordered(*names: str) -> list[str]:
    """Return the names in Vietnamese order."""
    return sorted(names, key=vietnamese_key)


def test_d_with_stroke_comes_after_d() -> None:
    """Đ is its own letter after D, not after Z as by code point."""
    assert ordered("Đinh Thị Linh", "Vũ Văn Hùng", "Dương Kim Hương") == [
        "Dương Kim Hương",
        "Đinh Thị Linh",
        "Vũ Văn Hùng",
    ]


def test_breve_and_circumflex_letters_follow_a() -> None:
    """A, Ă, Â are three letters in that order, before B."""
    assert ordered("Bình", "Âu", "Ăn", "Anh") == ["Anh", "Ăn", "Âu", "Bình"]


def test_horn_letters_follow_their_vowel() -> None:
    """O, Ô, Ơ and U, Ư are letters in that order."""
    assert ordered("Ơn", "Ông", "On") == ["On", "Ông", "Ơn"]
    assert ordered("Ưng", "Uyên") == ["Uyên", "Ưng"]


def test_tones_count_only_where_the_letters_are_the_same() -> None:
    """Tones order ngang, huyền, hỏi, ngã, sắc, nặng, and only break ties of the letters."""
    assert ordered("Lạn", "Lán", "Lãn", "Lản", "Làn", "Lan") == ["Lan", "Làn", "Lản", "Lãn", "Lán", "Lạn"]
    assert ordered("Lành", "Lan") == ["Lan", "Lành"]


def test_a_shorter_word_comes_first() -> None:
    """«Lê Văn» sorts before «Lê Văn An», and a space before any letter."""
    assert ordered("Lê Văn An", "Lê Văn", "Lêa") == ["Lê Văn", "Lê Văn An", "Lêa"]


def test_the_same_name_typed_decomposed_sorts_the_same() -> None:
    """A name typed with combining marks (NFD) gets the key of the composed one."""
    name = "Nguyễn Đức Toàn"
    assert vietnamese_key(unicodedata.normalize("NFD", name))[:3] == vietnamese_key(name)[:3]


def test_a_stray_accent_before_the_first_letter_sorts_the_name_last() -> None:
    """A name pasted with a combining accent in front of it goes after the names that start with a letter."""
    stray = "\u0301Anh"
    assert ordered(stray, "Yến", "Anh") == ["Anh", "Yến", stray]
    assert vietnamese_key(stray)[:3] != vietnamese_key("Ánh")[:3]


def test_characters_at_the_end_of_unicode_keep_their_order() -> None:
    """Symbols from the last code points, which rank past Unicode's end, still sort by code point."""
    assert ordered("\U0010ff81 a", "\U0010ff80 b") == ["\U0010ff80 b", "\U0010ff81 a"]
