from policykg.segmenting import segment, sentences

TEXT = """Our privacy policy

We process the following data:
- your name and e-mail address
- your IP address

Retention
We keep data for six months, e.g. invoices. Then it is deleted.
"""


def test_blocks_headings_and_list_leads() -> None:
    blocks = segment(TEXT)
    kinds = [b.kind for b in blocks]
    assert kinds == ["heading", "paragraph", "item", "item", "heading", "paragraph"]
    items = [b for b in blocks if b.kind == "item"]
    assert all(blocks[b.lead].kind == "paragraph" for b in items)  # the lead-in governs the items
    assert TEXT[blocks[items[0].lead].start:blocks[items[0].lead].end].endswith(":")
    assert blocks[-1].heading == 4


def test_sentences_respect_abbreviations_and_offsets() -> None:
    blocks = segment(TEXT)
    spans = blocks[-1].sentences
    quotes = [TEXT[s.start:s.end] for s in spans]
    assert quotes == ["We keep data for six months, e.g. invoices.", "Then it is deleted."]


def test_swedish_abbreviations() -> None:
    t = "Vi sparar t.ex. namn. Sedan raderas det."
    assert [t[s.start:s.end] for s in sentences(t, 0, len(t))] == ["Vi sparar t.ex. namn.", "Sedan raderas det."]


# --- layouts (issue 15): the same words give the same blocks whatever the layout -------------

def _quotes(text: str, kind: str | None = None) -> list[str]:
    return [text[b.start:b.end] for b in segment(text) if kind is None or b.kind == kind]


WRAPPED = """Sharing

We do not allow anyone under 18
to sign up for the service, and we never sell the data you give us to
advertisers or data brokers. Your account data are transferred to the
United States under the Standard Contractual Clauses (SCCs). We keep
them for 24 months.

Your rights
"""


def test_wrapped_lines_are_one_paragraph_and_a_denial_keeps_its_scope() -> None:
    text = WRAPPED.replace("18\nto", "18 to")  # the same words, one line shorter
    wrapped = "\n".join(__import__("textwrap").wrap(text.split("\n\n")[1].replace("\n", " "), 72))
    doc = "Sharing\n\n" + wrapped + "\n\nYour rights\n"
    blocks = segment(doc)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "heading"]
    para = doc[blocks[1].start:blocks[1].end]
    assert para.startswith("We do not allow") and para.endswith("24 months.")
    # a sentence never ends at a line break: "(SCCs)." is not quoted on its own
    quotes = [doc[s.start:s.end] for s in blocks[1].sentences]
    assert all(len(q.split()) > 3 for q in quotes)
    from policykg.extractors.base import negated
    s = blocks[1].sentences[0]
    at = doc.index("sign up")
    assert negated(doc, s, at, "en", at + 7)  # "we do not allow anyone under 18 / to sign up"


def test_a_wrapped_company_name_is_one_name() -> None:
    from policykg.extractors.base import Document
    from policykg.extractors.organisations import organisations

    text = ("Privacy notice\n\n" + "\n".join(__import__("textwrap").wrap(
        "We host your data with our processor Amazon Web Services EMEA SARL and send newsletters "
        "through Mailchimp; payments are handled by Northwind Payments Ireland Limited on our behalf.",
        60)) + "\n")
    labels = {f.label for f in organisations(Document("x", text, "en")) if f.aspect == "recipients"}
    assert "Northwind Payments Ireland Limited" in labels
    assert not any(lab.startswith(("Ireland", "Limited")) for lab in labels)


def test_a_bare_list_after_a_lead_in_is_items_with_its_heading() -> None:
    text = ("Your rights\n\nYou have the following rights:\n\nAccess — ask for a copy of your data\n\n"
            "Rectification — have wrong data corrected\n\nPortability — receive your data\n\n"
            "Contact us to use them.\n")
    blocks = segment(text)
    items = [b for b in blocks if b.kind == "item"]
    assert [text[b.start:b.end].split(" —")[0] for b in items] == ["Access", "Rectification", "Portability"]
    assert all(text[blocks[b.lead].start:blocks[b.lead].end].endswith(":") for b in items)
    assert all(text[blocks[b.heading].start:blocks[b.heading].end] == "Your rights" for b in items)


def test_a_heading_and_a_bare_list_of_data() -> None:
    text = "Data we collect\nName\nE-mail address\nPhone number\n\nWe use it to answer you.\n"
    kinds = [(b.kind, text[b.start:b.end]) for b in segment(text)]
    assert kinds[:4] == [("heading", "Data we collect"), ("item", "Name"), ("item", "E-mail address"),
                         ("item", "Phone number")]


