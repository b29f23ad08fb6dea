"""Hostile-input campaign (issue 22): generated malformed and adversarial inputs through
the real CLI, counting every defect class the issue names.

    nice .venv/bin/python benchmarks/hostile.py --n 10000 --seed 22

Inputs are generated deterministically from the seed (same seed, same inputs) in six
classes, each run through ``policykg.cli.main`` with click's CliRunner, in-process,
under a wall-clock limit per run (SIGALRM; a run past it counts as a hang):

* ``query``    query files: not UTF-8, NUL, random bytes, mutated SPARQL (``query FILE graph``)
* ``graph``    graph files: mutated Turtle / N-Triples / RDF/XML / JSON-LD, IRIs with spaces,
               ill-typed literals, control characters (``export FILE -f nt|xml -o OUT``)
* ``policy``   policy texts: random bytes in HTML, malformed Markdown, control characters,
               random or no-language text (``extract FILE -f xml -o OUT``)
* ``param``    ``-p`` values of every type, checked to come back unchanged (``query echo.rq``)
* ``ids``      ``--id`` values and file names whose identifiers collide (``extract - FILE``)
* ``gold``     gold folders whose YAML is not the schema (``evaluate graph --gold DIR``)

Counted: internal errors, tracebacks (on stderr or logged), hangs, exit codes other than
0/1/2, failures without an ``Error:`` line, output files left on failure, RDF/XML
outputs that are not well-formed, merged policies, altered parameter values. Exit 0
when every count is 0, 1 otherwise. ``--json`` prints the counts as JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "queries" / "corpus.ttl"
POLICIES = ROOT / "data" / "policies"
DEFECTS = ("internal_error", "traceback", "hang", "bad_exit", "no_error_line", "output_left",
           "invalid_xml", "merged", "altered_param")

EN = ("Acme Privacy Policy\n\nAcme Widgets AB is the data controller. We use your e-mail address to send "
      "newsletters with Mailchimp, based on your consent. We keep it for 24 months. You have the right "
      "to access your data.\n")
SPARQL = ["SELECT ?s WHERE { ?s ?p ?o } LIMIT 5",
          "PREFIX dpv: <https://w3id.org/dpv#>\nSELECT ?n (COUNT(?h) AS ?c) WHERE { ?n dpv:hasPersonalDataHandling ?h }"
          " GROUP BY ?n ORDER BY DESC(?c)",
          "ASK { ?s a <https://w3id.org/dpv#PrivacyNotice> }",
          "SELECT ?x WHERE { OPTIONAL { ?x ?p \"a\"@en } FILTER(REGEX(STR(?x), \"^h\")) }",
          "SELECT * WHERE { { ?a ?b ?c } UNION { ?c ?b ?a } MINUS { ?a a ?t } } LIMIT 3"]
TTL = ("@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
       "ex:a ex:p \"text\"@en ; ex:q 42 ; ex:r ex:b .\nex:b ex:s \"2024-01-01\"^^xsd:date .\n")
RDFXML = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
          'xmlns:ex="http://example.org/">\n  <rdf:Description rdf:about="http://example.org/a">\n'
          '    <ex:p xml:lang="en">text</ex:p>\n  </rdf:Description>\n</rdf:RDF>\n')
JSONLD = '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": "text", "ex:q": {"@id": "ex:b"}}\n'
NASTY = ["\x00", "\x01", "\x07", "\x0b", "\x1b", "\x7f", "\u0085", "\u2028", "\ufeff", "\ufffe", "\r", "\t",
         "\"", "\\", "\\u0022", "}", "{", "<", ">", "&", "]]>", "\n", " ", "é", "😀", "\u202e", "@", "'", "#"]


@dataclass
class Run:
    kind: str
    args: list[str]
    stdin: bytes | None = None
    output: Path | None = None  # -o file: must not exist after a failure
    xml: bool = False  # stdout/output must be well-formed XML on success
    expect_value: str | None = None  # a parameter that must come back unchanged
    expect_graphs: int | None = None  # policies that must stay apart
    label: str = ""


@dataclass
class Tally:
    runs: int = 0
    by_kind: Counter = field(default_factory=Counter)  # type: ignore[type-arg]
    exits: Counter = field(default_factory=Counter)  # type: ignore[type-arg]
    defects: Counter = field(default_factory=Counter)  # type: ignore[type-arg]
    examples: dict[str, list[str]] = field(default_factory=dict)

    def defect(self, name: str, run: Run, detail: str) -> None:
        self.defects[name] += 1
        self.examples.setdefault(name, [])
        if len(self.examples[name]) < 5:
            self.examples[name].append(f"[{run.kind}] {run.label} {' '.join(map(repr, run.args[:3]))}: "
                                       f"{detail[:200]}")


class Hang(BaseException):  # noqa: N818 - a stop, like policykg.limits.TimeLimit
    pass


# --- generators -----------------------------------------------------------------------

def mutate(rng: random.Random, data: bytes, n: int | None = None) -> bytes:
    """Byte-level damage: flips, insertions of nasty characters, deletions, truncation, repeats."""
    b = bytearray(data)
    for _ in range(n or rng.randint(1, 4)):
        op = rng.randrange(6)
        i = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(i, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[i:i] = rng.choice(NASTY).encode("utf-8")
        elif op == 2:
            del b[i:i + rng.randint(1, 8)]
        elif op == 3:
            del b[i:]
        elif op == 4:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            j = rng.randrange(len(b) + 1)
            b[i:i] = b[min(i, j):max(i, j)][:200] * rng.randint(1, 20)
    return bytes(b)


def header(params: str = "") -> str:
    return "#+ title: Hostile\n#+ description: A generated query.\n" + params


def gen_query(rng: random.Random, d: Path, i: int) -> Run:
    p = d / f"q{i}.rq"
    choice = rng.randrange(5)
    if choice == 0:
        data = rng.choice(SPARQL).encode("latin-1", "replace") + "é".encode("latin-1")
        data = header().encode() + data
    elif choice == 1:
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    elif choice == 2:
        data = header().encode() + mutate(rng, rng.choice(SPARQL).encode())
    elif choice == 3:
        data = mutate(rng, (header() + rng.choice(SPARQL)).encode(), 2)
    else:
        data = (header() + rng.choice(SPARQL)).encode("utf-16")
    p.write_bytes(data)
    return Run("query", ["query", str(p), str(CORPUS), "-f", rng.choice(["csv", "json", "table"])],
               label=f"choice {choice}")


def gen_graph(rng: random.Random, d: Path, i: int) -> Run:
    fmt, base = rng.choice([("ttl", TTL), ("nt", None), ("rdf", RDFXML), ("jsonld", JSONLD)])
    if base is None:
        base = ("<http://example.org/a> <http://example.org/p> \"x\" .\n"
                "<http://example.org/a> <http://example.org/q> \"7\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n")
    choice = rng.randrange(5)
    if choice == 0:
        data = mutate(rng, base.encode())
    elif choice == 1:  # an IRI with a space, or other characters IRIs cannot hold
        data = base.replace("example.org/a", "example.org/a" + rng.choice([" b", "<", "{", "\x01", "\\"]), 1).encode()
    elif choice == 2:  # ill-typed literals
        lex = rng.choice(["abc", "1.x", "", "2024-13-45", "NaNx", "true1"])
        dt = rng.choice(["integer", "date", "decimal", "boolean", "dateTime", "duration"])
        data = (TTL + f'ex:c ex:t "{lex}"^^xsd:{dt} .\n').encode()
        fmt = "ttl"
    elif choice == 3:  # control characters in a literal, escaped so the file itself is valid
        chars = "".join(rng.choice(NASTY) for _ in range(3))
        lit = json.dumps(chars)[1:-1].replace("\\/", "/")
        data = (TTL + f'ex:c ex:t "{lit}" .\n').encode()
        fmt = "ttl"
    else:
        data = mutate(rng, base.encode(), 8)
    p = d / f"g{i}.{fmt}"
    p.write_bytes(data)
    out = d / f"g{i}.out"
    to = rng.choice(["xml", "xml", "nt", "turtle", "json-ld"])
    return Run("graph", ["export", str(p), "-f", to, "-o", str(out)], output=out, xml=to == "xml",
               label=f"choice {choice} {fmt}->{to}")


def _html(rng: random.Random) -> bytes:
    body = EN.replace("\n\n", "</h1><p>", 1).replace("\n", "</p>")
    page = f"<html><head><title>P</title></head><body><h1>{body}</body></html>".encode()
    if rng.random() < 0.5:
        return mutate(rng, page, 6)
    junk = rng.choice([b"<![", b"<!", b"<?", b"<![CDATA[", b"<!--", b"&#", b"&#x", b"<![if", b"<!DOCTYPE"])
    i = rng.randrange(len(page))
    return page[:i] + junk + bytes(rng.randrange(256) for _ in range(rng.randint(0, 30))) + page[i:]


def _markdown(rng: random.Random) -> bytes:
    parts = ["# Privacy\n\n", EN, "\n", "| a | b |\n|---|---|\n| Mailchimp | US |\n", "- item\n  - nested\n",
             "```\ncode\n", "<div>\n", "> quote\n>", "[link](http://x", "***", "---\ntitle: x\n", "\\" * 50,
             "*" * 200, "[" * 300, "<" * 100, "_" * 300, "`" * 50, "|" * 200, "#" * 20 + " h\n"]
    text = "".join(rng.choice(parts) for _ in range(rng.randint(2, 12)))
    return mutate(rng, text.encode(), 2) if rng.random() < 0.5 else text.encode()


def gen_policy(rng: random.Random, d: Path, i: int) -> Run:
    choice = rng.randrange(5)
    if choice == 0:
        suffix, data = ".html", _html(rng)
    elif choice == 1:
        suffix, data = ".md", _markdown(rng)
    elif choice == 2:  # a real policy with control characters
        text = EN
        for _ in range(rng.randint(1, 10)):
            j = rng.randrange(len(text))
            text = text[:j] + rng.choice(NASTY[:10]) + text[j:]
        suffix, data = ".txt", text.encode()
    elif choice == 3:  # random text, random words
        words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyzåäöæø") for _ in range(rng.randint(1, 9)))
                 for _ in range(rng.randint(0, 60))]
        suffix, data = ".txt", " ".join(words).encode()
    else:
        suffix, data = rng.choice([".txt", ".md", ".html"]), mutate(rng, EN.encode(), 6)
    p = d / f"p{i}{suffix}"
    p.write_bytes(data)
    out = d / f"p{i}.rdf"
    return Run("policy", ["extract", str(p), "-f", "xml", "-o", str(out)], output=out, xml=True,
               label=f"choice {choice}{suffix}")


PARAM_QUERY = header("#+ params:\n#+   - name: v\n#+     type: {type}\n") + "SELECT ?v WHERE {{ }}\n"


def _value(rng: random.Random) -> str:
    alphabet = NASTY + list("abcXYZ019 -_.:/") + ["\\n", "\\t", "\\\"", "\\\\", "'''", '"""']
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def gen_param(rng: random.Random, d: Path, i: int) -> Run:
    kind = rng.choice(["string", "string", "lang-string", "integer", "iri", "date"])
    q = d / f"echo-{kind}.rq"
    if not q.exists():
        q.write_text(PARAM_QUERY.format(type=kind), encoding="utf-8")
    value = _value(rng)
    if kind == "lang-string" and rng.random() < 0.7:
        value = f"{value}@{rng.choice(['en', 'sv', 'en-GB', 'de-CH-1901', 'x', 'en ', 'sv' + chr(10), '1a'])}"
    elif kind == "integer":
        value = rng.choice([str(rng.randint(-10**20, 10**20)), value, f"{rng.randint(0, 9)}\n", f"+{rng.randint(0, 99)}"])
    elif kind == "iri":
        value = rng.choice(["https://example.org/", "org:", "<https://example.org/", "http://x/"]) + value + \
            rng.choice(["", ">"])
    elif kind == "date":
        value = rng.choice(["2024-01-01", "2024-02-30", "2024-01-01\n", value])
    expect = value if kind == "string" else None
    return Run("param", ["query", str(q), str(CORPUS), "-p", "v", value, "-f", "json"], expect_value=expect,
               label=kind)


