#!/usr/bin/env bash
# Builds the Japanese manuals (docs/ja/*.md) into printable A4 PDFs with the
# project's BIZ UD PGothic embedded, then checks them (scripts/check-manuals.py).
# Markdown → HTML with pandoc, HTML + CSS → PDF with WeasyPrint (both Debian 12).
# Usage: scripts/build-manuals.sh [OUT_DIR]   (default: target/manuals)
# Installs its Debian packages if they are missing (idempotent; sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-target/manuals}

packages=(
  pandoc          # Markdown → HTML
  weasyprint      # HTML + CSS → PDF (fonts through fontconfig / @font-face)
  poppler-utils   # the checks: pdfinfo, pdffonts, pdftotext
  python3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "build-manuals: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The stylesheet names the fonts by absolute file URL, so the PDF does not
# depend on which fonts the machine has installed.
sed "s|@FONTS@|file://$root/ui/fonts|g" docs/ja/manual.css > "$work/manual.css"

built=0
for src in docs/ja/*.md; do
  name=$(basename "$src" .md)
  [ "$name" = README ] && continue
  # The first line "# Title" is the document's title (the template prints it).
  title=$(sed -n '1s/^# //p' "$src")
  if [ -z "$title" ]; then
    echo "build-manuals: $src must start with a '# ' title line" >&2
    exit 1
  fi
  class=manual toc=--toc
  case "$name" in *-card) class=card toc= ;; esac
  tail -n +2 "$src" | pandoc --from markdown-smart --to html5 --standalone \
    --metadata pagetitle="$title" \
    --variable "classoption=$class" $toc --toc-depth=2 \
    --css "$work/manual.css" \
    --template docs/ja/template.html \
    --output "$work/$name.html"
  weasyprint --base-url "file://$root/docs/ja/" "$work/$name.html" "$out/$name.pdf"
  echo "build-manuals: $out/$name.pdf"
  built=$((built + 1))
done
echo "build-manuals: $built PDFs in $out"
python3 scripts/check-manuals.py "$out"
