"""Measure the service under load: gunicorn, PostgreSQL, wrk, all on loopback.

Starts the service under gunicorn (2 workers) on a PostgreSQL store holding a
50,000-term glossary, drives it with wrk, and prints, measured in this one
run, req/s and p50/p99 latency for a cached article page, the term index and
POST /api/annotate of a ~5 KB article (and of one dense with terms, the
worst case), against the floor: a minimal Flask endpoint under the same
gunicorn settings that only renders the same Markdown. Then a 60-second
run with terms.yaml changed and synced every 5 s, counting errors and
mixed responses, and the workers' memory.

    python bench/http.py [--terms 50000] [--duration 4] [--rounds 5] [--churn 60]

Needs wrk (Debian: apt-get install wrk) and a PostgreSQL server: the URL in
GLOSSARY_TEST_DATABASE_URL, else .ci/postgres starts one.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's name would shadow the standard library's http package, which
# urllib needs: keep its folder after the standard library on the path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import sqlalchemy
from annotate import make_article, make_dense_article, make_terms, write_terms

from glossary import annotate_markdown, load_glossary
from glossary.render import MARKDOWN_EXTENSIONS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GUNICORN = [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync", "--log-level", "warning"]
FLOOR = '''
from pathlib import Path

import markdown
from flask import Flask

TEXT = Path({path!r}).read_text(encoding="utf-8")
DENSE = Path({dense!r}).read_text(encoding="utf-8")
BIG = Path({big!r}).read_text(encoding="utf-8")
EXTENSIONS = {extensions!r}
app = Flask(__name__)


@app.get("/floor")
def floor():
    return "<!doctype html><html><body><main>" + markdown.markdown(TEXT) + "</main></body></html>"


@app.get("/floor-site")
def floor_site():
    return ("<!doctype html><html><body><main>" + markdown.markdown(TEXT, extensions=list(EXTENSIONS))
            + "</main></body></html>")


@app.get("/floor-dense")
def floor_dense():
    return ("<!doctype html><html><body><main>" + markdown.markdown(DENSE, extensions=list(EXTENSIONS))
            + "</main></body></html>")


@app.get("/floor-big")
def floor_big():
    return ("<!doctype html><html><body><main>" + markdown.markdown(BIG, extensions=list(EXTENSIONS))
            + "</main></body></html>")
'''
WRK_POST = '''
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = {body}
'''
# Each request a different article (a numbered paragraph added), so no
# answer comes from the cache: the cost of annotating itself. The requests
# are formatted once, at start: formatting 5 KB in Lua for every request
# would take CPU from the server it measures (wrk shares the two cores),
# which the floor's plain GET does not. Each thread cycles through POOL
# articles of its own, far more than a worker's answer cache holds.
WRK_POST_DISTINCT = '''
local requests, count, next_one = {}, 0, 0
init = function(args)
  -- each thread numbers from its own start: no two threads send the same article
  local base = tonumber(tostring({}):match("0x(%x+)"), 16) % 1000000000 * 10000
  for k = 1, {pool} do
    requests[k] = wrk.format("POST", nil, {["Content-Type"] = "application/json"}, string.format({body}, base + k))
  end
  count = {pool}
end
request = function()
  next_one = next_one % count + 1
  return requests[next_one]
end
'''
POOL = 4000
TARGET = 0.8
# The floor renders the Markdown as the service does: with the site's
# extensions (tables, footnotes, fenced code), else a table or a footnote
# would not render; the floor without them is shown too.
FLOOR_SITE = "floor: render the Markdown"
FLOOR_PLAIN = "  floor without extensions"
# What an authoring tool sends: a draft it has not sent before, in the default mode.
ANNOTATE = "POST /api/annotate, new 5 KB"
ANNOTATE_ALL = "  the same, mode 'all'"
# The worst case: an explainer dense with terms (bench/annotate.py's dense
# articles, ~8 bold terms and ~30 mentions per 1,000 characters), against
# the floor rendering that article.
FLOOR_DENSE = "floor: render a dense 5 KB article"
ANNOTATE_DENSE = "POST /api/annotate, new dense 5 KB"
ANNOTATE_DENSE_ALL = "  the same, mode 'all'  "
# Issue 17: a repeated identical request answered from the answer cache at
# least this many times faster than the first; a long article annotated
# within this many times the floor's rendering of it.
REPEAT_TARGET = 10
BIG_TARGET = 2.0
BIG_BYTES = 1_500_000
MARKER = re.compile(r"修订(\d+)号")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database(base: str) -> str:
    """Create a fresh database next to the test database; return its URL."""
    url = sqlalchemy.engine.make_url(base)
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text("DROP DATABASE IF EXISTS glossary_bench WITH (FORCE)"))
        connection.execute(sqlalchemy.text("CREATE DATABASE glossary_bench"))
    admin.dispose()
    return url.set(database="glossary_bench").render_as_string(hide_password=False)


def serve(args: list[str], env: dict, port: int, cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", *args], env=env, cwd=cwd,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start on port {port}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(30)


def wrk(url: str, seconds: int, script: Path | None = None, connections: int = 8) -> dict:
    """Run wrk; return req/s, p50 and p99 in ms, and errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {"rps": rate, "p50": latency(out, "50%"), "p99": latency(out, "99%"), "errors": errors}


