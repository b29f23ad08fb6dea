"""The transparency scorecard: computed from the SHACL report, rendered in a real browser."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from policykg.errors import InputError
from policykg.namespaces import PKG
from policykg.scorecard import (
    COLLAPSE_AT,
    GLYPHS,
    Scorecard,
    attach_texts,
    build_scorecard,
    heatmap_svg,
    load_items,
    provenance,
    to_csv,
    to_html,
    to_json,
    to_table,
)
from policykg.validation import load_shapes, validate
from tests.conftest import ROOT, shared_dir
from tests.test_cli import run

SHAPES = load_shapes()
EXAMPLES = Path(__file__).parent / "shapes"


def card_of(path: Path):  # type: ignore[no-untyped-def]
    g = Graph().parse(path)
    return build_scorecard(g, validate(g, SHAPES), SHAPES)


def base_text() -> str:
    """The policy text base.ttl was read from (its header comment; the offsets index it)."""
    lines = (EXAMPLES / "base.ttl").read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if "offsets index it" in line) + 1
    body = []
    for line in lines[at:]:
        if not line.startswith("#   "):
            break
        body.append(line[4:])
    return "\n".join(body) + "\n"


def two_languages() -> Graph:
    """base.ttl and a Swedish version of the same publisher's policy (other notice, same org:acme)."""
    ttl = (EXAMPLES / "base.ttl").read_text(encoding="utf-8")
    sv = (ttl.replace("<https://w3id.org/policykg/id/>", "<https://w3id.org/policykg/id/sv/>")
          .replace('dct:identifier "acme" ; dct:language "en"', 'dct:identifier "acme-sv" ; dct:language "sv"'))
    assert sv.count("acme-sv") == 1
    g = Graph().parse(data=ttl, format="turtle")
    g.parse(data=sv, format="turtle")
    return g


def test_items_come_from_the_shapes() -> None:
    items = load_items(SHAPES)
    assert len(items) >= 12
    assert {i.article for i in items} >= {"13(1)(a)", "13(1)(b)", "13(1)(c)", "13(1)(d)", "13(1)(e)", "13(1)(f)",
                                          "13(2)(a)", "13(2)(b)", "13(2)(c)", "13(2)(d)", "13(2)(f)", "14(2)(f)"}
    assert all({"en", "sv"} <= set(i.label) for i in items)


def test_fully_transparent_notice_is_complete_with_evidence() -> None:
    card = card_of(EXAMPLES / "base.ttl")
    v = card.vendors[0]
    assert v.completeness == 1.0
    purpose = v.cells["PurposeShape"]
    assert purpose.quote == "We send our newsletter to customers through Mailchimp, with your consent."
    assert (purpose.start, purpose.end, purpose.value) == (173, 246, "https://w3id.org/dpv#DirectMarketing")


@pytest.mark.parametrize(("shape", "words", "value"), [
    # the handling that states the right to object states other facts first (newsletter,
    # consent): the cell quotes the sentence of the right, not the handling's first passage
    ("RightToObjectShape", "you may object", "https://w3id.org/dpv/legal/eu/gdpr#A21"),
    ("WithdrawConsentShape", "withdraw your consent", "https://w3id.org/dpv/legal/eu/gdpr#A7-3"),
    ("TransferSafeguardShape", "standard contractual clauses", "https://w3id.org/dpv/legal/eu/gdpr#SCCByCommission"),
    ("RetentionShape", "6 months", "P6M"),
    ("LegitimateInterestShape", "legitimate interest", "https://w3id.org/dpv#LegitimateInterest"),
    ("ControllerContactShape", "privacy@acme.example", "privacy@acme.example"),
])
def test_a_cell_quotes_the_fact_that_states_it(shape: str, words: str, value: str) -> None:
    cell = card_of(EXAMPLES / "base.ttl").vendors[0].cells[shape]
    assert cell.status == "stated" and words in cell.quote and cell.value == value


def test_an_evidence_query_without_a_quote_is_an_error(tmp_path: Path) -> None:
    shapes = Graph().parse(ROOT / "shapes" / "transparency.ttl")
    item = URIRef("https://w3id.org/policykg/shapes#PurposeShape")
    shapes.remove((item, PKG.evidenceQuery, None))
    shapes.add((item, PKG.evidenceQuery, Literal("SELECT DISTINCT ?h WHERE { ?h dpv:hasNotice ?this }")))
    g = Graph().parse(EXAMPLES / "base.ttl")
    with pytest.raises(InputError, match="PurposeShape must select"):
        build_scorecard(g, validate(g, shapes), shapes)


