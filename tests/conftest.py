"""Test-wide guards: Qt runs headless, nothing touches the network, no test leaves a thread running."""

from __future__ import annotations

import os
import socket
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class NetworkUsed(AssertionError):
    pass


def _refuse(*_args, **_kwargs):
    raise NetworkUsed("a network call was attempted")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to resolve a name or open a connection fails the test."""
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)


@pytest.fixture(autouse=True)
def no_leftover_threads():
    """Fail any test that leaves a Python thread running (as napari does)."""
    before = set(threading.enumerate())
    yield
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert not leftover, f"test left threads running: {leftover}"


@pytest.fixture(autouse=True)
def no_leftover_qt_work(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Fail any Qt test that leaves a QThread running or work in a QThreadPool (napari's
    `_dangling_qthreads` and `_dangling_qthread_pool`). Tests that never use Qt skip it."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QThread, QThreadPool
    from shiboken6 import isValid

    pools: list[QThreadPool] = [QThreadPool.globalInstance()]
    threads: list[QThread] = []
    start_pool, start_thread = QThreadPool.start, QThread.start

    def pool_start(pool: QThreadPool, *args, **kwargs):
        pools.append(pool)
        return start_pool(pool, *args, **kwargs)

    def thread_start(thread: QThread, *args, **kwargs):
        threads.append(thread)
        return start_thread(thread, *args, **kwargs)

    monkeypatch.setattr(QThreadPool, "start", pool_start)
    monkeypatch.setattr(QThread, "start", thread_start)
    yield
    pools = [pool for pool in pools if isValid(pool)]  # a pool deleted with its window has finished
    busy = sum(pool.activeThreadCount() for pool in pools if not pool.waitForDone(1000))
    running = [thread for thread in threads if isValid(thread) and thread.isRunning() and not thread.wait(1000)]
    assert not busy, f"test left {busy} QThreadPool jobs running"
    assert not running, f"test left QThreads running: {running}"


@pytest.fixture(scope="session")
def engine():
    from desktop_app.engine.core import Engine

    return Engine()
