"""The layout-invariance harness (benchmarks/layout.py): its renderers, structure
recognition, fact comparison and bars, on texts of our own making. The harness
itself (extraction of every rendering) runs on demand, not here."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from rdflib import Graph

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import layout  # noqa: E402

POLICY = """Privacy notice of Example Widgets AB

1. Who we are

Example Widgets AB (org. no. 556000-0000) is the controller & answers within 30 days; write to privacy@example.test.

We collect:

Name and e-mail address

Delivery address
Payment card (last 4 digits)

Your rights:
- Access: ask for a copy of your data.
- Erasure: ask us to delete it.
* Portability: get it as *CSV* or _JSON_.

a) to deliver orders
b) to send invoices

c) to answer questions

| Recipient | Country | Retention |
| --- | --- | --- |
| Stripe Inc. | USA | 12 months |

| Fortnox AB | Sweden | 7 years |

Data\tKept for
Support tickets\t12 months
Logs\t90 days

Category        Period
Backups         30 days
Web logs        14 days

3.1 Marketing <br/> & cookies #1

1. This line starts with a number but is one paragraph.

Prices: 5 < 7 > 3, &amp; is literal, \\+ and \\* stay, `code`, [link](x), ~~old~~, a | b, ## not a heading.
"""

LONG = ("We keep support tickets for twelve months and invoices for seven years, as the "
        "Swedish Bookkeeping Act requires; see https://example.test/a/very/long/path/that/goes/on/"
        "and/on/and/on/for/more/than/seventy-two/characters for details.")


def words(text: str) -> list[str]:
    return text.split()


def block_words(blocks: list[layout.Block]) -> list[str]:
    return [w for t in layout.block_texts(blocks) for w in t.split()]


class _TextAndTags(HTMLParser):
    """Text content and nesting of an HTML page (``<head>`` left out)."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag not in self.VOID:
            self.stack.append(tag)
        self.text.append(" ")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()
        self.text.append(" ")

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if "head" not in self.stack:
            self.text.append(data)
            if self.stack and self.stack[-1] in ("td", "th"):
                self.cells.append(data)


def parse_page(page: str) -> _TextAndTags:
    p = _TextAndTags()
    p.feed(page)
    p.close()
    return p


# --- structure recognition ----------------------------------------------------

def test_structure_of_a_plain_policy() -> None:
    blocks = layout.parse_blocks(POLICY)
    kinds = [b.kind for b in blocks]
    assert blocks[0] == layout.Block("heading", "Privacy notice of Example Widgets AB", 2)
    assert blocks[1] == layout.Block("heading", "1. Who we are", 2)  # a single numbered line: a heading
    # a ':' lead-in stays a paragraph; the short lines after it are a list, blank lines or not
    lead = blocks.index(layout.Block("para", "We collect:"))
    assert blocks[lead + 1].items == ("Name and e-mail address", "Delivery address", "Payment card (last 4 digits)")
    bullets = next(b for b in blocks if b.kind == "list" and b.items[0].startswith("Access"))
    assert not bullets.ordered and bullets.items[2] == "Portability: get it as *CSV* or _JSON_."
    lettered = next(b for b in blocks if b.kind == "list" and b.ordered)
    assert lettered.items == ("to deliver orders", "to send invoices", "to answer questions")
    tables = [b.rows for b in blocks if b.kind == "table"]
    assert tables == [
        (("Recipient", "Country", "Retention"), ("Stripe Inc.", "USA", "12 months"),
         ("Fortnox AB", "Sweden", "7 years")),
        (("Data", "Kept for"), ("Support tickets", "12 months"), ("Logs", "90 days")),
        (("Category", "Period"), ("Backups", "30 days"), ("Web logs", "14 days")),
    ]
    sub = next(b for b in blocks if b.text.startswith("3.1"))
    assert sub.kind == "heading" and sub.level == 3
    assert kinds[-2:] == ["para", "para"]  # "1. This line ..." alone is no list