def median_run(runs: list[dict]) -> dict:
    """Return the run with the median req/s, its errors the sum over all runs."""
    middle = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    return {**middle, "errors": sum(r["errors"] for r in runs)}


def latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def worker_rss_mb(master: int, field: str = "VmRSS") -> list[float]:
    """Return each worker's resident memory in MB (VmHWM: its peak so far)."""
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def write_revision(path: Path, terms, marked: set[str], revision: int) -> None:
    """Write terms.yaml whose `marked` terms' definitions carry the number `revision`.

    A page that mixes two glossaries then shows two numbers.
    """
    write_terms(path, terms, lambda term_id, word: f"{word}的定义，修订{revision}号。" if term_id in marked else None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--duration", type=int, default=4, help="seconds of wrk per endpoint and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds taking turns over the endpoints")
    parser.add_argument("--churn", type=int, default=60, help="seconds of load while syncing every 5 s")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    base = os.environ.get("GLOSSARY_TEST_DATABASE_URL") or subprocess.run(
        [str(ROOT / ".ci" / "postgres")], capture_output=True, text=True, check=True).stdout.strip()
    url = database(base)
    rng = random.Random(args.seed)
    terms = make_terms(rng, args.terms)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "articles").mkdir()
        text = make_article(rng, terms, 5_000)
        # Served in 'all' mode: every mention annotated, its definition listed.
        article = text.replace("title: 基准文章", "title: 基准文章\nslug: bench\nglossary: all")
        (root / "articles" / "bench.md").write_text(article, encoding="utf-8")
        body = text.split("---\n", 2)[2]
        (root / "body.md").write_text(body, encoding="utf-8")
        write_terms(root / "terms.yaml", terms)
        shown = annotate_markdown(text, load_glossary(root / "terms.yaml"), mode="all").terms
        marked = {t.id for t in shown}
        write_revision(root / "terms.yaml", terms, marked, 0)
        env = {**os.environ, "GLOSSARY_DATABASE_URL": url, "GLOSSARY_TERMS": str(root / "terms.yaml"),
               "GLOSSARY_ARTICLES": str(root / "articles"), "PYTHONPATH": str(ROOT),
               # As in production: servers follow `glossary sync`, not the file.
               "GLOSSARY_WATCH_TERMS": "0",
               # The long article (1.5 MB) is above the defaults' size and time limits.
               "GLOSSARY_ANNOTATE_MAX_CHARS": "0", "GLOSSARY_API_MAX_BODY": str(8 * BIG_BYTES),
               "GLOSSARY_ANNOTATE_TIMEOUT": "300"}
        cli = [str(BIN / "glossary")]
        started = time.monotonic()
        subprocess.run([*cli, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*cli, "sync"], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"store: {args.terms} terms synced into PostgreSQL in {time.monotonic() - started:.1f} s")
        big = make_article(rng, terms, BIG_BYTES).split("---\n", 2)[2]
        (root / "big.md").write_text(big, encoding="utf-8")
        # Drawn after the others, which stay the articles earlier runs measured.
        dense = make_dense_article(rng, terms, 5_000).split("---\n", 2)[2]
        (root / "dense.md").write_text(dense, encoding="utf-8")
        (root / "floor.py").write_text(FLOOR.format(path=str(root / "body.md"), dense=str(root / "dense.md"),
                                                    big=str(root / "big.md"), extensions=MARKDOWN_EXTENSIONS),
                                       encoding="utf-8")
        request = json.dumps({"markdown": body, "mode": "all"})
        (root / "annotate.lua").write_text(WRK_POST.format(body=json.dumps(request)), encoding="utf-8")
        for name, text, mode in (("distinct", body, {}), ("distinct-all", body, {"mode": "all"}),
                                 ("dense", dense, {}), ("dense-all", dense, {"mode": "all"})):
            numbered = json.dumps({"markdown": text.replace("%", "%%") + "\n第%d段。\n", **mode})
            script = WRK_POST_DISTINCT.replace("{body}", json.dumps(numbered)).replace("{pool}", str(POOL))
            (root / f"{name}.lua").write_text(script, encoding="utf-8")
        app_port, floor_port = free_port(), free_port()
        service = serve(["wsgi:app"], env, app_port, ROOT)
        floor = serve(["floor:app"], {**os.environ}, floor_port, root)
        try:
            site = f"http://127.0.0.1:{app_port}"
            for path in ("/articles/bench", "/terms", "/terms", "/articles/bench"):
                urllib.request.urlopen(site + path, timeout=120).read()  # load the glossary, fill caches
            endpoints = (
                (FLOOR_SITE, f"http://127.0.0.1:{floor_port}/floor-site", None),
                (FLOOR_PLAIN, f"http://127.0.0.1:{floor_port}/floor", None),
                ("article page (cached)", site + "/articles/bench", None),
                ("term index", site + "/terms", None),
                (ANNOTATE, site + "/api/annotate", root / "distinct.lua"),
                (ANNOTATE_ALL, site + "/api/annotate", root / "distinct-all.lua"),
                ("  one article again, mode 'all'", site + "/api/annotate", root / "annotate.lua"),
                (FLOOR_DENSE, f"http://127.0.0.1:{floor_port}/floor-dense", None),
                (ANNOTATE_DENSE, site + "/api/annotate", root / "dense.lua"),
                (ANNOTATE_DENSE_ALL, site + "/api/annotate", root / "dense-all.lua"),
            )
            for _, target, script in endpoints:
                wrk(target, 2, script)  # warm-up
            # Rounds taking turns, the median of each endpoint: on a shared
            # 2-core machine one window of a few seconds can be much slower
            # than the next, which would skew a single ratio.
            rounds: dict[str, list[dict]] = {name: [] for name, _, _ in endpoints}
            for _ in range(args.rounds):
                for name, target, script in endpoints:
                    rounds[name].append(wrk(target, args.duration, script))
            results = {name: median_run(runs) for name, runs in rounds.items()}
            floor_rps, plain_rps = results[FLOOR_SITE]["rps"], results[FLOOR_PLAIN]["rps"]
            print(f"\n{args.rounds} rounds of {args.duration} s each; the median round per endpoint")
            print(f"{'endpoint':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs floor':>9}"
                  f" {'vs plain':>9}   req/s of each round")
            for name, r in results.items():
                print(f"{name:32} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:7d} "
                      f"{r['rps'] / floor_rps:8.0%} {r['rps'] / plain_rps:9.0%}   "
                      f"{' '.join(str(round(x['rps'])) for x in rounds[name])}")
            dense_rps = results[FLOOR_DENSE]["rps"]
            print(f"the dense article against its own floor: default mode "
                  f"{results[ANNOTATE_DENSE]['rps'] / dense_rps:.0%}, mode 'all' "
                  f"{results[ANNOTATE_DENSE_ALL]['rps'] / dense_rps:.0%} (target >= {TARGET:.0%})")
            failures = [f"{name} {results[name]['rps'] / floor_rps:.0%} < {TARGET:.0%}"
                        for name in ("article page (cached)", ANNOTATE, ANNOTATE_ALL)
                        if results[name]["rps"] / floor_rps < TARGET]
            failures += [f"{name.strip()} (dense) {results[name]['rps'] / dense_rps:.0%} < {TARGET:.0%}"
                         for name in (ANNOTATE_DENSE, ANNOTATE_DENSE_ALL)
                         if results[name]["rps"] / dense_rps < TARGET]
            failures += long_article(site, f"http://127.0.0.1:{floor_port}/floor-big", root / "big.md")
            loaded, loaded_peaks = worker_rss_mb(service.pid), worker_rss_mb(service.pid, "VmHWM")
            failures += churn(site, root, env, cli, args.churn, lambda r: write_revision(
                root / "terms.yaml", terms, marked, r))
            sizes, peaks = worker_rss_mb(service.pid), worker_rss_mb(service.pid, "VmHWM")
            print(f"\nworker memory after the load runs: {', '.join(f'{s:.0f} MB' for s in loaded)} RSS; "
                  f"after the churn's reloads: {', '.join(f'{s:.0f} MB' for s in sizes)} RSS (target <= 200 MB)\n"
                  f"peak RSS (VmHWM) before the churn: {', '.join(f'{s:.0f} MB' for s in loaded_peaks)}; "
                  f"after it: {', '.join(f'{s:.0f} MB' for s in peaks)}")
            if max(sizes) > 200:
                failures.append(f"worker memory {max(sizes):.0f} MB > 200 MB")
        finally:
            stop(service)
            stop(floor)
    print("\nall targets met" if not failures else "\nmissed: " + "; ".join(failures))
    return 0