@pytest.mark.parametrize("shape", ["RightOfAccessShape", "TransferSafeguardShape", "WithdrawConsentShape",
                                   "DataSourceShape"])
def test_gap_is_missing_and_names_the_severity(shape: str) -> None:
    card = card_of(EXAMPLES / "invalid" / f"{shape}-001.ttl")
    cell = card.vendors[0].cells[shape]
    assert cell.status == "missing" and cell.message
    assert cell.severity in ("Warning", "Info")


def test_not_applicable_when_the_condition_is_absent() -> None:
    card = card_of(EXAMPLES / "valid" / "WithdrawConsentShape-001.ttl")  # no consent basis
    assert card.vendors[0].cells["WithdrawConsentShape"].status == "n/a"
    card = card_of(EXAMPLES / "valid" / "TransferSafeguardShape-001.ttl")  # no transfer
    assert card.vendors[0].cells["TransferSafeguardShape"].status == "n/a"


@pytest.fixture(scope="module")
def bundled_card(bundled_graph) -> Scorecard:  # type: ignore[no-untyped-def]
    return build_scorecard(bundled_graph, validate(bundled_graph, SHAPES), SHAPES)


def test_formats(bundled_card: Scorecard) -> None:
    card = bundled_card
    assert len(card.vendors) == 5
    data = json.loads(to_json(card))
    assert {v["identifier"] for v in data["vendors"]} == {"iptor", "isopartner", "ip1", "infobric", "ipdots"}
    assert to_csv(card).count("\n") == 1 + 5 * len(card.items)
    assert "✔ stated" in to_table(card)
    html = to_html(card, "sv")
    assert "Transparensöversikt" in html and "<svg" in html and "http" not in html.split("<body>")[0].replace(
        "http://www.w3.org/2000/svg", "")


def test_validate_fail_on_warning(runner: CliRunner) -> None:
    assert run(runner, "validate", str(EXAMPLES / "base.ttl"), "--fail-on", "warning").exit_code == 0
    r = run(runner, "validate", str(EXAMPLES / "invalid" / "RetentionShape-001.ttl"), "--fail-on", "warning")
    assert r.exit_code == 1 and "Art. 13(2)(a)" in r.output
    r = run(runner, "validate", str(EXAMPLES / "invalid" / "RetentionShape-001.ttl"), "--lang", "sv", "--fail-on", "warning")
    assert "art. 13.2 a" in r.output


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Appended to a copy of the report: measures, in the browser, every label of the heat map
# against the picture's box, and what is open, and writes the findings into the DOM.
PROBE = """<script>
window.addEventListener('load', function () {
  var svg = document.getElementById('heatmap').getBoundingClientRect(), clipped = [];
  document.querySelectorAll('#heatmap text').forEach(function (t) {
    if (t.closest('symbol')) return;
    var r = t.getBoundingClientRect();
    if (r.left < svg.left - 0.5 || r.top < svg.top - 0.5 || r.right > svg.right + 0.5 || r.bottom > svg.bottom + 0.5)
      clipped.push(t.textContent);
  });
  var sel = document.getElementById('f-item');  // filter on one item: only its cells stay lit
  sel.value = 'PurposeShape'; sel.dispatchEvent(new Event('change'));
  var lit = Array.prototype.filter.call(document.querySelectorAll('#heatmap .cell'),
                                        function (u) { return u.style.opacity !== '0.12'; }).length;
  sel.value = ''; sel.dispatchEvent(new Event('change'));
  var out = document.createElement('pre'), table = document.querySelector('table.summary');
  out.id = 'probe';
  out.textContent = JSON.stringify({clipped: clipped, lit: lit,
    open: document.querySelectorAll('details.vendor[open]').length,
    texts_open: document.querySelectorAll('details.policy-text[open]').length,
    summary_top: table ? table.getBoundingClientRect().top : null,
    map_top: svg.top});
  document.body.appendChild(out);
});
</script>"""


def _probe(chromium: str, html: str, tmp_path: Path, fragment: str = "") -> dict:  # type: ignore[type-arg]
    page = tmp_path / "probe.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--window-size=1200,900", "--virtual-time-budget=3000", "--dump-dom",
                          page.as_uri() + fragment], capture_output=True, text=True, timeout=180).stdout
    assert '<pre id="probe">' in dom, dom[-2000:]
    return json.loads(dom.split('<pre id="probe">')[1].split("</pre>")[0].replace("&quot;", '"'))


