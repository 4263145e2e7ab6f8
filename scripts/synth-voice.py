#!/usr/bin/env python3
"""Synthesises every phrase and piece the kiosk can say into assets/voice/.

    scripts/synth-voice.py                 # all clips, then the manifest
    scripts/synth-voice.py --list FILE     # the clip list from FILE, not cargo
    scripts/synth-voice.py --check         # synthesise into a scratch folder and
                                           # compare with the committed files

Run by a developer when hw/src/voice/phrases.rs changes; the generated WAV
files and assets/voice/manifest.tsv are committed, so neither CI nor the
package needs a synthesiser (hw/tests/voice_assets.rs checks them).

Needs (Debian): open-jtalk, open-jtalk-mecab-naist-jdic. The voice is the
MMDAgent "Mei" HTS voice (CC BY 3.0) shipped inside the pyopenjtalk source
package on PyPI; it is fetched with `pip download` into target/voice-cache
and checked against the SHA-256 below. See assets/voice/NOTICE.

For each clip the synthesiser is given the text (kanji keep the accent
right) and its own reading of the text (Open JTalk's trace) must equal the
reading written in phrases.rs; where it differs, it is given the reading
instead and checked again. The audio is trimmed of leading and trailing
silence, peak-normalised and written as 16 kHz 16-bit mono WAV.
"""

import argparse
import array
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "voice"
CACHE = ROOT / "target" / "voice-cache"
DICT = Path("/var/lib/mecab/dic/open-jtalk/naist-jdic")

PYOPENJTALK = "pyopenjtalk==0.4.1"
VOICE_MEMBER = "pyopenjtalk-0.4.1/pyopenjtalk/htsvoice/mei_normal.htsvoice"
VOICE_SHA256 = "f3be49a6838904a6c218790b64e07c3e83c1886e995dca284b413caab19184de"

RATE = 16000
# Open JTalk's frame period in samples: 5 ms at 16 kHz.
FRAME_PERIOD = 80
# Speech speed (1.0 is the voice's own); a touch slower for older listeners.
SPEED = "0.95"
MAX_SECONDS = float(os.environ.get("SYNTH_MAX_SECONDS", "3.0"))
# Trimming: a sample above this counts as sound; keep a little around it.
THRESHOLD = 300
PAD_MS = 25
FADE_MS = 5
PEAK = 29000


def fail(msg):
    print(f"synth-voice: {msg}", file=sys.stderr)
    sys.exit(1)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def voice_file():
    voice = CACHE / "mei_normal.htsvoice"
    if voice.exists() and sha256(voice) == VOICE_SHA256:
        return voice
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "-d", tmp, PYOPENJTALK],
            check=True,
        )
        sdists = list(Path(tmp).glob("pyopenjtalk-*.tar.gz"))
        if len(sdists) != 1:
            fail(f"expected one pyopenjtalk source package, found {sdists}")
        with tarfile.open(sdists[0]) as tar:
            member = tar.extractfile(VOICE_MEMBER)
            if member is None:
                fail(f"{VOICE_MEMBER} is not in {sdists[0].name}")
            voice.write_bytes(member.read())
            lic = tar.extractfile(VOICE_MEMBER.replace("mei_normal", "LICENSE_mei_normal"))
            if lic is not None:
                (CACHE / "LICENSE_mei_normal.htsvoice").write_bytes(lic.read())
    if sha256(voice) != VOICE_SHA256:
        fail(f"the voice's SHA-256 is {sha256(voice)}, expected {VOICE_SHA256}")
    return voice