def gen_ids(rng: random.Random, d: Path, i: int) -> Run:
    sub = d / f"ids{i}"
    sub.mkdir()
    base = rng.choice(["a-b", "acme", "x y", "Ærø", "a_b"])
    other = rng.choice(["a/b", "a b", "A-B", "acme", "ACME", "x--y", "aero", "Ærø", "../x", "a\tb", "a\x00b"])
    f = sub / f"{base}.txt"
    f.write_text(EN.replace("Acme", "Other"), encoding="utf-8")
    out = sub / "out.nq"
    return Run("ids", ["extract", "-", str(f), "--id", other, "-f", "nquads", "-o", str(out)],
               stdin=EN.encode(), output=out, expect_graphs=2, label=f"{base!r} vs {other!r}")


def gen_gold(rng: random.Random, d: Path, i: int) -> Run:
    gold = d / f"gold{i}"
    gold.mkdir()
    doc = rng.choice(["", "null", "- a\n- b", "policy: acme\nfacts: 3", "policy: acme\nfacts:\n  - null",
                      "policy: acme\nfacts:\n  - aspect: recipient\n    start: null", "{", "\x00\x01",
                      "policy: acme\nfacts:\n  - aspect: retention\n    value: [1, 2]\n    start: x\n    end: 3",
                      "policy: 1\nfacts: {a: b}", "policy: acme\nfacts:\n  - {}"])
    (gold / "acme.yaml").write_bytes(mutate(rng, doc.encode(), 1) if rng.random() < 0.3 else doc.encode())
    return Run("gold", ["evaluate", str(CORPUS), "--gold", str(gold)], label=repr(doc[:30]))


