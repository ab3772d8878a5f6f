#!/usr/bin/env python3
"""SCRAM authentications per second against a SASL listener: each one a new TCP connection,
SaslHandshake v1, the two SaslAuthenticate steps of SCRAM-SHA-512 (the broker's signature checked),
then close. The client derives the salted password once per salt (as real clients may cache it),
so what is measured is the broker's work and the round trips, not the client's PBKDF2.

    scram_rate.py --bootstrap HOST:PORT --user U --password P [--seconds 5] [--connections 4]
"""
import argparse
import base64
import hashlib
import hmac
import os
import socket
import struct
import threading
import time


def frame(api, version, correlation, body):
    header = struct.pack(">hhih", api, version, correlation, 5) + b"bench"
    return struct.pack(">i", len(header) + len(body)) + header + body


def read_frame(sock):
    def exact(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data
    return exact(struct.unpack(">i", exact(4))[0])


def authenticate(host, port, user, password, salted_cache):
    with socket.create_connection((host, port), timeout=10) as s:
        mechanism = b"SCRAM-SHA-512"
        s.sendall(frame(17, 1, 1, struct.pack(">h", len(mechanism)) + mechanism))
        answer = read_frame(s)
        assert struct.unpack(">h", answer[4:6])[0] == 0, "handshake refused"
        nonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = f"n={user},r={nonce}"
        first = ("n,," + first_bare).encode()
        s.sendall(frame(36, 0, 2, struct.pack(">i", len(first)) + first))
        answer = read_frame(s)
        code, message_length = struct.unpack(">hh", answer[4:8])
        assert code == 0, f"authentication refused ({code})"
        offset = 8 + max(message_length, 0)
        size = struct.unpack(">i", answer[offset:offset + 4])[0]
        server_first = answer[offset + 4:offset + 4 + size].decode()
        attrs = dict(part.split("=", 1) for part in server_first.split(","))
        key = (attrs["s"], int(attrs["i"]))
        salted = salted_cache.get(key)
        if salted is None:
            salted = hashlib.pbkdf2_hmac("sha512", password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
            salted_cache[key] = salted
        client_key = hmac.new(salted, b"Client Key", "sha512").digest()
        stored = hashlib.sha512(client_key).digest()
        without_proof = f"c=biws,r={attrs['r']}"
        auth_message = f"{first_bare},{server_first},{without_proof}".encode()
        signature = hmac.new(stored, auth_message, "sha512").digest()
        proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature))).decode()
        final = f"{without_proof},p={proof}".encode()
        s.sendall(frame(36, 0, 3, struct.pack(">i", len(final)) + final))
        answer = read_frame(s)
        assert struct.unpack(">h", answer[4:6])[0] == 0, "final step refused"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    host, port = args.bootstrap.rsplit(":", 1)
    counts = [0] * args.connections
    deadline = time.monotonic() + args.seconds

    def worker(index):
        cache = {}
        while time.monotonic() < deadline:
            authenticate(host, int(port), args.user, args.password, cache)
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    print(f"SCRAM-SHA-512 authentications: {sum(counts)} in {elapsed:.1f} s = {sum(counts) / elapsed:.0f}/s "
          f"({args.connections} client threads, a new connection each)")


if __name__ == "__main__":
    main()
