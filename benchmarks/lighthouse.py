"""Lighthouse scores of one page of every kind, in both languages.

Builds the site into a temporary folder, serves it on 127.0.0.1 from a thread,
and runs Lighthouse 12 (mobile preset, simulated throttling) over the home page,
a text chapter, a chapter with figures, one with a step-through figure, one with
graph diagrams, the chapter with the most math, the glossary and the
linear-regression lab (a notebook page), in English and in zh-TW. Prints one
row per page with the four category scores, the bytes transferred and the ids
of the audits that fail, and checks the budgets below.

The server gzips text the way GitHub Pages does, so transfer sizes are what a
reader downloads; ``--no-gzip`` measures the raw files instead.

    make lighthouse                  # or: cd benchmarks && npm ci, then the line below
    python benchmarks/lighthouse.py [--runs N] [--only SLUG] [--site DIR]

Needs Chromium (CHROME_PATH, default /usr/bin/chromium) and Node 20+. The JSON
reports are kept in benchmarks/results/lighthouse/ (git-ignored).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
RESULTS = BENCH / "results" / "lighthouse"
BIN = Path(sys.executable).parent

#: One page of every kind: (slug in the URL, what kind of page it is).
PAGES: tuple[tuple[str, str], ...] = (
    ("", "home"),
    ("pitfalls/", "text chapter"),
    ("linear-regression/", "figures"),
    ("backward-pass/", "step-through figure"),
    ("autograd-from-scratch/", "diagrams"),
    ("loss-functions/", "most math"),
    ("glossary/", "glossary"),
    ("labs/linear-regression/", "notebook page"),
)
#: URL prefix of each language (mkdocs-static-i18n, suffix layout).
LANGUAGES: tuple[tuple[str, str], ...] = (("en", ""), ("zh-TW", "zh-TW/"))
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Lowest acceptable score (0-100) per category.
BUDGET = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
#: Most bytes a text chapter may transfer.
TEXT_CHAPTER_BUDGET_KB = 500
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser asks for it, as GitHub Pages serves them."""

    gzip_enabled = True

    def log_message(self, format: str, *args: object) -> None:
        """Keep the table readable: no line per request."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash URL
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.gzip_enabled and wants_gzip and path.is_file()) or not ctype.startswith(
            GZIP_TYPES
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@dataclass
class Row:
    """One page in one language: median scores over the runs, and what failed."""

    slug: str
    kind: str
    lang: str
    scores: dict[str, int]
    transfer_kb: float
    failing: list[str]
    diagnostics: list[str] = field(default_factory=list)
    errored: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)

    def misses(self) -> list[str]:
        """Budgets this page does not meet, as short labels."""
        out = [
            f"{cat} {self.scores[cat]} < {low}"
            for cat, low in BUDGET.items()
            if self.scores[cat] < low
        ]
        if self.kind == "text chapter" and self.transfer_kb > TEXT_CHAPTER_BUDGET_KB:
            out.append(f"transfer {self.transfer_kb:.0f} KB > {TEXT_CHAPTER_BUDGET_KB} KB")
        if self.other_hosts:
            out.append("requests to " + ", ".join(self.other_hosts))
        return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_site(site: Path, base_url: str, config: Path | None) -> None:
    """mkdocs build --strict, with canonical URLs pointing at the local server."""
    env = dict(os.environ, SITE_URL=base_url, NO_MKDOCS_2_WARNING="1", TMPDIR=str(site.parent))
    done = subprocess.run(
        [
            str(BIN / "mkdocs"),
            "build",
            "--strict",
            "--site-dir",
            str(site),
            *(["--config-file", str(config)] if config else []),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"mkdocs build --strict failed:\n{done.stderr[-4000:]}")


def serve(site: Path, port: int, use_gzip: bool) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(GzipHandler, directory=str(site))
    GzipHandler.gzip_enabled = use_gzip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_lighthouse(url: str, out: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("CHROME_PATH", "/usr/bin/chromium")
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.exists():
        sys.exit(f"lighthouse failed on {url}:\n{done.stderr[-4000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        sys.exit(f"lighthouse could not load {url}: {report['runtimeError']}")
    return report


def failing_audits(report: dict) -> tuple[list[str], list[str], list[str]]:
    """Audits of the four categories that fail, in three lists.

    * scored: they carry weight in a category score (a failed binary audit, or
      a performance metric scoring under 0.9) — these cost points;
    * diagnostics: weight 0 in the score, but under 0.9 (performance
      opportunities, hidden accessibility checks) — worth reading, cost nothing;
    * errored: Lighthouse could not run them, so they neither pass nor fail.
    """
    scored: list[str] = []
    diagnostics: list[str] = []
    errored: list[str] = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            mode = audit["scoreDisplayMode"]
            if mode == "error":
                errored.append(ref["id"])
            elif mode in ("manual", "notApplicable", "informative") or audit["score"] is None:
                continue
            elif audit["score"] < 0.9:
                (scored if ref.get("weight", 0) > 0 else diagnostics).append(ref["id"])
    return scored, diagnostics, errored


def foreign_hosts(report: dict, origin: str) -> list[str]:
    items = report["audits"]["network-requests"].get("details", {}).get("items", [])
    hosts = {
        urlsplit(item["url"]).netloc
        for item in items
        if item["url"].startswith(("http:", "https:")) and not item["url"].startswith(origin)
    }
    return sorted(hosts)


def summarize(slug: str, kind: str, lang: str, reports: list[dict]) -> Row:
    """One row from the runs of one page: median scores, every audit that failed once."""
    scores = {
        cat: round(100 * statistics.median(r["categories"][cat]["score"] or 0 for r in reports))
        for cat in CATEGORIES
    }
    transfer = statistics.median(r["audits"]["total-byte-weight"]["numericValue"] for r in reports)
    failing: list[str] = []
    diagnostics: list[str] = []
    errored: list[str] = []
    for report in reports:
        lists = (failing, diagnostics, errored)
        for found, into in zip(failing_audits(report), lists, strict=True):
            into += [a for a in found if a not in into]
    hosts: set[str] = set()
    for report in reports:
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(report["requestedUrl"]))
        hosts |= set(foreign_hosts(report, origin))
    return Row(
        slug, kind, lang, scores, transfer / 1024, failing, diagnostics, errored, sorted(hosts)
    )


def report_name(lang: str, slug: str) -> str:
    return f"{lang}-{slug.strip('/').replace('/', '-') or 'index'}"


def measure(base_url: str, runs: int, pages: tuple[tuple[str, str], ...]) -> list[Row]:
    """Run Lighthouse *runs* times on each page; the JSON reports go to RESULTS."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    for old in RESULTS.glob("*.json"):
        old.unlink()
    rows: list[Row] = []
    for lang, prefix in LANGUAGES:
        for slug, kind in pages:
            url = base_url + prefix + slug
            name = report_name(lang, slug)
            reports = [run_lighthouse(url, RESULTS / f"{name}-{i}.json") for i in range(runs)]
            rows.append(summarize(slug, kind, lang, reports))
            print(f"  measured {url}", file=sys.stderr, flush=True)
    return rows


