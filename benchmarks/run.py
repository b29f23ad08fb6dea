"""Benchmark runner: extraction, build, store, validation and queries at 100 ... 100,000 policies.

Run on demand, never in CI (minutes to hours):

    python benchmarks/run.py --sizes 100 1000 10000 [--rdflib-max 1000] [--work /tmp/policykg-bench]
    python benchmarks/run.py --report    # rewrite the tables in docs/benchmarks.md from results/*.json

For each size N it generates N synthetic policies (benchmarks/synth.py), then
measures with the installed ``policykg`` command, in fresh processes:

* extraction rate: text -> triples in 2 worker processes (policies/s), on the
  first min(N, 2000) policies, and on one core;
* build: ``policykg build`` of the corpus into a new store — wall time, peak
  memory of the whole process tree (sampled from /proc every 0.2 s), store size
  on disk; then a re-run on the unchanged corpus;
* validation: ``policykg validate --store`` (native engine) — wall time and peak
  memory; pyshacl on a sample of 20 policies, per policy;
* the build's answers: a build with ``--no-answers`` is what is timed above; a
  second re-run then evaluates the canned queries and keeps their answers
  (``answers``: time, peak memory, size on disk);
* every canned query on the store: median of 5 runs (after one warm-up),
  evaluated live (``query --live``) and read from the answers the build kept;
* rdflib for comparison (N <= --rdflib-max): the store's N-Quads export loaded as
  ``policykg query`` loads graph files (time, memory), every canned query (median of
  3, stopped after 60 s);
* ``--incremental-only`` (results in results/incremental/<N>.json): the first build
  that keeps the answers, every canned query read from them, then 10 policies changed
  (a processor, a transfer and a retention period added) and ``policykg build`` timed
  as a user runs it, answers included; then every kept answer compared byte for byte
  with a live evaluation.

Results go to benchmarks/results/<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
DOC = ROOT / "docs" / "benchmarks.md"
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

PK = shutil.which("policykg") or str(Path(sys.executable).with_name("policykg"))


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d.name))
            for line in (d / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[int(d.name)] = int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def measure(cmd: list[str], **kw: object) -> dict[str, float]:
    """Run ``cmd``; wall seconds and peak memory of its process tree."""
    peak = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, **kw)  # type: ignore[call-overload]
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    rc = proc.wait()
    done.set()
    th.join()
    if rc not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {rc}")
    return {"seconds": round(time.perf_counter() - t0, 2), "peak_mb": round(peak / 2**20)}


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def extraction_rate(corpus: Path, n: int) -> dict[str, float]:
    code = f"""
import sys, time
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from policykg.build import _extract, _Task
files = sorted(Path({str(corpus)!r}).glob('*.txt'))[:{n}]
tasks = [_Task(str(f), 'auto', 5 << 20) for f in files]
_extract(tasks[0])
t = time.perf_counter()
for task in tasks[:300]:
    _extract(task)
one = min(300, len(tasks)) / (time.perf_counter() - t)
with ProcessPoolExecutor(2) as ex:
    list(ex.map(_extract, tasks[:4]))
    t = time.perf_counter()
    out = list(ex.map(_extract, tasks, chunksize=8))
    two = len(tasks) / (time.perf_counter() - t)
words = sum(len(f.read_text(encoding='utf-8').split()) for f in files) / len(files)
triples = sum(o[0].stated.count('\\n') for o in out if o[0]) / len(out)
print(one, two, words, triples)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    one, two, words, triples = map(float, out)
    return {"one_core_per_s": round(one, 1), "two_processes_per_s": round(two, 1), "policies": n,
            "words_per_policy": round(words), "triples_per_policy": round(triples)}


