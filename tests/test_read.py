"""Reading pages: what raw_text is, and the refusals of bad input."""

import pytest

from akhbar.read import InputError, decode, read_page


def test_bom_and_line_endings_are_normalised_and_nothing_else():
    text, warnings = decode("\ufeffسطر أول\r\nسطر ثان\rسطر ثالث  \n".encode("utf-8"))
    assert text == "سطر أول\nسطر ثان\nسطر ثالث  \n"
    assert warnings == ()


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n ", "only white space"),
    ("خبر".encode("utf-8") + b"\x00\x01\x02", "binary"),
    ("خبر".encode("cp1256"), "not UTF-8"),
])
def test_bad_bytes_are_refused_with_the_reason(data, reason):
    with pytest.raises(InputError) as err:
        decode(data, "pages/x.txt")
    assert reason in str(err.value) and "pages/x.txt" in str(err.value)


def test_size_limit():
    with pytest.raises(InputError, match="over the limit of 10"):
        decode("خبر عاجل".encode("utf-8"), "x.txt", max_bytes=10)


def test_invisible_characters_are_kept_but_reported():
    text, warnings = decode("خبر\u200fعاجل".encode("utf-8"))
    assert "\u200f" in text
    assert "U+200F" in warnings[0]


def test_unsafe_id_is_refused(tmp_path):
    path = tmp_path / "bad id!.txt"
    path.write_text("خبر", encoding="utf-8")
    with pytest.raises(InputError, match="not safe"):
        read_page(path)


def test_page_hash_is_of_the_bytes(tmp_path):
    import hashlib
    path = tmp_path / "a.txt"
    data = "\ufeffخبر\r\n".encode("utf-8")
    path.write_bytes(data)
    page = read_page(path)
    assert page.sha256 == hashlib.sha256(data).hexdigest()
    assert page.raw_text == "خبر\n"
