"""The phrase lists load as the words written in data/lexicon.yaml."""

from humdial.agent import lexicon


def test_yaml_booleans_stay_words():
    # YAML 1.1 reads a bare no/yes/on/off as a boolean: the English negation "no" had become "false"
    assert "no" in lexicon.phrases("en", "negation") and "no" in lexicon.phrases("en", "request_word")
    assert "yes" in lexicon.phrases("en", "backchannel") and "on" in lexicon.phrases("en", "incomplete_end")
    assert "false" not in lexicon.phrases("en", "negation")
    lists = [v for per_lang in lexicon._data().values() for v in per_lang.values() if isinstance(v, list)]
    assert lists and not [w for words in lists for w in words if isinstance(w, bool)]