def clip_list(path):
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = subprocess.run(
            ["cargo", "run", "--quiet", "--locked", "-p", "tsudoi-hw", "--example", "voice-phrases"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    clips = []
    for line in text.splitlines():
        ident, written, reading = line.split("\t")
        clips.append((ident, written, reading))
    return clips


def to_hiragana(s):
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in s)


def bare(reading):
    """The reading without punctuation, for comparison."""
    return "".join(c for c in reading if unicodedata.category(c)[0] == "L" or c == "ー")


def synthesise(voice, say, wav, trace):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(say + "\n")
        txt = f.name
    try:
        subprocess.run(
            ["open_jtalk", "-x", str(DICT), "-m", str(voice), "-s", str(RATE),
             "-p", str(FRAME_PERIOD), "-r", SPEED, "-ow", str(wav), "-ot", str(trace), txt],
            check=True,
        )
    finally:
        os.unlink(txt)
    # The trace's text analysis: one morpheme a line, field 9 its reading
    # (the dictionary's: 九 キュウ) and field 10 its pronunciation as said
    # (九日 ク, long vowels as ー, ’ for accent marks).
    heard, said = [], []
    section = None
    for line in Path(trace).read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line
            if heard and section != "[Text analysis result]":
                break
            continue
        if section == "[Text analysis result]":
            fields = line.split(",")
            if len(fields) > 9 and fields[1] != "記号":
                heard.append(fields[8])
                said.append(fields[9].replace("’", ""))
    return to_hiragana("".join(heard)), to_hiragana("".join(said))


def reads_as(heard, reading):
    """Whether Open JTalk's reading, or its pronunciation (ー standing for
    the vowel it lengthens: じゅー for じゅう), is the reading written."""
    reading_, pron = heard
    if bare(reading_) == bare(reading):
        return True
    pattern = "".join("[あいうえおー]" if c == "ー" else re.escape(c) for c in bare(pron))
    return re.fullmatch(pattern, bare(reading)) is not None


def clean(wav_in, wav_out):
    with wave.open(str(wav_in), "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
            fail(f"{wav_in}: not {RATE} Hz 16-bit mono")
        samples = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        samples.byteswap()
    loud = [i for i, s in enumerate(samples) if abs(s) > THRESHOLD]
    if not loud:
        fail(f"{wav_in}: silent")
    pad = RATE * PAD_MS // 1000
    start, end = max(0, loud[0] - pad), min(len(samples), loud[-1] + pad + 1)
    body = samples[start:end]
    peak = max(abs(s) for s in body)
    gain = PEAK / peak
    fade = RATE * FADE_MS // 1000
    out = array.array("h")
    n = len(body)
    for i, s in enumerate(body):
        g = gain
        if i < fade:
            g *= i / fade
        elif i >= n - fade:
            g *= (n - 1 - i) / fade
        out.append(max(-32768, min(32767, round(s * g))))
    if sys.byteorder != "little":
        out.byteswap()
    with wave.open(str(wav_out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(out.tobytes())
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", help="the clip list (id, text, reading; tab-separated)")
    ap.add_argument("--check", action="store_true",
                    help="compare a fresh synthesis with assets/voice, change nothing")
    args = ap.parse_args()
    if args.check:
        global OUT
        committed = OUT
        with tempfile.TemporaryDirectory() as scratch:
            OUT = Path(scratch)
            synthesise_all(args)
            fresh = sorted(p.name for p in OUT.iterdir())
            old = sorted(p.name for p in committed.iterdir() if p.name != "NOTICE")
            differ = [n for n in fresh if n not in old or
                      (OUT / n).read_bytes() != (committed / n).read_bytes()]
            differ += [n for n in old if n not in fresh]
        if differ:
            fail(f"differs from assets/voice: {', '.join(differ)}")
        print("synth-voice: assets/voice is what the synthesiser makes")
        return
    synthesise_all(args)


def synthesise_all(args):
    for tool in ("open_jtalk",):
        if shutil.which(tool) is None:
            fail(f"{tool} is missing: apt-get install open-jtalk open-jtalk-mecab-naist-jdic")
    if not DICT.is_dir():
        fail(f"{DICT} is missing: apt-get install open-jtalk-mecab-naist-jdic")
    voice = voice_file()
    clips = clip_list(args.list)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.wav"):
        old.unlink()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        raw, trace = Path(tmp) / "raw.wav", Path(tmp) / "trace.txt"
        for ident, written, reading in clips:
            said = written
            heard = synthesise(voice, said, raw, trace)
            if not reads_as(heard, reading):
                said = reading
                heard2 = synthesise(voice, said, raw, trace)
                if not reads_as(heard2, reading):
                    fail(f"{ident}: Open JTalk reads 「{written}」 as {heard[0]} and "
                         f"「{reading}」 as {heard2[0]}, not {reading}")
            name = f"{ident}.wav"
            samples = clean(raw, OUT / name)
            seconds = samples / RATE
            if seconds > MAX_SECONDS:
                fail(f"{ident}: {seconds:.2f} s, longer than {MAX_SECONDS} s: shorten 「{written}」")
            rows.append((ident, written, reading, name, sha256(OUT / name), samples,
                         round(seconds * 1000), "text" if said == written else "reading"))
    with open(OUT / "manifest.tsv", "w", encoding="utf-8", newline="\n") as m:
        m.write("# Generated by scripts/synth-voice.py; do not edit. Voice: MMDAgent \"Mei\" "
                "(CC BY 3.0), Open JTalk, NAIST Japanese Dictionary: see NOTICE.\n")
        m.write("id\ttext\treading\tfile\tsha256\tsamples\tduration_ms\tsynthesised_from\n")
        for row in rows:
            m.write("\t".join(str(x) for x in row) + "\n")
    total = sum((OUT / r[3]).stat().st_size for r in rows)
    longest = max(rows, key=lambda r: r[5])
    print(f"synth-voice: {len(rows)} clips, {total // 1024} KiB, longest {longest[0]} "
          f"{longest[6]} ms; {sum(r[7] == 'reading' for r in rows)} synthesised from the reading")


if __name__ == "__main__":
    main()
