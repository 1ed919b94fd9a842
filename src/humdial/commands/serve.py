"""`humdial serve`: the baseline full-duplex agent, live over WebSocket, with a browser page."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_agent_asr, add_lang

COMMAND = ("serve",)
HELP = "serve the full-duplex agent live over WebSocket (protocol in docs/streaming.md) with a browser page"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (localhost only by default)")
    parser.add_argument("--public", action="store_true",
                        help="allow binding a non-loopback --host (anyone who can reach it can talk to the agent)")
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port, printed at start)")
    add_lang(parser, default="en,zh")
    parser.add_argument("--max-sessions", type=int, default=16, help="concurrent sessions")
    parser.add_argument("--logs", default="serve_logs", help="folder for each session's event log")
    parser.add_argument("--responder", default="offline", help="offline | openai:MODEL@URL | gguf:PATH")
    add_agent_asr(parser)
    parser.add_argument("--speaker-encoder", default="auto", choices=["auto", "ge2e", "spectral"])
    parser.add_argument("--idle", type=float, default=30.0, help="close a session after this many seconds "
                                                                 "without a message")


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    import asyncio

    from humdial.agent.build import DEFAULT_ASR, AgentKit
    from humdial.agent.config import AgentConfig
    from humdial.errors import HumdialError
    from humdial.serve.server import LiveServer, ServeOptions
    from humdial.serve.session import Models, SessionLimits
    from humdial.commands.options import asr_routes
    from humdial.serve.threads import limit_blas_threads

    if not is_loopback(args.host) and not args.public:
        raise HumdialError(f"--host {args.host} is not a loopback address: add --public to serve other machines")
    if args.max_sessions < 1:
        raise HumdialError("--max-sessions must be at least 1")
    langs = tuple(args.lang)
    limit_blas_threads(1)  # before the models load and warm up (LiveServer repeats it)
    print(f"loading the agent ({', '.join(langs)}) ...", flush=True)
    kit = AgentKit.load(list(langs), args.responder, asr_routes(args.asr, DEFAULT_ASR),
                        AgentConfig(speaker_encoder=args.speaker_encoder))
    logs = Path(args.logs)
    logs.mkdir(parents=True, exist_ok=True)
    options = ServeOptions(args.host, args.port, args.max_sessions, logs, SessionLimits(idle_s=args.idle),
                           languages=langs)
    server = LiveServer(Models.from_kit(kit), options)

    async def main() -> None:
        await server.start()
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"humdial serve: page http://{host}:{server.port}/  websocket ws://{host}:{server.port}/ws  "
              f"(event logs in {logs}; Ctrl-C stops)", flush=True)
        assert server._server is not None
        await server._server.serve_forever()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    return 0
