from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.reading import decode, html_to_text, markdown_to_text, read_source


def test_txt_is_read_verbatim(tmp_path: Path) -> None:
    raw = "Title\r\n\r\nWe keep   data.\n\u00a0\n"
    p = tmp_path / "acme.txt"
    p.write_bytes(raw.encode("utf-8"))
    src = read_source(p)
    assert src.text == raw  # no newline or whitespace normalisation (CONTRACT §4)
    assert src.identifier == "acme"


def test_bom_is_dropped(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(b"\xef\xbb\xbfHello policy")
    assert read_source(p).text == "Hello policy"


@pytest.mark.parametrize("data,cause", [
    (b"", "empty"), (b"   \n\t ", "empty"), (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9 latin-1", "UTF-8"),
])
def test_bad_input_is_rejected_with_the_file_name(tmp_path: Path, data: bytes, cause: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_source(p)
    assert "bad.txt" in str(err.value.message) and cause in err.value.message


def test_huge_input_is_rejected() -> None:
    with pytest.raises(InputError, match="more than"):
        decode(b"a" * 101, "big.txt", max_bytes=100)


def test_missing_file() -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source("/nonexistent/policy.txt")


def test_html_to_text_keeps_blocks_and_list_items() -> None:
    text = html_to_text("<html><head><title>x</title><script>var a=1;</script></head><body>"
                        "<h1>Privacy</h1><p>We use <b>cookies</b>.</p><ul><li>Name</li><li>E-mail</li></ul>"
                        "</body></html>")
    assert "var a" not in text
    assert "Privacy\n\nWe use cookies." in text
    assert "- Name\n- E-mail" in text


def test_markdown_to_text_strips_markup() -> None:
    text = markdown_to_text("# Privacy\n\nWe use **Mailchimp** ([link](https://x.y)).\n\n* Name\n* Email<br/>\n")
    assert text.startswith("Privacy\n\nWe use Mailchimp (link).")
    assert "- Name" in text and "**" not in text and "<br" not in text


def test_derived_text_is_deterministic(tmp_path: Path) -> None:
    p = tmp_path / "p.html"
    p.write_text("<p>A &amp; B</p><p>C</p>", encoding="utf-8")
    assert read_source(p).text == read_source(p).text == "A & B\n\nC\n"
