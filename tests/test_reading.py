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
    (b"\xff\xfe\x00\xd8", "UTF-16"),  # a byte-order mark, then half a surrogate pair
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


# --- Markdown and HTML read by real parsers (issue 15) ----------------------------------------

def test_markdown_edge_cases() -> None:
    md = ("Privacy policy\n==============\n\nPayments go to [Stripe](https://x.example/privacy_(2024)) "
          "and <https://status.example.com>. Prices are \\*not\\* data.\nThis line is wrapped\n"
          "in the source.\n\nOur team\n--------\n\n```js\nimport x from 'y'\nconst a = 1;\n```\n\nEnd.\n")
    text = markdown_to_text(md)
    assert text.startswith("Privacy policy\n\nPayments go to Stripe and https://status.example.com.")
    assert "====" not in text and "----" not in text and "```" not in text and "import x" not in text
    assert "Stripe)" not in text and "*not* data" in text and "\\*" not in text
    assert "This line is wrapped in the source." in text  # a soft break is a space
    assert "\n\nOur team\n\nEnd.\n" in text


def test_markdown_tables_front_matter_and_nested_lists() -> None:
    md = ("---\ntitle: Privacy\ndate: 2024-05-01\n---\n# Retention\n\n| Data | Period |\n|---|:--:|\n"
          "| Support tickets | 12 months |\n| A \\| B | 1 year |\n\n* Name\n* E-mail<br/>\n  * work e-mail\n")
    text = markdown_to_text(md)
    assert text.startswith("---\ntitle: Privacy\ndate: 2024-05-01\n---\n\nRetention\n")
    assert "| Data | Period |\n| --- | --- |\n| Support tickets | 12 months |\n| A \\| B | 1 year |" in text
    assert "- Name\n- E-mail\n- work e-mail" in text


def test_html_is_read_as_a_browser_shows_it() -> None:
    page = ("<!doctype html><html><head><title>T</title><style>p{}</style></head><body>"
            "<nav><a href=/>Home</a></nav><h2>Data &amp; retention</h2>"
            "<p>We keep <b>invoices</b><br>for seven years.</p>"
            "<span class='material-icons' aria-hidden='true'>gavel</span>"
            "<table><thead><tr><th>Data</th><th>Period</th></tr></thead>"
            "<tbody><tr><td>Support tickets</td><td>12 months<br>then deleted</td></tr></tbody></table>"
            "<table><tr><td>Layout cell one.</td></tr><tr><td>Layout cell two.</td></tr></table>"
            "<div hidden>secret</div><pre><code>var x = 1;</code></pre><ul><li>A<ul><li>A1</li></ul></li></ul>")
    text = html_to_text(page)
    assert "Home" not in text and "gavel" not in text and "secret" not in text and "var x" not in text
    assert "Data & retention\n\nWe keep invoices\nfor seven years." in text
    assert "| Data | Period |\n| --- | --- |\n| Support tickets | 12 months; then deleted |" in text
    assert "Layout cell one.\n\nLayout cell two." in text
    assert "- A\n- A1" in text


def test_broken_or_hostile_html_never_raises() -> None:
    for page in ("<p>unclosed <b>bold <i>and", "<![if !supportLists]>x<![endif]>", "\x00\x01<<<>>>",
                 "<div>" * 20000 + "deep" + "</div>" * 20000, "<table><tr><td>only</table>"):
        text = html_to_text(page)
        assert text.endswith("\n")
    assert "deep" in html_to_text("<div>" * 20000 + "deep" + "</div>" * 20000)


@pytest.mark.parametrize("name,data,fmt,text,encoding", [
    ("legacy.txt", "Vi sparar dina uppgifter i två år hos Åhléns AB – läs mer.".encode("cp1252"), "text",
     "Vi sparar dina uppgifter i två år hos Åhléns AB – läs mer.", "windows-1252"),
    ("page.html", '<html><head><meta charset="iso-8859-15"></head><body><p>Datenschutz: 5 € Gebühr, Müller GmbH</p>'
     "</body></html>".encode("iso-8859-15"), "html", "Datenschutz: 5 € Gebühr, Müller GmbH", "iso-8859-15"),
    ("wide.txt", b"\xff\xfe" + "Ærø Data ApS gemmer data i tre år.".encode("utf-16-le"), "text",
     "Ærø Data ApS gemmer data i tre år.", "utf-16-le"),
    ("plain.txt", "Ærø Data ApS".encode(), "text", "Ærø Data ApS", "utf-8"),
])
def test_legacy_encodings_are_read_and_named(tmp_path: Path, name: str, data: bytes, fmt: str, text: str,
                                             encoding: str) -> None:
    """Latin-1/Windows-1252 text, a declared HTML charset and UTF-16 with its mark are
    read (they were refused), and the source says how, so that a command can warn."""
    p = tmp_path / name
    p.write_bytes(data)
    src = read_source(p)
    assert src.text.strip() == text and src.encoding == encoding


def test_kramdown_attribute_lists_are_markup_not_text() -> None:
    """Jekyll/GitHub Pages policies carry kramdown's "{: ...}" after a block; left in the
    text, "{: #cookies }" would be a mention of cookies."""
    md = ('# Notice\n\nEffective May 4, 2026\n{: datetime="2026-05-04" }\n\n'
          'You can refuse cookies in the settings.\n{: #cookies }\n\n'
          '* {:toc}\n\nWe keep a set {of} records {: .note}.\n')
    text = markdown_to_text(md)
    assert "{:" not in text
    assert "Effective May 4, 2026\n" in text
    assert "You can refuse cookies in the settings.\n" in text
    assert "#cookies" not in text and "datetime" not in text
    assert "We keep a set {of} records." in text  # braces that are text stay
