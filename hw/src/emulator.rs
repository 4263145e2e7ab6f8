//! A PN532 that speaks the UART frame protocol on a pseudo-terminal, so the
//! real libnfc `pn532_uart` driver can be tested without hardware.
//!
//! Test support (feature `emulator`): cards are placed and removed from
//! code, and the "board" can be unplugged and plugged back in. The device is
//! reached through a symlink that survives a replug, like `/dev/serial0`.
//!
//! Frames (PN532 user manual, section 6.2): `00 00 FF LEN LCS TFI DATA DCS 00`
//! with `LEN + LCS = 0` and `TFI + DATA + DCS = 0` (mod 256); `TFI` is `D4`
//! from the host and `D5` from the chip; a response's code is the command's
//! plus one. The chip acknowledges every command with `00 00 FF 00 FF 00`
//! before answering.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::termios::{SetArg, cfmakeraw, tcgetattr, tcsetattr};

/// A card lying on the emulated reader.
#[derive(Clone, PartialEq, Eq)]
pub enum EmulatedCard {
    /// ISO 14443A with a 4, 7 or 10-byte UID (MIFARE Classic, SAK 08).
    Iso14443A(Vec<u8>),
    /// FeliCa with its 8-byte IDm.
    Felica([u8; 8]),
}

impl std::fmt::Debug for EmulatedCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmulatedCard::Iso14443A(uid) => write!(f, "Iso14443A(<{} bytes>)", uid.len()),
            EmulatedCard::Felica(_) => f.write_str("Felica(<8 bytes>)"),
        }
    }
}

#[derive(Default)]
struct State {
    card: Option<EmulatedCard>,
    registers: HashMap<u16, u8>,
    /// Command codes received, in order (no identifiers), for diagnostics.
    commands: Vec<u8>,
    /// The chip has lost power (a loose wire) but the serial port is still
    /// there: bytes are swallowed and nothing is answered.
    mute: bool,
}

