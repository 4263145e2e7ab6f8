#!/usr/bin/env python3
"""Boots the Debian arm64 appliance image in QEMU and checks it as a ward
would use it. Driven by image/test-boot.sh (which builds the image first).

1. boot, wait for the kiosk's READY (its first frame is on the screen);
2. screendump over QMP: the nearest of the kiosk's own reference screenshots
   (rendered headless by `tsudoi screenshot` of the arm64 development build
   of the same source under qemu-user) is a waiting screen;
3. a tap: the demo's registered card is placed on the PN532 emulator (on the
   host, behind QEMU's usb-serial device: the kiosk reads it through the real
   libnfc driver at /dev/ttyUSB0); the screen becomes a check-in result and
   the store counts one more check-in. Then a touch on the screen (the demo
   panel's card 1, via the virtio tablet) shows "already checked in";
4. SIGKILL of QEMU (a power cut), boot again: the check-in is still there,
   PRAGMA integrity_check says ok and `tsudoi audit verify` passes;
5. the UI thread is frozen on purpose: systemd's watchdog restarts the kiosk.
Prints boot-to-ready and the other figures at the end.
"""
import argparse, fcntl, json, os, re, shutil, signal, socket, subprocess, sys, time

# Set by configure() from the command line (see the end of the file).
OUT = None       # the image folder (image/debian/build.sh)
REFS = None      # folder for reference screenshots
HOST_BIN = None  # runs tsudoi on the host (scripts/run-arm64.sh), for `tsudoi screenshot`
EMULATOR = None  # the PN532 emulator on a socket (hw/examples/pn532_socket.rs), host build
RUN = None       # this run's files: sockets, consoles, the data disk, screens
# VMs side by side (the power-cut campaign) share the system disk, which
# QEMU's image locking refuses unless each writes to a snapshot of its own
# (",snapshot=on"; the guest mounts it read-only anyway).
ROOT_SNAPSHOT = ""
KNOWN_CARD = "0401020304050607"  # the demo's registered resident (src/demo, cards::KNOWN_RESIDENT)
WAITING = {"01-waiting", "19-demo-reader-panel"}
RESULT = {"04-checked-in", "05-already-checked-in"}
figures = {}
failures = []


class StepFailed(Exception):
    """A step whose failure is reported while the test goes on."""


VMS = []  # running QEMU processes, killed when the test fails


def fail(msg):
    print(f"test-boot: FAILED: {msg}", flush=True)
    for p in VMS:
        if p.poll() is None:
            p.kill()
    sys.exit(1)


