#!/usr/bin/env python3
"""A quick check of bench/shaper.py (about 10 s): a ping-pong shows the RTT, a bulk transfer the
rate, a long delay does not cut the rate, two transfers share the total rate and each keeps to its
own. Not a ctest test: run it by hand, `python3 bench/test_shaper.py`."""

import os
import socket
import socketserver
import sys
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shaper import MBIT, Shaper  # noqa: E402


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(65536):
            self.request.sendall(data)


class Sink(socketserver.BaseRequestHandler):
    """Reads everything, then answers how many bytes it read."""

    def handle(self):
        size = 0
        while data := self.request.recv(1 << 20):
            size += len(data)
        self.request.sendall(str(size).encode())


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serving(handler):
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def send(port, size):
    """Sends `size` random bytes through the proxy; returns the seconds until the sink's answer."""
    payload = os.urandom(size)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        while data := s.recv(100):
            answer += data
    assert int(answer) == size, answer
    return time.monotonic() - started


class ShaperTest(unittest.TestCase):
    def setUp(self):
        self.echo = serving(Echo)
        self.sink = serving(Sink)

    def tearDown(self):
        for server in (self.echo, self.sink):
            server.shutdown()
            server.server_close()

    def test_ping_pong_takes_one_rtt(self):
        rtt = 0.1
        with Shaper("127.0.0.1", self.echo.server_address[1], rtt=rtt) as shaper:
            with socket.create_connection(("127.0.0.1", shaper.port)) as s:
                times = []
                for _ in range(5):
                    started = time.monotonic()
                    s.sendall(b"ping")
                    self.assertEqual(s.recv(100), b"ping")
                    times.append(time.monotonic() - started)
        print(f"\nping-pong at rtt {rtt}: first (with the handshake) {times[0]:.3f} s, then "
              f"{', '.join(f'{t:.3f}' for t in times[1:])} s")
        self.assertGreaterEqual(times[0], 2 * rtt)
        self.assertLess(times[0], 2 * rtt + 0.05)
        for t in times[1:]:
            self.assertGreaterEqual(t, rtt)
            self.assertLess(t, rtt + 0.05)

    def check_rate(self, seconds, size, rate, overhead, label):
        expected = size / rate + overhead
        print(f"{label}: {seconds:.3f} s, expected {expected:.3f} s "
              f"({size / (seconds - overhead) / MBIT:.1f} Mbit/s)")
        self.assertGreater(seconds, expected * 0.95)
        self.assertLess(seconds, expected * 1.15 + 0.05)

    def test_bulk_transfer_keeps_the_rate(self):
        size, rate = 5 << 20, 40 * MBIT
        with Shaper("127.0.0.1", self.sink.server_address[1], total_rate=rate) as shaper:
            self.check_rate(send(shaper.port, size), size, rate, 0, "\n5 MiB at 40 Mbit/s, rtt 0")

    def test_delay_does_not_serialize_throughput(self):
        size, rate, rtt = 5 << 20, 40 * MBIT, 0.2
        with Shaper("127.0.0.1", self.sink.server_address[1], rtt=rtt, total_rate=rate) as shaper:
            # the handshake, the last byte's way there and the answer's way back
            self.check_rate(send(shaper.port, size), size, rate, 2 * rtt,
                            "\n5 MiB at 40 Mbit/s, rtt 200 ms")

    def parallel(self, shaper, size, count):
        times = [None] * count

        def one(i):
            times[i] = send(shaper.port, size)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return times

    def test_parallel_transfers_share_the_total_rate(self):
        size, rate = 4 << 20, 40 * MBIT
        with Shaper("127.0.0.1", self.sink.server_address[1], total_rate=rate) as shaper:
            times = self.parallel(shaper, size, 2)
        for t in times:  # each gets half the rate: both end together
            self.check_rate(t, 2 * size, rate, 0, "\none of 2 x 4 MiB sharing 40 Mbit/s")

    def test_each_connection_keeps_to_its_own_rate(self):
        size, rate = 4 << 20, 20 * MBIT
        with Shaper("127.0.0.1", self.sink.server_address[1], total_rate=100 * MBIT,
                    conn_rate=rate) as shaper:
            times = self.parallel(shaper, size, 3)
        for t in times:
            self.check_rate(t, size, rate, 0, "\none of 3 x 4 MiB at 20 Mbit/s each, 100 total")


if __name__ == "__main__":
    unittest.main(verbosity=2)