GENERATORS: dict[str, Callable[[random.Random, Path, int], Run]] = {
    "query": gen_query, "graph": gen_graph, "policy": gen_policy, "param": gen_param, "ids": gen_ids,
    "gold": gen_gold}


def generate(n: int, seed: int, d: Path, kinds: list[str] | None = None) -> Iterator[Run]:
    """``n`` runs, the same for the same seed (and kinds)."""
    rng = random.Random(seed)
    names = kinds or list(GENERATORS)
    for i in range(n):
        yield GENERATORS[names[i % len(names)]](rng, d, i)


# --- running and checking -------------------------------------------------------------

class _LogCapture(logging.Handler):
    """What the CLI logs, formatted as on a terminal (exc_info included)."""

    def __init__(self) -> None:
        super().__init__()
        self.buf = io.StringIO()
        self.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.buf.write(self.format(record) + "\n")


def invoke(run: Run, runner: CliRunner, seconds: float) -> tuple[int | None, str, str, BaseException | None]:
    from policykg import cli as cli_mod

    class Main:
        name = "policykg"

        def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[no-untyped-def]
            cli_mod.main(list(args or []))

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang()

    capture = _LogCapture()
    root = logging.getLogger()
    root.addHandler(capture)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        r = runner.invoke(Main(), run.args, input=run.stdin, catch_exceptions=True)  # type: ignore[arg-type]
        code, out, err, exc = r.exit_code, r.stdout_bytes.decode("utf-8", "replace"), r.stderr, r.exception
    except Hang:
        return None, "", "", None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        root.removeHandler(capture)
    if isinstance(exc, Hang):
        return None, out, err, None
    return code, out, err + capture.buf.getvalue(), exc if not isinstance(exc, SystemExit) else None


