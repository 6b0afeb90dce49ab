#!/usr/bin/env python3
"""What a phone downloads for the example site, without and with generated image sizes; and Lighthouse.

    .venv/bin/python benchmarks/image_bytes.py [--width 375] [--scale 2] [--lighthouse]

Builds the example site (this repository's content/ and static/) twice into a temporary folder:
"originals" with `images: {widths: []}`, pages showing the files of static/ as they are (as
before generated sizes existed), and "generated" with the default settings. Each is served on
127.0.0.1 and opened in Debian's headless Chromium (builder.audit.browser) as a phone: --width
CSS pixels wide at --scale device pixels per CSS pixel, the browser's cache off, text files sent
gzipped as a host sends them (the example site precompresses them). For the front
page and one article with a lead image it sums the bytes transferred (Resource Timing's
transferSize of the page and everything it loaded): once loaded, and after reading to the end
of the page (scrolled a screen at a time, so lazy images come in).

With --lighthouse it also runs Lighthouse's mobile profile (`npx lighthouse`, from npm, with
CHROME_PATH set to Debian's Chromium: nothing downloads a browser) on both pages of both builds
and prints the performance score, Largest Contentful Paint and Cumulative Layout Shift of the run
with the median LCP of --runs. The test suite never needs npm.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.audit.browser import chromium, chromium_path
from builder.build.pipeline import BuildOptions, build
from builder.serve.http import Response, SiteHandler, content_type

REPO = Path(__file__).resolve().parents[1]

VARIANTS = {"originals": "\nimages:\n  widths: []\n", "generated": ""}

TRANSFERRED = """
const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
return entries.reduce((sum, e) => sum + e.transferSize, 0);
"""
SEEN_IMAGES_LOADED = """return [...document.images].filter(i => {
  const box = i.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight;
}).every(i => i.complete)"""


def build_variant(root: Path, name: str, extra: str):
    site = root / name / "site"
    site.mkdir(parents=True)
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, site / folder)
    (site / "site.yaml").write_text((REPO / "site.yaml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    output = root / name / "output"
    result = build(BuildOptions(site, output_dir=output))
    return output, result


class CompressingHandler(SiteHandler):
    """The preview server's handler, sending the .gz sibling of a file (the example site writes
    them: hosting.precompress) to a browser that accepts gzip, as a static host does."""

    def file_response(self, file: Path, status: HTTPStatus) -> Response:
        packed = file.with_name(file.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file():
            return Response(status, packed.read_bytes(), {"Content-Type": content_type(file),
                                                          "Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
        return super().file_response(file, status)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # Lighthouse drops connections it is done with
            super().handle_error(request, client_address)


def serve(output: Path, base_path: str) -> tuple[ThreadingHTTPServer, str]:
    handler = type("Handler", (CompressingHandler,), {"root": output, "base_path": base_path})
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base_path}"


def wait(driver, script: str, timeout: float = 20) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: d.execute_script(script))


def page_bytes(driver, url: str) -> tuple[int, int]:
    """(bytes once loaded, bytes after reading to the end)."""
    driver.get(url)
    wait(driver, "return document.readyState === 'complete'")
    wait(driver, SEEN_IMAGES_LOADED)
    loaded = driver.execute_script(TRANSFERRED)
    while not driver.execute_script("return innerHeight + scrollY >= document.documentElement.scrollHeight - 1"):
        driver.execute_script("window.scrollBy(0, innerHeight)")
        wait(driver, SEEN_IMAGES_LOADED)
    return loaded, driver.execute_script(TRANSFERRED)


def lighthouse(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(["npx", "--yes", "lighthouse", url, "--only-categories=performance", "--output=json",
                        f"--output-path={report.name}", "--quiet", "--chrome-flags=--headless=new --no-sandbox"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        data = json.loads(Path(report.name).read_text(encoding="utf-8"))
    audits = data["audits"]
    return {"score": round(data["categories"]["performance"]["score"] * 100),
            "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "kb": audits["total-byte-weight"]["numericValue"] / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=375)
    parser.add_argument("--height", type=int, default=812)
    parser.add_argument("--scale", type=float, default=2)
    parser.add_argument("--lighthouse", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is shown")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="broadsheet-image-bytes-"))
    servers = []
    try:
        urls: dict[str, dict[str, str]] = {}
        for name, extra in VARIANTS.items():
            output, result = build_variant(root, name, extra)
            server, base = serve(output, result.config.base_path)
            servers.append(server)
            article = next(a for a in result.archive.articles if a.image and a.image.src.startswith("/"))
            urls[name] = {"front page": base, f"article ({article.path})": base + article.path}
        measured: dict[str, dict[str, tuple[int, int]]] = {}
        with chromium() as driver:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": args.width, "height": args.height, "deviceScaleFactor": args.scale, "mobile": True})
            for name, pages in urls.items():
                measured[name] = {page: page_bytes(driver, url) for page, url in pages.items()}
        print(f"Bytes transferred, {args.width} CSS pixels wide at {args.scale:g}x, cache off")
        print(f"{'page':<48}{'':<10}{'originals KB':>14}{'generated KB':>14}{'ratio':>8}")
        for page in measured["originals"]:
            for index, moment in enumerate(("loaded", "read")):
                before, after = measured["originals"][page][index], measured["generated"][page][index]
                print(f"{page:<48}{moment:<10}{before / 1024:>14.0f}{after / 1024:>14.0f}{after / before:>8.2f}")
        if args.lighthouse:
            print(f"\nLighthouse, mobile profile (simulated slow 4G, Moto G Power), the run of the median LCP of "
                  f"{args.runs}")
            print(f"{'page':<48}{'build':<11}{'score':>6}{'LCP s':>7}{'CLS':>7}{'KB':>8}")
            for name, pages in urls.items():
                for page, url in pages.items():
                    runs = sorted((lighthouse(url) for _ in range(args.runs)), key=lambda r: r["lcp_s"])
                    found = runs[len(runs) // 2]  # the run of the median LCP
                    print(f"{page:<48}{name:<11}{found['score']:>6}{found['lcp_s']:>7.2f}{found['cls']:>7.3f}"
                          f"{found['kb']:>8.0f}")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
