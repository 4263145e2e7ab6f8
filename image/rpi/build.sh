#!/usr/bin/env bash
# Builds the Raspberry Pi image with rpi-image-gen. Runs only on an arm64
# Debian host (a Raspberry Pi 5 with Raspberry Pi OS is the simplest) that
# reaches Raspberry Pi's package archive; the build machines of the project
# cannot, so there this script only lints (--lint).
#
#   image/rpi/build.sh tsudoi_0.1.0-1_arm64.deb [update-keyring.gpg]  # on the arm64 host
#   image/rpi/build.sh --lint                        # anywhere
#
# On the arm64 host, once:
#   git clone https://github.com/raspberrypi/rpi-image-gen.git ~/rpi-image-gen
#   cd ~/rpi-image-gen && sudo ./install_deps.sh
# The image lands in ~/rpi-image-gen/work/tsudoi-kiosk/deploy/*.img; flash it
# with rpi-imager or `dd` (see image/README.md). The optional keyring is the
# ward's public update key (image/README.md, "Updating"); without it the
# kiosk refuses every update and can only be re-flashed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

lint() {
  local bad=0
  for f in "$here"/config/*.yaml "$here"/layer/*.yaml; do
    python3 - "$f" <<'PY' || bad=1
import sys, yaml
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
doc = yaml.safe_load(text)
if "/layer/" in path:
    head = text.split("# METAEND")[0]
    assert "# METABEGIN" in head, "no METABEGIN header"
    for key in ("X-Env-Layer-Name", "X-Env-Layer-Category", "X-Env-Layer-Desc"):
        assert f"# {key}:" in head, f"missing {key}"
    assert isinstance(doc, dict) and "mmdebstrap" in doc, "no mmdebstrap: body"
else:
    assert isinstance(doc, dict) and {"device", "image", "layer"} <= doc.keys(), "config needs device, image, layer"
print(f"ok {path}")
PY
  done
  bash -n "$here/build.sh" || bad=1
  return $bad
}

if [ "${1:-}" = "--lint" ]; then
  lint
  exit
fi
deb=${1:?usage: build.sh TSUDOI_ARM64_DEB [UPDATE_KEYRING] | --lint}
keyring=${2:-}
[ "$(dpkg --print-architecture)" = arm64 ] || { echo "build.sh: run this on an arm64 host (see the comment at the top)" >&2; exit 1; }
RIG=${RPI_IMAGE_GEN:-$HOME/rpi-image-gen}
lint
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$deb" "$stage/tsudoi.deb"
cp -a "$here/../overlay" "$stage/overlay"
if [ -n "$keyring" ]; then
  install -D -m 0644 "$keyring" "$stage/overlay/etc/tsudoi/update-keyring.gpg"
fi
export TSUDOI_STAGE=$stage
cd "$RIG"
./rpi-image-gen build -S "$here" -c tsudoi.yaml
