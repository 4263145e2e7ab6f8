#!/usr/bin/env bash
# Checks the amd64 Debian package the way Debian's tools see it (run by CI):
# builds it (scripts/package-deb.sh), runs lintian (no errors allowed),
# checks its contents and metadata with dpkg-deb, installs it on this
# machine, checks what the maintainer scripts did (user, groups, folders,
# units), verifies the installed units with systemd-analyze (with the real
# man pages now present), runs the installed binary, then removes and purges
# it. Needs root (CI runs as root). An arm64 package (the Pi's, cross-built)
# gets the same lintian, contents and metadata checks, then instead of an
# installation: its binary is stripped AArch64, every library it links
# (NEEDED) comes from a package in Depends, and it runs under qemu-aarch64.
#
#   scripts/test-deb.sh [PATH.deb]    # without a path, builds the amd64 package first
#   scripts/test-deb.sh "$(scripts/package-deb.sh --arch arm64 | tail -n1)"
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "test-deb: run as root (it installs the package)" >&2; exit 1; }

fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
ok() { echo "test-deb: ok: $*"; }

deb=${1:-}
if [ -z "$deb" ]; then
  deb=$(scripts/package-deb.sh | tail -n1)
fi
[ -f "$deb" ] || fail "no package at $deb"
echo "test-deb: $deb ($(du -h "$deb" | cut -f1))"

# 1. lintian: errors fail; warnings are printed.
lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>&1 || true)
echo "$lintian_out" | sed 's/^/  lintian: /'
if grep -q '^E:' <<<"$lintian_out"; then fail "lintian reports errors"; fi
ok "lintian: no errors"

# 2. Metadata and contents.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = tsudoi ] || fail "Package field"
for dep in 'libc6 (>= 2.35)' libinput10 libudev1 libxkbcommon0 libfontconfig1 adduser gpgv; do
  field Depends | grep -qF "$dep" || fail "Depends lacks $dep"
done
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/tsudoi ./etc/tsudoi/tsudoi.toml \
  ./usr/lib/systemd/system/tsudoi.service ./usr/lib/systemd/system/tsudoi-media@.service \
  ./usr/lib/systemd/system/tsudoi-media-eject.service ./usr/lib/systemd/system/tsudoi-media-eject.path \
  ./usr/libexec/tsudoi/tsudoi-media ./usr/libexec/tsudoi/tsudoi-update ./usr/lib/udev/rules.d/60-tsudoi.rules ./usr/lib/tmpfiles.d/tsudoi.conf \
  ./usr/share/man/man1/tsudoi.1.gz ./usr/share/man/man1/tsudoi-run.1.gz ./usr/share/man/man1/tsudoi-report.1.gz \
  ./usr/share/bash-completion/completions/tsudoi ./usr/share/zsh/vendor-completions/_tsudoi \
  ./usr/share/fish/vendor_completions.d/tsudoi.fish \
  ./usr/share/doc/tsudoi/copyright ./usr/share/doc/tsudoi/changelog.Debian.gz \
  ./usr/share/doc/tsudoi/LICENSE-BIZUDGothic.txt ./usr/share/doc/tsudoi/LICENSE-EDRDG.txt \
  ./usr/share/doc/tsudoi/LICENSE-Unicode.txt \
  ./usr/share/tsudoi/voice/manifest.tsv ./usr/share/tsudoi/voice/checked_in.wav \
  ./usr/share/doc/tsudoi/NOTICE.voice ./usr/share/doc/tsudoi/README.voice.md; do
  grep -qxF "$f" <<<"$contents" || fail "package lacks $f"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -e "$deb" "$tmp/control"
grep -qx /etc/tsudoi/tsudoi.toml "$tmp/control/conffiles" || fail "tsudoi.toml is not a conffile"
# The man page of a subcommand is real roff that man renders (man-db's own check).
dpkg-deb -x "$deb" "$tmp/root"
# The spoken guidance: every clip its manifest lists, unchanged, and no other.
voice="$tmp/root/usr/share/tsudoi/voice"
(cd "$voice" && awk -F'\t' '!/^#/ && $1 != "id" { print $5 "  " $4 }' manifest.tsv | sha256sum -c --quiet) \
  || fail "the voice clips differ from their manifest"
[ "$(ls "$voice"/*.wav | wc -l)" = "$(grep -vc -e '^#' -e '^id' "$voice/manifest.tsv")" ] \
  || fail "the voice folder holds clips its manifest does not list"
ok "voice: $(ls "$voice"/*.wav | wc -l) clips match their manifest"
man_text=$(MANWIDTH=100 man -l "$tmp/root/usr/share/man/man1/tsudoi-run.1.gz" 2>&1 | col -b)
grep -q -- '--idle-seconds' <<<"$man_text" || fail "tsudoi-run(1) does not document --idle-seconds"
bash -n "$tmp/root/usr/share/bash-completion/completions/tsudoi" || fail "bash completion does not parse"
ok "contents, conffile, man page and completion"