def query_latency(store: Path, runs: int = 5, limit: float = 300.0, bar: float = 2.0,
                  kept: bool = False) -> dict[str, object]:
    """Per canned query, each in its own process: one warm-up run, then the median of
    ``runs`` runs. A query whose warm-up already takes more than 5 x ``bar`` seconds is
    reported with that single run (marked "1 run"): it misses the bar either way, and
    five more runs would only cost time. Over ``limit`` seconds it is killed.

    ``kept``: time what ``policykg query`` does on the store by default — read the
    answer the build kept (state check, parsing, conversion to rdflib terms); a query
    without a kept answer (a required parameter) is evaluated live, as there."""
    from policykg.queries import list_queries
    from policykg.store import Store

    # a required "vendor" parameter gets the store's middle policy; queries with other
    # required parameters (none today) are skipped
    idents = sorted(Store(store, create=False, read_only=True).policies())
    sample = {"vendor": idents[len(idents) // 2]}
    out: dict[str, object] = {}
    for q in list_queries():
        params = {p.name: sample[p.name] for p in q.unbound if p.name in sample}
        if any(p.name not in params for p in q.unbound):
            continue
        code = f"""
import json, statistics, time
from policykg import answers
from policykg.queries import find_query
from policykg.store import Store
s = Store({str(store)!r}, create=False, read_only=True)
text = find_query({q.name!r}).bind({params!r})
def run():
    res = answers.lookup(s, text) if {kept} else None  # an empty answer is falsy: test for None
    return res if res is not None else s.query(text)
t = time.perf_counter(); res = run(); first = time.perf_counter() - t
if first > {5 * bar}:
    print(json.dumps([round(first, 3), len(res), "1 run"]))
else:
    times = []
    for _ in range({runs}):
        t = time.perf_counter(); res = run(); times.append(time.perf_counter() - t)
    print(json.dumps([round(statistics.median(times), 3), len(res)]))
"""
        try:
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  timeout=limit)
            out[q.name] = json.loads(done.stdout)
        except subprocess.TimeoutExpired:
            out[q.name] = [f"> {limit:.0f}", 0]
        print(f"  {q.name}: {out[q.name]}", file=sys.stderr)
    return out


def rdflib_comparison(store: Path, work: Path, runs: int = 3, limit: int = 60) -> dict[str, object]:
    """What a user of graph files gets: the store's N-Quads export loaded as
    ``policykg query`` loads files (one rdflib Graph plus the ontology), every
    canned query run ``runs`` times; one that exceeds ``limit`` seconds is
    stopped (SIGALRM; rdflib is pure Python) and recorded as such."""
    nq = work / "export.nq"
    subprocess.run([PK, "-q", "export", "--store", str(store), "-o", str(nq)], check=True)
    code = f"""
import json, resource, signal, statistics, time
from policykg.export import load_ontology
from policykg.loading import load_graph
from policykg.queries import list_queries, prepare
t = time.perf_counter()
g = load_graph([{str(nq)!r}]) + load_ontology()
load = time.perf_counter() - t
out = {{'load_s': round(load, 1), 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, 'queries': {{}}}}
def stop(*_):
    raise TimeoutError
signal.signal(signal.SIGALRM, stop)
for q in list_queries():
    if q.unbound:
        continue
    prepared = prepare(q.bind({{}}), q.name)
    times = []
    try:
        for _ in range({runs}):
            signal.alarm({limit})
            t = time.perf_counter(); n = len(g.query(prepared)); times.append(time.perf_counter() - t)
            signal.alarm(0)
        out['queries'][q.name] = [round(statistics.median(times), 3), n]
    except TimeoutError:
        out['queries'][q.name] = ['> {limit}', 0]
print(json.dumps(out))
"""
    res = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout)
    nq.unlink()
    return res


def pyshacl_sample(store: Path, n: int = 20) -> float:
    code = f"""
import time
from policykg.store import Store
from policykg.validation import load_shapes, validate
s = Store({str(store)!r}, create=False, read_only=True)
ids = sorted(s.policies())[:{n}]
shapes = load_shapes()
graphs = [s.policy_graph(i) for i in ids]
validate(graphs[0], shapes)
t = time.perf_counter()
for g in graphs:
    validate(g, shapes)
print((time.perf_counter() - t) / len(graphs))
"""
    return round(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                      check=True).stdout), 3)


def validation(store: Path, work: Path) -> dict[str, float]:
    """``policykg validate --store`` with the native engine (2 processes), report to a file."""
    return measure([PK, "-q", "validate", "--store", str(store), "-j", "2", "-f", "json",
                    "-o", str(work / "report.json"), "--fail-on", "none"])


def keep_answers(store: Path) -> dict[str, float]:
    """``policykg build`` on the unchanged corpus of a store that has no answers yet: no
    extraction, only the canned queries evaluated and their answers kept."""
    from policykg.answers import DIR

    shutil.rmtree(store / DIR, ignore_errors=True)
    corpus = store.with_name(store.name.replace("store-", "corpus-"))
    res = measure([PK, "-q", "build", str(corpus), "--store", str(store), "--no-progress"])
    res["answers_mb"] = round(du(store / DIR) / 2**20, 1)
    return res


CHANGE = ("\n\nRound {k}: we now use Zyxcorp AB to send newsletters. Your data is transferred to India. "
          "We keep support tickets for {months} months.\n")


