"""Text evidence for the strategies: phrase lists per language (data/lexicon.yaml) and matching.

English phrases match on word boundaries, Chinese phrases as substrings (no word spaces) or, from
`PINYIN_MIN_SYLLABLES` syllables up, as the same toneless pinyin: whisper decodes Mandarin sound into
characters and often writes a homophone ("等以下" for 等一下, "在问手计" for 在问手机).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

DATA_FILE = Path(__file__).parent / "data" / "lexicon.yaml"
_PUNCT = re.compile(r"[^\w\s'\-\u3400-\u9fff]")
_CJK = re.compile(r"[\u3400-\u9fff]")


class _PhraseLoader(yaml.SafeLoader):
    """YAML without its 1.1 booleans: a bare `no`, `yes`, `on` or `off` in a phrase list is the word. With
    the safe loader the English negation `no` had been read as False and matched only the word "false"."""


_PhraseLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.load(DATA_FILE.read_text(encoding="utf-8"), Loader=_PhraseLoader)


def phrases(lang: str, category: str) -> tuple[str, ...]:
    return tuple(str(p).lower() for p in _data().get(lang, {}).get(category, []))


def policy_text(lang: str) -> dict[str, str]:
    """What the engine's own policy says (stop, repeat, nothing said yet), from `policy_text` in the data file."""
    data = _data()
    return dict(data.get(lang, data["en"]).get("policy_text") or data["en"]["policy_text"])


def normalise(text: str) -> str:
    """Lower case, punctuation dropped (apostrophes and hyphens kept), spaces collapsed."""
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def words(text: str) -> list[str]:
    norm = normalise(text)
    if _CJK.search(norm):
        return [c for c in norm if not c.isspace()]
    return norm.split()


def join(first: str, second: str, lang: str) -> str:
    """Two pieces of one utterance as one text: Chinese pieces abut, others are spaced."""
    if not first or not second:
        return first or second
    return first + second if lang == "zh" else f"{first} {second}"


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of an English transcript: split after . ? ! and, where the transcriber wrote no mark,
    before a capitalised sentence opener ("We're leaving in a moment Can you help me plan a week?"):
    whisper re-decoding a turn that holds two speakers sometimes keeps the second sentence's capital but
    drops the first one's full stop. Openers are the `sentence_opener` list (question and request words);
    "I" and names are never openers, so "in Paris" or "and I think" do not split."""
    openers = {p.capitalize() for p in phrases(lang, "sentence_opener")}
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        tokens = sentence.split()
        start = 0
        for k in range(1, len(tokens)):
            if tokens[k] in openers and tokens[k - 1][-1:].islower():
                out.append(" ".join(tokens[start:k]))
                start = k
        if tokens[start:]:
            out.append(" ".join(tokens[start:]))
    return out


REPEAT_LOOP_WORDS = 4
"""A run of this many words heard twice in one partial is taken as whisper's repetition loop (tiny.en on a
short window sometimes decodes the turn again after its end); real short turns almost never repeat one."""


def cut_repetition(text: str, lang: str) -> str:
    """The text before whisper's repetition loop, with the connective that led into it dropped.

    "I need a present for my partner and I need a present for my partner and I need a pr" ->
    "I need a present for my partner". English only (Chinese is not split into words here)."""
    if lang == "zh":
        return text
    raw = text.split()
    norm = [normalise(w) for w in raw]
    n = REPEAT_LOOP_WORDS
    seen: set[tuple[str, ...]] = set()
    for j in range(len(norm) - n + 1):
        gram = tuple(norm[j:j + n])
        if gram in seen:
            kept = raw[:j]
            lead_in = set(phrases(lang, "incomplete_end"))
            while kept and not kept[-1].endswith((".", "?", "!")) and normalise(kept[-1]) in lead_in:
                kept.pop()  # "... partner and [loop]": the connective led into the loop; "...that? [loop]" stays
            return " ".join(kept).rstrip(",;:") or text
        seen.add(gram)
    return text


PINYIN_MIN_SYLLABLES = 3
"""A Chinese phrase this long (in syllables) also matches a homophone: the same toneless pinyin. Shorter
ones match their characters only. Measured on the agent's partials of seed 5151 (n=10, both voice groups,
2,600 s of espeak Mandarin): from 3 syllables up every extra match was the phrase the user said (等一下 x6,
在问手机 x2, 有人用); at 2 syllables about half were not ("似的" as 是的, "活着" as 或者, "见义" as 建议), and
single syllables collide everywhere (吗 and 妈 are both "ma")."""


@lru_cache(maxsize=4096)
def _syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of each Chinese character; any other run of characters becomes one "|" (never a
    syllable), so a match cannot bridge a digit or a Latin word."""
    return tuple(item if item.isascii() and item.isalpha() else "|"
                 for item in lazy_pinyin(text, errors=lambda run: "|"))


def _sound_key(phrase: str) -> tuple[str, ...] | None:
    """The phrase's syllables when it is long enough to match by sound (PINYIN_MIN_SYLLABLES), else None."""
    wanted = _syllables(phrase)
    return wanted if len(wanted) >= PINYIN_MIN_SYLLABLES and "|" not in wanted else None


def _sounds_like(text: str, phrase: str) -> bool:
    """Whether `text` holds `phrase` pronounced the same (toneless pinyin)."""
    wanted = _sound_key(phrase)
    if wanted is None:
        return False
    heard = _syllables(text)
    n = len(wanted)
    return any(heard[i:i + n] == wanted for i in range(len(heard) - n + 1))


