"""Benchmark a cold `reportgen build` of the demo against a bare WeasyPrint render.

Run: python bench/bench_build.py [--runs N]

The build is the demo's: region R07's latest wave from a portfolio database holding the two
example waves. Both sides are cold processes measured in the same run on the same machine: the
build (load, score, benchmark, charts, HTML, PDF) and a process that only imports WeasyPrint
and renders the build's own final HTML to PDF. Prints medians, their ratio (target: at most
1.5) and the median time of each pipeline stage.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from _demo import CLI, INPUTS, REPO, demo_db, runs_option, timed

# The bare side does the same PDF work as the build: tagged PDF/UA-1 output.
BARE = """
import sys, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[3]).write_pdf(
    sys.argv[2], pdf_tags=True, pdf_variant="pdf/ua-1")
"""


def main() -> None:
    runs = runs_option(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        db = demo_db(out / "bench.db")
        build = [*CLI, "build", "--db", str(db), "--region", "R07", "--cases",
                 str(INPUTS / "cases.yaml"), "--synthetic", "--out", str(out), "--force",
                 "--html", "--timings"]
        html = out / "R07-2026-stresstest-report.html"
        bare = [sys.executable, "-c", BARE, str(html), str(out / "bare.pdf"),
                str(REPO / "templates") + "/"]
        timed(build)  # warm the OS file cache and matplotlib's font cache once
        builds, bares, stages = [], [], {}
        for _ in range(runs):  # interleaved, so drift affects both sides alike
            seconds, stdout = timed(build)
            builds.append(seconds)
            for line in stdout.splitlines():
                if line.startswith("timing "):
                    _, stage, value, _unit = line.split()
                    stages.setdefault(stage, []).append(float(value))
            bares.append(timed(bare)[0])
        pages = html.read_text(encoding="utf-8").count("<img ")
    b, w = statistics.median(builds), statistics.median(bares)
    print(f"runs: {runs}, charts in the report: {pages}")
    print(f"cold reportgen build   median {b:6.2f} s  "
          f"(min {min(builds):.2f}, max {max(builds):.2f})")
    print(f"cold bare WeasyPrint   median {w:6.2f} s  (min {min(bares):.2f}, max {max(bares):.2f})")
    print(f"ratio build / bare     {b / w:6.2f}   (target <= 1.50)")
    print("median time per stage (inside the build process):")
    for stage, values in stages.items():
        print(f"  {stage:<10} {statistics.median(values):6.3f} s")


if __name__ == "__main__":
    main()
