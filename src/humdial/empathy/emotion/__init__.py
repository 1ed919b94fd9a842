"""Emotion understanding for Track 1: per-turn labels from text, paralinguistic tags and voice, and a
per-dialogue timeline that ties each change of state to the event the user named."""

from humdial.empathy.emotion.fusion import EmotionConfig, EmotionRecognizer, TurnEmotion
from humdial.empathy.emotion.labels import EMOTIONS, canonical
from humdial.empathy.emotion.timeline import EmotionTimeline, build_timeline

__all__ = ["EMOTIONS", "EmotionConfig", "EmotionRecognizer", "EmotionTimeline", "TurnEmotion", "build_timeline",
           "canonical"]
