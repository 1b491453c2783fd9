#!/usr/bin/env python3
"""A shaping TCP proxy of the benches' own: a link with a delay per direction and rate limits.

This machine's kernel has no netem, and Debian offers no shaper that delays (trickle only limits a
dynamically linked client's rate), so the upload benches put this proxy between the clients and an
index on 127.0.0.1. It listens on 127.0.0.1 and forwards every connection to one target, and models
a full-duplex link:

- each direction of each connection is paced by two token buckets without burst (a byte takes
  1/rate seconds on the wire): one of the connection's own (`conn_rate`) and one shared by all
  connections in that direction (`total_rate`); a chunk starts when both are free;
- a chunk arrives at the other end `rtt / 2` after its last byte was sent; the delay does not
  serialize the link: while one chunk travels the next ones are sent, so a connection has
  rate x delay bytes in flight like a real path's bandwidth-delay product;
- what the far end does not read piles up to `window` bytes beyond the bytes in flight (a
  receive window), then the proxy stops reading, and the sender's own socket buffer fills;
- a new connection waits one RTT before its first byte is read (the TCP handshake the client would
  have waited for on a real path).

Not modelled: slow start and congestion control (a connection sends at its full rate from its
first byte), loss, TLS handshakes (the benches speak plain HTTP), the sender's socket buffer size.

Use in-process (Shaper(...).start() runs it on a thread of its own) or from a shell:
    python bench/shaper.py --target 127.0.0.1:8080 --rtt-ms 40 --rate-mbit 200 [--conn-rate-mbit 50]
"""

import argparse
import asyncio
import threading
import time
from dataclasses import dataclass, field

CHUNK = 32 * 1024
# How far back a bucket may book a chunk that the event loop woke up late for: without it every
# late wake-up (about a millisecond) would be lost to the link, 15% of a 32 KiB chunk at 40 Mbit/s.
# It is also the only burst a bucket allows after an idle time.
SLACK = 0.02
MBIT = 1_000_000 / 8  # bytes per second in one Mbit/s


class Bucket:
    """A token bucket without burst: the time at which the link it paces is free again."""

    def __init__(self, rate):
        self.rate = rate  # bytes per second; None: no limit
        self.free_at = 0.0


def reserve(size, now, buckets):
    """Books `size` bytes on every bucket at the first instant all are free (at most SLACK in the
    past); returns when the last of its bytes has left (the slowest bucket's end)."""
    limited = [b for b in buckets if b.rate]
    if not limited:
        return now
    start = max([now - SLACK] + [b.free_at for b in limited])
    end = start
    for bucket in limited:
        bucket.free_at = start + size / bucket.rate
        end = max(end, bucket.free_at)
    return end


@dataclass
class Stats:
    connections: int = 0
    up_bytes: int = 0  # client -> target
    down_bytes: int = 0
    peak_connections: int = 0
    open_now: int = 0
    first_connect: float = None
    log: list = field(default_factory=list)


class Shaper:
    def __init__(self, target_host, target_port, *, rtt=0.0, total_rate=None, conn_rate=None,
                 window=4 << 20, listen_port=0):
        """rtt in seconds; rates in bytes per second (None: unlimited)."""
        self.target = (target_host, target_port)
        self.delay = rtt / 2
        self.rtt = rtt
        self.total_rate = total_rate
        self.conn_rate = conn_rate
        self.window = window
        self.listen_port = listen_port
        self.total_up = Bucket(total_rate)
        self.total_down = Bucket(total_rate)
        self.stats = Stats()
        self.port = None
        self._loop = None
        self._thread = None
        self._server = None
        self._tasks = set()

    # Running on a thread of its own.

    def start(self):
        ready = threading.Event()
        failure = []

        def run():
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(self._listen())
            except BaseException as error:  # reported to start()'s caller
                failure.append(error)
                ready.set()
                return
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._shutdown())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="shaper", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self):
        if self._loop and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/"

    async def _listen(self):
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", self.listen_port,
                                                  limit=CHUNK)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self):
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def serve_forever(self):
        await self._listen()
        async with self._server:
            await self._server.serve_forever()

    # One connection.

    async def _connection(self, client_reader, client_writer):
        task = asyncio.current_task()
        self._tasks.add(task)
        stats = self.stats
        stats.connections += 1
        stats.open_now += 1
        stats.peak_connections = max(stats.peak_connections, stats.open_now)
        if stats.first_connect is None:
            stats.first_connect = time.monotonic()
        target_writer = None
        try:
            try:
                target_reader, target_writer = await asyncio.open_connection(*self.target,
                                                                             limit=CHUNK)
            except OSError:
                return
            await asyncio.sleep(self.rtt)  # the handshake
            await asyncio.gather(
                self._pump(client_reader, target_writer, Bucket(self.conn_rate), self.total_up,
                           "up_bytes"),
                self._pump(target_reader, client_writer, Bucket(self.conn_rate), self.total_down,
                           "down_bytes"))
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            stats.open_now -= 1
            for writer in (client_writer, target_writer):
                if writer is not None:
                    writer.close()
            self._tasks.discard(task)

    async def _pump(self, reader, writer, own, total, counter):
        """One direction: read as the buckets allow, deliver each chunk `delay` after it left."""
        loop = asyncio.get_running_loop()
        queue = asyncio.Queue()
        queued = 0
        room = asyncio.Event()
        room.set()
        limit = self.window + int((self.conn_rate or self.total_rate or 0) * self.delay)

        async def deliver():
            nonlocal queued
            while True:
                arrive, data = await queue.get()
                wait = arrive - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
                queued -= len(data)
                setattr(self.stats, counter, getattr(self.stats, counter) + len(data))
                if queued <= limit:
                    room.set()

        delivery = asyncio.ensure_future(deliver())
        try:
            last_arrival = 0.0
            while True:
                if delivery.done():  # the far end went away
                    break
                await room.wait()
                data = await reader.read(CHUNK)
                now = loop.time()
                sent = reserve(len(data), now, (own, total)) if data else now
                last_arrival = max(last_arrival, sent + self.delay)
                queue.put_nowait((last_arrival, data))
                if not data:
                    break
                queued += len(data)
                if queued > limit:
                    room.clear()
                if sent > now:  # the next chunk leaves when this one has
                    await asyncio.sleep(sent - now)
            await delivery
        except (OSError, asyncio.CancelledError):
            delivery.cancel()
            raise
        finally:
            if not delivery.done():
                delivery.cancel()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="host:port to forward to")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any)")
    parser.add_argument("--rtt-ms", type=float, default=0)
    parser.add_argument("--rate-mbit", type=float, help="total rate per direction, Mbit/s")
    parser.add_argument("--conn-rate-mbit", type=float, help="rate per connection and direction")
    arguments = parser.parse_args()
    host, port = arguments.target.rsplit(":", 1)
    shaper = Shaper(host, int(port), rtt=arguments.rtt_ms / 1000,
                    total_rate=arguments.rate_mbit and arguments.rate_mbit * MBIT,
                    conn_rate=arguments.conn_rate_mbit and arguments.conn_rate_mbit * MBIT,
                    listen_port=arguments.port)

    async def serve():
        await shaper._listen()
        print(f"shaper: 127.0.0.1:{shaper.port} -> {arguments.target}", flush=True)
        async with shaper._server:
            await shaper._server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
