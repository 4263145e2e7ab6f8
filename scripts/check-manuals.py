#!/usr/bin/env python3
"""Checks the manuals' PDFs built by scripts/build-manuals.sh, with poppler's
tools (not with anything written here):

- every docs/ja/NAME.md has NAME.pdf, A4 on every page (pdfinfo);
- every manual has a quick card NAME-card.md whose PDF is exactly one page;
- pdftotext finds the title and every chapter title ("## ") of the source;
- the Japanese text is extractable and the fonts are embedded with a Unicode
  map (pdffonts), BIZ UD PGothic among them;
- every screenshot a manual references exists in ui/screenshots/, is one that
  `tsudoi screenshot` renders (its names in src/dev/screenshots/*.rs), and is in
  the PDF as an image (pdfimages).

Usage: scripts/check-manuals.py PDF_DIR. Exit 0 when all hold, 1 otherwise.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "ja"
SHOTS = ROOT / "ui" / "screenshots"
# The screenshot modules: mod.rs and its companions (training.rs, ...)
SCREENS_DIR = ROOT / "src" / "dev" / "screenshots"

A4_PT = (595.276, 841.89)
SHOT_REF = re.compile(r"\(\.\./\.\./ui/screenshots/([^)\s]+)\.png\)")
ANY_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squash(s: str) -> str:
    """Text without whitespace and Markdown code marks, for comparing with pdftotext."""
    return re.sub(r"\s+", "", s.replace("`", ""))


def rendered_screen_names() -> set[str]:
    src = "".join(p.read_text(encoding="utf-8") for p in sorted(SCREENS_DIR.glob("*.rs")))
    # shots.take("01-waiting"), shots.take_taller("19-demo-reader-panel", …)
    return set(re.findall(r'\.take(?:_taller)?\("([0-9a-z-]+)"', src))


def pages(pdf: Path) -> list[tuple[float, float]]:
    out = run("pdfinfo", "-f", "1", "-l", "1000", str(pdf))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)
    return [(float(w), float(h)) for w, h in sizes]


def check(pdf_dir: Path) -> list[str]:
    problems: list[str] = []
    sources = sorted(p for p in DOCS.glob("*.md") if p.name != "README.md")
    if not sources:
        return [f"no manuals in {DOCS}"]
    names = {p.stem for p in sources}
    manuals = [n for n in names if not n.endswith("-card")]
    if len(manuals) < 5:
        problems.append(f"expected the five manuals, found {sorted(manuals)}")
    for n in manuals:
        if f"{n}-card" not in names:
            problems.append(f"{n}.md has no quick card {n}-card.md")
    screen_names = rendered_screen_names()
    if len(screen_names) < 10:
        problems.append(f"could not read the screen names from {SCREENS_DIR}/*.rs")

    for src in sources:
        text_md = src.read_text(encoding="utf-8")
        pdf = pdf_dir / f"{src.stem}.pdf"
        if not pdf.is_file():
            problems.append(f"{pdf} was not built")
            continue

        sizes = pages(pdf)
        if not sizes:
            problems.append(f"{pdf.name}: pdfinfo reports no pages")
        for i, (w, h) in enumerate(sizes, 1):
            if abs(w - A4_PT[0]) > 1 or abs(h - A4_PT[1]) > 1:
                problems.append(f"{pdf.name}: page {i} is {w}x{h} pt, not A4")
        if src.stem.endswith("-card") and len(sizes) != 1:
            problems.append(f"{pdf.name}: a quick card must be one page, it has {len(sizes)}")

        text = run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
        flat = squash(text)
        titles = [text_md.splitlines()[0].removeprefix("# ")]
        titles += re.findall(r"^## (.+)$", text_md, re.M)
        for t in titles:
            if squash(t) not in flat:
                problems.append(f"{pdf.name}: pdftotext does not find the chapter title {t!r}")
        least = 100 if src.stem.endswith("-card") else 1000
        if len(CJK.findall(text)) < least:
            problems.append(f"{pdf.name}: only {len(CJK.findall(text))} Japanese characters extracted")

        fonts = run("pdffonts", str(pdf)).splitlines()[2:]
        if not fonts:
            problems.append(f"{pdf.name}: no fonts")
        biz = False
        for line in fonts:
            cols = line.split()
            # name type... encoding emb sub uni objectID gen
            emb, uni = cols[-5], cols[-3]
            if emb != "yes":
                problems.append(f"{pdf.name}: font {cols[0]} is not embedded")
            if uni != "yes":
                problems.append(f"{pdf.name}: font {cols[0]} has no Unicode map")
            biz |= "BIZ-UDPGothic" in cols[0]
        if not biz:
            problems.append(f"{pdf.name}: BIZ UD PGothic is not embedded")

        refs = SHOT_REF.findall(text_md)
        for target in ANY_IMAGE.findall(text_md):
            if not SHOT_REF.fullmatch(f"({target})"):
                problems.append(f"{src.name}: image {target} is not from ../../ui/screenshots/")
        for name in refs:
            if not (SHOTS / f"{name}.png").is_file():
                problems.append(f"{src.name}: ui/screenshots/{name}.png does not exist")
            if name not in screen_names:
                problems.append(f"{src.name}: {name}.png is not rendered by `tsudoi screenshot`")
        images = run("pdfimages", "-list", str(pdf)).splitlines()[2:]
        if len(images) < len(set(refs)):
            problems.append(
                f"{pdf.name}: {len(images)} images in the PDF for {len(set(refs))} screenshots referenced"
            )
    return problems


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: check-manuals.py PDF_DIR", file=sys.stderr)
        return 2
    problems = check(Path(sys.argv[1]))
    for p in problems:
        print(f"check-manuals: {p}", file=sys.stderr)
    if problems:
        return 1
    print("check-manuals: every PDF is A4, has its chapter titles and embedded fonts; every screenshot is rendered by tsudoi")
    return 0


if __name__ == "__main__":
    sys.exit(main())