def test_a_numbered_heading_after_a_list_starts_a_new_section() -> None:
    text = "2. What we collect\n\n- Name\n- E-mail\n\n3. How we use it\n\nWe use it to ship orders.\n"
    blocks = layout.parse_blocks(text)
    assert [b.kind for b in blocks] == ["heading", "list", "heading", "para"]
    assert blocks[1].items == ("Name", "E-mail")
    # numbering that goes on is the same list, blank lines or not
    blocks = layout.parse_blocks("1. Name\n\n2. Address\n\n3. Phone number\n")
    assert [b.kind for b in blocks] == ["list"] and blocks[0].items == ("Name", "Address", "Phone number")


def test_a_lead_in_list_ends_where_the_prose_goes_on() -> None:
    text = ("Contact us at:\nExample AB\nBox 1\nSE-111 11 Stockholm\n"
            "We review this policy every year and publish every change on this page, with the date on "
            "which it takes effect.\n")
    blocks = layout.parse_blocks(text)
    assert blocks[1].items == ("Example AB", "Box 1", "SE-111 11 Stockholm")
    assert blocks[2].kind == "para"


# --- renderers ------------------------------------------------------------------

def test_wrapping_keeps_every_word_in_order_within_72_columns() -> None:
    text = POLICY + "\n" + LONG + "\n\n" + "word " * 40 + "\n"
    wrapped = layout.render_wrapped(text)
    lines = wrapped.split("\n")
    assert max(len(x) for x in lines) <= 72
    assert len(lines) > len(text.split("\n"))  # it did wrap
    # fold -s cuts only a word longer than a line; every other word is kept whole, in order
    assert "".join(words(wrapped)) == "".join(words(text))
    short = [w for w in words(text) if len(w) <= 72]
    assert [w for w in words(wrapped) if w in set(short)] == short
    # blank lines stay where they were
    assert wrapped.count("\n\n") == text.count("\n\n")


def test_html_is_well_formed_and_keeps_every_word() -> None:
    blocks = layout.parse_blocks(POLICY)
    page = layout.render_html(blocks)
    parsed = parse_page(page)
    assert not parsed.errors and not parsed.stack
    assert words("".join(parsed.text)) == block_words(blocks)
    assert "5 &lt; 7 &gt; 3, &amp;amp; is literal" in page  # escaped, not markup
    assert page.count("<table>") == 3 and page.count("<ul>") == 2 and page.count("<ol>") == 1
    assert "<h3>3.1 Marketing &lt;br/&gt; &amp; cookies #1</h3>" in page
    assert "<th>Recipient</th><th>Country</th><th>Retention</th>" in page


def test_markdown_pipe_tables_have_the_right_column_count() -> None:
    text = "| Recipient | Purpose |\n| --- | --- |\n| Acme | billing \\| invoices |\n| Beta | a | pipe |\n"
    md = layout.render_markdown(layout.parse_blocks(text) + layout.parse_blocks(POLICY))
    tables = [ln for ln in md.split("\n") if ln.startswith("|")]
    assert tables
    by_table: list[list[str]] = []
    for ln in md.split("\n"):
        if ln.startswith("|"):
            if not by_table or not by_table[-1]:
                by_table.append([])
            by_table[-1].append(ln)
        elif by_table and by_table[-1]:
            by_table.append([])
    by_table = [t for t in by_table if t]
    assert len(by_table) == 4
    for t in by_table:
        counts = {len(re.findall(r"(?<!\\)\|", ln)) - 1 for ln in t}
        assert len(counts) == 1, t  # every row, header and separator as wide as the header
        assert re.fullmatch(r"\|( --- \|)+", t[1])
    # the source's own "\|" is two characters of the text: escaped both, it stays in its cell
    assert by_table[0][2] == "| Acme | billing \\\\\\| invoices |  |"
    cells = parse_page(MarkdownIt("commonmark").enable("table").render("\n".join(by_table[0]))).cells
    assert cells[2:4] == ["Acme", "billing \\| invoices"]
    assert by_table[0][0] == "| Recipient | Purpose |  |"  # padded to the widest row: no cell is lost


