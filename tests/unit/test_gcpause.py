"""The collector pause of batch filing: off inside, back on when the last block in the process ends."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from clearway.gcpause import collection_paused, paused_until_transaction_ends


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_collection_is_off_inside_and_on_again_after() -> None:
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_inner_block_ending_does_not_resume_collection_for_the_outer_one() -> None:
    with collection_paused():
        with collection_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collection_resumes_only_when_every_thread_has_left_its_block() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collection_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with collection_paused():
        pass
    assert not gc.isenabled()  # the other thread is still filing its batch
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_an_error_inside_still_resumes_collection() -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("the batch failed")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_a_transaction_bound_pause_lasts_until_the_outermost_transaction_ends() -> None:
    with Session(create_engine("sqlite://")) as session:
        paused_until_transaction_ends(session)
        session.execute(text("SELECT 1"))
        with session.begin_nested():  # a savepoint ending is not the end
            session.execute(text("SELECT 2"))
        assert not gc.isenabled()
        session.commit()
        assert gc.isenabled()
        session.execute(text("SELECT 3"))  # a later transaction of the same session holds nothing
        session.rollback()
        assert gc.isenabled()


def test_a_transaction_bound_pause_ends_with_a_rollback_or_a_session_closed_unused() -> None:
    with Session(create_engine("sqlite://")) as session:
        paused_until_transaction_ends(session)
        session.rollback()
        assert gc.isenabled()
    session = Session(create_engine("sqlite://"))
    paused_until_transaction_ends(session)  # nothing ever queried
    assert not gc.isenabled()
    session.close()
    assert gc.isenabled()