struct Port {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Port {
    fn close(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The emulated PN532 board. Dropping it unplugs it and removes its files.
pub struct Pn532Emulator {
    state: Arc<Mutex<State>>,
    /// Holds `link`; removed by `TempDir`'s own drop, after `Drop` unplugs.
    _dir: tempfile::TempDir,
    link: PathBuf,
    /// Where the board's serial line is: `None` for a new pseudo-terminal
    /// (reached through `link`), or a Unix socket to connect to, such as a
    /// virtual machine's serial port (QEMU `-chardev socket`).
    socket: Option<PathBuf>,
    port: Mutex<Option<Port>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Pn532Emulator {
    /// Creates the pseudo-terminal and starts answering on it.
    pub fn start() -> io::Result<Pn532Emulator> {
        Pn532Emulator::new(None)
    }

    /// Connects the board's serial line to the Unix socket at `socket` and
    /// starts answering there: the other end is a serial port elsewhere, such
    /// as QEMU's `-chardev socket,server=on` behind a `usb-serial` device, so
    /// the libnfc inside a virtual machine talks to this board. There is no
    /// device path on this side; [`Pn532Emulator::replug`] reconnects.
    pub fn connect(socket: &Path) -> io::Result<Pn532Emulator> {
        Pn532Emulator::new(Some(socket.to_path_buf()))
    }

    fn new(socket: Option<PathBuf>) -> io::Result<Pn532Emulator> {
        let dir = tempfile::Builder::new().prefix("tsudoi-pn532-").tempdir()?;
        let link = dir.path().join("ttyPN532");
        let emu = Pn532Emulator {
            state: Arc::new(Mutex::new(State::default())),
            _dir: dir,
            link,
            socket,
            port: Mutex::new(None),
        };
        emu.replug()?;
        Ok(emu)
    }

    /// The libnfc connection string, e.g. `pn532_uart:/tmp/…/ttyPN532`.
    pub fn connstring(&self) -> String {
        format!("pn532_uart:{}", self.link.display())
    }

    /// The serial device path (a symlink to the current `/dev/pts/N`).
    pub fn device_path(&self) -> &Path {
        &self.link
    }

    /// Puts a card on the reader, replacing any card there.
    pub fn place(&self, card: EmulatedCard) {
        lock(&self.state).card = Some(card);
    }

    /// Takes the card away.
    pub fn remove(&self) {
        lock(&self.state).card = None;
    }

    /// Cuts (`true`) or restores the chip's power while the serial port
    /// stays, like a loose VCC wire on a UART-wired board.
    pub fn set_mute(&self, mute: bool) {
        lock(&self.state).mute = mute;
    }

    /// Command codes received so far (for diagnosing a test).
    pub fn commands(&self) -> Vec<u8> {
        lock(&self.state).commands.clone()
    }

    /// Pulls the board's cable: the pseudo-terminal is closed and the device
    /// path disappears.
    pub fn unplug(&self) {
        if let Some(mut port) = lock(&self.port).take() {
            port.close();
        }
        let _ = std::fs::remove_file(&self.link);
    }

    /// Plugs the board (back) in on a new pseudo-terminal at the same path.
    pub fn replug(&self) -> io::Result<()> {
        self.unplug();
        if let Some(socket) = &self.socket {
            let stream = std::os::unix::net::UnixStream::connect(socket)?;
            return self.serve_on(File::from(std::os::fd::OwnedFd::from(stream)), None, true);
        }
        let pty = nix::pty::openpty(None, None).map_err(io::Error::from)?;
        // Raw mode before libnfc opens it: with echo on, the emulator would
        // read its own answers back.
        let mut t = tcgetattr(&pty.slave).map_err(io::Error::from)?;
        cfmakeraw(&mut t);
        tcsetattr(&pty.slave, SetArg::TCSANOW, &t).map_err(io::Error::from)?;
        let slave_path = nix::unistd::ttyname(&pty.slave).map_err(io::Error::from)?;
        std::os::unix::fs::symlink(&slave_path, &self.link)?;
        // Keeping the slave open means libnfc closing and reopening the port
        // does not hang up the master side.
        self.serve_on(File::from(pty.master), Some(File::from(pty.slave)), false)
    }

    /// Answers on `line` from a thread of its own; `keep` is held open as
    /// long as the thread runs. On a socket, end of file is the other side
    /// going away (on a pseudo-terminal's master it never comes).
    fn serve_on(&self, line: File, keep: Option<File>, eof_ends: bool) -> io::Result<()> {
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let state = Arc::clone(&self.state);
        let thread = std::thread::Builder::new()
            .name("pn532-emulator".into())
            .spawn(move || {
                serve(line, &state, &thread_stop, eof_ends);
                drop(keep);
            })?;
        *lock(&self.port) = Some(Port {
            stop,
            thread: Some(thread),
        });
        Ok(())
    }
}

impl Drop for Pn532Emulator {
    fn drop(&mut self) {
        self.unplug();
    }
}

/// A host frame as parsed from the byte stream.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    Ack,
    Nack,
    /// TFI and data of a normal or extended information frame.
    Info(Vec<u8>),
}

/// Takes every complete frame out of `buf`, in order, skipping wake-up
/// bytes (`55 55 00 …`), postambles and garbage; what is left is the start
/// of a frame still arriving. The buffer is shortened once, not once per
/// frame: a read full of short frames cost time quadratic in its length.
fn take_frames(buf: &mut Vec<u8>) -> Vec<Frame> {
    let mut frames = Vec::new();
    let mut pos = 0;
    loop {
        let (used, frame) = parse_frame(&buf[pos..]);
        pos += used;
        match frame {
            Some(frame) => frames.push(frame),
            None => break,
        }
    }
    buf.drain(..pos);
    frames
}

/// The next complete frame at the start of `bytes` and how many bytes it
/// used up with what came before it; `None` (with the garbage that can be
/// dropped) when more bytes are needed.
fn parse_frame(bytes: &[u8]) -> (usize, Option<Frame>) {
    let mut pos = 0;
    loop {
        let buf = &bytes[pos..];
        let Some(start) = buf.windows(2).position(|w| w == [0x00, 0xFF]) else {
            return (pos, None);
        };
        pos += start;
        let buf = &bytes[pos..];
        if buf.len() < 4 {
            return (pos, None);
        }
        let (len, lcs) = (buf[2], buf[3]);
        match (len, lcs) {
            (0x00, 0xFF) => return (pos + 4, Some(Frame::Ack)),
            (0xFF, 0x00) => return (pos + 4, Some(Frame::Nack)),
            (0xFF, 0xFF) => {
                // Extended frame: 00 FF FF FF LENM LENL LCS TFI DATA DCS.
                if buf.len() < 7 {
                    return (pos, None);
                }
                let n = usize::from(buf[4]) << 8 | usize::from(buf[5]);
                if (buf[4].wrapping_add(buf[5]).wrapping_add(buf[6])) != 0 {
                    pos += 2;
                    continue;
                }
                if buf.len() < 7 + n + 1 {
                    return (pos, None);
                }
                let body = &buf[7..7 + n];
                pos += 8 + n;
                if checksum_ok(body, buf[7 + n]) {
                    return (pos, Some(Frame::Info(body.to_vec())));
                }
            }
            _ => {
                if len.wrapping_add(lcs) != 0 {
                    pos += 2;
                    continue;
                }
                let n = usize::from(len);
                if buf.len() < 4 + n + 1 {
                    return (pos, None);
                }
                let body = &buf[4..4 + n];
                pos += 5 + n;
                if checksum_ok(body, buf[4 + n]) {
                    return (pos, Some(Frame::Info(body.to_vec())));
                }
            }
        }
    }
}

fn checksum_ok(body: &[u8], dcs: u8) -> bool {
    body.iter().fold(dcs, |a, b| a.wrapping_add(*b)) == 0
}

const ACK: [u8; 6] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
/// "Syntax error" application-level error frame.
const ERROR_FRAME: [u8; 8] = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00];

/// A chip-to-host frame around `data` (response code first).
fn response(data: &[u8]) -> Vec<u8> {
    // TFI plus data; the chip's buffer caps it well below u16::MAX, and so
    // does the host's (an extended frame from the host is at most 65,535).
    let len = data.len() + 1;
    let mut f = match u8::try_from(len) {
        Ok(short) if short < 0xFF => vec![0x00, 0x00, 0xFF, short, short.wrapping_neg()],
        // A long answer (a Diagnose echo of an extended frame) goes back in
        // an extended frame, as the chip sends it, not with a wrapped length.
        _ => {
            let [m, l] = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
            let lcs = m.wrapping_add(l).wrapping_neg();
            vec![0x00, 0x00, 0xFF, 0xFF, 0xFF, m, l, lcs]
        }
    };
    f.push(0xD5);
    f.extend_from_slice(data);
    let sum = data.iter().fold(0xD5u8, |a, b| a.wrapping_add(*b));
    f.push(sum.wrapping_neg());
    f.push(0x00);
    f
}

/// Target data as in InListPassiveTarget (after `Tg`), for a card and a
/// PN532 baud/type code; `None` if the card does not answer it.
fn target_data(card: &EmulatedCard, felica: bool) -> Option<Vec<u8>> {
    match (card, felica) {
        (EmulatedCard::Iso14443A(uid), false) => {
            // SENS_RES tells the UID size (single, double, triple).
            let sens = match uid.len() {
                0..=4 => 0x04,
                5..=7 => 0x44,
                _ => 0x84,
            };
            let mut d = vec![0x00, sens, 0x08, uid.len() as u8];
            d.extend_from_slice(uid);
            Some(d)
        }
        (EmulatedCard::Felica(idm), true) => {
            // POL_RES: length, response code 01, IDm, PMm.
            let mut d = vec![0x12, 0x01];
            d.extend_from_slice(idm);
            d.extend_from_slice(&[0x03, 0x01, 0x4B, 0x02, 0x4F, 0x49, 0x93, 0xFF]);
            Some(d)
        }
        _ => None,
    }
}

/// The answer to one command, or `None` for the error frame.
fn answer(state: &Mutex<State>, stop: &AtomicBool, body: &[u8]) -> Option<Vec<u8>> {
    if body.first() != Some(&0xD4) || body.len() < 2 {
        return None;
    }
    let cmd = body[1];
    let p = &body[2..];
    lock(state).commands.push(cmd);
    let ok = |extra: &[u8]| {
        let mut v = vec![cmd.wrapping_add(1)];
        v.extend_from_slice(extra);
        Some(v)
    };
    match cmd {
        // Diagnose: echo the test number and data back.
        0x00 => ok(p),
        // GetFirmwareVersion: PN532 v1.6, all protocols.
        0x02 => ok(&[0x32, 0x01, 0x06, 0x07]),
        // GetGeneralStatus: no error, field off, no target.
        0x04 => ok(&[0x00, 0x00, 0x00]),
        0x06 => {
            let s = lock(state);
            let values: Vec<u8> = p
                .chunks_exact(2)
                .map(|a| {
                    let addr = u16::from(a[0]) << 8 | u16::from(a[1]);
                    s.registers.get(&addr).copied().unwrap_or(0)
                })
                .collect();
            ok(&values)
        }
        0x08 => {
            let mut s = lock(state);
            for w in p.chunks_exact(3) {
                let addr = u16::from(w[0]) << 8 | u16::from(w[1]);
                s.registers.insert(addr, w[2]);
            }
            ok(&[])
        }
        // SetParameters, SAMConfiguration, RFConfiguration.
        0x12 | 0x14 | 0x32 => ok(&[]),
        // PowerDown, InDeselect, InRelease, InPSL: status OK.
        0x16 | 0x44 | 0x52 | 0x4E => ok(&[0x00]),
        0x4A => {
            let brty = p.get(1).copied().unwrap_or(0xFF);
            let card = lock(state).card.clone();
            let data = match (brty, card) {
                (0x00, Some(c)) => target_data(&c, false),
                (0x01, Some(c)) => target_data(&c, true),
                _ => None,
            };
            match data {
                Some(d) => {
                    let mut v = vec![0x01, 0x01];
                    v.extend(d);
                    ok(&v)
                }
                None => ok(&[0x00]),
            }
        }
        0x60 => {
            let polls = p.first().copied().unwrap_or(1);
            let period = p.get(1).copied().unwrap_or(1).max(1);
            let types = p.get(2..).unwrap_or(&[]);
            // A real chip keeps polling until a card comes or the polls run
            // out; wait likewise (capped so a test never hangs).
            let budget = if polls == 0xFF {
                Duration::from_secs(2)
            } else {
                Duration::from_millis(150 * u64::from(polls) * u64::from(period))
                    .min(Duration::from_secs(2))
            };
            let deadline = Instant::now() + budget;
            loop {
                let card = lock(state).card.clone();
                if let Some(card) = card {
                    let hit = types.iter().find_map(|&t| {
                        let felica = match t {
                            0x00 | 0x10 => false,
                            0x11 | 0x12 => true,
                            _ => return None,
                        };
                        target_data(&card, felica).map(|d| (t, d))
                    });
                    if let Some((t, d)) = hit {
                        let mut v = vec![0x01, t, (d.len() + 1) as u8, 0x01];
                        v.extend(d);
                        return ok(&v);
                    }
                }
                if Instant::now() >= deadline || stop.load(Ordering::SeqCst) {
                    return ok(&[0x00]);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        // InDataExchange, InCommunicateThru, InJumpForDEP, InJumpForPSL,
        // InATR: no card answers (status 01 = timeout).
        0x40 | 0x42 | 0x46 | 0x56 | 0x50 => ok(&[0x01]),
        _ => None,
    }
}

fn serve(mut master: File, state: &Mutex<State>, stop: &AtomicBool, eof_ends: bool) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 512];
    let mut last: Vec<u8> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        let ready = {
            let mut fds = [PollFd::new(master.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(20u16)) {
                Ok(n) => n > 0,
                Err(nix::errno::Errno::EINTR) => false,
                Err(_) => return,
            }
        };
        if !ready {
            continue;
        }
        let n = match master.read(&mut chunk) {
            Ok(0) if eof_ends => return,
            Ok(0) => continue,
            Ok(n) => n,
            // EIO: no slave open right now; wait for the next open.
            Err(e) if e.raw_os_error() == Some(nix::libc::EIO) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return,
        };
        if lock(state).mute {
            buf.clear();
            continue;
        }
        buf.extend_from_slice(&chunk[..n]);
        for frame in take_frames(&mut buf) {
            let Some(out) = reply(frame, state, stop, &mut last) else {
                continue;
            };
            if master.write_all(&out).is_err() {
                return;
            }
        }
        if buf.len() > 4096 {
            buf.clear();
        }
    }
}

/// The bytes the chip sends back for one host frame (`None`: nothing);
/// `last` keeps the last reply, which a NACK asks for again.
fn reply(
    frame: Frame,
    state: &Mutex<State>,
    stop: &AtomicBool,
    last: &mut Vec<u8>,
) -> Option<Vec<u8>> {
    match frame {
        // The host's ACK (also its way to abort) needs no answer.
        Frame::Ack => None,
        Frame::Nack => Some(last.clone()),
        Frame::Info(body) => {
            let data = match answer(state, stop, &body) {
                Some(data) => response(&data),
                None => ERROR_FRAME.to_vec(),
            };
            *last = data.clone();
            let mut out = ACK.to_vec();
            out.extend(data);
            Some(out)
        }
    }
}

/// Feeds `bytes` from the host to the emulated chip, in the serial
/// thread's 512-byte reads, and returns what it answers: the same parsing
/// and answering as [`Pn532Emulator`]'s port, without a port or threads.
/// For the fuzzer (`fuzz/`) and its corpus replay test; the stop flag is
/// set so InAutoPoll answers at once instead of waiting for a card.
#[doc(hidden)]
pub fn fuzz_host_bytes(bytes: &[u8], card: Option<EmulatedCard>) -> Vec<u8> {
    let state = Mutex::new(State {
        card,
        ..State::default()
    });
    let stop = AtomicBool::new(true);
    let mut buf = Vec::new();
    let mut last = Vec::new();
    let mut out = Vec::new();
    for chunk in bytes.chunks(512) {
        buf.extend_from_slice(chunk);
        for frame in take_frames(&mut buf) {
            if let Some(answer) = reply(frame, &state, &stop, &mut last) {
                out.extend(answer);
            }
        }
        if buf.len() > 4096 {
            buf.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first frame `take_frames` finds in `buf`.
    fn take_frame(buf: &mut Vec<u8>) -> Option<Frame> {
        let (used, frame) = parse_frame(buf);
        buf.drain(..used);
        frame
    }

    #[test]
    fn a_long_answer_goes_back_in_an_extended_frame() {
        // Diagnose (communication line test) with 300 bytes, sent by the host
        // in an extended frame: the echo must not wrap its length to a byte.
        let mut body = vec![0xd4, 0x00, 0x00];
        body.extend((0..300u16).map(|i| (i % 251) as u8));
        let state = Mutex::new(State::default());
        let stop = AtomicBool::new(false);
        let r = answer(&state, &stop, &body).unwrap();
        let f = response(&r);
        assert_eq!(&f[..5], &[0x00, 0x00, 0xff, 0xff, 0xff]);
        let len = usize::from(u16::from_be_bytes([f[5], f[6]]));
        assert_eq!(len, r.len() + 1);
        assert_eq!(f[5].wrapping_add(f[6]).wrapping_add(f[7]), 0);
        assert_eq!(f[8], 0xd5);
        assert_eq!(&f[9..9 + r.len()], &r[..]);
        let sum = f[8..9 + r.len() + 1]
            .iter()
            .fold(0u8, |a, b| a.wrapping_add(*b));
        assert_eq!(sum, 0, "data checksum");
        assert_eq!(f.last(), Some(&0x00));
        // The emulator's own parser reads it back as one information frame.
        let mut buf = f.clone();
        assert!(
            matches!(take_frame(&mut buf), Some(Frame::Info(ref v)) if v[0] == 0xd5 && v[1..] == r[..])
        );
    }

    #[test]
    fn every_frame_of_one_read_is_taken_in_order_and_a_partial_one_waits() {
        // GetFirmwareVersion, then garbage, an ACK and the first half of SAMConfiguration.
        let mut buf = vec![0x00, 0x00, 0xff, 0x02, 0xfe, 0xd4, 0x02, 0x2a, 0x00];
        buf.extend([0x12, 0x00, 0xff, 0x07]);
        buf.extend(ACK);
        let half = [0x00, 0x00, 0xff, 0x05, 0xfb, 0xd4];
        buf.extend(half);
        assert_eq!(
            take_frames(&mut buf),
            vec![Frame::Info(vec![0xd4, 0x02]), Frame::Ack]
        );
        assert_eq!(buf, half[1..]);
        buf.extend([0x14, 0x01, 0x14, 0x01, 0x02, 0x00]);
        assert_eq!(
            take_frames(&mut buf),
            vec![Frame::Info(vec![0xd4, 0x14, 0x01, 0x14, 0x01])]
        );
        // Only the postamble is left, dropped as garbage before the next frame.
        assert_eq!(buf, [0x00]);
    }

    #[test]
    fn frames_from_the_trace_are_parsed_and_answered_like_the_chip() {
        let mut buf = vec![
            0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x03, 0xfd, 0xd4,
            0x14, 0x01, 0x17, 0x00,
        ];
        assert_eq!(
            take_frame(&mut buf),
            Some(Frame::Info(vec![0xd4, 0x14, 0x01]))
        );
        let mut buf = ACK.to_vec();
        assert_eq!(take_frame(&mut buf), Some(Frame::Ack));
        assert_eq!(
            response(&[0x03, 0x32, 0x01, 0x06, 0x07]),
            vec![
                0x00, 0x00, 0xff, 0x06, 0xfa, 0xd5, 0x03, 0x32, 0x01, 0x06, 0x07, 0xe8, 0x00
            ]
        );
        let state = Mutex::new(State::default());
        state.lock().unwrap().card = Some(EmulatedCard::Iso14443A(vec![0xde, 0xad, 0xbe, 0xef]));
        let stop = AtomicBool::new(false);
        let r = answer(&state, &stop, &[0xd4, 0x4a, 0x01, 0x00]).unwrap();
        assert_eq!(
            response(&r),
            vec![
                0x00, 0x00, 0xff, 0x0c, 0xf4, 0xd5, 0x4b, 0x01, 0x01, 0x00, 0x04, 0x08, 0x04, 0xde,
                0xad, 0xbe, 0xef, 0x96, 0x00
            ]
        );
        let r = answer(&state, &stop, &[0xd4, 0x60, 0x02, 0x01, 0x20, 0x10]).unwrap();
        assert_eq!(
            response(&r),
            vec![
                0x00, 0x00, 0xff, 0x0e, 0xf2, 0xd5, 0x61, 0x01, 0x10, 0x09, 0x01, 0x00, 0x04, 0x08,
                0x04, 0xde, 0xad, 0xbe, 0xef, 0x67, 0x00
            ]
        );
        // Garbage and a bad checksum never panic.
        let mut buf = vec![0x00, 0xff, 0x05, 0x01, 0xff, 0x00, 0xff];
        assert_eq!(take_frame(&mut buf), None);
        assert_eq!(answer(&state, &stop, &[]), None);
    }
}
