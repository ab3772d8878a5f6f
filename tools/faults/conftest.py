"""pytest glue for the multi-node fault tests: modes, fixtures, a watchdog per test, log tails.

FAULTS_SHORT=1: few iterations, the whole directory in under 3 minutes (`make cluster-tests`);
otherwise the long mode of `make faults`. FAULTS_TEST_TIMEOUT overrides the per-test bound.
SLUICED = the broker binary (default .build/debug/sluiced). FAULTS_KEEP_DATA=1 keeps data dirs.
"""

import faulthandler
import os
import signal
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checks import SHORT, pick  # noqa: E402
from cluster import Cluster  # noqa: E402
import netns as netns_mod  # noqa: E402

TEST_TIMEOUT = float(os.environ.get("FAULTS_TEST_TIMEOUT", "75" if SHORT else "900"))


_clusters = []  # clusters of the running test, for log tails on failure


@pytest.fixture
def make_cluster():
    """make_cluster(size=3, settings={...}, addresses=None) -> a started Cluster; all are killed
    and their temp dirs removed after the test."""
    made = []

    def make(size=3, settings=None, addresses=None, start=True, admin=False):
        c = Cluster(addresses, settings=settings) if addresses else Cluster.on_loopback(size, admin=admin, settings=settings)
        made.append(c)
        _clusters.append(c)
        if start:
            c.start(timeout=pick(30.0, 60.0))
        return c

    yield make
    for c in made:
        c.cleanup()
        _clusters.remove(c)


@pytest.fixture
def namespaces():
    reason = netns_mod.unavailable()
    if reason:
        pytest.skip(f"network namespaces unavailable: {reason}")
    netns_mod.sweep_stale()
    nets = netns_mod.Namespaces().setup()
    try:
        yield nets
    finally:
        nets.teardown()


@pytest.fixture
def topic(request):
    return "f-" + request.node.name.replace("_", "-")[:40] + "-" + uuid.uuid4().hex[:6]


class TestTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def watchdog():
    """Bounds each test, setup (cluster start) included: SIGALRM raises in the test, and if even
    that cannot get through, faulthandler dumps every stack and ends the run a minute later."""
    def expired(signum, frame):
        raise TestTimeout(f"test exceeded {TEST_TIMEOUT:.0f}s (FAULTS_TEST_TIMEOUT)")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, TEST_TIMEOUT)
    faulthandler.dump_traceback_later(TEST_TIMEOUT + 60, exit=True)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    faulthandler.cancel_dump_traceback_later()
    signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        for c in _clusters:
            for title, text in c.tails():
                report.sections.append((f"sluiced log tail: {title}", text))
    return report
