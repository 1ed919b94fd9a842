"""Offline proxy judge (no network, no GPU). Its verdicts are labelled as not comparable to official scores."""

from humdial.judge.proxy.behaviour import PROXY_VERSION, BehaviourDecision, ProxyConfig, decide_behaviour
from humdial.judge.proxy.judge import NOT_OFFICIAL, ProxyJudge

__all__ = ["PROXY_VERSION", "BehaviourDecision", "NOT_OFFICIAL", "ProxyConfig", "ProxyJudge", "decide_behaviour"]