def test_flattened_text_has_one_line_per_block_and_no_bullet_markers() -> None:
    blocks = layout.parse_blocks(POLICY)
    flat = layout.render_flattened(layout.render_html(blocks))
    lines = [ln for ln in flat.split("\n") if ln]
    assert not [ln for ln in lines if re.match(r"[-*•·▪–—+]\s|\d+[.)]\s+to ", ln)]
    assert "Access: ask for a copy of your data." in lines and "to deliver orders" in lines
    for cell in ("Recipient", "Stripe Inc.", "USA", "12 months", "Support tickets", "Web logs"):
        assert cell in lines  # one cell a line
    assert lines == layout.block_texts(blocks)
    assert words(flat) == block_words(blocks)


@pytest.mark.parametrize("text", [POLICY, LONG, "Only a heading", "a) one\nb) two\n\n| x | y |\n| 1 | 2 |\n"])
def test_round_trips_keep_the_same_words(text: str) -> None:
    blocks = layout.parse_blocks(text)
    expected = block_words(blocks)
    # HTML page -> its text; HTML -> flattened text
    assert words("".join(parse_page(layout.render_html(blocks)).text)) == expected
    assert words(layout.render_flattened(layout.render_html(blocks))) == expected
    # Markdown -> a CommonMark parser -> HTML -> text: the escapes hold, no word is markup
    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(
        layout.render_markdown(blocks))
    assert words("".join(parse_page(rendered).text)) == expected
    # the plain source and the blocks hold the same words, up to list markers and the | --- | line
    def content(ws: list[str]) -> list[str]:
        return [w for w in ws if not re.fullmatch(r"[-*|]|[a-z\d]{1,2}[.)]|-+", w)]

    assert content(expected) == content(words(text))
    # the wrapped text holds the plain words
    assert "".join(words(layout.render_wrapped(text))) == "".join(words(text))


def test_markdown_escapes_what_commonmark_would_read_as_markup() -> None:
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    for s in ("1. not a list", "- not a bullet", "+ nor this", "# not a heading", "*not emphasis*",
              "_nor this_", "a <b>tag</b>", "&amp; stays", "\\+ backslash", "~~kept~~", "[x](y)", "a | b",
              "---", "==="):
        html_text = "".join(parse_page(md.render(layout.md_escape(s))).text).strip()
        assert html_text == s, (s, layout.md_escape(s))


# --- facts read from the graphs ----------------------------------------------------

GRAPH = """
@prefix dpv: <https://w3id.org/dpv#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix loc: <https://w3id.org/dpv/loc#> . @prefix eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<urn:doc> a dpv:PrivacyNotice ; dct:identifier "acme" ; dpv:hasRight eu-gdpr:A15 .
<urn:h1> a dpv:PersonalDataHandling ; dpv:hasNotice <urn:doc> ; dpv:hasProcessing dpv:Transfer ;
  dpv:hasThirdCountry loc:US ; dpv:hasRight eu-gdpr:A17 .
<urn:h2> a dpv:PersonalDataHandling ; dpv:hasNotice <urn:doc> ;
  dpv:hasStorageCondition [ a dpv:StorageDuration ;
      dpv:hasDuration [ a dpv:Duration ; rdf:value "P12M"^^xsd:duration ] ] .
<urn:other> a dpv:PrivacyNotice ; dct:identifier "beta" .
<urn:h3> dpv:hasNotice <urn:other> ; dpv:hasThirdCountry loc:CN .
"""

WRAPPED = """
@prefix dpv: <https://w3id.org/dpv#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> .
<urn:doc> a dpv:PrivacyNotice ; dct:identifier "acme" ; dpv:hasRight eu-gdpr:A15 .
<urn:h1> dpv:hasNotice <urn:doc> ; dpv:hasProcessing dpv:Collect .
"""


