"""Headless Chromium from the operating system's packages, driven by Selenium.

Nothing is downloaded: the browser and driver paths are given explicitly, so Selenium Manager
never runs. They are found on PATH (or where Debian keeps the driver), unless BROADSHEET_CHROMIUM
and BROADSHEET_CHROMEDRIVER name them. The flags keep Chromium from calling home, which on a
closed network only slows it.

`chromium(shell=True)` (what the audit asks for) runs Debian's chromium-headless-shell instead
when it is installed and BROADSHEET_CHROMIUM names no browser: the same Blink and V8 without the
browser's UI layers. It opens no page of its own when a driver starts it, so it is started through
a two-line script in the session's throwaway profile that adds about:blank to its arguments; if it
does not start, the full Chromium is used. The audit runs about 1.2 times as many pages per second
with it, with the same findings (benchmarks/audit_speed.py; see builder.audit.run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER_NAMES = ("chromedriver",)
CHROMEDRIVER_ELSEWHERE = ("/usr/lib/chromium/chromedriver",)  # Debian's driver, when not linked on PATH
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"  # Debian's chromium-headless-shell
CHROMIUM_INSTALL = "apt-get install chromium"
CHROMEDRIVER_INSTALL = "apt-get install chromium-driver"


class BrowserMissing(RuntimeError):
    pass


def _find(env: str, names: tuple[str, ...], elsewhere: tuple[str, ...], what: str, install: str) -> str:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        if found := shutil.which(name):
            return found
    for path in elsewhere:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    raise BrowserMissing(f"{what} not found on PATH (install it: {install}, or set {env})")


def chromium_path() -> str:
    return _find("BROADSHEET_CHROMIUM", CHROMIUM_NAMES, (), "Chromium", CHROMIUM_INSTALL)


def chromedriver_path() -> str:
    return _find("BROADSHEET_CHROMEDRIVER", CHROMEDRIVER_NAMES, CHROMEDRIVER_ELSEWHERE, "ChromeDriver",
                 CHROMEDRIVER_INSTALL)


def headless_shell_path() -> str | None:
    """Debian's chromium-headless-shell, unless BROADSHEET_CHROMIUM chooses the browser; None when missing."""
    if os.environ.get("BROADSHEET_CHROMIUM"):
        return None
    return HEADLESS_SHELL if Path(HEADLESS_SHELL).is_file() and os.access(HEADLESS_SHELL, os.X_OK) else None


def program_version(path: str) -> str:
    """What `PROGRAM --version` says, e.g. 'Chromium 131.0.6778.85 built on Debian ...' (BrowserMissing
    when it does not run)."""
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BrowserMissing(f"{path} does not run: {exc}") from None
    text = done.stdout.strip() or done.stderr.strip()
    if done.returncode != 0 or not text:
        raise BrowserMissing(f"{path} --version failed: {text or f'exit {done.returncode}'}")
    return text.splitlines()[0]


def version_number(text: str) -> str | None:
    """The first dotted number in a --version line: '131.0.6778.85'."""
    match = re.search(r"\b(\d+(?:\.\d+)+)\b", text)
    return match.group(1) if match else None


def _start(profile: str, binary: str, headless: tuple[str, ...], javascript: bool, width: int, height: int,
           extra_flags: tuple[str, ...]) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        *headless, "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        f"--window-size={width},{height}", f"--user-data-dir={profile}", "--lang=en-US", *extra_flags,
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(options=options, service=Service(executable_path=chromedriver_path()))


@contextmanager
def chromium(*, javascript: bool = True, width: int = 1280, height: int = 900,
             extra_flags: tuple[str, ...] = (), shell: bool = False) -> Iterator[webdriver.Chrome]:
    """A headless Chromium session with its own throwaway profile (`shell`: chromium-headless-shell
    when it is installed, see the module's note)."""
    profile = tempfile.mkdtemp(prefix="broadsheet-chromium-")
    try:
        driver = _session(profile, javascript, width, height, extra_flags, shell)
    except BaseException:
        _remove_profile(profile)
        raise
    try:
        driver.set_script_timeout(30)
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()
        _remove_profile(profile)


def _session(profile: str, javascript: bool, width: int, height: int, extra_flags: tuple[str, ...],
             shell: bool) -> webdriver.Chrome:
    driver = None
    if shell and (binary := headless_shell_path()):
        launcher = Path(profile) / "headless-shell"
        launcher.write_text(f'#!/bin/sh\nexec "{binary}" "$@" about:blank\n', encoding="utf-8")
        launcher.chmod(0o700)
        try:
            driver = _start(profile, str(launcher), (), javascript, width, height, extra_flags)
        except WebDriverException:
            driver = None  # a shell of another release than the driver, say: the full browser then
    if driver is None:
        driver = _start(profile, chromium_path(), ("--headless=new",), javascript, width, height, extra_flags)
    return driver


def _remove_profile(profile: str, timeout: float = 5.0) -> None:
    """Remove a session's profile. Chromium's helper processes can still write into it for a moment
    after the driver has quit, which left 150 empty or half-removed profiles in /tmp over one day of
    tests: it is removed again until it is gone, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        shutil.rmtree(profile, ignore_errors=True)
        if not os.path.exists(profile) or time.monotonic() > deadline:
            return
        time.sleep(0.05)
