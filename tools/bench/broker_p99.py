#!/usr/bin/env python3
"""The broker's own share of a latency measurement: from two scrapes of a broker's /metrics taken
around it, the p99 of the time Produce requests spent queued for a handler and in their handler
(sluice_request_queue_seconds and sluice_request_handle_seconds, label api="Produce"), over the
requests answered between the scrapes.

A client's round trip also holds what no broker histogram covers: the socket, the event loop
reading the request and writing the answer, and the client's own wake-up. When the broker's
figures stay flat while the client's p99 rises, the rise is spent outside the request path
(on a machine with two cores, mostly waiting for a core).

Each p99 is given as the bounds of the histogram bucket that holds it (the bounds are ..., 250
µs, 500 µs, 1 ms, 2.5 ms, ...), not interpolated inside it.

usage: broker_p99.py BEFORE AFTER     (files holding the two scrapes)
prints: queue p99 <from>-<to> µs, handle p99 <from>-<to> µs (<n> produces)
"""
import re
import sys

BUCKET = re.compile(r'^(sluice_request_(?:queue|handle)_seconds)_bucket\{api="Produce",le="([^"]+)"\} ([0-9.e+]+)$')


def buckets(path):
    """{metric: {upper bound: cumulative count}} for the Produce series of one scrape."""
    found = {}
    with open(path) as scrape:
        for line in scrape:
            match = BUCKET.match(line.strip())
            if match:
                name, bound, count = match.groups()
                found.setdefault(name, {})[float(bound)] = float(count)
    return found


def quantile_bucket(q, cumulative):
    """(lower, upper) bounds in seconds of the bucket that holds quantile q of {bound: cumulative
    count}; None when no request was counted. The bounds are all a histogram knows: a figure
    interpolated inside a bucket 1.5 ms wide would only look precise."""
    bounds = sorted(cumulative)
    total = cumulative[bounds[-1]]
    if total <= 0:
        return None
    lower = 0.0
    for bound in bounds:
        if cumulative[bound] >= q * total:
            return lower, bound
        lower = bound
    return lower, float("inf")


def micros(seconds):
    return "inf" if seconds == float("inf") else str(round(seconds * 1e6))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-2])
    before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
    parts = []
    answered = 0
    for stage, name in (("queue", "sluice_request_queue_seconds"), ("handle", "sluice_request_handle_seconds")):
        if name not in after:
            sys.exit(f"no {name} series for Produce in {sys.argv[2]}")
        difference = {bound: count - before.get(name, {}).get(bound, 0.0) for bound, count in after[name].items()}
        answered = int(difference[float("inf")])
        bucket = quantile_bucket(0.99, difference)
        parts.append(f"{stage} p99 {'?' if bucket is None else micros(bucket[0]) + '-' + micros(bucket[1])} µs")
    print(", ".join(parts) + f" ({answered} produces)")


if __name__ == "__main__":
    main()
