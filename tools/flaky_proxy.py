"""A TCP proxy that cuts connections in the middle of what a client sends: the weak signal at
the far end of a plant (and, with `down()`, a service that goes away), for tests and `make bench`.

It forwards bytes both ways and counts what clients send; each time that count passes one of
the cut points, it closes the connection that carried it (both sides, without a word), as a
dropped mobile connection does mid-chunk. Used in a thread by tests, or on its own:

    python -m tools.flaky_proxy LISTEN_PORT UPSTREAM_PORT CUT_AT_BYTES [CUT_AT_BYTES…]
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time


class FlakyProxy:
    def __init__(self, upstream_port: int, cuts: list[int] | None = None, port: int = 0) -> None:
        self.upstream_port = upstream_port
        self.cuts = sorted(cuts or [])
        self.port = port
        self.sent = 0  # bytes clients sent through the proxy
        self.cut = 0  # connections cut so far
        self.outage = 0.0
        self.refused = 0  # connections cut at once during an outage
        self._outage_until = 0.0
        self._down = False  # cut everything until `up()`
        self._open: set = set()  # the transports of the connections open now
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._ready = threading.Event()
        self._hang_at: int | None = None
        self._released: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._main_task: asyncio.Task | None = None

    def cut_at(self, *offsets: int, outage: float = 0.0) -> None:
        """Cut again when clients have sent `offset` more bytes, for each offset; for `outage`
        seconds after each cut, new connections are cut at once (browsers retry a request
        whose connection was reset once by themselves: a real outage outlasts that)."""
        self.cuts = sorted([*self.cuts, *(self.sent + offset for offset in offsets)])
        self.outage = outage

    def hang_at(self, offset: int) -> None:
        """Stop forwarding when clients have sent `offset` more bytes, until `release()`: a
        phone that lost its signal in the middle of a chunk and was then reloaded."""
        self._hang_at = self.sent + offset

    def down(self) -> None:
        """Cut every open connection and every new one until `up()`: the service is away."""
        self._down = True
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._abort_open)

    def up(self) -> None:
        self._down = False

    def _abort_open(self) -> None:
        for transport in list(self._open):
            transport.abort()

    def release(self) -> None:
        self._hang_at = None
        if self._loop is not None and self._released is not None:
            self._loop.call_soon_threadsafe(self._released.set)

    async def _pipe(self, reader, writer, counting: bool, peer) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if (
                    counting
                    and self._hang_at is not None
                    and self.sent + len(data) >= self._hang_at
                ):
                    keep = max(0, self._hang_at - self.sent)
                    writer.write(data[:keep])
                    self.sent += keep
                    await self._released.wait()
                    writer.transport.abort()  # the signal never came back for this one
                    peer.transport.abort()
                    return
                if counting:
                    pending = [cut for cut in self.cuts if cut > self.sent]
                    if pending and self.sent + len(data) >= pending[0]:
                        keep = pending[0] - self.sent
                        writer.write(data[:keep])
                        self.sent += keep
                        self.cuts.remove(pending[0])
                        self.cut += 1
                        self._outage_until = time.monotonic() + self.outage
                        writer.transport.abort()
                        peer.transport.abort()
                        return
                    self.sent += len(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _serve(self, client_reader, client_writer) -> None:
        if self._down or time.monotonic() < self._outage_until:
            self.refused += 1
            client_writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.transport.abort()
            return
        ends = {client_writer.transport, up_writer.transport}
        self._open |= ends
        try:
            await asyncio.gather(
                self._pipe(client_reader, up_writer, True, client_writer),
                self._pipe(up_reader, client_writer, False, up_writer),
            )
        except asyncio.CancelledError:  # the proxy stops: the connection simply ends
            for transport in ends:
                transport.abort()
        finally:
            self._open -= ends

    async def _main(self) -> None:
        self._released = asyncio.Event()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        async with self._server:
            await self._server.serve_forever()

    def start(self) -> FlakyProxy:
        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            self._main_task = loop.create_task(self._main())
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._main_task)
            pending = asyncio.all_tasks(loop)  # connections still open: close them too
            for task in pending:
                task.cancel()
            loop.run_until_complete(_settled(pending))
            loop.close()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._main_task is not None:
            self._loop.call_soon_threadsafe(self._main_task.cancel)
            self._thread.join(10)

    def __enter__(self) -> FlakyProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


async def _settled(tasks: set[asyncio.Task]) -> None:
    await asyncio.gather(*tasks, return_exceptions=True)


def main() -> int:
    own, upstream, *cuts = (int(value) for value in sys.argv[1:])
    proxy = FlakyProxy(upstream, cuts, own).start()
    print(f"flaky proxy on 127.0.0.1:{proxy.port} -> {upstream}, cuts at {cuts}", flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
