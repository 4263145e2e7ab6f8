#!/bin/sh
# First boot of the Debian VM image, run as PID 1 (init=) with the root file
# system writable, on the configured base system (configure.sh): installs
# tsudoi, prepares the data partition with the demo store made on the host,
# and powers off. Its last line on the console is TSUDOI-FIRSTBOOT-OK.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs dev /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
fail() { echo "TSUDOI-FIRSTBOOT-FAILED: $*"; sync; echo o > /proc/sysrq-trigger; sleep 10; }

echo "firstboot: installing tsudoi"
dpkg --force-confold --force-confdef --install /var/cache/tsudoi/tsudoi.deb || fail "tsudoi package"
rm -f /var/cache/tsudoi/tsudoi.deb
rm -f /etc/machine-id
systemd-machine-id-setup >/dev/null
systemctl enable tsudoi-vm-agent.service >/dev/null 2>&1 || true

echo "firstboot: data partition"
mount -o noatime /dev/vdb /data || fail "mount /dev/vdb"
install -d -m 0755 /data/clock
install -d -o tsudoi -g tsudoi -m 0700 /data/tsudoi
if [ -f /data/seed/tsudoi.db ]; then
  mv /data/seed/tsudoi.db* /data/tsudoi/
  rmdir /data/seed
fi
chown -R tsudoi:tsudoi /data/tsudoi
chmod 0600 /data/tsudoi/*
fake-hwclock save force 2>/dev/null || true
sync
umount /data
echo "TSUDOI-FIRSTBOOT-OK"
sync
mount -o remount,ro / 2>/dev/null
echo o > /proc/sysrq-trigger
sleep 30
