#!/usr/bin/env bash
# Builds the tsudoi Debian package with cargo-deb.
#
#   scripts/package-deb.sh                 # amd64, release build
#   scripts/package-deb.sh --arch arm64    # Raspberry Pi: cross build (scripts/build-arm64.sh)
#   scripts/package-deb.sh --quick         # amd64, a debug binary beside the one `cargo test`
#                                          # built: to check the packaging only, never to ship
#
# Prints the .deb's path on the last line. The man pages and shell
# completions are generated first from the clap definitions
# (examples/gen-docs.rs) into target/docs, so they always match the commands
# being shipped. Installs cargo-deb (from crates.io) if missing.
#
# The package holds the device build: no `dev` feature (`tsudoi screenshot`,
# `tsudoi bench`; scripts/test-deb.sh checks it with
# scripts/check-device-binary.sh). The release builds turn off every default
# feature; --quick keeps `desktop` (winit) so that only the root crate is
# built again beside the tests' build, then puts the development build back
# at target/debug/tsudoi.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=amd64
quick=no
while [ $# -gt 0 ]; do
  case $1 in
    --arch) arch=$2; shift 2 ;;
    --quick) quick=yes; shift ;;
    *) echo "usage: $0 [--arch amd64|arm64] [--quick]" >&2; exit 2 ;;
  esac
done

CARGO_DEB_VERSION=3.8.0
if ! cargo deb --version 2>/dev/null | grep -q "$CARGO_DEB_VERSION"; then
  echo "package-deb: installing cargo-deb $CARGO_DEB_VERSION"
  cargo install --locked --quiet cargo-deb --version "$CARGO_DEB_VERSION"
fi

# Man pages and completions, from the clap definitions (examples/gen-docs.rs).
rm -rf target/docs
if [ $arch = arm64 ]; then
  # Built beside the cross build (its dependencies are already compiled there)
  # and run under qemu-user: the arm64 package needs no host build at all.
  scripts/build-arm64.sh >/dev/null
  (
    . scripts/arm64-env.sh
    arm64_env
    "$CARGO" build --locked --quiet --release --no-default-features --target "$TARGET" -p tsudoi --example gen-docs
    qemu-aarch64 -L "$RUNROOT" "$ARM64_TARGET_DIR/$TARGET/release/examples/gen-docs" target/docs
  )
else
  # Without `dev`, like the binary shipped (`desktop` changes no command).
  cargo run --locked --quiet --no-default-features --features desktop --example gen-docs -- target/docs
fi
gzip -9n target/docs/man/*.1

case $arch in
  amd64)
    scripts/install-deps.sh >/dev/null
    if [ $quick = yes ]; then
      cargo build --locked --quiet --no-default-features --features desktop --bin tsudoi
      cargo deb --no-build --profile dev -p tsudoi >/dev/null
      # The development build back in place for what runs next (quick: both are built).
      cargo build --locked --quiet --bin tsudoi
    else
      cargo deb --locked --strip --no-default-features -p tsudoi >/dev/null
    fi
    deb=$(ls -t target/debian/tsudoi_*_amd64.deb | head -n1)
    ;;
  arm64)
    . scripts/arm64-env.sh
    # Stripped with the cross binutils (aarch64-linux-gnu-strip); target/arm64 is the cross build's own target dir.
    CARGO_TARGET_DIR=$ARM64_TARGET_DIR cargo deb --no-build --strip --no-default-features -p tsudoi \
      --target "$TARGET" --output target/debian/ >/dev/null
    deb=$(ls -t target/debian/tsudoi_*_arm64.deb | head -n1)
    ;;
  *) echo "package-deb: unknown architecture $arch" >&2; exit 2 ;;
esac
echo "$deb"