def _screenshot(chromium: str, report: Path, tmp_path: Path) -> Path:
    shot = tmp_path / f"{report.stem}.png"
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900",
                    f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=180)
    return shot


@pytest.mark.skipif(_chromium() is None, reason="needs Chromium (.ci/run installs Debian's chromium)")
def test_html_report_renders_in_a_real_browser(runner: CliRunner, bundled_ttl: Path, bundled_card: Scorecard,
                                               tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    r = run(runner, "scorecard", str(bundled_ttl), "--texts", str(ROOT / "data" / "policies"), "-o", str(report),
            "--lang", "sv")
    assert r.exit_code == 0, r.output
    dom = subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          report.as_uri()], capture_output=True, text=True, timeout=180).stdout
    card = json.loads(to_json(bundled_card))
    for v in card["vendors"]:
        assert v["publisher"] in dom and v["identifier"] in dom
    for i in card["items"]:
        assert i["label"]["sv"] in dom
    assert dom.count('class="cell"') == len(card["vendors"]) * len(card["items"])  # the heat map is drawn
    probe = _probe(_chromium(), report.read_text(encoding="utf-8"), tmp_path)
    assert probe["clipped"] == [] and probe["open"] == 5  # the Swedish column labels too
    assert probe["lit"] == 5  # the item filter dims every other cell of the heat map
    shot = _screenshot(_chromium(), report, tmp_path)
    assert shot.exists() and shot.stat().st_size > 10_000


@pytest.mark.skipif(_chromium() is None, reason="needs Chromium (.ci/run installs Debian's chromium)")
def test_200_vendors_in_a_real_browser(bundled_card: Scorecard, tmp_path: Path) -> None:
    from dataclasses import replace

    card = replace(bundled_card, vendors=list(bundled_card.vendors), provenance=provenance(["graph.ttl"]))
    attach_texts(card, str(ROOT / "data" / "policies"))
    big = corpus(card, 200)
    html = to_html(big, "sv")  # the longer labels
    probe = _probe(_chromium(), html, tmp_path)
    assert probe["clipped"] == []
    assert probe["open"] == 0 and probe["texts_open"] == 0  # collapsed
    assert probe["summary_top"] < probe["map_top"]  # the summary table comes first
    # a quote's link opens its vendor's section and the policy text at the offset
    v = big.vendors[137]
    c = next(c for c in v.cells.values() if c.quote)
    probe = _probe(_chromium(), html, tmp_path, f"#t-{v.identifier}-{c.start}")
    assert probe["open"] == 1 and probe["texts_open"] == 1
    report = tmp_path / "big.html"
    report.write_text(html, encoding="utf-8")
    shot = _screenshot(_chromium(), report, tmp_path)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_agreement_with_gold() -> None:
    """Cell agreement with the gold annotations (README records the figure)."""
    shared_dir("gold")
    shared_dir("devset")
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "scorecard_agreement.py"), "--json"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["cells"] >= 150
    # languages with vocabularies (en, sv, de); da, nb and fi have none yet (2026-12-05: 0.845 overall)
    read = [res["per_language"][lang] for lang in ("en", "sv", "de")]
    assert sum(a for a, _ in read) / sum(n for _, n in read) >= 0.90, res["disagreements"]


# --- issue 20: what an auditor needs ---------------------------------------------------------


def test_info_items_are_shown_apart_and_not_counted() -> None:
    card = card_of(EXAMPLES / "invalid" / "DataSourceShape-001.ttl")  # only the source of data (Info) is missing
    v = card.vendors[0]
    assert v.cells["DataSourceShape"].status == "missing" and v.cells["DataSourceShape"].info
    assert v.completeness == 1.0
    assert {i.name for i in card.info} == {"DataProtectionOfficerShape", "AutomatedDecisionShape", "DataSourceShape"}
    assert not {i.name for i in card.info} & {i.name for i in card.scored}
    html = to_html(card)
    scored_list, info_list = html.split('<ul class="info">')
    assert 'data-item="DataSourceShape"' in info_list.split("</ul>")[0]
    assert 'data-item="DataSourceShape"' not in scored_list.split('id="v-')[1]
    assert "not counted" in html
    assert "[for information, not counted]" in to_table(card)
    assert '"counted": false' in to_json(card)


