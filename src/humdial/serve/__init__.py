"""Live full-duplex serving over WebSocket: the protocol, the server (`humdial serve`), its browser page,
and the client that streams a benchmark set into any live system (`humdial stream`). See docs/streaming.md."""