def timed(request: urllib.request.Request | str) -> float:
    """Return the seconds one request takes, its answer read to the end."""
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as answer:
        answer.read()
    return time.perf_counter() - started


def long_article(site: str, floor_big: str, path: Path) -> list[str]:
    """Time a 1.5 MB article through POST /api/annotate, first and repeated, against the floor; return misses."""
    text = path.read_text(encoding="utf-8")
    # Three articles the service has not seen (a numbered paragraph added),
    # each timed once: one request is too few on a shared machine.
    bodies = [json.dumps({"markdown": f"{text}\n\n第{n}段。\n", "mode": "all"}).encode() for n in range(3)]
    body = bodies[0]

    def post(data: bytes = body) -> urllib.request.Request:
        return urllib.request.Request(site + "/api/annotate", data=data, headers={"Content-Type": "application/json"})

    floor = sorted(timed(floor_big) for _ in range(3))[1]
    news = [timed(post(data)) for data in bodies]
    first = sorted(news)[1]
    again = sorted(timed(post()) for _ in range(3))[1]
    print(f"\nlong article ({len(body) / 1e6:.1f} MB of JSON, mode 'all'): floor renders it in {floor:.2f} s; "
          f"POST /api/annotate of a new one {first:.2f} s (median of {', '.join(f'{t:.2f}' for t in news)} s, "
          f"in turn; the worst {max(news) / floor:.2f}x) = {first / floor:.2f}x the floor "
          f"(target <= {BIG_TARGET}x); "
          f"the same again {again * 1000:.0f} ms = {first / again:.0f}x faster (target >= {REPEAT_TARGET}x)")
    misses = []
    if first / floor > BIG_TARGET:
        misses.append(f"long article {first / floor:.2f}x the floor > {BIG_TARGET}x")
    if first / again < REPEAT_TARGET:
        misses.append(f"long article repeated only {first / again:.1f}x faster < {REPEAT_TARGET}x")
    return misses