class Vm:
    def __init__(self, n):
        self.n = n
        self.console = os.path.join(RUN, f"console{n}.log")
        self.qmp_path = os.path.join(RUN, "qmp.sock")
        self.ctl_path = os.path.join(RUN, "ctl.sock")
        self.nfc_path = os.path.join(RUN, "nfc.sock")
        # A console file left by an earlier run would be read before QEMU
        # truncates it.
        for p in (self.qmp_path, self.ctl_path, self.nfc_path, self.console):
            if os.path.exists(p):
                os.unlink(p)
        args = [
            "qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-smp", "2", "-m", "1024",
            "-kernel", os.path.join(OUT, "vmlinuz"), "-initrd", os.path.join(OUT, "initrd.img"),
            "-append", "console=ttyAMA0 quiet",
            "-drive", f"file={os.path.join(OUT, 'root.img')},format=raw,if=virtio{ROOT_SNAPSHOT}",
            "-drive", f"file={os.path.join(RUN, 'data.img')},format=raw,if=virtio",
            "-device", "virtio-gpu-pci", "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci",
            "-device", "virtio-serial-pci", "-device", "qemu-xhci,id=xhci",
            "-chardev", f"socket,id=ctl,path={self.ctl_path},server=on,wait=off",
            "-device", "virtserialport,chardev=ctl,name=tsudoi.ctl",
            # The card reader: a PN532 board on a USB-serial adapter, as
            # /dev/ttyUSB0 in the guest; the emulator on the host answers.
            "-chardev", f"socket,id=nfc,path={self.nfc_path},server=on,wait=off",
            "-device", "usb-serial,chardev=nfc,bus=xhci.0",
            "-display", "none", "-nic", "none", "-serial", f"file:{self.console}",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off", "-no-reboot",
        ]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
        VMS.append(self.proc)
        self.qmp = None
        self.ctl = None
        self.ready_seen = 0
        self.reader = self.start_reader()

    def start_reader(self):
        """The emulated PN532, connected to QEMU's socket once it exists."""
        deadline = time.monotonic() + 60
        while not os.path.exists(self.nfc_path):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                fail("QEMU made no socket for the card reader")
            time.sleep(0.1)
        p = subprocess.Popen([EMULATOR, self.nfc_path], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        VMS.append(p)
        line = p.stdout.readline().strip()
        if line != "ok connected":
            fail(f"the PN532 emulator did not connect: {line!r}")
        return p

    def reader_cmd(self, command):
        self.reader.stdin.write(command + "\n")
        self.reader.stdin.flush()
        line = self.reader.stdout.readline().strip()
        if not line.startswith("ok"):
            fail(f"the PN532 emulator refused {command!r}: {line!r}")
        return line

    def card_tap(self, uid, hold=1.5):
        """A card held on the reader for `hold` seconds, then lifted."""
        self.reader_cmd(f"place 14443a {uid}")
        time.sleep(hold)
        self.reader_cmd("remove")

    def wait_console(self, pattern, timeout, after=0):
        """Waits for the `after`-th+1 line matching pattern; returns its match."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                fail(f"QEMU exited ({self.proc.returncode}); see {self.console}")
            try:
                with open(self.console, errors="replace") as f:
                    hits = [m for m in (re.search(pattern, l) for l in f) if m]
            except FileNotFoundError:
                hits = []
            if len(hits) > after:
                return hits[after]
            time.sleep(0.2)
        fail(f"no {pattern!r} on the console within {timeout} s; see {self.console}")

    def wait_ready(self, timeout=900):
        m = self.wait_console(r"TSUDOI-READY restarts=(\d+) pid=(\d+) uptime_ms=(\d+) start_to_ready_ms=(\d+)",
                              timeout, self.ready_seen)
        self.ready_seen += 1
        return {"restarts": int(m[1]), "pid": int(m[2]), "uptime_ms": int(m[3]),
                "start_to_ready_ms": int(m[4]), "host_s": time.monotonic() - self.started}

    def qmp_cmd(self, execute, **arguments):
        if self.qmp is None:
            s = socket.socket(socket.AF_UNIX)
            s.connect(self.qmp_path)
            self.qmp = s.makefile("rw")
            self.qmp.readline()  # greeting
            self._send({"execute": "qmp_capabilities"})
        return self._send({"execute": execute, "arguments": arguments} if arguments else {"execute": execute})

    def _send(self, msg):
        self.qmp.write(json.dumps(msg) + "\n")
        self.qmp.flush()
        while True:
            reply = json.loads(self.qmp.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                fail(f"QMP {msg}: {reply['error']}")

    def agent(self, command, expect, timeout=600):
        if self.ctl is None:
            deadline = time.monotonic() + 60
            while True:
                try:
                    s = socket.socket(socket.AF_UNIX)
                    s.connect(self.ctl_path)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        fail("cannot connect to the VM's agent port")
                    time.sleep(0.5)
            s.settimeout(timeout)
            self.ctl = s.makefile("rw")
        self.ctl.write(command + "\n")
        self.ctl.flush()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.ctl.readline().strip()
            if line.startswith(expect):
                return line
        fail(f"agent gave no {expect} for {command}")

    def screen(self, name, png=True):
        path = os.path.join(RUN, name + ".ppm")
        if os.path.exists(path):
            os.unlink(path)
        self.qmp_cmd("screendump", filename=path)
        for _ in range(50):
            if os.path.exists(path) and os.path.getsize(path) > 0:
                break
            time.sleep(0.1)
        time.sleep(0.3)
        if png:
            subprocess.run(f"pnmtopng {path} > {path[:-4]}.png", shell=True, check=True)
        return read_ppm(path)

    def power_cut(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.reader.kill()
        self.reader.wait()


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        fail(f"{path} is not a PPM")
    w, h = int(m[1]), int(m[2])
    return w, h, data[m.end():m.end() + w * h * 3]


def sample(img, step=8):
    w, h, px = img
    return [px[(y * w + x) * 3 + c] for y in range(0, h, step) for x in range(0, w, step) for c in range(3)]


def references(w, h, wanted=lambda name: True):
    d = os.path.join(REFS, f"{w}x{h}")
    os.makedirs(REFS, exist_ok=True)
    # Power-cut lanes run side by side: one renders, the others wait for it.
    with open(os.path.join(REFS, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.isdir(d) or not os.path.exists(os.path.join(d, ".complete")):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            subprocess.run([HOST_BIN, "screenshot", "--size", f"{w}x{h}", "--out", d],
                           check=True, stdout=subprocess.DEVNULL, env={**os.environ, "LANG": "ja_JP.UTF-8"})
            open(os.path.join(d, ".complete"), "w").close()
    refs = {}
    for f in sorted(os.listdir(d)):
        if f.endswith(".png") and wanted(f[:-4]):
            ppm = subprocess.run(["pngtopnm", os.path.join(d, f)], check=True, capture_output=True).stdout
            tmp = os.path.join(RUN, "ref.ppm")
            with open(tmp, "wb") as g:
                g.write(ppm)
            refs[f[:-4]] = sample(read_ppm(tmp))
    return refs


def nearest(img, refs):
    s = sample(img)
    scores = sorted((sum(abs(a - b) for a, b in zip(s, r)) / len(s), name) for name, r in refs.items())
    return scores[0][1], scores[0][0], scores[1]


def expect_screen(vm, name, allowed, refs, timeout=60, fatal=True, counted=True):
    """Takes the screen until it looks like one of `allowed` (under emulation
    a screen change can take seconds). Not `fatal`: the test goes on, failed
    unless not `counted` (a step that is only reported)."""
    deadline = time.monotonic() + timeout
    # Every screen passed through while waiting: a screen that came and went
    # (a choice that timed out back to waiting) is named in the report.
    seen = []
    while True:
        img = vm.screen(name)
        best, diff, second = nearest(img, refs)
        if not seen or seen[-1] != best:
            seen.append(best)
        if best in allowed or time.monotonic() > deadline:
            break
        time.sleep(1)
    print(f"test-boot: screen {name}: nearest reference {best} (mean difference {diff:.1f}; next {second[1]} {second[0]:.1f}; seen {' -> '.join(seen)})", flush=True)
    if best not in allowed:
        msg = f"{name}: the screen looks like {best}, expected one of {sorted(allowed)}; see {RUN}/{name}.png"
        if not fatal:
            if counted:
                failures.append(msg)
                print(f"test-boot: FAILED: {msg}", flush=True)
            return None
        fail(msg)
    return img


def usb_stick(vm):
    """Plugs a FAT stick into the running VM (QMP hot-plug on USB): the udev
    rule and tsudoi-media@ mount it nosuid,nodev,noexec; the kiosk's finder
    sees it in the kiosk's own namespace and the kiosk's user can write it;
    the kiosk's request unmounts it."""
    img = os.path.join(RUN, "stick.img")
    if os.path.exists(img):
        os.unlink(img)
    subprocess.run(["mkfs.vfat", "-C", "-n", "TSUDOI", img, "16384"], check=True, stdout=subprocess.DEVNULL)
    vm.qmp_cmd("blockdev-add", driver="raw", **{"node-name": "stick"}, file={"driver": "file", "filename": img})
    vm.qmp_cmd("device_add", driver="usb-storage", bus="xhci.0", drive="stick", id="stick0")
    deadline = time.monotonic() + 60
    while True:
        media = vm.agent("media", "MEDIA")
        if "/media/tsudoi/" in media or time.monotonic() > deadline:
            break
        time.sleep(2)
    print(f"test-boot: USB stick: {media}", flush=True)
    m = re.search(r"mounts=\[([^\]]*)\]", media)
    opts = m[1] if m else ""
    for want in ("vfat", "nosuid", "nodev", "noexec"):
        if want not in opts:
            raise StepFailed(f"the stick is not mounted {want} under /media/tsudoi: {media}")
    if "TSUDOI" not in media or "kiosk_can_write=yes" not in media:
        raise StepFailed(f"the kiosk does not find or cannot write the stick: {media}")
    ej = vm.agent("eject", "EJECT")
    print(f"test-boot: after the kiosk's unmount request: {ej}", flush=True)
    if "request_left=no" not in ej or "mounted_after=0" not in ej:
        raise StepFailed(f"the stick was not unmounted on request: {ej}")
    vm.qmp_cmd("device_del", id="stick0")
    figures["usb_stick"] = "mounted nosuid,nodev,noexec, found and written by the kiosk, unmounted on request"


def touch(vm, w, h, x, y):
    """A tap on the virtio tablet at pixel (x, y) of a w x h screen."""
    pos = [{"type": "abs", "data": {"axis": "x", "value": x * 32767 // (w - 1)}},
           {"type": "abs", "data": {"axis": "y", "value": y * 32767 // (h - 1)}}]
    # Under emulation libinput's timers run late: move first, then hold the
    # button long enough for its debouncing.
    vm.qmp_cmd("input-send-event", events=pos)
    time.sleep(1.0)
    vm.qmp_cmd("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "left"}}])
    time.sleep(0.6)
    vm.qmp_cmd("input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "left"}}])


def main():
    os.makedirs(RUN, exist_ok=True)
    shutil.copyfile(os.path.join(OUT, "data.img"), os.path.join(RUN, "data.img"))

    # Boot 1.
    vm = Vm(1)
    r = vm.wait_ready()
    figures["boot1_uptime_to_ready_ms"] = r["uptime_ms"]
    figures["boot1_start_to_ready_ms"] = r["start_to_ready_ms"]
    figures["boot1_host_power_on_to_ready_s"] = round(r["host_s"], 1)
    print(f"test-boot: boot 1 ready: {r}", flush=True)
    time.sleep(2)
    first = vm.screen("boot1-waiting")
    w, h, _ = first
    refs = references(w, h)
    expect_screen(vm, "boot1-waiting", WAITING, refs)
    before = vm.agent("check", "CHECK")
    print(f"test-boot: before the tap: {before}", flush=True)
    n0 = int(re.search(r"attendance=(\d+)", before)[1])
    if "integrity=ok" not in before or "audit_exit=0" not in before:
        fail(f"store check before the tap: {before}")

    # The tap: the registered card on the emulated PN532. The reader thread
    # inside the VM polls it through libnfc, as it would a board on the Pi.
    polled = int(vm.reader_cmd("commands").split()[1])
    print(f"test-boot: PN532 commands from the kiosk so far: {polled}", flush=True)
    print(f"test-boot: before the tap: {vm.agent('drm', 'DRM')}", flush=True)
    vm.card_tap(KNOWN_CARD)
    # On failure, go on to the power cut and the watchdog; the test still fails.
    expect_screen(vm, "boot1-after-tap", RESULT, refs, fatal=False)
    print(f"test-boot: after the tap: {vm.agent('drm', 'DRM')}", flush=True)
    print(f"test-boot: {vm.agent('kiosklog', 'KIOSKLOG')}", flush=True)
    after = vm.agent("check", "CHECK")
    print(f"test-boot: after the tap: {after}", flush=True)
    n1 = int(re.search(r"attendance=(\d+)", after)[1])
    if n1 != n0 + 1:
        failures.append(f"the card tap did not add exactly one check-in ({n0} -> {n1}; "
                        f"PN532 commands: {vm.reader_cmd('commands')})")
        print(f"test-boot: FAILED: {failures[-1]}", flush=True)
    else:
        figures["card_tap"] = "registered card on the emulated PN532 (libnfc, /dev/ttyUSB0): checked in once"
    # The touchscreen: the demo panel's card 1 (the same resident, so the
    # "already checked in" screen) once the result screen has gone back to
    # waiting, through the virtio tablet, libinput and Slint's linuxkms backend.
    expect_screen(vm, "boot1-back-to-waiting", WAITING, refs, timeout=90, fatal=False)
    touch(vm, w, h, 130, h - 27)
    touched = expect_screen(vm, "boot1-after-touch", {"05-already-checked-in"}, refs, timeout=30, fatal=False)
    if touched is not None:
        figures["touch_on_screen"] = "the demo panel's card 1 touched: 'already checked in' shown"
    try:
        usb_stick(vm)
    except StepFailed as e:
        failures.append(f"USB stick: {e}")
        print(f"test-boot: FAILED: USB stick: {e}", flush=True)
    mem = vm.agent("vmrss", "VMRSS")
    figures["kiosk_memory"] = mem[len("VMRSS "):]

    # Power cut.
    vm.power_cut()
    print("test-boot: power cut (SIGKILL of QEMU) after the acknowledged check-in", flush=True)

    # Boot 2.
    vm = Vm(2)
    r = vm.wait_ready()
    figures["boot2_uptime_to_ready_ms"] = r["uptime_ms"]
    figures["boot2_start_to_ready_ms"] = r["start_to_ready_ms"]
    print(f"test-boot: boot 2 ready: {r}", flush=True)
    again = vm.agent("check", "CHECK")
    print(f"test-boot: after the power cut: {again}", flush=True)
    n2 = int(re.search(r"attendance=(\d+)", again)[1])
    if n2 != n1:
        fail(f"check-ins after the power cut: {n2}, expected {n1}")
    if "integrity=ok" not in again or "audit_exit=0" not in again:
        fail(f"store check after the power cut: {again}")
    time.sleep(2)
    expect_screen(vm, "boot2-waiting", WAITING, refs)

    # Watchdog: freeze the UI thread, systemd restarts the kiosk.
    hung = vm.agent("hang-ui", "HANG")
    if "ui-thread-stopped" not in hung:
        fail(f"could not freeze the UI thread: {hung}")
    t0 = time.monotonic()
    print(f"test-boot: {hung}", flush=True)
    r = vm.wait_ready(timeout=600)
    if r["restarts"] < 1 or r["pid"] == 0:
        fail(f"the kiosk came back without a restart: {r}")
    figures["watchdog_hang_to_ready_again_s"] = round(time.monotonic() - t0, 1)
    print(f"test-boot: watchdog restarted the kiosk: {r}", flush=True)
    status = vm.agent("status", "STATUS")
    print(f"test-boot: {status}", flush=True)
    journal = vm.agent("journal", "JOURNAL")
    print(f"test-boot: the VM's journal: {journal}", flush=True)
    if "Watchdog timeout" not in journal:
        fail(f"systemd's journal does not show the watchdog timeout: {journal}")
    expect_screen(vm, "after-watchdog", WAITING, refs)
    vm.power_cut()

    for k, v in figures.items():
        print(f"  {k}: {v}")
    if failures:
        print(f"test-boot: FAILED: {'; '.join(failures)}", flush=True)
        sys.exit(1)
    print("test-boot: PASSED", flush=True)


def configure(argv):
    global OUT, REFS, HOST_BIN, EMULATOR, RUN
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("refs")
    ap.add_argument("host_bin")
    ap.add_argument("emulator")
    ap.add_argument("--power-cuts", type=int, metavar="N",
                    help="instead of the boot test: N power cuts during check-in storms (image/power_cuts.py)")
    ap.add_argument("--lanes", type=int, default=2, help="VMs side by side in the power-cut campaign")
    ap.add_argument("--lane", type=int, help=argparse.SUPPRESS)  # one lane's process, started by the campaign
    ap.add_argument("--seed", type=int, help="random seed of the power-cut campaign (default: from the time)")
    a = ap.parse_args(argv)
    OUT, REFS, HOST_BIN, EMULATOR = a.out, a.refs, a.host_bin, a.emulator
    RUN = os.path.join(OUT, "run" if a.lane is None else f"run-cuts-{a.lane}")
    return a


if __name__ == "__main__":
    args = configure(sys.argv[1:])
    try:
        if args.power_cuts is not None:
            import power_cuts
            power_cuts.main(sys.modules[__name__], args)
        else:
            main()
    finally:
        # Whatever happened, no QEMU or emulator is left holding the image.
        for p in VMS:
            if p.poll() is None:
                p.kill()