def load_reports(folder: Path, pages: tuple[tuple[str, str], ...]) -> list[Row]:
    """Rows from reports saved by an earlier run (the files measure() writes)."""
    rows: list[Row] = []
    for lang, _ in LANGUAGES:
        for slug, kind in pages:
            files = sorted(folder.glob(f"{report_name(lang, slug)}-*.json"))
            if files:
                reports = [json.loads(f.read_text(encoding="utf-8")) for f in files]
                rows.append(summarize(slug, kind, lang, reports))
    if not rows:
        sys.exit(f"no Lighthouse reports in {folder}")
    return rows


def print_table(rows: list[Row]) -> bool:
    """The table, then the budget verdict; True when every budget is met."""
    header = f"{'page':<20} {'lang':<6} {'Perf':>4} {'A11y':>4} {'BP':>4} {'SEO':>4} {'KB':>6}"
    print(header + "  failing audits that cost points")
    print("-" * (len(header) + 16))
    for row in rows:
        page = (row.slug.strip("/") or "index")[:20]
        s = row.scores
        cells = (
            f"{page:<20} {row.lang:<6} {s['performance']:>4} {s['accessibility']:>4} "
            f"{s['best-practices']:>4} {s['seo']:>4} {row.transfer_kb:>6.0f}"
        )
        print(cells + "  " + (", ".join(row.failing) or "-"))
    print("\ndiagnostics under 0.9 (no weight in the score):")
    for row in rows:
        page = row.slug.strip("/") or "index"
        print(f"  {page} ({row.lang}): " + (", ".join(row.diagnostics) or "-"))
    errored = sorted({a for row in rows for a in row.errored})
    if errored:
        print("audits Lighthouse could not run (neither pass nor fail): " + ", ".join(errored))
    print(
        f"\nbudgets: Performance >= {BUDGET['performance']}, Accessibility "
        f"{BUDGET['accessibility']}, Best Practices {BUDGET['best-practices']}, "
        f"SEO {BUDGET['seo']}, text chapter <= {TEXT_CHAPTER_BUDGET_KB} KB, no other host"
    )
    ok = True
    for row in rows:
        misses = row.misses()
        if misses:
            ok = False
            page = row.slug.strip("/") or "index"
            print(f"  MISSED {page} ({row.lang}): " + "; ".join(misses))
    print("all budgets met" if ok else "some budgets missed")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--only", action="append", help="measure only this slug (repeatable)")
    parser.add_argument("--site", type=Path, help="serve this built site instead of building")
    parser.add_argument("--config", type=Path, help="build with this mkdocs.yml instead")
    parser.add_argument("--no-gzip", action="store_true", help="serve files uncompressed")
    parser.add_argument(
        "--reports", type=Path, help="print the table of reports saved earlier, run nothing"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    if args.reports is not None:
        sys.exit(0 if print_table(load_reports(args.reports, PAGES)) else 1)
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` in {BENCH}")
    pages = PAGES
    if args.only:
        wanted = {s.strip("/") for s in args.only}
        pages = tuple(p for p in PAGES if (p[0].strip("/") or "index") in wanted)
        if not pages:
            known = ", ".join(p[0].strip("/") or "index" for p in PAGES)
            parser.error(f"--only takes one of: {known}; got {sorted(wanted)}")

    load_before = os.getloadavg()[0]
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/"
    tmp = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        site = args.site
        if site is None:
            site = tmp / "site"
            build_site(site, base_url, args.config)
        server = serve(site, port, use_gzip=not args.no_gzip)
        try:
            rows = measure(base_url, args.runs, pages)
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ok = print_table(rows)
    # Simulated throttling scales the CPU time it observes: a busy machine lowers
    # the Performance score (TBT above all), so say how busy this one was.
    print(
        f"host: {os.cpu_count()} CPUs, load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
