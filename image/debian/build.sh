#!/usr/bin/env bash
# Builds a Debian 12 (bookworm) arm64 system with the tsudoi package and the
# appliance overlay (image/overlay) from Debian's packages alone, bootable in
# qemu-system-aarch64 -M virt — the same system the Raspberry Pi image is,
# minus the Pi's firmware and kernel. No binfmt is needed: packages are
# unpacked on the host (mmdebstrap --variant=extract) and configured by the
# guest itself on a first boot under QEMU.
#
#   image/debian/build.sh [TSUDOI_ARM64_DEB]
#   TSUDOI_IMAGE_BASE_ONLY=1 image/debian/build.sh   # the base system only
#
# Output (cached; rebuilt only when an input changed) in target/image/debian:
#   base/                 the configured Debian system without tsudoi (cached
#                         on its own: the slow part)
#   vmlinuz, initrd.img   kernel and a small busybox initrd (virtio, ext4)
#   root.img              ext4 "tsudoi-root", mounted read-only
#   data.img              ext4 "tsudoi-data", the store, mounted noatime
# The demo store (synthetic data) is made on the host under qemu-user. Prints the
# output folder on the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${TSUDOI_IMAGE_DIR:-$repo/target/image/debian}
mkdir -p "$out"

deb=${1:-}
if [ "${TSUDOI_IMAGE_BASE_ONLY:-}" = 1 ]; then
  deb=/dev/null   # only the base system (below); no package needed
elif [ -z "$deb" ]; then
  deb=$(ls -t "$repo"/target/debian/tsudoi_*_arm64.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    deb=$("$repo/scripts/package-deb.sh" --arch arm64 | tail -n1)
  fi
fi
deb=$(readlink -f "$deb")

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
need=(mmdebstrap qemu-system-arm e2fsprogs kmod cpio xz-utils)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "image: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "image: run as root (mmdebstrap keeps file owners, mke2fs copies them)" >&2
  exit 1
fi

packages=(systemd systemd-sysv udev kmod dbus linux-image-arm64 usr-is-merged
  libinput10 libudev1 libxkbcommon0 libfontconfig1 adduser sqlite3 nftables
  fake-hwclock util-linux e2fsprogs dosfstools gpgv)
command -v aarch64-linux-gnu-gcc >/dev/null ||
  { echo "image: aarch64-linux-gnu-gcc is missing (scripts/build-arm64.sh installs it)" >&2; exit 1; }

# Two stages, each cached:
#  base/  Debian unpacked by mmdebstrap and configured by a first boot in the
#         guest (the slow part: minutes under emulation). Key: the package
#         list and configure.sh; rebuilt at most once a day.
#  .      base + overlays + the tsudoi package installed by a second short
#         boot, and the data partition with the demo store.
base=$out/base
mkdir -p "$base"
base_key=$( { echo "base 2"; sha256sum "$here/configure.sh"; echo "${packages[*]}"; } | sha256sum | cut -c1-16)
key=$( { echo "$base_key"; sha256sum "$deb" "$here/build.sh" "$here/firstboot.sh" "$here/tsudoi-vm-hang.c";
         (cd "$repo/image" && find overlay debian/overlay -type f -o -type l | LC_ALL=C sort |
            while read -r f; do if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else sha256sum "$f"; fi; done);
         date +%F; } | sha256sum | cut -c1-16)
# (The date is part of the key: the demo store holds a year ending today.)
if [ "$(cat "$out/.key" 2>/dev/null)" = "$key" ] && [ -f "$out/root.img" ] && [ -f "$out/data.img" ]; then
  echo "image: up to date ($key)"
  echo "$out"
  exit 0
fi
rm -f "$out/.key"
started=$(date +%s)

build_base() {
  rm -f "$base/.key"
  local t0 rootfs kver bb ird
  t0=$(date +%s)
  # 1. Unpack the packages (no maintainer scripts run: they run in the guest).
  rootfs=$base/rootfs
  rm -rf "$rootfs"
  local includes=(--include='?essential' --include='?priority(required)')
  for p in "${packages[@]}"; do includes+=(--include="$p"); done
  echo "image: unpacking Debian bookworm arm64"
  mmdebstrap --quiet --variant=extract --architectures=arm64 \
    --setup-hook=/usr/share/mmdebstrap/hooks/merged-usr/setup00.sh \
    --skip=check/qemu --skip=cleanup/apt/cache "${includes[@]}" \
    bookworm "$rootfs" http://deb.debian.org/debian
  echo "image: unpacked in $(( $(date +%s) - t0 )) s ($(du -sm "$rootfs" | cut -f1) MB)"
  install -D -m 0755 "$here/configure.sh" "$rootfs/usr/local/sbin/tsudoi-configure"

  # 2. Kernel and a busybox initrd that loads virtio/ext4 and mounts /dev/vda.
  kver=$(ls "$rootfs/lib/modules" | head -n1)
  cp "$rootfs/boot/vmlinuz-$kver" "$base/vmlinuz"
  bb=$base/busybox
  if [ ! -x "$bb/bin/busybox" ]; then
    rm -rf "$bb" && mkdir -p "$bb"
    (cd "$base" && apt-get download -qq -o APT::Sandbox::User=root busybox-static:arm64)
    dpkg -x "$base"/busybox-static_*_arm64.deb "$bb"
  fi
  ird=$base/initrd
  rm -rf "$ird" && mkdir -p "$ird"/{bin,dev,proc,sys,newroot,lib/modules}
  cp "$bb/bin/busybox" "$ird/bin/busybox"
  for a in sh mount umount switch_root insmod sleep mkdir cat echo; do ln -s busybox "$ird/bin/$a"; done
  depmod -b "$rootfs" "$kver"
  modprobe -d "$rootfs" -S "$kver" -a --show-depends virtio_pci virtio_blk ext4 |
    awk '$1 == "insmod" { print $2 }' > "$base/modules.list"
  while read -r m; do
    f=$(basename "$m")
    case $f in *.ko.xz) xz -dc "$m" > "$ird/lib/modules/${f%.xz}" ;; *) cp "$m" "$ird/lib/modules/" ;; esac
  done < "$base/modules.list"   # absolute paths inside $rootfs
  {
    echo '#!/bin/sh'
    echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev'
    while read -r m; do f=$(basename "$m"); echo "insmod /lib/modules/${f%.xz}"; done < "$base/modules.list"
    cat <<'INIT'
init=/sbin/init
mode=ro
for a in $(cat /proc/cmdline); do
  case $a in init=*) init=${a#init=} ;; rw) mode=rw ;; esac
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
mount -t ext4 -o $mode,noatime /dev/vda /newroot || { echo "initrd: cannot mount /dev/vda"; exec sh; }
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot "$init"
INIT
  } > "$ird/init"
  chmod 0755 "$ird/init"
  (cd "$ird" && find . | cpio -o -H newc --quiet | gzip -9) > "$base/initrd.img"

  # 3. The disk (sparse) and the first boot that configures the packages.
  rm -f "$base/root.img"
  mke2fs -q -t ext4 -L tsudoi-root -d "$rootfs" "$base/root.img" 3G
  rm -rf "$rootfs"
  echo "image: first boot of the base system (configures the packages in the guest; minutes)"
  local t1 log=$base/configure.log
  t1=$(date +%s)
  timeout 3600 qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1536 \
    -kernel "$base/vmlinuz" -initrd "$base/initrd.img" \
    -append "console=ttyAMA0 rw init=/usr/local/sbin/tsudoi-configure" \
    -drive file="$base/root.img",format=raw,if=virtio \
    -display none -nic none -serial file:"$log" -no-reboot
  if ! grep -q '^TSUDOI-BASE-OK' "$log"; then
    echo "image: the base system's first boot failed; see $log" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  echo "image: base system configured in $(( $(date +%s) - t1 )) s ($(grep '^configure: .* packages' "$log" | tail -n1))"
  echo "$base_key" > "$base/.key"
}
if [ "$(cat "$base/.key" 2>/dev/null)" = "$base_key" ] && [ -f "$base/root.img" ]; then
  echo "image: base system up to date ($base_key)"