def incremental(store: Path, changes: int = 10, check: bool = True) -> dict[str, object]:
    """``changes`` policies edited (a processor, a transfer, a retention period; spread
    over the corpus), then ``policykg build`` as a user runs it — extraction, versions,
    change sets, the kept answers — timed with its peak memory and the CPU time of the
    process tree (user + system: what the build costs whatever else the machine runs);
    then (``check``) every canned answer compared with a live evaluation (in a separate
    process, not timed)."""
    corpus = store.with_name(store.name.replace("store-", "corpus-"))
    files = sorted(corpus.glob("*.txt"))
    rounds = store / "bench-rounds"
    k = int(rounds.read_text()) + 1 if rounds.exists() else 1
    step = max(1, len(files) // changes)
    for f in files[::step][:changes]:
        with f.open("a", encoding="utf-8") as fh:
            fh.write(CHANGE.format(k=k, months=6 + k))
    rounds.write_text(str(k))
    cmd = [PK, "build", str(corpus), "--store", str(store), "-j", "2", "--no-progress"]
    peak = 0
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t = time.perf_counter()
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    summary = (proc.stderr.read() if proc.stderr else "").strip().splitlines()[-1]
    if proc.returncode:
        raise RuntimeError(f"build failed: {summary}")
    out: dict[str, object] = {"changed": changes, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                              "load": round(os.getloadavg()[0], 1), "peak_mb": peak // 2**20, "summary": summary,
                              "date": time.strftime("%Y-%m-%d %H:%M")}
    if not check:
        return out
    code = f"""
import json, time
from policykg import answers
from policykg.store import Store
s = Store({str(store)!r}, create=False, read_only=True)
equal, rows, t = 0, 0, time.perf_counter()
for name, text in answers.canned():
    kept, live = answers.answer_tsv(s, text), s.query_tsv(text)
    equal += kept is not None and kept == live
    rows += live.count(b"\\n") - 1
print(json.dumps([equal, len(answers.canned()), rows, round(time.perf_counter() - t, 1)]))
"""
    equal, total, rows, live_s = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                                           text=True, check=True).stdout)
    return out | {"answers_equal_live": f"{equal}/{total}", "rows": rows, "live_seconds": live_s}


def incremental_run(n: int, work: Path) -> dict[str, object]:
    """What keeping the answers in parts costs and gives, on a store of ``n`` policies
    (built here, without answers, if ``work`` has none): the first build that keeps the
    answers, every kept answer read, then a build that changes 10 policies."""
    corpus, store = work / f"corpus-{n}", work / f"store-{n}"
    if not corpus.exists() or len(list(corpus.glob("*.txt"))) != n:
        shutil.rmtree(corpus, ignore_errors=True)
        synth.write_corpus(corpus, n, seed=1)
    res: dict[str, object] = {"policies": n, "date": time.strftime("%Y-%m-%d")}
    if not store.exists():
        print(f"[{n}] build", file=sys.stderr)
        res["build"] = measure([PK, "-q", "build", str(corpus), "--store", str(store), "-j", "2",
                                "--no-progress", "--no-answers"])
    print(f"[{n}] first build that keeps the answers", file=sys.stderr)
    res["answers"] = keep_answers(store)
    print(f"[{n}] queries read from the kept answers", file=sys.stderr)
    res["queries_from_answers"] = query_latency(store, kept=True)
    print(f"[{n}] a build that changes 10 policies", file=sys.stderr)
    res["incremental"] = incremental(store)
    return res


