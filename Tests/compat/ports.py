"""Free TCP ports for the brokers tests and benches start, picked below the kernel's ephemeral range.

A port the kernel hands out for bind(port 0) comes from the ephemeral range, the same range it
takes the local port of every outgoing connection from. Between the pick and the broker's bind, or
while a broker is down for a restart, any connection on the machine (a client's, another node's)
can be given that port as its local port and keep it for as long as it stays open; the broker then
cannot bind at all (a CI run saw one node fail 66 starts in a row that way). The kernel never gives
a port below that range to an outgoing connection, so only another listener can take one. (A
machine whose ephemeral range leaves fewer than 1,000 ports below it gets kernel-picked ports.)

Run as a script it prints one free port (for the shell benches)."""

import random
import socket

LOWEST = 10000  # below this sit well-known services a test has no business near


def ephemeral_range_start():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_ports(count, host="127.0.0.1"):
    """`count` distinct free ports on `host`. Each stays bound until all are picked, so no two
    picks collide; a bind that fails (a port some listener holds) just moves on to another."""
    highest = ephemeral_range_start() - 1
    # A machine whose ephemeral range covers nearly every port leaves none below it: the kernel
    # picks then, as before (the race is back, but the tests run).
    below = highest - LOWEST >= 1000
    sockets = []
    try:
        for _ in range(100 * count + 100):
            if len(sockets) == count:
                break
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.bind((host, random.randint(LOWEST, highest) if below else 0))
            except OSError:
                s.close()
                continue
            sockets.append(s)
        if len(sockets) < count:
            where = f"between {LOWEST} and {highest}" if below else "from the kernel"
            raise RuntimeError(f"found only {len(sockets)} of {count} free ports {where}")
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def free_port(host="127.0.0.1"):
    return free_ports(1, host)[0]


if __name__ == "__main__":
    print(free_port())
