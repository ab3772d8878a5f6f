"""A scripted Kafka endpoint that answers ApiVersions (v0) and Metadata (v1) with a fixed cluster
state, so `sluice cluster info|health` can be shown a cluster a single sluiced never is: a missing
controller, a broker down, partitions without a leader and under-replicated ones.

It serves until stop(); every connection is handled on its own thread and ends when the client
closes it or sends something this script does not know.
"""

import socket
import struct
import threading

from kafka_raw import array, i8, i16, i32, string

API_VERSIONS, METADATA = 18, 3
UNSUPPORTED_VERSION = 35


class FakeBroker:
    def __init__(self, brokers, controller_id, topics):
        """brokers: [node id]; all advertise this endpoint. topics: {name: [(partition, leader, replicas, isr)]}."""
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.brokers = brokers
        self.controller_id = controller_id
        self.topics = topics
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def stop(self):
        self.stopped.set()
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone does not on Linux
        except OSError:
            pass
        self.listener.close()
        self.thread.join(5)

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            conn.settimeout(30)
            try:
                while not self.stopped.is_set():
                    size = struct.unpack(">i", self._exact(conn, 4))[0]
                    frame = self._exact(conn, size)
                    api_key, version, correlation_id = struct.unpack(">hhi", frame[:8])
                    body = self._answer(api_key, version)
                    if body is None:
                        return
                    payload = i32(correlation_id) + body  # response header v0 for both APIs
                    conn.sendall(i32(len(payload)) + payload)
            except (OSError, ConnectionError, struct.error):
                return

    @staticmethod
    def _exact(conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def _answer(self, api_key, version):
        if api_key == API_VERSIONS:
            # Only v0 here: a higher request gets UNSUPPORTED_VERSION in the v0 layout, and the client asks again.
            keys = array([i16(API_VERSIONS) + i16(0) + i16(0), i16(METADATA) + i16(1) + i16(1)])
            return i16(UNSUPPORTED_VERSION if version > 0 else 0) + keys
        if api_key == METADATA and version == 1:
            brokers = array([i32(node) + string("127.0.0.1") + i32(self.port) + string(None) for node in self.brokers])
            topics = array([
                i16(0) + string(name) + i8(0) + array([
                    i16(0) + i32(partition) + i32(leader) + array(map(i32, replicas)) + array(map(i32, isr))
                    for partition, leader, replicas, isr in partitions])
                for name, partitions in sorted(self.topics.items())])
            return brokers + i32(self.controller_id) + topics
        return None