def churn(site: str, root: Path, env: dict, cli: list[str], seconds: int, revise) -> list[str]:
    """Load the article page while terms.yaml changes and is synced every 5 s; count errors and mixed pages."""
    stop_at = time.monotonic() + seconds
    checked, mixed, failed, seen = 0, 0, 0, set()

    def check():
        nonlocal checked, mixed, failed
        while time.monotonic() < stop_at:
            try:
                page = urllib.request.urlopen(site + "/articles/bench", timeout=30).read().decode()
            except OSError:
                failed += 1
                continue
            revisions = set(MARKER.findall(page))
            checked += 1
            seen.update(revisions)
            mixed += len(revisions) > 1

    checkers = [threading.Thread(target=check) for _ in range(2)]
    for thread in checkers:
        thread.start()
    load = subprocess.Popen(["wrk", "-t1", "-c4", f"-d{seconds}s", site + "/articles/bench"],
                            stdout=subprocess.PIPE, text=True)
    syncs, revision = 0, 0
    while time.monotonic() < stop_at - 5:
        time.sleep(5)
        revision += 1
        revise(revision)
        subprocess.run([*cli, "sync"], env=env, check=True, stdout=subprocess.DEVNULL)
        syncs += 1
    out = load.communicate()[0]
    for thread in checkers:
        thread.join()
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    requests = int(m.group(1)) if (m := re.search(r"(\d+) requests in", out)) else 0
    print(f"\nchurn: {seconds} s, {syncs} syncs of a changed terms.yaml; wrk {requests} requests, {errors} errors; "
          f"checker {checked} pages, {failed} failed, {mixed} mixed; revisions served: {sorted(seen, key=int)}")
    problems = []
    if errors or failed:
        problems.append(f"{errors + failed} errors under churn")
    if mixed:
        problems.append(f"{mixed} mixed responses under churn")
    if len(seen) < 2:
        problems.append("the served glossary never changed under churn")
    return problems


if __name__ == "__main__":
    sys.exit(main())
