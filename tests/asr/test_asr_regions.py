"""Region decoding (humdial.asr.regions): padding, packing, mapping back, and no decode over silence."""

from __future__ import annotations

import numpy as np
import pytest

from humdial.asr.regions import MAX_CLIP_S, Piece, clip_samples, pack, speech_regions, to_file_words, unread_pieces
from humdial.asr.whisper import WhisperOptions, WhisperTranscriber
from humdial.audio.io import from_array
from humdial.audio.segments import Segment
from humdial.protocol.transcript import Word

RATE = 16000


def test_regions_are_padded_clipped_and_merged_when_they_touch():
    speech = [Segment(0.1, 1.0), Segment(1.5, 2.0), Segment(5.0, 6.0), Segment(9.8, 9.95)]
    assert speech_regions(speech, 10.0, pad_s=0.4) == [Segment(0.0, 2.4), Segment(4.6, 6.4), Segment(9.4, 10.0)]
    assert speech_regions([], 10.0) == []


def test_pack_lays_regions_end_to_end_within_one_window():
    regions = [Segment(0.0, 10.0), Segment(20.0, 35.0), Segment(40.0, 46.0), Segment(50.0, 90.0)]
    clips = pack(regions, max_clip_s=30.0)
    assert clips == [[Piece(0.0, 10.0, 0.0), Piece(20.0, 35.0, 10.0)],
                     [Piece(40.0, 46.0, 0.0)],
                     [Piece(50.0, 90.0, 0.0)]]  # a region longer than a window goes alone
    assert all(sum(p.length for p in c) <= MAX_CLIP_S for c in clips[:2])


def test_clip_samples_and_word_times_map_back_to_the_file_axis():
    samples = np.arange(10 * RATE, dtype=np.float32)
    clip = [Piece(1.0, 2.0, 0.0), Piece(5.0, 6.5, 1.0)]
    audio = clip_samples(samples, RATE, clip)
    assert len(audio) == int(2.5 * RATE)
    assert audio[0] == RATE and audio[RATE] == 5 * RATE  # second piece starts where the first ends
    words = [Word("a", 0.1, 0.5), Word("b", 1.2, 1.4), Word("mostly first", 0.7, 1.1), Word("late", 2.4, 2.9)]
    assert to_file_words(words, clip) == [Word("a", 1.1, 1.5), Word("b", 5.2, 5.4),
                                          Word("mostly first", 1.7, 2.0),  # clipped to the piece of its midpoint
                                          Word("late", 6.4, 6.5)]  # never past the decoded audio


def test_a_word_starting_just_before_a_joint_belongs_to_the_next_piece():
    """Seen on a generated output: "You" aligned from 20 ms before the joint came back as a 20 ms stub at the
    end of the previous piece, 1.9 s before the reply it opened (and was judged a reply of its own)."""
    clip = [Piece(1.0, 4.2, 0.0), Piece(5.6, 9.0, 3.2)]
    words = to_file_words([Word("You", 3.18, 3.6), Word("are", 3.6, 3.8)], clip)
    assert words == [Word("You", 5.6, 6.0), Word("are", 6.0, 6.2)]


def test_unread_pieces_are_the_ones_after_the_last_word():
    clip = [Piece(2.0, 5.4, 0.0), Piece(7.8, 11.8, 3.4), Piece(13.0, 15.0, 7.4)]
    rest = unread_pieces([Word("temple.", 2.7, 2.9)], clip)
    assert rest == [Piece(7.8, 11.8, 0.0), Piece(13.0, 15.0, 4.0)]  # re-laid from 0
    assert unread_pieces([Word("x", 3.5, 3.9)], clip) == [Piece(13.0, 15.0, 0.0)]  # read into the second piece
    assert unread_pieces([Word("x", 7.9, 8.3)], clip) == []  # inside the last piece's speech
    assert unread_pieces([], clip) == []  # nothing decoded: the same audio again would give the same


@pytest.fixture(scope="module")
def no_model(request):
    """The default English transcriber with model loading forbidden: silence must never reach the decoder."""
    transcriber = WhisperTranscriber(None, WhisperOptions(language="en"))

    def refuse():
        raise AssertionError("the whisper model was loaded for audio with no speech")

    transcriber._load = refuse
    return transcriber


def test_thirty_minutes_of_silence_give_no_words_and_no_decode(no_model):
    """Issue 13: whole-file decoding hallucinated "you" every 30 s over a 30-minute silent output."""
    silent = from_array(np.zeros(30 * 60 * RATE, np.float32), RATE)
    assert no_model.transcribe(silent).words == ()


def test_quiet_noise_without_speech_gives_no_words_and_no_decode(no_model):
    noise = np.random.default_rng(0).normal(0.0, 0.003, 120 * RATE).astype(np.float32)
    assert no_model.transcribe(from_array(noise, RATE)).words == ()


