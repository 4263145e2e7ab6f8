#!/bin/sh
# First boot of the Debian VM base system, run as PID 1 (init=) with the root
# file system writable: configures the packages mmdebstrap only unpacked (no
# binfmt on the build machine, so their maintainer scripts run here, natively
# in the guest), and powers off. Its last line on the console is
# TSUDOI-BASE-OK. The result is cached by image/debian/build.sh; the kiosk's
# package and the overlay come on top of it (firstboot.sh).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive
# No initramfs for the kernel: build.sh makes a small busybox initrd on the
# host, and update-initramfs takes minutes under emulation.
export INITRD=No
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs dev /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
fail() { echo "TSUDOI-BASE-FAILED: $*"; sync; echo o > /proc/sysrq-trigger; sleep 10; }
started=$(cut -d' ' -f1 /proc/uptime)

# --force-unsafe-io: no fsync per file (the image is thrown away if this
# boot fails); it makes this step several times faster under emulation.
# dpkg --install re-registers the unpacked packages (mmdebstrap's extract
# variant leaves dpkg's database nearly empty). Skipped when an interrupted
# run of this script already did it, so that run can be resumed.
if [ "$(dpkg-query -W 2>/dev/null | wc -l)" -lt 20 ]; then
  echo "configure: dpkg --install"
  dpkg --force-depends --force-confold --force-confdef --force-unsafe-io \
    --install /var/cache/apt/archives/*.deb >/tmp/dpkg.log 2>&1 || tail -n 20 /tmp/dpkg.log
fi
echo "configure: dpkg --configure -a"
dpkg --force-confold --force-confdef --force-unsafe-io --configure -a >>/tmp/dpkg.log 2>&1 ||
  { tail -n 20 /tmp/dpkg.log; fail "dpkg --configure"; }
dpkg --audit >/tmp/audit.log 2>&1
[ -s /tmp/audit.log ] && { cat /tmp/audit.log; fail "dpkg --audit"; }
rm -f /var/cache/apt/archives/*.deb /boot/initrd.img-*
echo "configure: $(dpkg-query -W | wc -l) packages configured in $(awk -v s="$started" '{ printf "%d", $1 - s }' /proc/uptime) s"
echo "TSUDOI-BASE-OK"
sync
mount -o remount,ro / 2>/dev/null
echo o > /proc/sysrq-trigger
sleep 30
