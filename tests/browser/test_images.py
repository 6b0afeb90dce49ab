"""Responsive images in real Chromium: the width a screen needs, in WebP, and nothing moving as a page loads."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import wait_for

LAYOUT_SHIFT = """
const done = arguments[arguments.length - 1];
let total = 0;
new PerformanceObserver(list => {
  // Every shift: the test gives no input, but ChromeDriver's own events can mark shifts as after input.
  for (const entry of list.getEntries()) total += entry.value;
}).observe({type: "layout-shift", buffered: true});
// The observer reports what is buffered in its first callback; give it two frames to run.
requestAnimationFrame(() => requestAnimationFrame(() => done(total)));
"""

SEEN_IMAGES_LOADED = """return [...document.images].filter(i => {
  const box = i.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight;
}).every(i => i.complete && i.naturalWidth > 0)"""


def open_on(browser, url: str, width: int, height: int, scale: float) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": width < 600})
    browser.get(url)


@pytest.fixture
def device(browser):
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions",
                            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})


def slow_phone(browser) -> None:
    """A slow phone on a slow connection, as Lighthouse's mobile profile: the page is painted long
    before its images arrive, and before its deferred script runs."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions",
                            {"offline": False, "latency": 150, "downloadThroughput": 400_000, "uploadThroughput": 400_000})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})  # a first visit
    browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})


def chosen(browser, selector: str) -> tuple[str, int]:
    """The file the browser took for an image: (format, width from the name)."""
    source = wait_for(browser, lambda d: d.execute_script(
        f"const i = document.querySelector({selector!r}); return i && i.complete && i.currentSrc"),
        message=f"{selector} did not load")
    match = re.search(r"\.(\d+)w\.[0-9a-f]{10}\.(\w+)$", source)
    assert match, source
    return match.group(2), int(match.group(1))


@pytest.mark.parametrize("width, scale, expected", [
    (375, 2, 960),  # a phone: 351 CSS pixels of column at 2 device pixels each, 702 -> the 960 file
    (375, 1, 640),
    (1280, 1, 960),  # the 44rem column, 704 pixels
])
def test_the_lead_image_is_the_webp_file_the_screen_needs(device, example_site, width, scale, expected):
    open_on(device, example_site.url(example_site.article(with_image=True)), width, 800, scale)
    assert chosen(device, ".lead-image img") == ("webp", expected)


def test_a_teaser_thumbnail_is_small_on_a_wide_screen(device, example_site):
    open_on(device, example_site.url(), 1280, 800, 1)
    assert chosen(device, ".teaser__image") == ("webp", 320)  # 11rem, 176 pixels


@pytest.mark.parametrize("width, scale", [(375, 2), (412, 1.75)])  # an iPhone; Lighthouse's Moto G Power
def test_nothing_moves_while_the_page_loads(device, example_site, width, scale):
    slow_phone(device)
    for path in ("", example_site.article(with_image=True)):
        open_on(device, example_site.url(path), width, 800, scale)
        wait_for(device, lambda d: d.execute_script("return document.readyState === 'complete'"), timeout=30)
        device.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})  # loaded: read it faster
        # Bring every lazy image in: the page is read to its end, a screen at a time.
        while True:
            wait_for(device, lambda d: d.execute_script(SEEN_IMAGES_LOADED), message=f"{path}: images did not load")
            if device.execute_script("return innerHeight + scrollY >= document.documentElement.scrollHeight - 1"):
                break
            device.execute_script("window.scrollBy(0, innerHeight)")
        assert device.execute_script("return document.querySelectorAll('img[loading=lazy]').length") > 0
        assert device.execute_async_script(LAYOUT_SHIFT) == 0, path
        device.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
