"""The course website (tools/website.py): its pages are made right from the chapters, load nothing from other
sites, and every page renders in headless Chromium with its maths typeset, its images loaded and no broken link.

The browser part checks a site that is already built (CI builds it once, in its website phase, from the chapters
it has run: ``python tools/website.py``, then ``pytest tests/test_site.py``); set NNFZ_SITE_DIR to check another
folder. Without a built site they are skipped with the reason (with NNFZ_REQUIRE_SITE=1, as in CI's website phase,
they fail instead); likewise without Chromium and Playwright (NNFZ_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import os
import re
import sys
import threading
import urllib.parse
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebooks as builder  # noqa: E402  (tools/notebooks.py)
import website  # noqa: E402  (tools/website.py)

SITE = Path(os.environ.get("NNFZ_SITE_DIR", ROOT / "build" / "site"))
REQUIRED = os.environ.get("NNFZ_REQUIRE_BROWSER") == "1"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SHOTS = ROOT / "build" / "site-screens"
PHONE = {"width": 390, "height": 844}


def _skip_or_fail(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (NNFZ_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


# ---------------------------------------------------------------------------------------------------------------
# Pages are made from the chapters (no build needed)


def _executed_like(path: Path):
    """A chapter as if executed: its cells, plus a widget output that has a figure and a note to fall back on."""
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("display_data", data={
        website.handouts.WIDGET_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "image/png": "iVBORw0KGgo=", "text/plain": "Panel: move the sliders in Jupyter"})]
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_page_links_instead_of_badges_drops_widget_views_and_folds_every_exercise(path):
    page = website.for_the_site(_executed_like(path), path.name)
    markdown = "\n".join(c.source for c in page.cells if c.cell_type == "markdown")
    assert "badge" not in markdown and "![" not in markdown.split("\n## ")[0], "badges are images on other sites"
    assert f"[Open In Colab]({builder.colab_url(path.name)})" in markdown
    assert f"[Launch Binder]({builder.binder_url(path.name)})" in markdown
    for cell in page.cells:
        for out in cell.get("outputs", []):
            assert website.handouts.WIDGET_MIME not in out.get("data", {}), "a page has no kernel for a widget"
    exercises = __import__(f"nbhelpers.exercises.ch{path.name[:2]}", fromlist=["x"])
    code = "\n".join(c.source for c in page.cells if c.cell_type == "code")
    checked = list(dict.fromkeys(re.findall(r"\bex\.(\w+)\.check\(", code)))
    assert checked, f"{path.name} checks no exercise"
    for name in checked:
        exercise = getattr(exercises, name)
        for number, hint in enumerate(exercise.hints, 1):
            assert f"Hint {number} of {len(exercise.hints)}: {exercise.title}\n:class: dropdown tip\n{hint}" in markdown
        assert f":class: dropdown\n```python\n{exercise.solution_code}\n```" in markdown, f"{name}'s solution"
    # the folded notes come right after the cell that checks the exercise
    for index, cell in enumerate(page.cells):
        if cell.cell_type == "code" and ".check(" in cell.source:
            assert page.cells[index + 1].cell_type == "markdown" and "Hint 1 of" in page.cells[index + 1].source


def test_site_index_lists_every_chapter_with_its_launch_links():
    pages = [(p.stem, f"Title {p.stem}") for p in NOTEBOOKS]
    index = website._index(pages)
    for stem, title in pages:
        assert f"[{title}](notebooks/{stem}.ipynb)" in index and f"\nnotebooks/{stem}\n" in index
        assert builder.colab_url(stem + ".ipynb") in index and builder.binder_url(stem + ".ipynb") in index
    for guide in (ROOT / "docs").glob("*.md"):
        assert f"docs/{guide.stem}" in index


def test_website_says_what_is_missing_outside_the_course_environment(monkeypatch, capsys):
    monkeypatch.setattr(website, "missing_tools", lambda: ["nbclient", "sphinx"])
    assert website.main([]) == 2
    err = capsys.readouterr().err
    assert "lacks nbclient, sphinx" in err and "requirements-test.txt" in err and "top to bottom" not in err


# ---------------------------------------------------------------------------------------------------------------
# The built site


def _site_pages() -> list[Path]:
    if not (SITE / "index.html").exists():
        reason = f"no built site in {SITE}: build it with  python tools/website.py  (CI does, then runs this file)"
        if os.environ.get("NNFZ_REQUIRE_SITE") == "1":
            pytest.fail(reason + " (NNFZ_REQUIRE_SITE=1, so this is a failure, not a skip)")
        pytest.skip(reason)
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


EXTERNAL = re.compile(
    r"""(?:<script[^>]+src|<link[^>]+href|<img[^>]+src|<source[^>]+src|<iframe[^>]+src)\s*=\s*["']((?:https?:)?//[^"']+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^)"']+)|@import\s+["']((?:https?:)?//[^"']+)""", re.IGNORECASE)


def test_site_loads_nothing_from_other_sites():
    pages = _site_pages()
    assert (SITE / ".nojekyll").exists(), "GitHub Pages would hide _static/ and _images/ without .nojekyll"
    offenders = []
    for path in [*pages, *SITE.rglob("*.css")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in EXTERNAL.finditer(text):
            url = next(g for g in match.groups() if g)
            if "<link" in match.group(0).lower() and not re.search(r"stylesheet|preload|icon|modulepreload",
                                                                  match.group(0), re.IGNORECASE):
                continue  # a <link rel="canonical"> or similar names a page, it loads nothing
            offenders.append(f"{path.relative_to(SITE)}: {url}")
    assert not offenders, "pages must not load scripts, styles, fonts or images from other sites:\n" + "\n".join(
        sorted(set(offenders))[:30])
    chapters = {p.stem for p in (SITE / "notebooks").glob("*.html")}
    assert chapters == {p.stem for p in NOTEBOOKS}, f"the site should have a page per chapter; has {chapters}"
    assert (SITE / "_static" / "mathjax" / "tex-chtml.js").exists(), "MathJax is served by the site itself"


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


@pytest.fixture(scope="module")
def served_site():
    pages = _site_pages()
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", pages
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports what failed; no line per request
        pass


@pytest.fixture(scope="module")
def site_browser():
    chromium = os.environ.get("NNFZ_CHROMIUM") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
    if chromium is None:
        _skip_or_fail("site browser test skipped: no Chromium found (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("site browser test skipped: Playwright is not installed: pip install -r requirements-test.txt")
    sys.path.insert(0, str(ROOT / "tests"))
    from test_browser import CHROMIUM_FLAGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


MATH_DONE = """async () => {
  if (!document.querySelector('.math')) return {math: 0, typeset: 0, raw: []};
  if (!window.MathJax || !MathJax.startup) return {math: -1, typeset: 0, raw: ['MathJax did not load']};
  await MathJax.startup.promise;
  const math = [...document.querySelectorAll('.math')];
  const raw = math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 60));
  const errors = [...document.querySelectorAll('mjx-merror')].map(m => m.getAttribute('data-mjx-error') || m.textContent);
  return {math: math.length, typeset: math.length - raw.length, raw: raw.concat(errors)};
}"""
IMAGES = """() => [...document.images].map(i => ({src: i.getAttribute('src').slice(0, 80), ok: i.complete && i.naturalWidth > 0}))"""
LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"


@pytest.mark.browser
def test_every_page_renders_with_typeset_maths_loaded_images_and_no_broken_link(served_site, site_browser):
    base, pages = served_site
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems, report = [], {}
    context = site_browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    outside = []
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: (outside.append(route.request.url),
                                                                            route.abort()))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    failed = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("response", lambda resp: failed.append(f"{resp.status} {resp.url}") if resp.status >= 400 else None)
    for path in pages:
        rel = path.relative_to(SITE).as_posix()
        errors.clear(), failed.clear(), outside.clear()
        page.goto(f"{base}/{rel}", wait_until="load")
        title = page.title()
        text = page.inner_text("main") if page.query_selector("main") else ""
        if not title or len(text.strip()) < 20:
            problems.append(f"{rel}: renders no content (title {title!r})")
        math = page.evaluate(MATH_DONE)
        if math["raw"]:
            problems.append(f"{rel}: maths not typeset: {math['raw'][:3]}")
        bad_images = [i["src"] for i in page.evaluate(IMAGES) if not i["ok"]]
        if bad_images:
            problems.append(f"{rel}: images that did not load: {bad_images[:3]}")
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1] + 2:
            problems.append(f"{rel}: wider than a phone's screen ({width[0]} px in {width[1]} px)")
        for href in page.evaluate(LINKS):
            url = urllib.parse.urlsplit(href)
            if f"{url.scheme}://{url.netloc}" != base:
                continue
            target = SITE / urllib.parse.unquote(url.path.lstrip("/"))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{rel}: broken link to {url.path}")
            elif url.fragment and target.suffix == ".html" and urllib.parse.unquote(url.fragment) not in _ids(target):
                problems.append(f"{rel}: link to a missing anchor {url.path}#{url.fragment}")
        if outside:
            problems.append(f"{rel}: tried to load from other sites: {sorted(set(outside))[:3]}")
        if failed:
            problems.append(f"{rel}: requests failed: {sorted(set(failed))[:3]}")
        if errors:
            problems.append(f"{rel}: JavaScript errors: {errors[:2]}")
        report[rel] = {"maths": math["typeset"], "images": len(page.evaluate(IMAGES))}
        page.screenshot(path=str(SHOTS / (rel.replace("/", "_") + ".png")))
    context.close()
    (SHOTS / "report.json").write_text(json.dumps(report, indent=1))
    assert not problems, "\n".join(problems)
    chapters = {k: v for k, v in report.items() if k.startswith("notebooks/")}
    assert len(chapters) == len(NOTEBOOKS)
    assert all(v["maths"] > 0 and v["images"] > 0 for v in chapters.values()), f"every chapter has maths and figures: {chapters}"


@pytest.mark.browser
def test_search_finds_a_chapter_and_exercises_fold_and_unfold(served_site, site_browser):
    base, _pages = served_site
    page = site_browser.new_page(viewport=PHONE)
    page.goto(f"{base}/search.html?q=sigmoid", wait_until="load")
    page.wait_for_selector("#search-results li a", timeout=30_000)
    hits = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("notebooks/01_neuron" in h or "notebooks/02_activations" in h for h in hits), hits

    page.goto(f"{base}/notebooks/01_neuron.html", wait_until="load")
    hint = page.locator("details.toggle-details, div.admonition.dropdown").first
    assert hint.count() == 1, "the exercises' hints should be folded blocks"
    solution = page.locator(".admonition.dropdown:has-text('Solution')").first
    body = solution.locator("pre").first
    assert not body.is_visible(), "a solution starts folded"
    solution.locator("button, summary, .admonition-title").first.click()
    body.wait_for(state="visible", timeout=10_000)
    # the key terms' Chinese names are drawn with a CJK font (CI installs fonts-noto-cjk), not as empty boxes
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    document = cdp.send("DOM.getDocument", {"depth": -1})
    cells = cdp.send("DOM.querySelectorAll", {"nodeId": document["root"]["nodeId"], "selector": "td"})["nodeIds"]
    fonts = set()
    for node in cells:
        html_text = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
        if re.search(r"[\u4e00-\u9fff]", html_text):
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            fonts |= {f["familyName"] for f in used}
            break
    assert fonts, "chapter 1's key-terms table has no Chinese cell"
    assert any(re.search(r"CJK|Noto Sans SC|WenQuanYi|Droid Sans Fallback|Source Han", f) for f in fonts), (
        f"the Chinese terms are drawn with {fonts}: install a CJK font (Debian: fonts-noto-cjk)")
    launch = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert any(h.startswith(builder.colab_url("01_neuron.ipynb")) for h in launch), "a Colab launch link"
    assert any(h.startswith("https://mybinder.org/v2/gh/") for h in launch), "a Binder launch link"
    page.close()