def test_a_warning_gap_still_counts() -> None:
    v = card_of(EXAMPLES / "invalid" / "RetentionShape-001.ttl").vendors[0]
    assert v.completeness is not None and v.completeness < 1.0


def test_status_has_a_glyph_as_well_as_a_colour() -> None:
    card = card_of(EXAMPLES / "invalid" / "RightOfAccessShape-001.ttl")
    svg = heatmap_svg(card)
    assert svg.count('class="cell"') == len(card.items)
    for kind in ("stated", "missing", "missing-info", "n/a"):
        symbol = svg.split(f'<symbol id="k-{kind.replace("/", "")}"')[1].split("</symbol>")[0]
        assert f">{GLYPHS[kind]}</text>" in symbol  # each status is drawn with its glyph on its colour
    cells = card.vendors[0].cells
    assert svg.count('href="#k-missing"') == sum(c.status == "missing" and not c.info for c in cells.values()) == 1
    html = to_html(card)
    assert f'<span aria-hidden="true">{GLYPHS["missing"]}</span> missing' in html
    assert f'<span aria-hidden="true">{GLYPHS["n/a"]}</span> not applicable' in html  # in the legend too
    assert len({GLYPHS[k] for k in ("stated", "missing", "missing-info", "n/a")}) == 4


def test_vendors_are_named_by_publisher_and_language_versions_grouped() -> None:
    g = two_languages()
    card = build_scorecard(g, validate(g, SHAPES), SHAPES)
    assert [(v.identifier, v.name, v.language) for v in card.vendors] == [
        ("acme", "Acme Widgets AB", "en"), ("acme-sv", "Acme Widgets AB", "sv")]
    assert [[v.identifier for v in group] for group in card.groups()] == [["acme", "acme-sv"]]
    html = to_html(card)
    assert '<th scope="rowgroup" rowspan="2">Acme Widgets AB</th>' in html
    assert "Acme Widgets AB (en)</text>" in html and "Acme Widgets AB (sv)</text>" in html
    assert html.count('<section class="publisher">') == 1
    data = json.loads(to_json(card))
    assert {v["publisher_iri"] for v in data["vendors"]} == {"https://w3id.org/policykg/org/acme"}


def test_vendors_are_ordered_by_publisher(bundled_card: Scorecard) -> None:
    card = bundled_card
    names = [v.name for v in card.vendors]
    assert names == sorted(names, key=str.casefold) and "Infobric group" in names


def test_provenance_header(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from policykg import __version__

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "acme.txt").write_text(base_text(), encoding="utf-8")
    graph = tmp_path / "graph.ttl"
    graph.write_bytes((EXAMPLES / "base.ttl").read_bytes())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764928800")
    out = tmp_path / "report.html"
    r = run(runner, "scorecard", str(graph), "--texts", str(texts), "-o", str(out))
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    head = html.split("<h2>")[0]
    assert "<time>2025-12-05T10:00:00Z</time>" in head
    assert f"<dd>{__version__}</dd>" in head
    assert str(graph) in head and hashlib.sha256(graph.read_bytes()).hexdigest() in head
    text_sha = hashlib.sha256((texts / "acme.txt").read_bytes()).hexdigest()
    assert text_sha in html and str(texts / "acme.txt") in html
    assert "<td>2024-02-01</td>" in html  # the policy's own date, in the summary
    data = json.loads(run(runner, "scorecard", str(graph), "--texts", str(texts), "-f", "json").stdout)
    assert data["provenance"]["generated"] == "2025-12-05T10:00:00Z"
    assert data["provenance"]["inputs"] == [{"path": str(graph), "sha256": hashlib.sha256(graph.read_bytes()).hexdigest()}]
    assert data["vendors"][0]["source"]["sha256"] == text_sha and data["vendors"][0]["modified"] == "2024-02-01"


def test_each_quote_in_its_context_and_linked_to_the_text(tmp_path: Path) -> None:
    (tmp_path / "acme.txt").write_text(base_text(), encoding="utf-8")
    card = card_of(EXAMPLES / "base.ttl")
    attach_texts(card, str(tmp_path))
    html = to_html(card)
    item = html.split('<li class="item stated" data-item="PurposeShape">')[1].split("</li>")[0]
    # the sentence before and after the quote, the quote marked
    assert "Contact us at privacy@acme.example or our data protection officer.\n</span>" in item
    assert "<mark>We send our newsletter to customers through Mailchimp, with your consent.</mark>" in item
    assert '<span class="ctx">\nWe use the e-mail address' in item
    assert 'href="#t-acme-173"' in item
    text = html.split('<details class="policy-text">')[1].split("</pre>")[0]
    assert '<span class="at" id="t-acme-173"></span>' in text  # the link's target, in the embedded text
    anchor = text.index('id="t-acme-173"')
    assert "Acme Widgets AB is the controller" in text[:anchor]


