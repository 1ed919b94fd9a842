"""Turn-taking decisions, one small strategy per file; each threshold is a documented dataclass field."""

from humdial.agent.strategies.backchannel import BackchannelConfig, BackchannelStrategy
from humdial.agent.strategies.barge_in import BargeInConfig, BargeInStrategy
from humdial.agent.strategies.base import Verdict
from humdial.agent.strategies.directed_at_others import AddresseeConfig, AddresseeStrategy
from humdial.agent.strategies.end_of_turn import EndOfTurnConfig, EndOfTurnStrategy
from humdial.agent.strategies.resume import ResumeConfig, ResumeStrategy
from humdial.agent.strategies.third_party import ThirdPartyConfig, ThirdPartyStrategy

__all__ = ["AddresseeConfig", "AddresseeStrategy", "BackchannelConfig", "BackchannelStrategy", "BargeInConfig",
           "BargeInStrategy", "EndOfTurnConfig", "EndOfTurnStrategy", "ResumeConfig", "ResumeStrategy",
           "ThirdPartyConfig", "ThirdPartyStrategy", "Verdict"]
