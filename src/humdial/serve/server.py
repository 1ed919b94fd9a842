"""`humdial serve`: the duplex agent behind a WebSocket, one session per connection, plus its page.

The asyncio loop only moves bytes: per connection a reader (validates and queues audio), a sender
(drains the session's output) and an engine thread (`Session.run`). GET / returns the browser page;
any WebSocket upgrade starts a session.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from humdial.serve.protocol import (CLOSE_OVERLOADED, LANGUAGES, ProtocolError, decode_frame, parse_json,
                                    parse_start)
from humdial.serve.session import END, Models, Session, SessionLimits, close_code
from humdial.serve.threads import limit_blas_threads

MAX_MESSAGE = 1 << 16
"""Largest message accepted (64 KiB: a 32 ms frame at 48 kHz is 3 KiB); larger ones close with 1009."""


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    max_sessions: int = 16
    """Concurrent sessions; one more gets an 'overloaded' error (each runs the whole agent in real time)."""
    log_dir: Path | None = None
    limits: SessionLimits = field(default_factory=SessionLimits)
    send_buffer: int = 256 * 1024
    """Kernel send buffer per connection (bytes): with the sender's own bound, how much output can be
    in flight to a client before it counts as not reading."""
    languages: tuple[str, ...] = LANGUAGES


def page_html() -> bytes:
    return resources.files("humdial.serve").joinpath("page/index.html").read_bytes()


class LiveServer:
    def __init__(self, models: Models, options: ServeOptions):
        limit_blas_threads(1)  # sessions are the parallelism; see serve/threads.py (process-wide)
        self.models, self.options = models, options
        self.active: dict[str, Session] = {}
        self.finished: list[dict[str, Any]] = []
        """Outcome of every ended session (id, name, outcome, error code), for tests and the console."""
        self._server: Server | None = None
        self._slots = 0

    # ---- HTTP ---------------------------------------------------------------------------------------
    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        if "upgrade" in request.headers.get("Connection", "").lower():
            return None  # WebSocket handshake: a session
        path = request.path.split("?")[0]
        if path in ("/", "/index.html"):
            return _response(HTTPStatus.OK, page_html(), "text/html; charset=utf-8")
        if path == "/healthz":
            body = json.dumps({"sessions": self._slots, "max_sessions": self.options.max_sessions,
                               "languages": list(self.options.languages)}).encode()
            return _response(HTTPStatus.OK, body, "application/json")
        return _response(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    # ---- sessions -----------------------------------------------------------------------------------
    async def _handler(self, ws: ServerConnection) -> None:
        sock = ws.transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.options.send_buffer)
            except OSError:
                pass
        try:
            await self._session(ws)
        except ConnectionClosed:
            pass
        except Exception as exc:  # last resort: one connection's bug never reaches the server loop
            self.finished.append({"outcome": "server_error", "message": f"{type(exc).__name__}: {exc}"})
            await ws.close(1011, "internal error")

    async def _session(self, ws: ServerConnection) -> None:
        if self._slots >= self.options.max_sessions:
            err = ProtocolError("overloaded", f"server at its limit of {self.options.max_sessions} sessions")
            await ws.send(json.dumps(err.event()))
            await ws.close(CLOSE_OVERLOADED, "overloaded")
            self.finished.append({"outcome": "overloaded"})
            return
        self._slots += 1  # taken before the first await, so simultaneous connections cannot overshoot
        try:
            await self._accepted(ws)
        finally:
            self._slots -= 1

    async def _accepted(self, ws: ServerConnection) -> None:
        limits = self.options.limits
        try:
            first = await asyncio.wait_for(ws.recv(), limits.idle_s)
            if not isinstance(first, str):
                raise ProtocolError("bad_start", "audio before the start message")
            start = parse_start(parse_json(first), self.options.languages)
        except ProtocolError as err:
            await ws.send(json.dumps(err.event()))
            await ws.close(err.close_code, err.code)
            self.finished.append({"outcome": err.code})
            return
        except asyncio.TimeoutError:
            await ws.close(1008, "idle")
            self.finished.append({"outcome": "idle"})
            return

        loop = asyncio.get_running_loop()
        outbox: asyncio.Queue = asyncio.Queue()
        session = Session(start, self.models, lambda m: loop.call_soon_threadsafe(outbox.put_nowait, m),
                          limits, self.options.log_dir)
        self.active[session.id] = session
        engine = threading.Thread(target=session.run, name=f"session-{session.id}", daemon=True)
        engine.start()  # it posts nothing before the first audio frame, so 'ready' goes first
        reader: asyncio.Task | None = None
        try:
            await ws.send(json.dumps(session.ready_message()))
            reader = asyncio.create_task(self._read(ws, session))
            await self._send(ws, session, outbox)
        finally:
            session.cancel.set()
            if reader is not None:
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)
            await loop.run_in_executor(None, engine.join)
            self.active.pop(session.id, None)
            self.finished.append({"session": session.id, "name": start.name, "outcome": session.outcome,
                                  "error": session.error.code if session.error else None})

    async def _read(self, ws: ServerConnection, session: Session) -> None:
        """Validate and queue input; on a protocol error, record it and stop the engine."""
        short = False
        try:
            while not session.cancel.is_set():
                msg = await asyncio.wait_for(ws.recv(), session.limits.idle_s)
                if isinstance(msg, bytes):
                    if short:
                        raise ProtocolError("bad_frame", "a frame shorter than 20 ms is allowed only as the last one, "
                                                         "right before 'end'")
                    item: Any = decode_frame(msg, session.start, last_ok=True)
                    short = len(item) < session.start.frame_bounds()[0]
                else:
                    kind = parse_json(msg)["type"]
                    if kind == "end":
                        item = END
                    elif kind == "ping":
                        continue
                    else:
                        raise ProtocolError("bad_message", f"unknown message type {kind!r} (expected audio or 'end')")
                while not session.cancel.is_set():  # back-pressure: stop reading while the engine is behind
                    try:
                        session.inbox.put_nowait(item)
                        break
                    except Exception:
                        await asyncio.sleep(0.01)
                if item is END:
                    return
        except ProtocolError as err:
            session.error = err
            session.cancel.set()
        except asyncio.TimeoutError:
            session.error = ProtocolError("idle", f"no message for {session.limits.idle_s:g} s")
            session.cancel.set()
        except ConnectionClosed:
            session.cancel.set()  # vanished or closed without 'end': the engine cancels the session

    async def _send(self, ws: ServerConnection, session: Session, outbox: asyncio.Queue) -> None:
        """Drain the session's output until the engine is done, then close with its outcome."""
        dead = False
        while True:
            message = await outbox.get()
            if message is None:
                break
            session.sent()
            if dead:
                continue  # keep draining until the engine thread has stopped
            data = message if isinstance(message, bytes) else json.dumps(message, ensure_ascii=False, default=str)
            try:
                await asyncio.wait_for(ws.send(data), session.limits.out_backlog_s)
            except ConnectionClosed:
                dead = True
                session.cancel.set()
            except asyncio.TimeoutError:
                dead = True
                if session.error is None:
                    session.error = ProtocolError("client_not_reading", f"one message could not be sent for "
                                                  f"{session.limits.out_backlog_s:g} s: the client stopped reading")
                session.cancel.set()
                ws.transport.abort()
        err = session.error
        if err is not None and err.code != "client_not_reading":
            try:
                await asyncio.wait_for(ws.send(json.dumps(err.event())), 2.0)
            except (ConnectionClosed, asyncio.TimeoutError):
                pass
        await ws.close(close_code(err), err.code if err else "end")

    # ---- life ---------------------------------------------------------------------------------------
    async def start(self) -> Server:
        self._server = await serve(self._handler, self.options.host, self.options.port,
                                   process_request=self._http, max_size=MAX_MESSAGE, max_queue=32,
                                   compression=None, write_limit=32 * 1024, close_timeout=5,
                                   ping_interval=None)  # a busy machine must not kill healthy sessions: idle_s covers dead peers
        return self._server

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.sockets[0].getsockname()[1]

    async def serve_forever(self) -> None:
        server = await self.start()
        await server.serve_forever()


def _response(status: HTTPStatus, body: bytes, content_type: str) -> Response:
    headers = Headers([("Content-Type", content_type), ("Content-Length", str(len(body))),
                       ("Cache-Control", "no-store")])
    return Response(status.value, status.phrase, headers, body)


class BackgroundServer:
    """A LiveServer on its own event loop thread (tests, benchmarks): `with BackgroundServer(...) as s: s.url`."""

    def __init__(self, models: Models, options: ServeOptions):
        self.server = LiveServer(models, options)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> "BackgroundServer":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(30)
        return self

    @property
    def url(self) -> str:
        return f"ws://{self.server.options.host}:{self.server.port}/ws"

    def __exit__(self, *exc: Any) -> None:
        async def stop() -> None:
            assert self.server._server is not None
            self.server._server.close()
            await self.server._server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
