#!/usr/bin/env bash
# Cross-builds the kiosk for a Raspberry Pi (aarch64, Debian/Raspberry Pi OS
# bookworm) on a Debian 12 amd64 machine with no rustup targets and no
# containers: Debian's rustc 1.96 (rustc-web) with its arm64 std as sysroot,
# gcc-aarch64-linux-gnu as linker and C compiler, and an arm64 sysroot unpacked
# from Debian packages (apt-get download + dpkg -x; nothing arm64 is installed
# on the machine). Idempotent: steps already done are skipped.
#
#   scripts/build-arm64.sh            # release build, prints the binary's path
#   scripts/build-arm64.sh --dev      # also the development build (tsudoi-dev)
#
# The binary: target/arm64/aarch64-unknown-linux-gnu/release/tsudoi
# (linuxkms + software renderer, no winit, no development commands:
# --no-default-features), the one scripts/package-deb.sh packages.
# With --dev, also release/tsudoi-dev: the same plus `--features dev`
# (`tsudoi screenshot`, `tsudoi bench`) for scripts/test-arm64.sh and the
# image's reference screenshots; only the root crate is built again.
# Run them with scripts/run-arm64.sh.
set -euo pipefail
. "$(dirname "$0")/arm64-env.sh"
cd "$repo"

dev=no
case ${1:-} in
  --dev) dev=yes ;;
  "") ;;
  *) echo "usage: $0 [--dev]" >&2; exit 2 ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Host packages (amd64).
host_packages=(rustc-web cargo-web libstd-rust-web-dev gcc-aarch64-linux-gnu g++-aarch64-linux-gnu
  binutils-aarch64-linux-gnu qemu-user cmake pkg-config libclang-dev dpkg-dev)
missing=()
for p in "${host_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
updated=no
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "build-arm64: adding the arm64 architecture to dpkg (for apt-get download only)"
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  updated=yes
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-arm64: installing ${missing[*]}"
  [ $updated = yes ] || $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
fi
# rustc-web must come from bookworm-security (1.96); bookworm's 1.85 is too old.
rustc_version=$(/usr/bin/rustc --version | awk '{print $2}')
case $rustc_version in
  1.8*|1.9[0-4]*) echo "build-arm64: /usr/bin/rustc is $rustc_version; need >= 1.95 (bookworm-security's rustc-web)" >&2; exit 1 ;;
esac

# arm64 packages: the libraries the kiosk links (-dev and runtime) and their
# dependencies, plus libc & co for the qemu-user runtime root only.
link_packages=(
  libinput-dev libinput10 libudev-dev libudev1 libxkbcommon-dev libxkbcommon0
  libfontconfig-dev libfontconfig1-dev libfontconfig1 libfreetype-dev libfreetype6
  libexpat1-dev libexpat1 zlib1g-dev zlib1g libpng-dev libpng16-16 libbrotli-dev libbrotli1
  libmtdev-dev libmtdev1 libevdev-dev libevdev2 libwacom-dev libwacom9
  libgudev-1.0-dev libgudev-1.0-0 libglib2.0-dev libglib2.0-0 libffi-dev libffi8
  libmount-dev libmount1 libblkid-dev libblkid1 libselinux1-dev libselinux1 libsepol-dev libsepol2
  libpcre2-dev libpcre2-8-0 libpcre2-16-0 libpcre2-32-0 libpcre2-posix3 uuid-dev libuuid1
)
run_packages=(libc6 libcrypt1 libgcc-s1 libstdc++6)
std_version=$(dpkg-query -W -f='${Version}' libstd-rust-web-dev)

debs=$ARM64_DIR/debs
mkdir -p "$debs"
download() { # PKG[=VERSION]...: into $debs unless already there
  local want=()
  for p in "$@"; do
    local name=${p%%=*}
    name=${name%:arm64}
    compgen -G "$debs/${name}_*_arm64.deb" >/dev/null || compgen -G "$debs/${name}_*_all.deb" >/dev/null || want+=("$p")
  done
  [ ${#want[@]} -eq 0 ] && return 0
  echo "build-arm64: downloading ${#want[@]} arm64 packages"
  (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${want[@]}" 2>/dev/null) || {
    # The package lists may be stale (a new security upload): refresh once.
    $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
    (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${want[@]}")
  }
}
download "${link_packages[@]/%/:arm64}" "${run_packages[@]/%/:arm64}" "libstd-rust-web-dev:arm64=$std_version"

stamp_of() { ls "$debs" | sha256sum | cut -c1-16; }
stamp=$(stamp_of)
if [ "$(cat "$ARM64_DIR/.unpacked" 2>/dev/null)" != "$stamp" ]; then
  echo "build-arm64: unpacking the sysroot"
  rm -rf "$SYSROOT" "$RUNROOT" "$RUSTROOT"
  mkdir -p "$SYSROOT" "$RUNROOT" "$RUSTROOT"
  for p in "${link_packages[@]}"; do
    for f in "$debs/${p}"_*_arm64.deb "$debs/${p}"_*_all.deb; do
      [ -e "$f" ] && dpkg -x "$f" "$SYSROOT"
    done
  done
  cp -a "$SYSROOT/." "$RUNROOT/"
  for p in "${run_packages[@]}"; do
    for f in "$debs/${p}"_*_arm64.deb; do dpkg -x "$f" "$RUNROOT"; done
  done
  dpkg -x "$debs"/libstd-rust-web-dev_"${std_version//:/%3a}"_arm64.deb "$RUSTROOT" 2>/dev/null ||
    dpkg -x "$(ls "$debs"/libstd-rust-web-dev_*_arm64.deb | head -n1)" "$RUSTROOT"
  # The build scripts and proc macros are host code: give the sysroot the host std too.
  ln -sfn /usr/lib/rustlib/x86_64-unknown-linux-gnu "$RUSTROOT/usr/lib/rustlib/x86_64-unknown-linux-gnu"
  echo "$stamp" > "$ARM64_DIR/.unpacked"
fi
if [ ! -d "$RUSTROOT/usr/lib/rustlib/$TARGET/lib" ]; then
  echo "build-arm64: the arm64 std is missing from $RUSTROOT" >&2; exit 1
fi

arm64_env
build() { "$CARGO" build --locked --release --no-default-features --target "$TARGET" -p tsudoi --bin tsudoi "$@"; }
if [ $dev = yes ]; then
  echo "build-arm64: cargo build --release --no-default-features --features dev --target $TARGET ($("$RUSTC" --version))"
  build --features dev
  cp "$ARM64_BIN" "$ARM64_DEV_BIN.tmp"
  mv "$ARM64_DEV_BIN.tmp" "$ARM64_DEV_BIN"
  echo "build-arm64: $ARM64_DEV_BIN (development build: screenshot, bench; never packaged)"
fi
# Last, so that release/tsudoi is the device build again (cargo keeps both
# builds of the root crate; switching back only links).
echo "build-arm64: cargo build --release --no-default-features --target $TARGET ($("$RUSTC" --version))"
build
file_out=$(file -b "$ARM64_BIN" 2>/dev/null || true)
echo "build-arm64: $ARM64_BIN${file_out:+ ($file_out)}"
