#!/usr/bin/env python3
"""Each seed scenario's HTML report, opened in headless Chromium as a reviewer would open it.

For every seed: `archsim run --horizon 1h --format html` writes the page (and for ADR-0005 `archsim explore --horizon 1d` its search page); a copy of it (the page
itself has no script) gets a small script that records uncaught errors and console errors, and,
once the page has loaded, the rendered size of every chart and drawing (each `<svg>`). Chromium
loads the copy with --dump-dom; the test fails when the page logged an error, has no chart, or
draws any SVG with a zero width or height; and when the topology drawing's boxes lack the run's
figures (traffic, errors on their routes). A screenshot of each page is kept next to it in the
output folder (a CI artefact).

Exits 77 (CTest's SKIP_RETURN_CODE) when no Chromium is installed.

usage: report_in_chromium.py ARCHSIM OUT_DIR SCENARIO...
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

SKIP = 77

# Runs after the page has loaded: every <svg>'s box, and what went wrong, into a <pre> the
# test reads back from the dumped DOM.
PROBE = """<script>
(function () {
  var errors = [];
  window.addEventListener('error', function (e) { errors.push('uncaught: ' + e.message); });
  var original = console.error;
  console.error = function () { errors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
  window.addEventListener('load', function () {
    // A reviewer opens the collapsed sections: their charts must draw too.
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    var sizes = [];
    document.querySelectorAll('svg').forEach(function (svg, i) {
      var r = svg.getBoundingClientRect();
      var box = svg.getBBox();
      sizes.push({index: i, cls: svg.getAttribute('class') || (svg.parentNode && svg.parentNode.className) || '',
                  label: svg.getAttribute('aria-label') || '', width: r.width, height: r.height,
                  bbox_width: box.width, bbox_height: box.height});
    });
    var out = document.createElement('pre');
    out.id = 'archsim-probe';
    out.textContent = JSON.stringify({errors: errors, svgs: sizes});
    document.body.appendChild(out);
  });
})();
</script>
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browse(browser, args, timeout=60):
    base = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--disable-extensions",
            "--no-first-run", "--allow-file-access-from-files"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=timeout)


def probe_page(browser, html, probed):
    """The probe's findings for `html`: (errors, svgs), or None when the page did not load."""
    with open(probed, "w", encoding="utf-8") as f:
        f.write(html.replace("<head>", "<head>\n" + PROBE, 1))
    dom = browse(browser, ["--virtual-time-budget=5000", "--window-size=1200,900", "--dump-dom", "file://" + os.path.abspath(probed)])
    found = re.search(r'<pre id="archsim-probe">(.*?)</pre>', dom.stdout, re.S)
    if not found:
        return None
    probe = json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&"))
    return probe["errors"], probe["svgs"]