def test_region_settings_are_part_of_the_cache_key():
    on, off = WhisperOptions().decoding(), WhisperOptions(regions=False).decoding()
    assert on["regions"] == {"pad_s": 0.4, "max_clip_s": 30.0, "silent_peak": 1e-4, "version": 2}
    assert off["regions"] is False


def _place(parts: list[tuple[float, np.ndarray]], total_s: float) -> np.ndarray:
    out = np.zeros(int(total_s * RATE), np.float32)
    for at, samples in parts:
        out[int(at * RATE):int(at * RATE) + len(samples)] = samples
    return out


def test_only_speech_is_decoded_and_words_land_on_the_file_axis(no_model, speech, monkeypatch):
    """Two utterances 40 s apart in a 60 s file: one clip of both padded runs; a word the (fake) decoder puts
    at each piece's start comes back at that utterance's onset on the file's axis."""
    first, _ = speech("Hello there, how are you today?", "en", "en-us+m3")
    second, _ = speech("Please stop talking now.", "en", "en-us+m3")
    audio = from_array(_place([(3.0, first), (43.0, second)], 60.0), RATE)
    decoded: list[np.ndarray] = []

    def fake_decode(samples):
        decoded.append(samples)
        second_piece = len(samples) / RATE - (len(second) / RATE + 0.8)  # where the second padded run begins
        return [Word("one", 0.4, 0.9), Word("two", second_piece + 0.4, second_piece + 0.9)], None

    monkeypatch.setattr(no_model, "_decode", fake_decode)
    words = no_model.transcribe(audio).words
    assert len(decoded) == 1 and len(decoded[0]) / RATE < 0.2 * audio.duration  # the silence was never decoded
    assert [w.text for w in words] == ["one", "two"]
    assert abs(words[0].start - 3.0) < 0.1 and abs(words[1].start - 43.0) < 0.1


def test_pieces_the_decoder_stopped_short_of_are_decoded_again(no_model, speech, monkeypatch):
    """Whisper can close a window after one sentence and never read the later pieces of its clip (a whole
    resumed reply lost on a generated output). The unread pieces are decoded again as their own clip."""
    first, _ = speech("Hello there, how are you today?", "en", "en-us+m3")
    second, _ = speech("Please stop talking now.", "en", "en-us+m3")
    audio = from_array(_place([(3.0, first), (20.0, second)], 30.0), RATE)
    calls: list[float] = []

    def stops_after_one_sentence(samples):
        calls.append(len(samples) / RATE)
        return ([Word("first", 0.4, 0.9)] if len(calls) == 1 else [Word("second", 0.45, 0.9)]), None

    monkeypatch.setattr(no_model, "_decode", stops_after_one_sentence)
    words = no_model.transcribe(audio).words
    assert len(calls) == 2 and calls[1] < calls[0]  # the second call holds only the unread piece
    assert [w.text for w in words] == ["first", "second"]
    assert abs(words[1].start - 20.0) < 0.1


def test_a_file_that_is_all_speech_is_decoded_unchanged(no_model, speech, monkeypatch):
    """Where the padded runs cover the whole file, the decoder sees exactly the file's samples (same result)."""
    utterance, _ = speech("Hello there, how are you today?", "en", "en-us+m3")
    audio = from_array(_place([(0.2, utterance)], 0.2 + len(utterance) / RATE + 0.2), RATE)
    decoded: list[np.ndarray] = []
    monkeypatch.setattr(no_model, "_decode", lambda samples: (decoded.append(samples), ([], None))[1])
    no_model.transcribe(audio)
    assert len(decoded) == 1 and np.array_equal(decoded[0], audio.samples)


def test_chinese_decodes_regions_only_with_short_windows_and_its_speech_gate_skips_silence(monkeypatch):
    """Measured (docs/asr.md): with 30 s windows regions raised the Chinese CER, with short windows they did not."""
    transcriber = WhisperTranscriber(None, WhisperOptions(language="zh"))
    assert transcriber.options.decode_regions is True and transcriber.options.speech_gate is True
    assert WhisperOptions(language="zh", window_s=0).decode_regions is False  # --asr zh=whisper?window=off
    assert WhisperOptions(language="zh", window_s=0, regions=True).decode_regions is True
    assert WhisperOptions(language="zh", regions=False).decode_regions is False

    def refuse():
        raise AssertionError("the whisper model was loaded for audio with no speech")

    monkeypatch.setattr(transcriber, "_load", refuse)
    noise = np.random.default_rng(1).normal(0.0, 0.003, 60 * RATE).astype(np.float32)
    assert transcriber.transcribe(from_array(noise, RATE)).words == ()
