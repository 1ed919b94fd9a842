"""LLM plumbing shared by the judge, the agent's responder and the script writer.

`spec` parses `openai:MODEL@URL` (one grammar everywhere), `keys` reads the API key from the
environment (one convention), `client` is the one OpenAI-compatible chat client (retries, timeouts,
structured output), `cache` stores raw answers on disk by content so re-runs cost nothing.
"""