def zero_sized(svgs):
    return [s for s in svgs if s["width"] <= 0 or s["height"] <= 0 or s["bbox_width"] <= 0 or s["bbox_height"] <= 0]


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    archsim, out_dir, scenarios = sys.argv[1], sys.argv[2], sys.argv[3:]
    browser = chromium()
    if browser is None:
        print("report_in_chromium: no chromium installed; skipped")
        return SKIP
    os.makedirs(out_dir, exist_ok=True)
    failures = []
    # The probe must see what it is for: a script error, and an empty chart in a closed section.
    bad = ("<!DOCTYPE html><html><head><title>bad</title></head><body><script>undefined_call();</script>"
           "<details><summary>s</summary><svg class=\"chart\" viewBox=\"0 0 10 10\" width=\"0\"></svg></details></body></html>")
    seen = probe_page(browser, bad, os.path.join(out_dir, "probe-self-test.html"))
    if seen is None or not seen[0] or len(zero_sized(seen[1])) != 1:
        print(f"report_in_chromium: the probe did not catch a known error and an empty chart: {seen}")
        return 1
    started = time.monotonic()
    for scenario in scenarios:
        seed = os.path.splitext(os.path.basename(scenario))[0]
        page = os.path.join(out_dir, seed + ".html")
        run = subprocess.run([archsim, "run", scenario, "--horizon", "1h", "--format", "html", "-o", page],
                             capture_output=True, text=True, timeout=600)
        if run.returncode not in (0, 1) or not os.path.exists(page):
            failures.append(f"{seed}: archsim run exited {run.returncode}: {run.stderr.strip()[-500:]}")
            continue
        with open(page, encoding="utf-8") as f:
            html = f.read()
        if "<script" in html:
            failures.append(f"{seed}: the report carries a script; it must be a static page")
        # The chosen option's topology, drawn by Graphviz, carries the run's figures in its boxes.
        drawing = re.search(r'<svg width="[0-9.]+pt".*?</svg>', html, re.S)
        if drawing is None:
            failures.append(f"{seed}: no Graphviz drawing of the topology")
        elif not re.search(r"req/s|tasks avg", drawing.group(0)) or "errors on its routes<" not in drawing.group(0):
            failures.append(f"{seed}: the topology's boxes lack the run's traffic or route errors")
        seen = probe_page(browser, html, os.path.join(out_dir, seed + ".probe.html"))
        if seen is None:
            failures.append(f"{seed}: the page did not finish loading in Chromium")
            continue
        errors, svgs = seen
        failures += [f"{seed}: {error}" for error in errors]
        charts = [s for s in svgs if s["cls"] == "chart"]
        if not charts:
            failures.append(f"{seed}: no chart in the page")
        failures += [f"{seed}: svg #{s['index']} ({s['cls']} {s['label']}) has a zero size: {s}" for s in zero_sized(svgs)]
        print(f"{seed}: {len(svgs)} svg ({len(charts)} charts), {len(errors)} errors")
        shot = os.path.join(out_dir, seed + ".png")
        browse(browser, ["--window-size=1200,3000", "--screenshot=" + os.path.abspath(shot), "file://" + os.path.abspath(page)])
        if not os.path.exists(shot) or os.path.getsize(shot) == 0:
            failures.append(f"{seed}: no screenshot written")
    # The design-space search's page (docs/explore.md): its two scatter charts drawn with a size.
    for scenario in [s for s in scenarios if os.path.basename(s) == "adr0005.yaml"]:
        page = os.path.join(out_dir, "adr0005-explore.html")
        run = subprocess.run([archsim, "explore", scenario, "--horizon", "1d", "--format", "html", "-o", page],
                             capture_output=True, text=True, timeout=900)
        if run.returncode not in (0, 1) or not os.path.exists(page):
            failures.append(f"explore: archsim explore exited {run.returncode}: {run.stderr.strip()[-500:]}")
            continue
        with open(page, encoding="utf-8") as f:
            seen = probe_page(browser, f.read(), os.path.join(out_dir, "adr0005-explore.probe.html"))
        if seen is None:
            failures.append("explore: the page did not finish loading in Chromium")
            continue
        errors, svgs = seen
        failures += [f"explore: {error}" for error in errors]
        charts = [s for s in svgs if s["cls"] == "chart"]
        if len(charts) < 2:
            failures.append(f"explore: {len(charts)} charts, expected cost against availability and against p99")
        failures += [f"explore: svg #{s['index']} ({s['cls']} {s['label']}) has a zero size: {s}" for s in zero_sized(svgs)]
        print(f"explore: {len(svgs)} svg ({len(charts)} charts), {len(errors)} errors")
        browse(browser, ["--window-size=1200,3000", "--screenshot=" + os.path.abspath(os.path.join(out_dir, "adr0005-explore.png")),
                         "file://" + os.path.abspath(page)])
    print(f"report_in_chromium: {len(scenarios)} pages in {time.monotonic() - started:.1f} s; screenshots in {out_dir}")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
