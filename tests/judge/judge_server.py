"""A small, real OpenAI-compatible chat server on 127.0.0.1 for the judge client tests.

Each test passes a `script(call_number, body) -> Reply`; the server records every request it got.
It stops itself after `lifetime_s` even if a test forgets to stop it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Reply:
    content: str | None = None
    """Assistant message text (wrapped into a chat completion)."""
    status: int = 200
    body: str | None = None
    """Raw body instead of a chat completion."""
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    """Close the connection without answering."""


def completion(content: str) -> str:
    return json.dumps({"id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-judge",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


def deterministic_tag(body: dict) -> str:
    """A fake judge: a tag chosen by a hash of the user message, so reruns agree."""
    user = json.dumps(body["messages"][-1]["content"], sort_keys=True)
    tags = ("C_RESPOND", "C_RESUME", "C_UNCERTAIN_HANDLING", "C_UNKNOWN")
    return tags[int(hashlib.sha256(user.encode()).hexdigest(), 16) % 4]


def good_answer(call: int, body: dict) -> Reply:
    return Reply(content=json.dumps({"behaviour": [deterministic_tag(body)]}))


class JudgeServer:
    def __init__(self, script: Callable[[int, dict], Reply] = good_answer, *, die_after: int | None = None,
                 lifetime_s: float = 30.0):
        self.script = script
        self.die_after = die_after
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                    call = len(server.requests)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                released = False

                def release() -> None:
                    nonlocal released
                    if not released:
                        released = True
                        with server._lock:
                            server.in_flight -= 1

                try:
                    if server.die_after is not None and call > server.die_after:
                        server.stop_in_background()
                        self.close_connection = True
                        return
                    reply = server.script(call, body)
                    if reply.delay_s:
                        time.sleep(reply.delay_s)
                    if reply.drop:
                        self.close_connection = True
                        return
                    data = (reply.body if reply.body is not None else completion(reply.content or "")).encode()
                    # leave the in-flight count before the answer goes out: once the client has read it, it
                    # may send its next request before this thread runs again (seen under load)
                    release()
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    release()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._timer = threading.Timer(lifetime_s, self.stop)
        self._timer.daemon = True

    def start(self) -> "JudgeServer":
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def stop_in_background(self) -> None:
        """Die from inside a handler (shutdown() would deadlock when called from the serving thread)."""
        threading.Thread(target=self.stop, daemon=True).start()

    def __enter__(self) -> "JudgeServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