def test_a_flattened_table_is_read_as_rows_under_its_header() -> None:
    text = ("How long we keep data\n\nData\n\nRetention\n\nNote\n\nSupport tickets\n\n12 months\n\n"
            "After the ticket is closed\n\nInvoices\n\n7 years\n\nBookkeeping law\n\n"
            "Access logs\n\n90 days\n\nDeleted automatically\n\nWho we share data with\n")
    blocks = segment(text)
    header = next(b for b in blocks if b.kind == "header")
    rows = [b for b in blocks if b.kind == "row"]
    assert [text[c.start:c.end] for c in header.cells] == ["Data", "Retention", "Note"]
    assert [[text[c.start:c.end] for c in r.cells][:2] for r in rows] == \
        [["Support tickets", "12 months"], ["Invoices", "7 years"], ["Access logs", "90 days"]]
    assert all(blocks[r.lead] is header for r in rows)
    assert blocks[-1].kind == "heading"


def test_a_flattened_table_without_blank_lines_by_its_columns() -> None:
    """Cells one per line with no blank line between (a page's text as copied): the
    columns hold different kinds of content, so it is a table, not a bare list."""
    text = ("Our processors are listed below.\n\nProcessor\nLocation\nService\nSafeguard\n"
            "Atlassian\nGlobal\nTicketing and issue tracking\nStandard contractual clauses\n"
            "NextCloud\nSweden\nFile workspace and storage\nData processing agreement\n"
            "Runbox\nNorway\nE-mail for the company\nData processing agreement\n"
            "Slack Technologies\nUSA\nChat with customers\nData Privacy Framework\n\n"
            "We review these processors every year.\n")
    blocks = segment(text)
    header = next(b for b in blocks if b.kind == "header")
    rows = [b for b in blocks if b.kind == "row"]
    assert [text[c.start:c.end] for c in header.cells] == ["Processor", "Location", "Service", "Safeguard"]
    assert [text[r.cells[0].start:r.cells[0].end] for r in rows] == ["Atlassian", "NextCloud", "Runbox",
                                                                    "Slack Technologies"]
    # a bare list of lines alike, also without blank lines, stays a list
    listed = "We collect:\nName\nE-mail address\nPhone number\nPostal address\nDate of birth\nCustomer number\n"
    assert not [b for b in segment(listed) if b.kind in ("row", "header")]


def test_a_flattened_table_in_whole_rows_up_to_a_blank_line() -> None:
    """Two columns, three rows, cells one per line, a blank line after: the table's
    rows carry what its header does not (article numbers), and the numbered line
    after a bare list opens a section even without a point after its number."""
    text = ("2 Purposes and legal bases\n\nWe collect only what we need, and each purpose has its legal basis under "
            "the General Data Protection Regulation. We process data for these purposes:\n\nPurpose\nLegal basis\n"
            "Booking your appointment in advance\nArt. 6(1)(b) contract\nKeeping records\nArt. 6(1)(c) legal obligation\n"
            "Access logs for security\nArt. 6(1)(f) legitimate interest\n\n3 Security\n\nEncryption in transit\n"
            "Encryption at rest\nAccess control\n\n4 Your rights\n\nYou may ask for a copy of your data.\n")
    blocks = segment(text)
    rows = [b for b in blocks if b.kind == "row"]
    assert [text[r.cells[1].start:r.cells[1].end] for r in rows] == [
        "Art. 6(1)(b) contract", "Art. 6(1)(c) legal obligation", "Art. 6(1)(f) legitimate interest"]
    headings = [text[b.start:b.end] for b in blocks if b.kind == "heading"]
    assert {"3 Security", "4 Your rights"} <= set(headings)


def test_a_single_word_list_is_not_a_table() -> None:
    text = "Contact details\n\nName\n\nE-mail\n\nPhone\n\nAddress\n\nWe use them to reply.\n"
    assert not [b for b in segment(text) if b.kind in ("row", "header")]


def test_pipe_tables_with_and_without_a_separator() -> None:
    text = ("Retention\n\n| Data | Period |\n| --- | --- |\n| Support tickets | 12 months |\n"
            "| Invoices | 7 years |\n\nNames | Roles\nStripe | Payments\nMailgun | E-mail\n")
    blocks = segment(text)
    header = blocks[1]
    assert header.kind == "header" and [text[c.start:c.end] for c in header.cells] == ["Data", "Period"]
    assert [b.kind for b in blocks[2:4]] == ["row", "row"] and blocks[2].lead == 1
    assert [text[c.start:c.end] for c in blocks[2].cells] == ["Support tickets", "12 months"]
    assert [b.kind for b in blocks[4:]] == ["row", "row", "row"]  # "a | b" lines in a run
    assert [text[s.start:s.end] for s in blocks[2].sentences] == ["Support tickets", "12 months"]


