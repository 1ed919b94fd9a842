"""Shared CLI flags: one parser each, the same behaviour in every command, help without repeated defaults."""

from __future__ import annotations

import argparse
import json

import pytest

from humdial.cli import build_parser, main
from humdial.commands import options

REQUIRED = {
    ("compare",): ["a", "b"],
    ("export",): ["samples", "r"],
    ("convert", "track1"): ["--data", "d", "--to", "opens2s", "--out", "o"],
    ("demo",): [],
    ("eval", "track1"): ["--gold", "g", "--submission", "s", "--out", "o"],
    ("eval", "track2"): ["--data", "d", "--out", "o"],
    ("gen", "track1"): ["--out", "o"],
    ("gen", "track2"): ["--out", "o"],
    ("judge", "agree"): ["a", "b"],
    ("leaderboard", "track2"): ["r.json"],
    ("report",): ["run"],
    ("rubric", "import"): ["--official-repo", "r", "--out", "o"],
    ("run", "track1"): ["--data", "d", "--out", "o"],
    ("run", "track2"): ["--data", "d", "--out", "o"],
    ("score", "track2"): ["f.json"],
    ("serve",): [],
    ("stream",): ["--url", "ws://127.0.0.1:1/ws", "--data", "d", "--out", "o"],
    ("submit", "check"): ["track1", "p"],
    ("submit", "pack"): ["track1", "r"],
}
SHARED = ("--lang", "--mode", "--cache-mode", "--key-env", "--jobs", "--seed", "--out")


def commands() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs and path:
            found[path] = parser
        for action in subs:
            for name, sub in action.choices.items():
                walk(sub, path + (name,))

    walk(build_parser(), ())
    return found


def option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in parser._actions if flag in a.option_strings), None)


def parse(path: tuple[str, ...], *extra: str) -> argparse.Namespace:
    return build_parser().parse_args([*path, *REQUIRED[path], *extra])


def test_every_command_is_covered():
    assert set(commands()) == set(REQUIRED)


@pytest.mark.parametrize("flag", SHARED)
def test_a_shared_flag_is_one_definition(flag):
    """Same type function, choices, metavar and help wherever the flag exists (defaults may differ)."""
    having = {path: option(p, flag) for path, p in commands().items() if option(p, flag) is not None}
    assert len(having) >= 2, f"{flag} is not shared"
    shapes = {(a.type, tuple(a.choices or ()), a.metavar, a.dest) for a in having.values()}
    assert len(shapes) == 1, shapes
    if flag in ("--lang", "--key-env", "--jobs", "--seed"):  # the others name what the command writes or caches
        assert len({a.help for a in having.values()}) == 1


LANG_COMMANDS = [("demo",), ("eval", "track1"), ("eval", "track2"), ("gen", "track1"), ("gen", "track2"),
                 ("run", "track2"), ("serve",), ("stream",)]


def test_lang_commands_listed():
    assert [p for p, parser in sorted(commands().items()) if option(parser, "--lang")] == LANG_COMMANDS


@pytest.mark.parametrize("path", LANG_COMMANDS)
def test_lang_aliases_parse_identically(path):
    assert parse(path, "--lang", "cn").lang == ("zh",)
    assert parse(path, "--lang", "en, ZH-CN,cn").lang == ("en", "zh")
    assert parse(path, "--lang", "zh,en").lang == ("zh", "en")
    assert isinstance(parse(path).lang, tuple) and parse(path).lang  # the default parses too


@pytest.mark.parametrize("value", ["fr", "", ","])
def test_bad_languages_are_usage_errors(value, capsys):
    with pytest.raises(SystemExit) as caught:
        parse(("eval", "track1"), "--lang", value)
    assert caught.value.code == 2


def test_shared_values_parse_the_same_in_every_command():
    for path, parser in commands().items():
        if option(parser, "--cache-mode"):
            assert parse(path, "--cache-mode", "replay").cache_mode == "replay"
            assert parse(path).cache_mode == "use"
        if option(parser, "--key-env"):
            assert parse(path, "--key-env", "MY_VAR").key_env == "MY_VAR"
            assert parse(path).key_env == options.DEFAULT_KEY_ENV
        if option(parser, "--mode"):
            assert parse(path, "--mode", "strict").mode == "strict" and parse(path).mode == "official"
        if option(parser, "--jobs"):
            assert parse(path, "--jobs", "3").jobs == 3
            with pytest.raises(SystemExit):
                parse(path, "--jobs", "0")
        if option(parser, "--seed"):
            assert parse(path, "--seed", "7").seed == 7
        if option(parser, "--out") and path not in (("demo",),):
            assert str(parse(path, "--out", "x/y").out) == "x/y"