def test_a_text_of_another_version_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "acme.txt").write_text("Updated. " + base_text(), encoding="utf-8")
    with pytest.raises(InputError, match="is not the text the graph was extracted from"):
        attach_texts(card_of(EXAMPLES / "base.ttl"), str(tmp_path))
    (tmp_path / "acme.txt").unlink()
    (tmp_path / "other.txt").write_text(base_text(), encoding="utf-8")
    r = run(runner, "scorecard", str(EXAMPLES / "base.ttl"), "--texts", str(tmp_path), "-o", str(tmp_path / "r.html"))
    assert r.exit_code == 2 and "no policy file for acme" in r.output and not (tmp_path / "r.html").exists()


def test_without_texts_the_report_says_so() -> None:
    html = to_html(card_of(EXAMPLES / "base.ttl"))
    assert "scorecard --texts DIR" in html and "(policy text not given)" in html


def corpus(card: Scorecard, n: int) -> Scorecard:
    """``n`` vendors from the bundled ones: each copy another publisher (and every other one in two languages)."""
    from dataclasses import replace

    vendors = []
    for k in range(n):
        v = card.vendors[k % len(card.vendors)]
        group = k // 2
        vendors.append(replace(v, identifier=f"{v.identifier}-{k}", publisher=f"{v.name} Nordic Holding {group:03}",
                               publisher_iri=f"urn:x:{group}", language=("en", "sv")[k % 2]))
    return Scorecard(card.items, vendors, card.provenance)


def test_large_corpora_start_with_a_summary_and_collapsed_sections(bundled_card: Scorecard) -> None:
    card = bundled_card
    small, large = to_html(card), to_html(corpus(card, 200))
    for html in (small, large):
        assert html.index('<table class="summary">') < html.index('<svg id="heatmap"') < html.index('class="vendor"')
    assert small.count('<details class="vendor"') == small.count("\" open><summary>") == 5
    assert large.count('<details class="vendor"') == 200 and "\" open><summary>" not in large
    assert large.count('<section class="publisher">') == 100
    svg = heatmap_svg(corpus(card, 200))
    assert len(svg.encode()) < 160 * 200 * len(card.items), len(svg.encode())  # was 365 bytes a cell
    assert len(card.vendors) <= COLLAPSE_AT < 200


def test_labels_fit_the_heat_map_by_the_estimate() -> None:
    """The margins hold the longest label at a generous width per character (the browser test measures)."""
    card = card_of(EXAMPLES / "base.ttl")
    svg = heatmap_svg(card, "sv")
    width = int(svg.split('width="')[1].split('"')[0])
    longest = max(len(f"{i.article} {i.label['sv']}") for i in card.items)
    assert longest > 30  # "13(2)(b) Rätt till dataportabilitet" and the like
    assert width > 150 + 34 * len(card.items)


def test_scorecard_of_a_file_evaluates_the_items_on_oxigraph(runner: CliRunner, bundled_ttl: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`scorecard FILE` runs the items' queries on an in-memory Oxigraph store, not with rdflib
    (minutes at 200 policies), and its cells are the ones rdflib's evaluation gives."""
    from rdflib import Graph as RdflibGraph

    from policykg.scorecard import build_scorecard, to_json

    data = RdflibGraph().parse(bundled_ttl)
    shapes = load_shapes()
    by_rdflib = json.loads(to_json(build_scorecard(data, validate(data, shapes), shapes)))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rdflib evaluated SPARQL")

    monkeypatch.setattr(RdflibGraph, "query", refuse)
    r = run(runner, "scorecard", str(bundled_ttl), "-f", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["vendors"] == by_rdflib["vendors"]
    r = run(runner, "scorecard", "-", "-f", "json", input=bundled_ttl.read_bytes())  # stdin: read once
    assert r.exit_code == 0 and json.loads(r.stdout)["vendors"] == by_rdflib["vendors"], r.output
