"""Debian's headless Chromium driven through chromedriver's W3C WebDriver protocol, for end-to-end tests.

The protocol is a handful of JSON requests; speaking it with httpx (already a dependency) keeps the
tests on the real browser without a client library of its own.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.botprocess import free_port

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = (
    None
    if CHROMIUM and CHROMEDRIVER
    else "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
)
# The key W3C WebDriver names an element by in its answers.
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Browser:
    """One headless Chromium window, driven by a chromedriver process of its own."""

    def __init__(self, downloads: Path, width: int = 1280, height: int = 900) -> None:
        self.downloads = downloads
        port = free_port()
        self.driver = subprocess.Popen(
            [str(CHROMEDRIVER), f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{port}"
        self._wait_ready()
        options = {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"],
            "prefs": {"download.default_directory": str(downloads), "download.prompt_for_download": False},
        }
        capabilities = {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}
        answer = httpx.post(f"{self.base}/session", json={"capabilities": capabilities}, timeout=60).json()
        self.session = f"{self.base}/session/{answer['value']['sessionId']}"
        self._call(
            "POST",
            "/chromium/send_command",
            {
                "cmd": "Page.setDownloadBehavior",
                "params": {"behavior": "allow", "downloadPath": str(downloads)},
            },
        )

    def _wait_ready(self) -> None:
        """Wait until chromedriver answers."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/status", timeout=2).json()["value"]["ready"]:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise TimeoutError("chromedriver did not start")

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send one WebDriver command and return its value."""
        response = httpx.request(method, f"{self.session}{path}", json=body, timeout=60)
        value = response.json()["value"]
        if response.status_code != 200:
            raise RuntimeError(f"WebDriver {path}: {value}")
        return value

    def open(self, url: str) -> None:
        """Go to a page and wait for it to load."""
        self._call("POST", "/url", {"url": url})

    @property
    def url(self) -> str:
        """Return the address of the page shown."""
        return str(self._call("GET", "/url"))

    def text(self) -> str:
        """Return the text a reader sees on the page."""
        return str(self._call("GET", f"/element/{self._find('body')}/text"))

    def source(self) -> str:
        """Return the page's HTML as the browser holds it."""
        return str(self._call("GET", "/source"))

    def click(self, css: str) -> None:
        """Click the element a CSS selector picks (a link or a button), waiting for the next page."""
        self._call("POST", f"/element/{self._find(css)}/click", {})

    def _find(self, css: str) -> str:
        """Return the id of the element a CSS selector picks."""
        return str(self._call("POST", "/element", {"using": "css selector", "value": css})[ELEMENT])

    def cookies(self) -> dict[str, str]:
        """Return the cookies of the page shown, by name."""
        return {c["name"]: c["value"] for c in self._call("GET", "/cookie")}

    def resize(self, width: int, height: int) -> None:
        """Set the window's size."""
        self._call("POST", "/window/rect", {"width": width, "height": height})

    def screenshot(self, path: Path) -> None:
        """Save what the window shows as a PNG."""
        path.write_bytes(base64.b64decode(self._call("GET", "/screenshot")))

    def wait_for_download(self, suffix: str, timeout: float = 20) -> Path:
        """Wait until a file with that suffix is wholly written to the download folder."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = [p for p in self.downloads.iterdir() if p.name.endswith(suffix)]
            if done and not any(p.suffix == ".crdownload" for p in self.downloads.iterdir()):
                return done[0]
            time.sleep(0.1)
        raise TimeoutError(f"no {suffix} file downloaded")

    def quit(self) -> None:
        """Close the browser and its driver."""
        try:
            httpx.delete(self.session, timeout=20)
        finally:
            self.driver.terminate()
            self.driver.wait(timeout=20)
