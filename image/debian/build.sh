#!/usr/bin/env bash
# Builds a Debian 12 (bookworm) arm64 system with the tsudoi package and the
# appliance overlay (image/overlay) from Debian's packages alone, bootable in
# qemu-system-aarch64 -M virt — the same system the Raspberry Pi image is,
# minus the Pi's firmware and kernel. No binfmt is needed: packages are
# unpacked on the host (mmdebstrap --variant=extract) and configured by the
# guest itself on a first boot under QEMU.
#
#   image/debian/build.sh [TSUDOI_ARM64_DEB]
#
# Output (cached; rebuilt only when an input changed) in target/image/debian:
#   vmlinuz, initrd.img   kernel and a small busybox initrd (virtio, ext4)
#   root.img              ext4 "tsudoi-root", mounted read-only
#   data.img              ext4 "tsudoi-data", the store, mounted noatime
# The demo store (synthetic data) is created on the first boot. Prints the
# output folder on the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${TSUDOI_IMAGE_DIR:-$repo/target/image/debian}
mkdir -p "$out"

deb=${1:-}
if [ -z "$deb" ]; then
  deb=$(ls -t "$repo"/target/debian/tsudoi_*_arm64.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    deb=$("$repo/scripts/package-deb.sh" --arch arm64 | tail -n1)
  fi
fi
deb=$(readlink -f "$deb")

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
need=(mmdebstrap qemu-system-arm e2fsprogs kmod cpio python3)
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
  fake-hwclock util-linux e2fsprogs dosfstools
  python3)   # the VM's test agent only (tsudoi-vm-hang)

# Cache key: everything that goes into the image.
key=$( { sha256sum "$deb" "$here/build.sh" "$here/firstboot.sh";
         (cd "$repo/image" && find overlay debian/overlay -type f -o -type l | LC_ALL=C sort |
            while read -r f; do if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else sha256sum "$f"; fi; done);
         echo "${packages[*]}"; date +%F; } | sha256sum | cut -c1-16)
# (The date is part of the key: the demo store holds a year ending today.)
if [ "$(cat "$out/.key" 2>/dev/null)" = "$key" ] && [ -f "$out/root.img" ] && [ -f "$out/data.img" ]; then
  echo "image: up to date ($key)"
  echo "$out"
  exit 0
fi
rm -f "$out/.key"
started=$(date +%s)

# 1. Unpack the packages (no maintainer scripts run: they run in the guest).
rootfs=$out/rootfs
rm -rf "$rootfs"
includes=(--include='?essential' --include='?priority(required)')
for p in "${packages[@]}"; do includes+=(--include="$p"); done
echo "image: unpacking Debian bookworm arm64"
mmdebstrap --quiet --variant=extract --architectures=arm64 \
  --setup-hook=/usr/share/mmdebstrap/hooks/merged-usr/setup00.sh \
  --skip=check/qemu --skip=cleanup/apt/cache "${includes[@]}" \
  bookworm "$rootfs" http://deb.debian.org/debian

# 2. The kiosk's package, the appliance overlay and the VM's own additions.
install -d "$rootfs/var/cache/tsudoi"
cp "$deb" "$rootfs/var/cache/tsudoi/tsudoi.deb"
cp -a "$repo/image/overlay/." "$rootfs/"
cp -a "$here/overlay/." "$rootfs/"
install -m 0755 "$here/firstboot.sh" "$rootfs/usr/local/sbin/tsudoi-firstboot"
install -d "$rootfs/data" "$rootfs/var/lib/tsudoi"
echo tsudoi > "$rootfs/etc/hostname"

# 3. Kernel and a busybox initrd that loads virtio/ext4 and mounts /dev/vda.
kver=$(ls "$rootfs/lib/modules" | head -n1)
cp "$rootfs/boot/vmlinuz-$kver" "$out/vmlinuz"
bb=$out/busybox
if [ ! -x "$bb/bin/busybox" ]; then
  rm -rf "$bb" && mkdir -p "$bb"
  (cd "$out" && apt-get download -qq -o APT::Sandbox::User=root busybox-static:arm64)
  dpkg -x "$out"/busybox-static_*_arm64.deb "$bb"
fi
ird=$out/initrd
rm -rf "$ird" && mkdir -p "$ird"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$bb/bin/busybox" "$ird/bin/busybox"
for a in sh mount umount switch_root insmod sleep mkdir cat echo; do ln -s busybox "$ird/bin/$a"; done
depmod -b "$rootfs" "$kver"
modprobe -d "$rootfs" -S "$kver" -a --show-depends virtio_pci virtio_blk ext4 |
  awk '$1 == "insmod" { print $2 }' > "$out/modules.list"
while read -r m; do
  f=$(basename "$m")
  case $f in *.ko.xz) xz -dc "$m" > "$ird/lib/modules/${f%.xz}" ;; *) cp "$m" "$ird/lib/modules/" ;; esac
done < "$out/modules.list"   # absolute paths inside $rootfs
{
  echo '#!/bin/sh'
  echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev'
  while read -r m; do f=$(basename "$m"); echo "insmod /lib/modules/${f%.xz}"; done < "$out/modules.list"
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
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -9) > "$out/initrd.img"

# 4. Disk images (sparse).
# The demo store (a synthetic year) is made on the host, where it takes
# seconds instead of minutes under emulation; SQLite files are portable.
host_bin=${TSUDOI_HOST_BIN:-$repo/target/debug/tsudoi}
if [ ! -x "$host_bin" ]; then
  (cd "$repo" && cargo build --locked --quiet --bin tsudoi)
fi
rm -rf "$out/data-seed" && mkdir -p "$out/data-seed/seed"
"$host_bin" --store "$out/data-seed/seed/tsudoi.db" demo --no-ui >/dev/null
rm -f "$out/root.img" "$out/data.img"
mke2fs -q -t ext4 -L tsudoi-root -d "$rootfs" "$out/root.img" 3G
mke2fs -q -t ext4 -L tsudoi-data -d "$out/data-seed" "$out/data.img" 512M

# 5. First boot: the guest configures its packages, installs tsudoi, creates
# the demo store, and powers off.
echo "image: first boot (configures the packages in the guest; a few minutes)"
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
rm -rf "$rootfs"
echo "$key" > "$out/.key"
echo "image: built in $(( $(date +%s) - started )) s"
echo "$out"