# 2a. The device build only: no development commands (`tsudoi screenshot`,
# `tsudoi bench`: feature `dev`) in the binary, its man pages or completions.
for f in ./usr/share/man/man1/tsudoi-screenshot.1.gz ./usr/share/man/man1/tsudoi-bench.1.gz; do
  if grep -qxF "$f" <<<"$contents"; then fail "package holds $f"; fi
done
if grep -qw screenshot "$tmp/root/usr/share/bash-completion/completions/tsudoi"; then
  fail "the bash completion offers screenshot"
fi
runner=()
if [ "$(field Architecture)" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ]; then
  . scripts/arm64-env.sh
  runner=(qemu-aarch64 -L "$RUNROOT")
fi
scripts/check-device-binary.sh "$tmp/root/usr/bin/tsudoi" "${runner[@]}" || fail "usr/bin/tsudoi is not a device build"
ok "device build: no screenshot or bench in the binary, man pages or completions"

# 2b. A package for another architecture (the Pi's arm64, cross-built) cannot
# be installed here: check what can be checked without installing, then stop.
arch=$(field Architecture)
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
  [ "$arch" = arm64 ] || fail "unexpected architecture $arch"
  bin=$tmp/root/usr/bin/tsudoi
  desc=$(file -b "$bin")
  case $desc in *"ARM aarch64"*stripped*) ;; *) fail "usr/bin/tsudoi is not a stripped aarch64 executable: $desc" ;; esac
  # Depends is written by hand for a cross build: every library the binary
  # links must come from a package it lists. The arm64 packages that
  # scripts/build-arm64.sh downloaded say which package ships which soname.
  . scripts/arm64-env.sh
  [ -d "$ARM64_DIR/debs" ] || fail "no arm64 packages in $ARM64_DIR/debs (run scripts/build-arm64.sh)"
  needed=$(aarch64-linux-gnu-readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  [ -n "$needed" ] || fail "no NEEDED entries in usr/bin/tsudoi"
  for so in $needed; do
    pkg=""
    for d in "$ARM64_DIR"/debs/*_arm64.deb; do
      case $(basename "$d") in *-dev_*) continue ;; esac
      if grep -q "/$so\$" <<<"$(dpkg-deb -c "$d" | awk '{print $6}')"; then
        pkg=$(dpkg-deb -f "$d" Package); break
      fi
    done
    [ -n "$pkg" ] || fail "no downloaded arm64 package ships $so"
    field Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$pkg" || fail "Depends lacks $pkg (for $so)"
    echo "  $so <- $pkg"
  done
  ver=$(qemu-aarch64 -L "$RUNROOT" "$bin" --version) || fail "the packaged binary does not run under qemu-aarch64"
  [ "$ver" = "tsudoi $(field Version | sed 's/-[^-]*$//')" ] || fail "packaged binary says $ver, package is $(field Version)"
  ok "arm64: stripped aarch64 binary, every NEEDED library in Depends, runs under qemu-aarch64 ($ver)"
  echo "test-deb: PASSED (not installed: $arch package on $(dpkg --print-architecture))"
  exit 0
fi

# 3. Install, as on a kiosk.
if dpkg-query -W -f='${Status}' tsudoi 2>/dev/null | grep -q installed; then dpkg --purge tsudoi >/dev/null; fi
apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$(readlink -f "$deb")" >/dev/null || fail "apt-get install"
id tsudoi >/dev/null || fail "no tsudoi user"
for g in video render input dialout gpio spi i2c plugdev audio; do
  id -nG tsudoi | tr ' ' '\n' | grep -qx "$g" || fail "tsudoi is not in group $g"
done
[ "$(getent passwd tsudoi | cut -d: -f7)" = /usr/sbin/nologin ] || fail "tsudoi has a login shell"
[ "$(stat -c '%a %U' /var/lib/tsudoi)" = "700 tsudoi" ] || fail "/var/lib/tsudoi is $(stat -c '%a %U' /var/lib/tsudoi)"
[ -d /media/tsudoi ] || fail "/media/tsudoi missing"
[ -e /etc/systemd/system/multi-user.target.wants/tsudoi.service ] || fail "tsudoi.service is not enabled"
for u in tsudoi.service tsudoi-media@sda1.service tsudoi-media-eject.service tsudoi-media-eject.path; do
  out=$(systemd-analyze verify "$u" 2>&1) || true
  [ -z "$out" ] || fail "systemd-analyze verify $u: $out"
done
ok "installed: user, groups, /var/lib/tsudoi 0700, units verify with man pages"
/usr/bin/tsudoi --version | grep -q '^tsudoi ' || fail "tsudoi --version"
/usr/bin/tsudoi --config /etc/tsudoi/tsudoi.toml check --birth 1950-01-01 --postal 160-0022 --on 2026-01-01 --json \
  | python3 -c 'import json,sys; assert json.load(sys.stdin)["eligible"] is True' || fail "the installed binary with the shipped config"
ok "the installed binary reads the shipped configuration"

# 3b. An update from a USB stick (tsudoi-update, the documented procedure):
# only a package signed by the ward's update key and newer than the installed
# one goes in. Keys made here with gpg; the signature checked by gpgv.
upd=$tmp/update
mkdir -p "$upd"
export GNUPGHOME=$upd/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'tsudoi update test <update@example.org>' ed25519 sign never 2>/dev/null
gpg --batch --quiet --passphrase '' --quick-gen-key 'someone else <other@example.org>' ed25519 sign never 2>/dev/null
gpg --batch --export update@example.org > "$upd/update-keyring.gpg"
export TSUDOI_UPDATE_KEYRING=$upd/update-keyring.gpg
installed=$(dpkg-query -W -f='${Version}' tsudoi)
# The same package as a newer version (the control file's Version only).
dpkg-deb -R "$deb" "$upd/pkg"
sed -i "s/^Version: .*/Version: ${installed}+update1/" "$upd/pkg/DEBIAN/control"
dpkg-deb --root-owner-group -Znone -b "$upd/pkg" "$upd/tsudoi_new.deb" >/dev/null
rm -rf "$upd/pkg"
update() { /usr/libexec/tsudoi/tsudoi-update "$1" 2>"$upd/err"; }
now=$installed
expect_refused() { # CODE WHAT FILE
  local code=0
  update "$3" || code=$?
  [ "$code" = "$1" ] || { cat "$upd/err" >&2; fail "tsudoi-update $2: exit $code, expected $1"; }
  [ "$(dpkg-query -W -f='${Version}' tsudoi)" = "$now" ] || fail "tsudoi-update $2 changed the installed version"
  echo "  refused ($1): $2: $(tail -n1 "$upd/err")"
}
expect_refused 4 "without a signature" "$upd/tsudoi_new.deb"
scripts/sign-deb.sh --key other@example.org "$upd/tsudoi_new.deb" --keyring "$upd/other.gpg" >/dev/null 2>&1
expect_refused 4 "signed by another key" "$upd/tsudoi_new.deb"
scripts/sign-deb.sh --key update@example.org "$upd/tsudoi_new.deb" --keyring "$TSUDOI_UPDATE_KEYRING" >/dev/null 2>&1
cp "$upd/tsudoi_new.deb" "$upd/tampered.deb"; cp "$upd/tsudoi_new.deb.asc" "$upd/tampered.deb.asc"
printf 'x' | dd of="$upd/tampered.deb" bs=1 seek=$(( $(stat -c %s "$upd/tampered.deb") / 2 )) conv=notrunc 2>/dev/null
expect_refused 4 "one byte changed after signing" "$upd/tampered.deb"
cp "$deb" "$upd/same.deb"
scripts/sign-deb.sh --key update@example.org "$upd/same.deb" --keyring "$TSUDOI_UPDATE_KEYRING" >/dev/null 2>&1
expect_refused 5 "the installed version again" "$upd/same.deb"
TSUDOI_UPDATE_KEYRING=$upd/missing.gpg expect_refused 3 "with no update key on the device" "$upd/tsudoi_new.deb"
update "$upd/tsudoi_new.deb" || { cat "$upd/err" >&2; fail "tsudoi-update of a signed newer package"; }
[ "$(dpkg-query -W -f='${Version}' tsudoi)" = "${installed}+update1" ] || fail "the signed update was not installed"
now=${installed}+update1
expect_refused 5 "the older version back (a downgrade)" "$upd/same.deb"
unset GNUPGHOME TSUDOI_UPDATE_KEYRING
ok "tsudoi-update: installs a signed newer package; refuses unsigned, foreign-key, tampered, same-version and older ones and a device without a key"

# 4. Remove keeps the config, purge removes it; the store folder stays (residents' data).
dpkg --remove tsudoi >/dev/null
[ -f /etc/tsudoi/tsudoi.toml ] || fail "remove deleted the conffile"
dpkg --purge tsudoi >/dev/null
[ ! -e /etc/tsudoi/tsudoi.toml ] || fail "purge left the conffile"
[ -d /var/lib/tsudoi ] || fail "purge deleted /var/lib/tsudoi"
ok "remove and purge"
echo "test-deb: PASSED"