def well_formed(data: bytes) -> str | None:
    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError as exc:
        return str(exc)
    return None


def check(run: Run, code: int | None, out: str, err: str, exc: BaseException | None, tally: Tally) -> None:
    tally.runs += 1
    tally.by_kind[run.kind] += 1
    tally.exits["hang" if code is None else str(code)] += 1
    if code is None:
        tally.defect("hang", run, "over the limit")
        return
    text = out + err
    if "internal error" in text.casefold():
        tally.defect("internal_error", run, next(ln for ln in text.splitlines() if "internal error" in ln.casefold()))
    if "Traceback" in text or exc is not None:
        tally.defect("traceback", run, repr(exc) if exc is not None else err[-200:])
    if code not in (0, 1, 2):
        tally.defect("bad_exit", run, f"exit {code}")
    if code == 2 and not any(ln.startswith("Error: ") or ln.startswith("Usage: ") for ln in err.splitlines()):
        tally.defect("no_error_line", run, err[-200:] or out[-200:])
    if code == 2 and run.output is not None and run.output.exists() and run.kind != "ids":  # one input, failed
        tally.defect("output_left", run, str(run.output))
    if code == 0 and run.xml:
        data = run.output.read_bytes() if run.output is not None and run.output.exists() else out.encode()
        problem = well_formed(data)
        if problem:
            tally.defect("invalid_xml", run, problem)
    if run.expect_value is not None:
        got = None
        if code == 0:
            try:
                got = [b["v"]["value"] for b in json.loads(out)["results"]["bindings"]]
            except (ValueError, KeyError):
                got = None
        if got != [run.expect_value]:
            tally.defect("altered_param", run, f"gave {run.expect_value!r}, got {got!r} (exit {code})")
    if run.expect_graphs is not None and code == 0 and run.output is not None and run.output.exists():
        names = set(re.findall(r"<(https://w3id\.org/policykg/id/graph/[^>/]+)>\s*\.\s*$",
                               run.output.read_text(encoding="utf-8"), re.M))
        if len(names) < run.expect_graphs:
            tally.defect("merged", run, f"{len(names)} policy graphs for {run.expect_graphs} inputs")


