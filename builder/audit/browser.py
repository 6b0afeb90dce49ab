"""Headless Chromium from the operating system's packages, driven by Selenium.

Nothing is downloaded: the browser and driver paths are given explicitly, so Selenium Manager
never runs. The flags keep Chromium from calling home, which on a closed network only slows it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMEDRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


class BrowserMissing(RuntimeError):
    pass


def _find(env: str, candidates: tuple[str, ...], what: str, package: str) -> str:
    if os.environ.get(env):
        return os.environ[env]
    for path in candidates:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    raise BrowserMissing(f"{what} not found (set {env} or install it: apt-get install {package})")


def chromium_path() -> str:
    return _find("BROADSHEET_CHROMIUM", CHROMIUM_CANDIDATES, "Chromium", "chromium")


def chromedriver_path() -> str:
    return _find("BROADSHEET_CHROMEDRIVER", CHROMEDRIVER_CANDIDATES, "ChromeDriver", "chromium-driver")


@contextmanager
def chromium(*, javascript: bool = True, width: int = 1280, height: int = 900,
             extra_flags: tuple[str, ...] = ()) -> Iterator[webdriver.Chrome]:
    """A headless Chromium session with its own throwaway profile."""
    profile = tempfile.mkdtemp(prefix="broadsheet-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium_path()
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        f"--window-size={width},{height}", f"--user-data-dir={profile}", "--lang=en-US", *extra_flags,
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver_path()))
    try:
        driver.set_script_timeout(30)
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