def run_size(n: int, work: Path, rdflib_max: int, queries: bool = True) -> dict[str, object]:
    corpus = work / f"corpus-{n}"
    if not corpus.exists() or len(list(corpus.glob("*.txt"))) != n:
        shutil.rmtree(corpus, ignore_errors=True)
        synth.write_corpus(corpus, n, seed=1)
    store = work / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    result: dict[str, object] = {"policies": n}
    print(f"[{n}] extraction rate", file=sys.stderr)
    result["extraction"] = extraction_rate(corpus, min(n, 2000))
    print(f"[{n}] build", file=sys.stderr)
    result["build"] = measure([PK, "-q", "build", str(corpus), "--store", str(store), "-j", "2",
                               "--no-progress", "--no-answers"])
    result["build"]["policies_per_s"] = round(n / result["build"]["seconds"], 1)  # type: ignore[index]
    result["store_mb"] = round(du(store) / 2**20)
    result["rebuild_unchanged"] = measure([PK, "-q", "build", str(corpus), "--store", str(store),
                                           "--no-progress", "--no-answers"])
    if queries:
        print(f"[{n}] answers", file=sys.stderr)
        result["answers"] = keep_answers(store)
    print(f"[{n}] validate", file=sys.stderr)
    result["validate_native"] = validation(store, work)
    result["pyshacl_s_per_policy"] = pyshacl_sample(store)
    if queries:
        print(f"[{n}] queries", file=sys.stderr)
        result["queries"] = query_latency(store)  # live
        result["queries_from_answers"] = query_latency(store, kept=True)
    if n <= rdflib_max:
        print(f"[{n}] rdflib", file=sys.stderr)
        result["rdflib"] = rdflib_comparison(store, work)
    return result


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        mem_gb = f"{int(mem) / 2**20:.0f} GiB"
    except OSError:
        mem_gb = "unknown"
    import pyoxigraph
    import rdflib

    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem_gb, "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__, "os": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/policykg-bench"))
    ap.add_argument("--rdflib-max", type=int, default=1000, help="largest size also run through rdflib")
    ap.add_argument("--report", action="store_true", help="only rewrite docs/benchmarks.md from results/")
    ap.add_argument("--queries-only", action="store_true",
                    help="only re-measure the canned queries on the stores already in --work "
                         "(after a change to the queries), keeping the other results")
    ap.add_argument("--extraction-only", action="store_true",
                    help="only re-measure the extraction rate on the corpora already in --work "
                         "(after a change to the extractors), keeping the other results")
    ap.add_argument("--validation-only", action="store_true",
                    help="only re-measure `validate --store` (native) on the stores already in --work "
                         "(after a change to validation), keeping the other results")
    ap.add_argument("--incremental-only", action="store_true",
                    help="only measure a build that changes 10 policies, on the store already in --work "
                         "(built with its answers: run.py, or `policykg build` once more); keeps the other results")
    ap.add_argument("--incremental-rounds", type=int, metavar="K",
                    help="only time K builds that each change 10 policies, on the store already in --work "
                         "(every kept answer compared with a live evaluation after the last); results in "
                         "results/incremental-rounds/<N>-<label>.json. Run it with PYTHONPATH=<other tree>/src "
                         "to time another version of policykg on the same store, in the same sitting")
    ap.add_argument("--label", default="now", help="name of the code timed by --incremental-rounds")
    ap.add_argument("--no-check", action="store_true",
                    help="--incremental-rounds without comparing the kept answers with a live evaluation")
    ap.add_argument("--no-queries", action="store_true",
                    help="everything but the canned queries (e.g. at 100,000 policies, where each takes "
                         "minutes); query results of an earlier run of the size are kept")
    args = ap.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    if not args.report:
        args.work.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            out = RESULTS / f"{n}.json"
            if args.incremental_rounds:
                import policykg

                store = args.work / f"store-{n}"
                rounds = [incremental(store, check=k == args.incremental_rounds - 1 and not args.no_check)
                          for k in range(args.incremental_rounds)]
                res = {"policies": n, "label": args.label, "code": str(Path(policykg.__file__).parent),
                       "rounds": rounds, "machine": machine()}
                out = RESULTS / "incremental-rounds" / f"{n}-{args.label}.json"
                out.parent.mkdir(exist_ok=True)
                out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
                print(json.dumps(res, indent=1))
                continue
            if args.incremental_only:  # its own results file: the other results stay as they were
                inc = RESULTS / "incremental" / f"{n}.json"
                inc.parent.mkdir(exist_ok=True)
                res = incremental_run(n, args.work)
                res["machine"] = machine()
                inc.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
                print(json.dumps(res, indent=1))
                continue
            elif args.queries_only:  # keep the other results, re-measure the queries
                res = json.loads(out.read_text(encoding="utf-8"))
                res["answers"] = keep_answers(args.work / f"store-{n}")
                res["queries"] = query_latency(args.work / f"store-{n}")
                res["queries_from_answers"] = query_latency(args.work / f"store-{n}", kept=True)
                res["queries_date"] = time.strftime("%Y-%m-%d")
            elif args.validation_only:  # keep the other results, re-measure validation
                res = json.loads(out.read_text(encoding="utf-8"))
                res["validate_native"] = validation(args.work / f"store-{n}", args.work)
                res["validation_date"] = time.strftime("%Y-%m-%d")
            elif args.extraction_only:  # keep the other results, re-measure the extraction rate
                res = json.loads(out.read_text(encoding="utf-8"))
                res["extraction"] = extraction_rate(args.work / f"corpus-{n}", min(n, 2000))
                res["extraction_date"] = time.strftime("%Y-%m-%d")
            else:
                res = run_size(n, args.work, args.rdflib_max, queries=not args.no_queries)
                if args.no_queries and out.exists():
                    earlier = json.loads(out.read_text(encoding="utf-8"))
                    if "queries" in earlier:
                        for part in ("queries", "queries_from_answers", "answers"):
                            if part in earlier:
                                res[part] = earlier[part]
                        res["queries_date"] = earlier.get("queries_date", earlier["date"])
                        res["queries_kept"] = True  # the report says so, not "re-measured"
                res["machine"] = machine()
                res["date"] = time.strftime("%Y-%m-%d")
            out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
            print(json.dumps(res, indent=1))
    import report

    report.write(RESULTS, DOC)
    return 0


if __name__ == "__main__":
    sys.exit(main())
