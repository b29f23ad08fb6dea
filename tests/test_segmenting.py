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
