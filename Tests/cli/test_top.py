"""`sluice top` against a real sluiced with its operators' listener: a plain-text view when not on a
terminal, a live one in a pseudo-terminal that quits on `q`."""

import os
import pty
import select
import subprocess
import time

import pytest

from conftest import SLUICE, cli_env, harness


@pytest.fixture
def watched(request):
    admin_port = harness.free_port()
    b = harness._start_broker(request, f"top broker ({request.node.name})", {"admin.listeners": f"http://127.0.0.1:{admin_port}"})
    b.admin_port = admin_port
    yield b
    b.cleanup()
    if b in harness._active:
        harness._active.remove(b)


def produce_for(broker, seconds):
    """kcat producing into `busy` for a while (bounded), in the background."""
    records = "".join(f"k{i}:value {i}\n" for i in range(2000))
    script = f"end=$((SECONDS+{seconds})); while [ $SECONDS -lt $end ]; do printf %s '{records}' | kcat -b {broker.bootstrap} -P -t busy -K: ; done"
    return subprocess.Popen(["bash", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_plain_views_show_rates_and_down_nodes(watched):
    producer = produce_for(watched, 6)
    try:
        time.sleep(1.5)
        out = subprocess.run([SLUICE, "top", "-m", f"127.0.0.1:{watched.admin_port},127.0.0.1:1", "-n", "2"],
                             capture_output=True, text=True, timeout=30, env=cli_env(watched))
    finally:
        producer.wait(20)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("NODE ") == 2, out.stdout
    assert "127.0.0.1:1             down" in out.stdout
    busy = [line for line in out.stdout.splitlines() if line.strip().startswith("busy")]
    assert busy and all(int(line.split()[-1]) > 0 for line in busy), out.stdout
    assert "\x1b[" not in out.stdout, "no escape codes when not on a terminal"


def test_live_view_in_a_terminal_quits_on_q(watched):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(SLUICE, [SLUICE, "top", "-m", f"127.0.0.1:{watched.admin_port}"], cli_env(watched))
    seen = b""
    deadline = time.monotonic() + 15
    while b"(q quits)" not in seen and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.5)[0]:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    assert b"(q quits)" in seen and b"NODE" in seen and b"\x1b[H\x1b[2J" in seen, seen[-400:]
    os.write(fd, b"q")
    deadline = time.monotonic() + 5
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            if select.select([fd], [], [], 0.2)[0]:
                os.read(fd, 65536)
        except OSError:
            pass
    assert status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"sluice top did not quit on q ({status})"
