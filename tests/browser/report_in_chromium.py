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


def check_drawing(name, html, failures):
    """A run page: the chosen option's topology, drawn by Graphviz, carries the run's figures."""
    drawing = re.search(r'<svg width="[0-9.]+pt".*?</svg>', html, re.S)
    if drawing is None:
        failures.append(f"{name}: no Graphviz drawing of the topology")
    elif not re.search(r"req/s|tasks avg", drawing.group(0)) or "errors on its routes<" not in drawing.group(0):
        failures.append(f"{name}: the topology's boxes lack the run's traffic or route errors")


def check_page(browser, archsim, command, name, out_dir, min_charts, failures, extra=None, timeout=600):
    """`archsim COMMAND --format html` writes NAME.html; Chromium loads it and must see no error,
    at least MIN_CHARTS charts and no chart or drawing of zero size; a screenshot is kept."""
    page = os.path.join(out_dir, name + ".html")
    run = subprocess.run([archsim] + command + ["--format", "html", "-o", page], capture_output=True, text=True, timeout=timeout)
    if run.returncode not in (0, 1) or not os.path.exists(page):
        failures.append(f"{name}: archsim {command[0]} exited {run.returncode}: {run.stderr.strip()[-500:]}")
        return
    with open(page, encoding="utf-8") as f:
        html = f.read()
    if "<script" in html:
        failures.append(f"{name}: the report carries a script; it must be a static page")
    if extra is not None:
        extra(name, html, failures)
    seen = probe_page(browser, html, os.path.join(out_dir, name + ".probe.html"))
    if seen is None:
        failures.append(f"{name}: the page did not finish loading in Chromium")
        return
    errors, svgs = seen
    failures += [f"{name}: {error}" for error in errors]
    charts = [s for s in svgs if s["cls"] == "chart"]
    if len(charts) < min_charts:
        failures.append(f"{name}: {len(charts)} chart(s) in the page, expected at least {min_charts}")
    failures += [f"{name}: svg #{s['index']} ({s['cls']} {s['label']}) has a zero size: {s}" for s in zero_sized(svgs)]
    print(f"{name}: {len(svgs)} svg ({len(charts)} charts), {len(errors)} errors")
    shot = os.path.join(out_dir, name + ".png")
    browse(browser, ["--window-size=1200,3000", "--screenshot=" + os.path.abspath(shot), "file://" + os.path.abspath(page)])
    if not os.path.exists(shot) or os.path.getsize(shot) == 0:
        failures.append(f"{name}: no screenshot written")


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
        check_page(browser, archsim, ["run", scenario, "--horizon", "1h"], seed, out_dir, 1, failures, check_drawing)
        # The design-space search's page (docs/explore.md): cost against availability and against p99.
        if seed == "adr0005":
            check_page(browser, archsim, ["explore", scenario, "--horizon", "1d"], "adr0005-explore", out_dir, 2, failures, timeout=900)
    print(f"report_in_chromium: {len(scenarios)} pages in {time.monotonic() - started:.1f} s; screenshots in {out_dir}")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
