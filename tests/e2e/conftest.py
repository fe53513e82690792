"""The web portal in a real browser.

A real uvicorn server runs in a thread on a free port, against a temporary SQLite database built by the
migrations and seeded like the demo (companies, one user per role, the bundled tariff with the labelled DEMO
rates). The filing steps are the real tariff assessment and a lane selector that sends a reference starting
``RED-`` to the red lane, ``YEL-`` to yellow and ``BLU-`` to blue (everything else green), so a test can put a
declaration in front of an officer. The clock starts at a fixed moment and runs in real time, so dates are
reproducible and the release-time stages are real durations.

Playwright drives Debian's Chromium (``/usr/bin/chromium``, installed by ``./setup.sh``); no browser is
downloaded. Set ``CLEARWAY_E2E_SCREENSHOTS=/some/dir`` to keep screenshots of the main pages.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from clearway.app import create_app
from clearway.assessment.step import TariffAssessment
from clearway.audit.service import Actor
from clearway.config import Settings
from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import FilingSteps, LaneSelection, LaneSelector
from clearway.demo.run import seed
from clearway.migrate import upgrade
from clearway.origin.verification import CertificateVerifier
from clearway.risk import service as risk
from clearway.runtime import Runtime, build_runtime
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # DEMO exchange rates cover this week


class LaneByReference(LaneSelector):
    PREFIXES: ClassVar[dict[str, Lane]] = {"RED-": Lane.RED, "YEL-": Lane.YELLOW, "BLU-": Lane.BLUE}

    def select(self, session, content, context, assessment, advice):  # type: ignore[no-untyped-def]
        lane = next(
            (
                lane
                for prefix, lane in self.PREFIXES.items()
                if content.declarant_reference.startswith(prefix)
            ),
            Lane.GREEN,
        )
        return LaneSelection(
            lane,
            "e2e-by-reference",
            False,
            [{"kind": "test", "message": f"the test sends {lane.value} by the reference"}],
        )


class RunningClock:
    """Starts at a fixed moment and advances with real time."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


@dataclass
class Portal:
    base_url: str
    runtime: Runtime


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    home = tmp_path_factory.mktemp("portal")
    url = f"sqlite:///{home / 'portal.sqlite3'}"
    upgrade(url)
    settings = Settings(home=home, database_url=url)
    clock = RunningClock(START)
    # the production verifier: an FTA rate only for a registered certificate that checks out
    steps = FilingSteps(
        assessment=TariffAssessment(CertificateVerifier(clock=clock)), lane_selector=LaneByReference()
    )
    runtime = build_runtime(settings, clock=clock, steps=steps)
    with unit_of_work(runtime.sessions) as session:
        seed(session, runtime)
        tariff.load_demo_tariff(session, now=runtime.clock())
        # no random "take a chance" inspections here: each page must show the lane its rules give
        risk.set_policy(session, data={"exploration_share": 0.0}, actor=Actor("e2e"), now=runtime.clock())
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, runtime=runtime),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
    )
    thread = threading.Thread(target=server.run, name="portal-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the portal server did not start", pytrace=False)
        time.sleep(0.05)
    yield Portal(f"http://127.0.0.1:{port}", runtime)
    server.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run ./setup.sh (it installs Debian's chromium with apt-get) — the "
            "browser tests drive that Chromium and never download one",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# A busy 2-core CI machine can take longer than Playwright's 5-second default to answer; the pages' own
# actions already wait 15 s (set_default_timeout below), and the assertions wait as long.
expect.set_options(timeout=15_000)


@pytest.fixture
def open_browser(browser: Browser, portal: Portal) -> Iterator[Callable[..., Page]]:
    """``open_browser()`` → a page in a fresh browser profile (its own cookies), so two users can work side by side."""
    contexts: list[BrowserContext] = []

    def make(locale: str = "en-US") -> Page:
        context = browser.new_context(
            base_url=portal.base_url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_browser: Callable[..., Page]) -> Page:
    return open_browser()


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8].upper()


@pytest.fixture(scope="module")
def classifier(portal: Portal) -> Iterator[None]:
    """The tiny classifier of the integration tests (chapters 33 and 64), served to the portal for this module
    (the filing form's and the pre-filing page's HS suggestions)."""
    import shutil
    import warnings

    from clearway.classification import registry
    from clearway.classification.corpus import load_training_data
    from clearway.classification.model import HSClassifier
    from tests.integration.classification.conftest import CHAPTERS, VERSION, tiny_hierarchy

    records = [r for r in load_training_data().records if r.hs6[:2] in CHAPTERS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = HSClassifier(ranker_trees=60, folds=2, uk_search_share=0.3).fit(
            records, hierarchy=tiny_hierarchy()
        )
    model.version_ = VERSION
    models_dir = Path(portal.runtime.settings.models_dir)
    registry.save_model(registry.root(models_dir) / VERSION, model, {"version": VERSION}, {})
    registry.set_current(models_dir, VERSION)
    registry.forget()
    yield
    shutil.rmtree(registry.root(models_dir) / VERSION, ignore_errors=True)
    registry.forget()