def test_policy_facts_and_what_another_rendering_lost() -> None:
    plain = layout.policy_facts(Graph().parse(data=GRAPH, format="turtle"), "acme")
    # rdflib reads xsd:duration values as durations: P12M comes back as P1Y, on both sides
    assert plain == {"third_countries": ["loc:US"], "transfer": True, "rights": ["eu-gdpr:A15", "eu-gdpr:A17"],
                     "retention": ["P1Y"]}
    wrapped = layout.policy_facts(Graph().parse(data=WRAPPED, format="turtle"), "acme")
    assert layout.lost_facts(plain, wrapped) == {"third_countries": ["loc:US"], "rights": ["eu-gdpr:A17"],
                                                 "retention": ["P1Y"], "transfer": True}
    assert layout.lost_facts(plain, plain) == {}
    # a policy missing from the other graph lost everything; one missing from plain nothing
    assert layout.policy_facts(Graph().parse(data=WRAPPED, format="turtle"), "beta") is None
    assert layout.lost_facts(plain, None)["rights"] == ["eu-gdpr:A15", "eu-gdpr:A17"]
    assert layout.lost_facts(None, wrapped) == {}


# --- scores and bars ---------------------------------------------------------------

def test_policy_f1_sums_the_aspects() -> None:
    aspects = {"purposes": {"gold": 4, "found": 3, "pred": 4, "correct": 4},
               "rights": {"gold": 6, "found": 5, "pred": 6, "correct": 5}}
    assert layout.policy_f1(aspects) == pytest.approx(layout.f1(9 / 10, 8 / 10))
    assert layout.policy_f1({"rights": {"gold": 2, "found": 0, "pred": 0, "correct": 0}}) == 0.0


def _result(micro: float, per: dict[str, float], facts: dict | None = None) -> layout.RenderingResult:
    return layout.RenderingResult(micro, 0.9, 0.8, 0, 10, {}, per, facts or {s: None for s in per})


def test_bars_hold_and_fail_where_the_issue_says() -> None:
    facts = {"third_countries": ["loc:US"], "transfer": True, "rights": ["eu-gdpr:A15"], "retention": []}
    fine = {"bundled": {"plain": _result(0.900, {"a": 0.90, "b": 0.80}, {"a": facts, "b": None}),
                        "wrapped": _result(0.895, {"a": 0.88, "b": 0.78}, {"a": facts, "b": None}),
                        "html": _result(0.909, {"a": 0.93, "b": 0.80})}}
    assert [ok for _, ok, _ in layout.check_bars(fine)] == [True, True, True]
    bad = {"bundled": {"plain": _result(0.900, {"a": 0.90, "b": 0.80}, {"a": facts, "b": None}),
                       "wrapped": _result(0.880, {"a": 0.86, "b": 0.80},
                                          {"a": dict(facts, rights=[]), "b": None}),
                       "html": _result(0.912, {"a": 0.90, "b": 0.80})}}
    (_, micro_ok, micro), (_, policy_ok, policy), (_, wrap_ok, wrap) = layout.check_bars(bad)
    assert not micro_ok and micro == ["bundled wrapped -2.0", "bundled html +1.2"]  # within 1 point, either way
    assert not policy_ok and policy == ["a wrapped -4.0"]
    assert not wrap_ok and wrap == ["a: rights eu-gdpr:A15"]
    table = layout.report(bad, layout.check_bars(bad))
    assert "| wrapped | 0.880 | -2.0 |" in table and "| a | 0.900 | 0.860 (-4.0) | 0.900 (+0.0) |" in table
    assert "- FAILS: no policy drops more than 3 points" in table


def test_unknown_rendering_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        layout.main(["--renderings", "pdf"])
    assert exc.value.code == 2