def campaign(n: int, seed: int, seconds: float, kinds: list[str] | None = None,
             progress: bool = False) -> Tally:
    tally = Tally()
    runner = CliRunner()
    with tempfile.TemporaryDirectory(prefix="policykg-hostile-") as tmp:
        d = Path(tmp)
        for k, run in enumerate(generate(n, seed, d, kinds)):
            code, out, err, exc = invoke(run, runner, seconds)
            check(run, code, out, err, exc, tally)
            if progress and k % 500 == 499:
                print(f"{k + 1} runs, defects {dict(tally.defects)}", file=sys.stderr, flush=True)
    return tally


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="generated inputs (default 10,000)")
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--limit", type=float, default=30.0, help="seconds one run may take (default 30)")
    ap.add_argument("--kinds", help=f"comma-separated subset of {', '.join(GENERATORS)}")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    logging.captureWarnings(True)
    start = time.monotonic()
    tally = campaign(args.n, args.seed, args.limit, args.kinds.split(",") if args.kinds else None, progress=True)
    elapsed = time.monotonic() - start
    counts = {name: tally.defects[name] for name in DEFECTS}
    if args.json:
        print(json.dumps({"runs": tally.runs, "seconds": round(elapsed, 1), "by_kind": dict(tally.by_kind),
                          "exits": dict(tally.exits), "defects": counts, "examples": tally.examples}, indent=2))
    else:
        print(f"{tally.runs} runs in {elapsed:.0f} s (seed {args.seed}); by kind {dict(tally.by_kind)}; "
              f"exits {dict(tally.exits)}")
        for name in DEFECTS:
            print(f"  {name:15} {counts[name]}")
            for example in tally.examples.get(name, []):
                print(f"      {example}")
    return 0 if not any(counts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