else
  build_base
fi
if [ "${TSUDOI_IMAGE_BASE_ONLY:-}" = 1 ]; then
  echo "$out"
  exit 0
fi
cp "$base/vmlinuz" "$base/initrd.img" "$out/"

# 3. The kiosk's package, the appliance overlay and the VM's own additions,
# written into a copy of the base disk.
rm -f "$out/root.img"
cp --sparse=always "$base/root.img" "$out/root.img"
mnt=$(mktemp -d)
trap 'mountpoint -q "$mnt" && umount "$mnt"; rmdir "$mnt"' EXIT
mount -o loop "$out/root.img" "$mnt"
install -d "$mnt/var/cache/tsudoi"
cp "$deb" "$mnt/var/cache/tsudoi/tsudoi.deb"
cp -a "$repo/image/overlay/." "$mnt/"
cp -a "$here/overlay/." "$mnt/"
install -D -m 0755 "$here/firstboot.sh" "$mnt/usr/local/sbin/tsudoi-firstboot"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -o "$mnt/usr/local/sbin/tsudoi-vm-hang" "$here/tsudoi-vm-hang.c"
aarch64-linux-gnu-strip "$mnt/usr/local/sbin/tsudoi-vm-hang"
install -d "$mnt/data" "$mnt/var/lib/tsudoi"
echo tsudoi > "$mnt/etc/hostname"
umount "$mnt"

# 4. The data partition (sparse).
# The demo store (a synthetic year) is made on the host by the packaged arm64
# binary under qemu-user: the same program and store format as in the image,
# in about a minute instead of many under full-system emulation.
. "$repo/scripts/arm64-env.sh"
seedbin=$out/seed-bin
rm -rf "$seedbin" "$out/data-seed" && mkdir -p "$out/data-seed/seed"
dpkg -x "$deb" "$seedbin"
qemu-aarch64 -L "$RUNROOT" "$seedbin/usr/bin/tsudoi" --store "$out/data-seed/seed/tsudoi.db" demo --no-ui >/dev/null
rm -rf "$seedbin"
rm -f "$out/data.img"
mke2fs -q -t ext4 -L tsudoi-data -d "$out/data-seed" "$out/data.img" 512M

# 5. First boot: the guest installs tsudoi, moves the demo store into place,
# and powers off.
echo "image: first boot (installs tsudoi in the guest)"
log=$out/firstboot.log
timeout 3600 qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1536 \
  -kernel "$out/vmlinuz" -initrd "$out/initrd.img" \
  -append "console=ttyAMA0 rw init=/usr/local/sbin/tsudoi-firstboot" \
  -drive file="$out/root.img",format=raw,if=virtio \
  -drive file="$out/data.img",format=raw,if=virtio \
  -display none -nic none -serial file:"$log" -no-reboot
if ! grep -q '^TSUDOI-FIRSTBOOT-OK' "$log"; then
  echo "image: first boot failed; see $log" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
echo "$key" > "$out/.key"
echo "image: built in $(( $(date +%s) - started )) s"
echo "$out"
