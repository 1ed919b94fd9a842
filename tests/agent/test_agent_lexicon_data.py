"""The phrase lists load as the words written in data/lexicon.yaml."""

from humdial.agent import lexicon


def _leaves(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    else:
        yield node


def test_yaml_booleans_stay_words():
    # YAML 1.1 reads a bare no/yes/on/off as a boolean: the English negation "no" had become "false"
    assert "no" in lexicon.phrases("en", "negation") and "no" in lexicon.phrases("en", "request_word")
    assert "yes" in lexicon.phrases("en", "backchannel") and "on" in lexicon.phrases("en", "incomplete_end")
    assert "false" not in lexicon.phrases("en", "negation")
    assert not [v for v in _leaves(lexicon._data()) if isinstance(v, bool)]