def test_default_key_env_matches_the_llm_package():
    from humdial.llm.keys import DEFAULT_KEY_ENV

    assert options.DEFAULT_KEY_ENV == DEFAULT_KEY_ENV


@pytest.mark.parametrize(("path", "old", "value", "dest", "expected"), [
    (("eval", "track2"), "--judge-cache", "replay", "cache_mode", "replay"),
    (("eval", "track2"), "--judge-key-env", "OLD_VAR", "key_env", "OLD_VAR"),
    (("eval", "track1"), "--judge-key-env", "OLD_VAR", "key_env", "OLD_VAR"),
    (("gen", "track1"), "--llm-cache-mode", "refresh", "cache_mode", "refresh"),
    (("gen", "track2"), "--llm-key-env", "OLD_VAR", "key_env", "OLD_VAR"),
    (("run", "track2"), "--asr-en", "whisper", "asr", ["en=whisper"]),
    (("run", "track2"), "--asr-zh", "none", "asr", ["zh=none"]),
    (("serve",), "--asr-zh", "none", "asr", ["zh=none"]),
])
def test_hidden_aliases_still_work(path, old, value, dest, expected, capsys):
    assert getattr(parse(path, old, value), dest) == expected
    with pytest.raises(SystemExit):
        build_parser().parse_args([*path, "--help"])
    assert old not in capsys.readouterr().out  # hidden from --help


def test_serve_and_run_share_the_agent_asr_flag_and_default():
    """serve used to default Chinese to no ASR while run track2 used partials: one flag, one default."""
    from humdial.agent.build import DEFAULT_ASR

    for path in (("run", "track2"), ("serve",)):
        assert options.asr_routes(parse(path).asr, DEFAULT_ASR) == {"en": "partials", "zh": "partials"}
        assert options.asr_routes(parse(path, "--asr", "zh=none").asr, DEFAULT_ASR)["zh"] == "none"


def test_asr_routes_one_form():
    defaults = {"en": "partials", "zh": "none"}
    args = parse(("run", "track2"), "--asr", "cn=whisper:/m?beam=5", "--asr-en", "none")
    assert options.asr_routes(args.asr, defaults) == {"en": "none", "zh": "whisper:/m?beam=5"}
    assert options.asr_routes(["whisper"], defaults) == {"en": "whisper", "zh": "whisper"}
    assert options.asr_routes(None, defaults) == defaults
    assert options.split_route("whisper:/m?x=1") == (None, "whisper:/m?x=1")


@pytest.mark.parametrize("path", sorted(REQUIRED))
def test_help_runs_and_states_each_default_once(path, capsys):
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args([*path, "--help"])
    assert caught.value.code == 0
    text = capsys.readouterr().out
    assert "usage: humdial" in text and "(default: None)" not in text
    formatter = commands()[path]._get_formatter()
    for action in commands()[path]._actions:
        if action.help and action.help != argparse.SUPPRESS:
            shown = formatter._expand_help(action) if action.help else ""
            assert shown.count("default") <= 1, (action.option_strings, shown)


def test_eval_track1_lang_cn_judges_the_chinese_items(tmp_path, capsys):
    from humdial.generate.track1.example import write_example

    gold, sub = write_example(tmp_path / "ex", per_task=1)
    code = main(["eval", "track1", "--gold", str(gold), "--submission", str(sub), "--out", str(tmp_path / "run"),
                 "--lang", "cn"])
    results = json.loads((tmp_path / "run" / "track1_results.json").read_text(encoding="utf-8"))
    assert code == 0
    assert list(results["per_language"]) == ["zh"]
    assert results["counts"]["items"] == 3 and results["counts"]["verdicts"] == {"ok": 3}
    assert {item["lang"] for item in results["items"]} == {"zh"}
    both = main(["eval", "track1", "--gold", str(gold), "--submission", str(sub), "--out", str(tmp_path / "run2"),
                 "--lang", "cn,en"])
    results2 = json.loads((tmp_path / "run2" / "track1_results.json").read_text(encoding="utf-8"))
    assert both == 0 and sorted(results2["per_language"]) == ["en", "zh"] and results2["counts"]["items"] == 6
