# shellcheck shell=bash
# Shared by build-arm64.sh and run-arm64.sh: where the arm64 build lives and
# the environment that points cargo, rustc, the C compilers and pkg-config at
# it. Source it; it only sets variables.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=aarch64-unknown-linux-gnu
# Everything downloaded or unpacked for arm64 (about 200 MB), outside git.
ARM64_DIR=${TSUDOI_ARM64_DIR:-$repo/target/arm64-env}
# The build itself: its own target dir, because its host artefacts (build
# scripts, proc macros) come from Debian's rustc, not rustup's.
ARM64_TARGET_DIR=${TSUDOI_ARM64_TARGET_DIR:-$repo/target/arm64}
ARM64_BIN=$ARM64_TARGET_DIR/$TARGET/release/tsudoi
# The same build with the development commands (`--features dev`:
# screenshot, bench), for checks only: never packaged. build-arm64.sh --dev.
ARM64_DEV_BIN=$ARM64_TARGET_DIR/$TARGET/release/tsudoi-dev
SYSROOT=$ARM64_DIR/sysroot      # arm64 -dev packages, no libc (the cross gcc brings its own)
RUNROOT=$ARM64_DIR/runroot      # the same plus libc etc., for qemu-aarch64 -L
RUSTROOT=$ARM64_DIR/rust        # Debian's arm64 std, used as rustc --sysroot

arm64_env() {
  export RUSTC=/usr/bin/rustc
  export CARGO=/usr/bin/cargo
  export CARGO_TARGET_DIR=$ARM64_TARGET_DIR
  export PKG_CONFIG_ALLOW_CROSS=1
  export PKG_CONFIG_SYSROOT_DIR=$SYSROOT
  export PKG_CONFIG_LIBDIR=$SYSROOT/usr/lib/aarch64-linux-gnu/pkgconfig:$SYSROOT/usr/share/pkgconfig
  export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
  export CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++
  export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
  export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
  export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="--sysroot=$RUSTROOT/usr -C link-arg=-Wl,-rpath-link,$SYSROOT/usr/lib/aarch64-linux-gnu -C link-arg=-Wl,-rpath-link,$SYSROOT/lib/aarch64-linux-gnu"
}