def _contains(text: str, phrase: str) -> bool:
    if _CJK.search(phrase):
        return phrase in text.replace(" ", "") or _sounds_like(text, phrase)
    return re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text) is not None


def _unmasked(norm: str, lang: str, category: str) -> str:
    """Chinese: the normalised text with its `neutral` phrases cut out (courtesy phrases such as 不好意思,
    which contains the negation 不好), so no other category matches inside them."""
    if lang != "zh" or category == "neutral" or not _CJK.search(norm):
        return norm
    for phrase in phrases(lang, "neutral"):
        norm = norm.replace(phrase, " ")
    return norm


def matches(text: str, lang: str, category: str) -> list[str]:
    """Phrases of the category found in the text (normalised first)."""
    norm = _unmasked(normalise(text), lang, category)
    return [p for p in phrases(lang, category) if _contains(norm, normalise(p) or p)]


def only_backchannel(text: str, lang: str) -> bool:
    """True when every word of the text belongs to a backchannel phrase (and there is some text)."""
    return only_phrases(text, lang, "backchannel")


def only_phrases(text: str, lang: str, category: str) -> bool:
    """True when the text is made only of phrases of the category (and there is some text)."""
    norm = normalise(text)
    if not norm:
        return False
    if _CJK.search(norm):
        rest = norm.replace(" ", "")
        for phrase in sorted(phrases(lang, category), key=len, reverse=True):
            rest = rest.replace(normalise(phrase).replace(" ", ""), "")
        return not rest
    tokens = norm.split()
    options = sorted({tuple(normalise(p).split()) for p in phrases(lang, category)}, key=len, reverse=True)
    i = 0
    while i < len(tokens):
        hit = next((len(o) for o in options if o and tuple(tokens[i:i + len(o)]) == o), 0)
        if not hit:
            return False
        i += hit
    return True


def starts_with(text: str, lang: str, category: str, window: int = 2) -> list[str]:
    """Phrases of the category within the first `window` words (Chinese: first 2*window characters)."""
    tokens = words(_unmasked(normalise(text), lang, category))
    head = "".join(tokens[: 2 * window]) if _CJK.search(normalise(text)) else " ".join(tokens[:window])
    return [p for p in phrases(lang, category) if _contains(head, normalise(p) or p)]


def ends_with(text: str, lang: str, category: str) -> str | None:
    tokens = words(text)
    if not tokens:
        return None
    last = tokens[-1]
    for p in phrases(lang, category):
        if (_CJK.search(p) and normalise(text).replace(" ", "").endswith(p)) or last == p:
            return p
    return None


OPENER_CATEGORIES = ("neutral", "stop", "preamble", "backchannel")
"""Phrases that may come before a Chinese form of address ("等一下，老李，...", "不好意思，小王，...")."""


@lru_cache(maxsize=1)
def _openers() -> tuple[str, ...]:
    """The Chinese opener phrases, longest first."""
    return tuple(sorted({p for cat in OPENER_CATEGORIES for p in phrases("zh", cat)}, key=len, reverse=True))


def strip_opener(chars: str) -> str:
    """Chinese characters without their longest opening phrase (by characters or by sound)."""
    heard = _syllables(chars)
    for phrase in _openers():
        wanted = _sound_key(phrase)
        if chars.startswith(phrase) or (wanted is not None and heard[:len(wanted)] == wanted):
            return chars[len(phrase):]
    return chars


def leading_vocative(text: str) -> str | None:
    """A Chinese form of address that opens the text, maybe after an opening phrase: a `vocative` phrase,
    or 小/老 + a common surname (`surname`). "等以下老李我两分钟就过去" -> "老李"."""
    chars = "".join(words(text))
    surnames = set(phrases("zh", "surname"))
    for head in dict.fromkeys((chars, strip_opener(chars))):
        found = [p for p in phrases("zh", "vocative") if head.startswith(p)]
        if found:
            return max(found, key=len)
        if len(head) >= 2 and head[0] in "小老" and head[1] in surnames:
            return head[:2]
    return None


_DISCOURSE = frozenset("""okay ok so well yes yeah yep no nope sure alright actually sorry hey hi hello please oh um uh
hmm wait right now then first also anyway thanks listen look honestly basically fine great cool good really still but
and or because however look see true exactly maybe perhaps again i you we they he she it this that what why how when
where who which""".split())


def name_vocative(text: str) -> str | None:
    """A capitalised name set off by commas among the first three words ('Hold on, Sophie, ...'), or ending
    a short partial after a comma ('Hold on, Olivia.': the first partial of a turn whose later ones lost it).

    Transcribers capitalise names; discourse markers ('Okay,', 'Well,') are excluded.
    """
    all_tokens = text.strip().split()
    tokens = all_tokens[:3]
    for i, tok in enumerate(tokens):
        word = tok.rstrip(",.!?")
        set_off = tok.endswith(",") or (i == len(all_tokens) - 1 and i > 0 and tokens[i - 1].endswith(",")
                                        and tok[-1:] in ".!?")
        if not set_off or not word.isalpha() or not word[:1].isupper() or word.lower() in _DISCOURSE:
            continue
        if i == 0 and word.lower() in _common_words():  # "Pardon, I missed that.", "Wait, ..."
            continue
        return word
    return None


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    return frozenset(p for cat in ("backchannel", "stop", "negation", "preamble", "repeat")
                     for p in phrases("en", cat))