def test_a_title_with_a_pipe_is_not_a_table() -> None:
    assert segment("Privacy policy | Acme\n\nWe keep data safe.\n")[0].kind == "heading"


def test_numbered_section_headings_and_numbered_lists() -> None:
    text = ("1. Who we are\nAcme AB runs the app.\n\n2. Contents\n1. Purposes\n2. Rights\n3. Contact\n\n"
            "4.1 To provide the app's basic functions\n- account data\n- device identifiers\n")
    kinds = {text[b.start:b.end]: b.kind for b in segment(text)}
    assert kinds["1. Who we are"] == "heading"
    assert kinds["1. Purposes"] == kinds["2. Rights"] == "item"
    assert kinds["4.1 To provide the app's basic functions"] == "heading"


def test_front_matter_code_and_markup_are_not_policy_text() -> None:
    text = ('title: "Privacy Policy"\ndate: 2025-03-19\naliases:\n- "/privacy"\n\n'
            "import Layout from '../layouts/Base.astro';\nexport default function Page() {\nreturn (\n"
            "<div class=\"prose\">\n{{< ingress >}}\nWe collect your e-mail address.<br/>Nothing else.\n}\n")
    quotes = _quotes(text)
    assert quotes == ["We collect your e-mail address.", "Nothing else."]
    from policykg.segmenting import front_matter
    fm = front_matter(text)
    assert fm is not None and text[fm.start:fm.end].endswith('- "/privacy"')


def test_prose_that_starts_like_a_key_is_not_front_matter() -> None:
    from policykg.segmenting import front_matter
    assert front_matter("Controller: Acme AB\nWe process your data.\n") is None
    assert front_matter("Last updated: 1 May 2024\n\nAcme AB processes data.\n") is None


def test_icon_ligatures_of_web_pages_are_dropped() -> None:
    text = "gavel\n\n3. Legal basis\n\nWe rely on consent.\n\ncloud_sync\n\n4. Processors\n"
    assert _quotes(text, "heading") == ["3. Legal basis", "4. Processors"]


def test_offsets_index_the_text_for_every_layout() -> None:
    for text in (WRAPPED, "a\r\nb\r\n", "| x | y |\n|---|---|\n| 1 | 2 |\n", "title: t\ndate: 2020-01-01\n\nBody."):
        for b in segment(text):
            for s in b.sentences:
                assert text[s.start:s.end].strip() == text[s.start:s.end] and s.end > s.start


def test_a_doctor_s_title_ends_no_sentence_but_a_stranded_preposition_does() -> None:
    from policykg.segmenting import sentences

    text = "Verantwortlich ist Dr. med. Katrin Albers. Wir speichern Ihren Namen."
    assert [text[s.start:s.end] for s in sentences(text, 0, len(text))] == [
        "Verantwortlich ist Dr. med. Katrin Albers.", "Wir speichern Ihren Namen."]
    sv = "Uppgifterna lagras av leverantörerna vi samarbetar med. Vi sparar ditt namn."
    assert len(sentences(sv, 0, len(sv))) == 2


def _first_literals(items) -> set[str]:  # type: ignore[no-untyped-def]
    """The characters a parsed regex can start with (literals, branches, groups only)."""
    from re import _constants as c  # type: ignore[attr-defined]

    op, av = items[0]
    if op is c.LITERAL:
        return {chr(av)}
    if op is c.BRANCH:
        return set().union(*(_first_literals(list(b)) for b in av[1]))
    if op is c.SUBPATTERN:
        return _first_literals(list(av[3]))
    raise AssertionError(f"an alternative starts with {op}: list its first characters by hand")


def test_code_lines_are_tested_on_the_first_characters_of_their_pattern() -> None:
    """_skipped only runs _CODE on lines starting with one of _CODE_FIRST: those must be
    exactly the characters the pattern's alternatives start with."""
    from re import _parser  # type: ignore[attr-defined]

    from policykg.segmenting import _CODE, _CODE_FIRST, _PUNCTUATION, _PUNCTUATION_ONLY

    assert _first_literals(list(_parser.parse(_CODE.pattern))) == set(_CODE_FIRST)
    assert set(_PUNCTUATION) == {ch for ch in map(chr, range(0x250)) if _PUNCTUATION_ONLY.fullmatch(ch)}


def test_heading_and_item_keys_drop_bullets_numbers_and_closing_punctuation() -> None:
    from policykg.extractors.context import _key

    assert _key("1.2. Your  Rights. .") == "your rights"
    assert _key("- Cookies ;") == "cookies"
    assert _key("• 3 Who we share data with:") == "who we share data with"
    assert _key("x.y: z.:") == "x.y: z"
    assert _key(" .:; ") == ""
