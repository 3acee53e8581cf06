"""Headless Chromium driving JupyterLab, for tests/test_browser.py.

Selenium talks to Debian's ``chromedriver``, which is built from the same source as Debian's
``chromium``, so the two always match; with the driver's path given, Selenium Manager (which
would download a driver) is never run. Every wait is on a state of the page, with a generous
limit a passing run never comes near.
"""

from __future__ import annotations

import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (ElementClickInterceptedException, StaleElementReferenceException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PATIENCE = 120  # s for any one page state; a passing run needs a few
# Headless, as root, on a machine without network: no sandbox (root), no GPU, and none of the
# background connections (updates, sync, field trials) a closed network would refuse.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the tab on show
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def missing() -> str:
    """Why the browser tests cannot run here, or ""."""
    absent = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if absent:
        return (f"no {' or '.join(absent)}: install Debian's chromium and chromium-driver "
                "(`make test` does it when run as root; else `sudo apt-get install chromium chromium-driver`)")
    return ""


def start(state: Path, network_log: bool = False) -> webdriver.Chrome:
    """A fresh headless Chromium with an empty profile in ``state`` (``network_log``: record
    every request, for ``requests``)."""
    state.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS + [f"--user-data-dir={state / 'profile'}"]:
        options.add_argument(flag)
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(state / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(PATIENCE)
    return driver


@contextmanager
def screenshot_on_failure(driver: webdriver.Chrome, folder: Path, name: str, lab_log: Path | None = None):
    """On any failure inside, save the page as ``folder/name.png`` (and the server's log beside
    it) and say where in the error."""
    try:
        yield
    except BaseException as exc:
        folder.mkdir(parents=True, exist_ok=True)
        picture = folder / f"{name}.png"
        try:
            driver.save_screenshot(str(picture))
            where = f"screenshot of the failing page: {picture}"
        except WebDriverException as err:
            where = f"no screenshot ({err.msg})"
        if lab_log is not None and lab_log.exists():
            shutil.copy(lab_log, folder / f"{name}-lab.log")
            where += f"; JupyterLab's log: {folder / f'{name}-lab.log'}"
        exc.add_note(where)
        print(where)
        raise


def requests(driver: webdriver.Chrome) -> list[str]:
    """The URLs the page has asked for so far (a driver started with ``network_log``)."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait(driver: webdriver.Chrome, condition, what: str, timeout: float = PATIENCE):
    """Wait until ``condition(driver)`` is truthy; on time-out say what was awaited."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition, f"waited {timeout} s for {what}")


def click(driver: webdriver.Chrome, xpath: str, what: str, timeout: float = PATIENCE) -> None:
    """Click the first shown element at ``xpath`` once there is one; a page that redraws it
    meanwhile (stale) or covers it for a moment (a closing dialog) is tried again."""
    def attempt(d) -> bool:
        try:
            found = [e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()]
            if found:
                found[0].click()
                return True
        except (StaleElementReferenceException, ElementClickInterceptedException):
            pass
        return False
    wait(driver, attempt, what, timeout)


def shown(driver: webdriver.Chrome, xpath: str):
    """The elements at ``xpath`` that are on show."""
    try:
        return [e for e in driver.find_elements(By.XPATH, xpath) if e.is_displayed()]
    except StaleElementReferenceException:
        return []


class Notebook:
    """A notebook open in JupyterLab: its cells in page order, run by menu and keyboard."""

    def __init__(self, driver: webdriver.Chrome, url: str, cell_count: int) -> None:
        self.driver = driver
        driver.get(url)
        # JupyterLab adds the cells in batches, and shows "idle" before the kernel has started.
        wait(driver, lambda d: len(self.cells()) == cell_count and self.kernel_idle(),
             f"the notebook to show its {cell_count} cells with a started, idle kernel")

    def cells(self):
        return self.driver.find_elements(By.CSS_SELECTOR, f"{PANEL} .jp-Cell")

    def code_cells(self):
        return [c for c in self.cells() if "jp-CodeCell" in c.get_attribute("class")]

    def kernel_idle(self) -> bool:
        names = self.driver.find_elements(By.CSS_SELECTOR, f"{PANEL} .jp-Toolbar-kernelName")
        status = self.driver.find_elements(By.CSS_SELECTOR, f"{PANEL} .jp-Notebook-ExecutionIndicator")
        return (bool(names) and "No Kernel" not in names[0].get_attribute("textContent")
                and bool(status) and status[0].get_attribute("data-status") == "idle")

    def menu(self, menu: str, command: str) -> None:
        """Click ``menu`` in the menu bar, then the item that runs JupyterLab's ``command``."""
        [item] = [m for m in self.driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-itemLabel")
                  if m.text == menu]
        item.click()
        entry = wait(self.driver, lambda d: d.find_element(By.CSS_SELECTOR, f'li.lm-Menu-item[data-command="{command}"]'),
                     f"the {menu} menu's {command} item")
        entry.click()

    @staticmethod
    def prompt(cell) -> str:
        # textContent, not .text: a cell scrolled out of view is not rendered, and has no .text
        return cell.find_element(By.CSS_SELECTOR, ".jp-InputPrompt").get_attribute("textContent").strip()

    def run_all(self) -> None:
        """Run > Run All Cells; wait until every code cell has run, or one shows an error (after
        which JupyterLab runs no more)."""
        self.menu("Run", "runmenu:run-all")
        wait(self.driver, lambda d: self.kernel_idle() and (
            self.driver.find_elements(By.CSS_SELECTOR, f"{PANEL} {STDERR_OUTPUT}")
            or all(self.prompt(c) not in ("[ ]:", "[*]:", "") for c in self.code_cells())),
            "every code cell to have run, or one to show an error")

    def run_cell(self, index: int) -> None:
        """Select cell ``index`` (command mode), run it with Shift+Enter, wait for it to finish."""
        cell = self.cells()[index]
        before = self.prompt(cell)
        def drawn(driver):  # JupyterLab lays cells out lazily: a prompt may have no size yet
            prompt = self.cells()[index].find_element(By.CSS_SELECTOR, ".jp-InputPrompt")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", prompt)
            return prompt if prompt.size["height"] and prompt.size["width"] else None
        wait(self.driver, drawn, f"cell {index} to be drawn").click()
        ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        # An execution count, new: a cell drawn late (JupyterLab renders cells lazily) also
        # changes its prompt, from nothing to "[ ]:", without having run.
        wait(self.driver, lambda d: re.fullmatch(r"\[\d+\]:", after := self.prompt(self.cells()[index]))
             and after != before and self.kernel_idle(), f"cell {index} to run")

    def type_into(self, index: int, text: str) -> None:
        """Replace the text of cell ``index`` as a person would: click in, select all, type."""
        editor = self.cells()[index].find_element(By.CSS_SELECTOR, ".cm-content")
        editor.click()
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
        editor.send_keys(text)
        wait(self.driver, lambda d: self.cells()[index].find_element(By.CSS_SELECTOR, ".cm-content")
             .get_attribute("textContent") == text, f"cell {index} to show the typed text")

    def errors(self, index: int) -> list[str]:
        """What cell ``index`` shows on stderr: tracebacks and warnings."""
        return [e.get_attribute("textContent")
                for e in self.cells()[index].find_elements(By.CSS_SELECTOR, STDERR_OUTPUT)]

    def images(self, index: int) -> list[tuple[int, int]]:
        """The (natural width, height) of each picture cell ``index`` shows; (0, 0) if broken."""
        return [(img.get_property("naturalWidth"), img.get_property("naturalHeight"))
                for img in self.cells()[index].find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output img")]


# Where a notebook tab shows a heading: the visible panel's scroll offset, and the heading's top
# relative to the top of the panel's scrolling viewport (None while the heading is not drawn).
_WHERE = """
const panel = document.querySelector(arguments[1]);
if (!panel) return null;
const viewport = panel.querySelector('.jp-WindowedPanel-outer');
const id = CSS.escape(arguments[0]);
const heading = panel.querySelector(`[id="${id}"], [data-jupyter-id="${id}"]`);
if (!viewport || !heading) return null;
return {scroll: Math.round(viewport.scrollTop), height: Math.round(viewport.clientHeight),
        top: Math.round(heading.getBoundingClientRect().top - viewport.getBoundingClientRect().top)};
"""


def heading_in_view(driver: webdriver.Chrome, heading_id: str) -> dict | None:
    """``{"scroll", "height", "top"}`` of the tab on show: how far it is scrolled, how tall its
    viewport is, and where the heading with ``heading_id`` sits (0: at the top of the view)."""
    return driver.execute_script(_WHERE, heading_id, PANEL)


def settled(driver: webdriver.Chrome, probe, what: str, quiet: float = 2.0, timeout: float = PATIENCE):
    """Wait until ``probe(driver)`` gives the same value, not None, for ``quiet`` seconds; return it."""
    seen: dict = {}

    def still(d):
        now, at = probe(d), time.monotonic()
        if now is None or now != seen.get("value"):
            seen.update(value=now, since=at)
            return False
        return at - seen["since"] >= quiet and now

    return wait(driver, still, f"{what} to settle", timeout)


def dismiss_notifications(driver: webdriver.Chrome) -> None:
    """Remove JupyterLab's toasts (e.g. "receive official Jupyter news?"): they cover links."""
    driver.execute_script("document.querySelectorAll('.Toastify').forEach(e => e.remove())")


def click_link(driver: webdriver.Chrome, path: str, fragment: str) -> None:
    """Click, in the tab on show, the rendered link to ``path#fragment`` (JupyterLab rewrites
    an href to ``…/files/<folder>/<path>?_xsrf=…#<fragment>``)."""
    def link(d):
        for anchor in d.find_elements(By.CSS_SELECTOR, f"{PANEL} a"):
            href = anchor.get_attribute("href") or ""
            if f"/{path}?" in href and href.endswith(f"#{fragment}"):
                return anchor
        return False

    anchor = wait(driver, link, f"a link to {path}#{fragment}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", anchor)
    dismiss_notifications(driver)
    anchor.click()


def show_tab(driver: webdriver.Chrome, name: str) -> None:
    """Bring the main-area tab labelled ``name`` (a file name) to the front."""
    def tab(d):
        for label in d.find_elements(By.CSS_SELECTOR, ".lm-DockPanel-tabBar .lm-TabBar-tabLabel"):
            if label.get_attribute("textContent") == name:
                return label
        return False

    wait(driver, tab, f"the tab of {name}").click()
