from types import SimpleNamespace

import pytest

from humdial.agent.intent import Intent
from humdial.respond import make_responder
from humdial.respond.base import Reply, ResponseRequest, Turn, build_messages
from humdial.respond.offline import EN_BODIES, ZH_BODIES, OfflineResponder, echo
from humdial.respond.openai_chat import OpenAIResponder
from humdial.errors import HumdialError, ItemError, MissingExtraError


def test_offline_is_deterministic_and_uses_the_users_words():
    r = OfflineResponder()
    req = ResponseRequest("en", Intent.QUERY, "Can you tell me how to make a good cup of coffee at home?")
    a, b = r.respond(req), r.respond(req)
    assert a == b
    assert "how to make a good cup of coffee at home" in a.text
    assert len(a.sentences) >= 5  # long enough to still be talking when an interruption comes


def test_offline_reply_follows_the_intent():
    r = OfflineResponder()
    neg = r.respond(ResponseRequest("en", Intent.NEGATION, "No, I said Berlin, not Seoul."))
    assert neg.sentences[0].lower().startswith("okay, sorry") and "berlin" in neg.sentences[0].lower()
    topic = r.respond(ResponseRequest("en", Intent.TOPIC_SWITCH, "By the way, how do I save money?"))
    assert "change the subject" in topic.text and "save money" in topic.text
    follow = r.respond(ResponseRequest("en", Intent.FOLLOW_UP, "What about my budget?"))
    assert "your budget" in follow.text
    zh = r.respond(ResponseRequest("zh", Intent.QUERY, None))
    assert zh.lang == "zh" and all(any("\u4e00" <= c <= "\u9fff" for c in s) for s in zh.sentences)


@pytest.mark.parametrize("lang, heard_clean, heard_noisy", [
    ("en", "How do I make a Caesar salad at home?", "how do you make a seamer's head at home"),
    ("zh", "怎么在家做凯撒沙拉？", "怎么在家做开始沙拉"),
])
def test_the_same_question_misheard_gets_the_same_answer_body(lang, heard_clean, heard_noisy):
    """A clean and a noisy hearing of one question (seed 4242's `eval` group had such pairs) share the body,
    so an answer resumed after a backchannel still matches the answer to the clean input."""
    bodies = EN_BODIES if lang == "en" else ZH_BODIES
    r = OfflineResponder()
    clean = r.respond(ResponseRequest(lang, Intent.QUERY, heard_clean, (Turn("user", heard_clean),)))
    noisy = r.respond(ResponseRequest(lang, Intent.QUERY, heard_noisy, (Turn("user", heard_noisy),)))
    assert clean.sentences[-len(bodies[0]):] == noisy.sentences[-len(bodies[0]):] == bodies[0]


def test_english_reply_to_an_interruption_gets_a_new_body():
    r = OfflineResponder()
    query = "How do I start running?"
    first = r.respond(ResponseRequest("en", Intent.QUERY, query, (Turn("user", query),)))
    history = (Turn("user", query), Turn("user", "What about shoes?"))
    for heard in (" ".join(first.sentences[:3]), first.sentences[0][:8]):  # body heard, or cut before it
        again = r.respond(ResponseRequest("en", Intent.FOLLOW_UP, "What about shoes?", history, heard))
        assert not set(again.sentences) & set(first.sentences[1:]), heard
    # a second question after a finished answer gets the next body too
    said = history[:1] + (Turn("agent", first.text), Turn("user", "And how often?"))
    later = r.respond(ResponseRequest("en", Intent.QUERY, "And how often?", said))
    assert later.sentences[1:] == EN_BODIES[1]


def test_echo_turns_pronouns_round():
    assert echo("Can you tell me how I fix my bike?") == "how you fix your bike"
    assert echo("Okay, so what about my budget?") == "what about your budget"


def test_reply_from_text_splits_sentences():
    r = Reply.from_text("Sure. It is sunny! Anything else?", "query", "en")
    assert r.sentences == ("Sure.", "It is sunny!", "Anything else?")
    z = Reply.from_text("好的。今天天气很好！还有别的吗？", "query", "zh")
    assert len(z.sentences) == 3 and z.text == "好的。今天天气很好！还有别的吗？"


def test_messages_carry_intent_and_interrupted_reply():
    req = ResponseRequest("en", Intent.NEGATION, "No, that's wrong.", interrupted_reply="Paris is in Spain")
    msgs = build_messages(req)
    assert msgs[0]["role"] == "system" and "disagreed" in msgs[0]["content"]
    assert "Paris is in Spain" in msgs[0]["content"]
    assert msgs[-1] == {"role": "user", "content": "No, that's wrong."}


def test_openai_responder_with_a_fake_client():
    calls = []

    def create(**kwargs):
        calls.append(kwargs)
        return SimpleNamespace(choices=[SimpleNamespace(message=SimpleNamespace(content="Sure. Here it is."))])

    client = SimpleNamespace(chat=SimpleNamespace(completions=SimpleNamespace(create=create)))
    r = OpenAIResponder("my-model", "http://127.0.0.1:9/v1", client=client)
    reply = r.respond(ResponseRequest("en", Intent.QUERY, "Hi there?"))
    assert reply.sentences == ("Sure.", "Here it is.")
    assert calls[0]["model"] == "my-model" and calls[0]["temperature"] == 0


def test_openai_failure_is_an_item_error():
    def create(**kwargs):
        raise ConnectionError("refused")

    client = SimpleNamespace(chat=SimpleNamespace(completions=SimpleNamespace(create=create)))
    with pytest.raises(ItemError, match="refused"):
        OpenAIResponder("m", client=client).respond(ResponseRequest("en", Intent.QUERY, "Hi?"))


def test_spec_parsing_and_missing_extra(tmp_path, monkeypatch):
    assert make_responder("offline").name == "offline"
    r = make_responder("openai:qwen2.5@http://127.0.0.1:8000/v1")
    assert (r.model, r.base_url) == ("qwen2.5", "http://127.0.0.1:8000/v1")
    with pytest.raises(HumdialError):
        make_responder("gguf:/no/such/model.gguf")
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")
    import sys

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # behave as if the extra were not installed
    with pytest.raises(MissingExtraError, match="llm"):
        make_responder(f"gguf:{model}").respond(ResponseRequest("en", Intent.QUERY, "Hi?"))
    with pytest.raises(HumdialError):
        make_responder("telepathy")


def test_agent_asr_specs():
    from humdial.agent.build import make_transcriber
    from humdial.asr.partial import ShortWindowWhisper

    assert make_transcriber("none", "zh") is None
    assert isinstance(make_transcriber("partials", "en"), ShortWindowWhisper)
    assert make_transcriber("whisper", "en").name == "whisper"
    with pytest.raises(HumdialError):
        make_transcriber("precomputed", "zh")
