"""Constructed Track 2 samples (en + zh) for the proxy judge tests: transcripts with word timings."""

from __future__ import annotations

from humdial.protocol.transcript import Transcript, Word
from humdial.judge.proxy.text import is_cjk


def timed(text: str, start: float, step: float | None = None) -> list[Word]:
    """Words (en) or characters (zh, punctuation attached to the previous character) from `start`."""
    if is_cjk(text):
        units: list[str] = []
        for ch in text:
            if is_cjk(ch) or not units:
                units.append(ch)
            else:
                units[-1] += ch
        step = step or 0.2
    else:
        units = text.split()
        step = step or 0.3
    return [Word(u, round(start + k * step, 3), round(start + k * step + step * 0.8, 3)) for k, u in enumerate(units)]


def transcript(*pieces: tuple[str, float]) -> dict:
    words: list[Word] = []
    for text, start in pieces:
        words += timed(text, start)
    return Transcript.from_words(words).to_official()


QUERY = {"en": "Can you tell me about Paris?", "zh": "给我介绍一下巴黎吧"}
PLANNED = {
    "en": ["Paris is the capital of France.", "It is famous for the Eiffel Tower and its long history.",
           "The city also has many great museums like the Louvre."],
    "zh": ["巴黎是法国的首都。", "它以埃菲尔铁塔和悠久的历史闻名。", "这座城市还有很多著名的博物馆，比如卢浮宫。"],
}
OVERLAP_AT = 4.5


def sample(lang: str, overlap: str | None, after: str | None, *, before_gap: bool = True) -> dict:
    """A sample: query at 0 s, planned answer from 2 s, an overlap at 4.5 s, the model's new speech at 6 s."""
    first = PLANNED[lang][0]
    clean_out = transcript((PLANNED[lang][0], 2.0), (PLANNED[lang][1], 4.2), (PLANNED[lang][2], 7.4))
    pieces = [(first, 2.0)]
    if after is not None:
        pieces.append((after, 6.0))
    noisy_in = [(QUERY[lang], 0.0)] + ([(overlap, OVERLAP_AT)] if overlap else [])
    return {"input_clean": transcript((QUERY[lang], 0.0)), "input_noisy": transcript(*noisy_in),
            "output_clean": clean_out, "output_noisy": transcript(*pieces)}


CASES = {
    # (lang, name): (overlap, model speech after the overlap, expected tag)
    ("en", "respond_follow_up"): ("What about the food there?",
                                  "The food in Paris is wonderful, with fresh croissants and fine cheese.", "C_RESPOND"),
    ("en", "respond_topic_switch"): ("Actually, what is the weather like in Tokyo today?",
                                     "Tokyo is sunny and warm today, around twenty five degrees.", "C_RESPOND"),
    ("en", "respond_stop"): ("Stop, please stop talking.", "Okay, I'll stop.", "C_RESPOND"),
    ("en", "respond_repeat"): ("Sorry, could you repeat that?", "Sure, I said Paris is the capital of France.",
                               "C_RESPOND"),
    ("en", "resume_backchannel"): ("Uh-huh.", "It is famous for the Eiffel Tower and its long history.", "C_RESUME"),
    ("en", "resume_third_party"): ("Honey, did you feed the dog this morning?",
                                   "It is famous for the Eiffel Tower and its long history.", "C_RESUME"),
    ("en", "uncertain"): ("Hmm, what about the thing from before?",
                          "Sorry, I didn't catch that. Could you say it again?", "C_UNCERTAIN_HANDLING"),
    ("en", "unknown_silent"): ("What about the food there?", None, "C_UNKNOWN"),
    ("zh", "respond_follow_up"): ("那里的美食怎么样？", "巴黎的美食非常有名，有新鲜的羊角面包和各种奶酪。", "C_RESPOND"),
    ("zh", "respond_topic_switch"): ("算了，东京今天天气怎么样？", "东京今天是晴天，气温大约二十五度。", "C_RESPOND"),
    ("zh", "respond_stop"): ("停一下，别说了。", "好的，我先停下来。", "C_RESPOND"),
    ("zh", "respond_repeat"): ("你能再说一遍吗？", "好的，我刚才说巴黎是法国的首都。", "C_RESPOND"),
    ("zh", "resume_backchannel"): ("嗯嗯。", "它以埃菲尔铁塔和悠久的历史闻名。", "C_RESUME"),
    ("zh", "resume_third_party"): ("老公，你今天早上喂狗了吗？", "它以埃菲尔铁塔和悠久的历史闻名。", "C_RESUME"),
    ("zh", "uncertain"): ("嗯，那个之前说的呢？", "抱歉，我没听清，你能再说一遍吗？", "C_UNCERTAIN_HANDLING"),
    ("zh", "unknown_silent"): ("那里的美食怎么样？", None, "C_UNKNOWN"),
}

EXTRA_CASES = {
    # Paraphrased continuation, cross-language answers, off-target answers.
    ("en", "resume_paraphrase"): ("Uh-huh.", "It is well known for the Eiffel Tower and a rich past.", "C_RESUME"),
    ("zh", "resume_paraphrase"): ("嗯嗯。", "埃菲尔铁塔让它很有名，历史也很悠久。", "C_RESUME"),
    ("zh", "respond_in_english"): ("那里的美食怎么样？",
                                   "The food in Paris is wonderful, with fresh croissants and fine cheese.", "C_RESPOND"),
    ("en", "respond_in_chinese"): ("What about the food there?", "巴黎的美食非常有名，有新鲜的羊角面包和各种奶酪。",
                                   "C_RESPOND"),
    ("en", "unknown_off_target"): ("What about the food there?", "Bananas are a good source of potassium.", "C_UNKNOWN"),
    ("zh", "unknown_off_target"): ("那里的美食怎么样？", "香蕉富含钾元素。", "C_UNKNOWN"),
    ("en", "unknown_low_information"): ("What about the food there?", "Hmm.", "C_UNKNOWN"),
}
