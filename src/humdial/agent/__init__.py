"""The baseline full-duplex agent: frames on a clock, an explicit duplex state machine, turn-taking
strategies (one per file), understanding, responders and speech output. See docs/agent.md."""

from humdial.agent.config import AgentConfig
from humdial.agent.state import DuplexState, EventLog

__all__ = ["AgentConfig", "DuplexState", "EventLog"]
