//! The real libnfc `pn532_uart` driver (through nfc1) against the PN532
//! emulator on a pseudo-terminal: what a resident tapping a card would see.

// The emulator is compiled in directly so `cargo test --workspace` runs these
// tests without feature flags.
#[allow(dead_code)]
#[path = "../src/emulator.rs"]
mod emulator;

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use emulator::{EmulatedCard, Pn532Emulator};
use tsudoi_hw::{
    CardIdError, NfcReader, ReaderEvent, ReaderHandle, ReaderSettings, ReaderState, Technology,
    spawn_reader,
};

/// Generous: only reached when something is broken.
const WAIT: Duration = Duration::from_secs(10);

fn settings(cooldown: Duration) -> ReaderSettings {
    ReaderSettings {
        cooldown,
        reconnect_initial: Duration::from_millis(50),
        reconnect_max: Duration::from_millis(200),
        ..ReaderSettings::default()
    }
}

fn start(cooldown: Duration) -> (Pn532Emulator, ReaderHandle) {
    let emu = Pn532Emulator::start().expect("emulator");
    let handle = spawn_reader(
        Box::new(NfcReader::new(&emu.connstring())),
        settings(cooldown),
    );
    expect_state(&handle, &emu, true);
    (emu, handle)
}

fn next(handle: &ReaderHandle, emu: &Pn532Emulator) -> ReaderEvent {
    match handle.events().recv_timeout(WAIT) {
        Ok(e) => e,
        Err(e) => panic!(
            "no reader event ({e:?}); commands seen: {:02x?}",
            emu.commands()
        ),
    }
}

fn expect_state(handle: &ReaderHandle, emu: &Pn532Emulator, ready: bool) {
    match next(handle, emu) {
        ReaderEvent::State(ReaderState::Ready) if ready => {}
        ReaderEvent::State(ReaderState::NotConnected { .. }) if !ready => {}
        other => panic!("expected ready={ready}, got {other:?}"),
    }
}

/// Asserts that nothing arrives for `d` (a tap must not be counted twice).
fn expect_silence(handle: &ReaderHandle, d: Duration) {
    match handle.events().recv_timeout(d) {
        Err(RecvTimeoutError::Timeout) => {}
        other => panic!("unexpected event: {other:?}"),
    }
}

/// Waits until the reader thread has polled a few more times, so "the card
/// was removed" has been seen (event-driven on the emulator's command log).
fn wait_polls(emu: &Pn532Emulator, polls: usize) {
    let count = |e: &Pn532Emulator| e.commands().iter().filter(|c| **c == 0x4A).count();
    let target = count(emu) + polls * 2;
    let deadline = Instant::now() + WAIT;
    while count(emu) < target {
        assert!(Instant::now() < deadline, "reader stopped polling");
        std::thread::sleep(Duration::from_millis(5));
    }
}

const UID: [u8; 7] = [0x04, 0x52, 0x1A, 0x62, 0x9B, 0x3E, 0x80];

#[test]
fn a_placed_card_gives_exactly_one_event_while_it_lies_there() {
    let (emu, handle) = start(Duration::from_secs(30));
    emu.place(EmulatedCard::Iso14443A(UID.to_vec()));
    match next(&handle, &emu) {
        ReaderEvent::Card(card) => {
            assert_eq!(card.technology(), Technology::Iso14443A);
            assert_eq!(card.uid(), UID);
        }
        other => panic!("expected a card, got {other:?}"),
    }
    // Left on the reader for a while (many polls, field resets): no repeat.
    wait_polls(&emu, 10);
    expect_silence(&handle, Duration::from_millis(300));
    handle.stop();
}

#[test]
fn a_card_removed_and_placed_again_counts_again_only_after_the_cooldown() {
    let cooldown = Duration::from_millis(1500);
    let (emu, handle) = start(cooldown);
    let card = EmulatedCard::Iso14443A(vec![0x04, 0x11, 0x22, 0x33]);
    emu.place(card.clone());
    assert!(matches!(next(&handle, &emu), ReaderEvent::Card(_)));
    // A hesitant second tap right after the first is ignored.
    emu.remove();
    let removed = Instant::now();
    wait_polls(&emu, 3);
    emu.place(card.clone());
    assert!(
        removed.elapsed() < cooldown / 2,
        "machine too slow for this test"
    );
    wait_polls(&emu, 3);
    emu.remove();
    wait_polls(&emu, 3);
    assert!(matches!(
        handle.events().try_recv(),
        Err(std::sync::mpsc::TryRecvError::Empty)
    ));
    // Once the cooldown has passed since the card was last seen, the same
    // card is a new tap.
    expect_silence(&handle, cooldown);
    emu.place(card);
    assert!(matches!(next(&handle, &emu), ReaderEvent::Card(_)));
    handle.stop();
}

#[test]
fn a_felica_card_gives_its_idm() {
    let (emu, handle) = start(Duration::from_secs(30));
    let idm = [0x01, 0x27, 0x00, 0x4A, 0x1B, 0x2C, 0x3D, 0x4E];
    emu.place(EmulatedCard::Felica(idm));
    match next(&handle, &emu) {
        ReaderEvent::Card(card) => {
            assert_eq!(card.technology(), Technology::Felica);
            assert_eq!(card.uid(), idm);
        }
        other => panic!("expected a FeliCa card, got {other:?}"),
    }
    handle.stop();
}

#[test]
fn a_phone_is_refused_and_told_to_use_a_card() {
    let (emu, handle) = start(Duration::from_secs(30));
    emu.place(EmulatedCard::Iso14443A(vec![0x08, 0x9A, 0x41, 0x7C]));
    match next(&handle, &emu) {
        ReaderEvent::Refused(why) => {
            assert_eq!(why, CardIdError::RandomIdentifier);
            assert!(why.to_string().contains("カードをタッチしてください"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    emu.remove();
    // A phone wallet's FeliCa with a random IDm is refused too.
    emu.place(EmulatedCard::Felica([0x05, 0xFE, 1, 2, 3, 4, 5, 6]));
    assert_eq!(
        next(&handle, &emu),
        ReaderEvent::Refused(CardIdError::RandomIdentifier)
    );
    handle.stop();
}

#[test]
fn an_unplugged_reader_is_reported_and_recovers_when_plugged_back() {
    let (emu, handle) = start(Duration::from_secs(30));
    emu.unplug();
    match next(&handle, &emu) {
        ReaderEvent::State(s @ ReaderState::NotConnected { .. }) => {
            assert_eq!(s.to_string(), "カードリーダーがつながっていません");
        }
        other => panic!("expected not connected, got {other:?}"),
    }
    // While unplugged, retries do not repeat the state event.
    expect_silence(&handle, Duration::from_millis(500));
    emu.replug().expect("replug");
    expect_state(&handle, &emu, true);
    emu.place(EmulatedCard::Iso14443A(UID.to_vec()));
    assert!(matches!(next(&handle, &emu), ReaderEvent::Card(_)));
    handle.stop();
}

#[test]
fn a_board_that_stops_answering_is_reported_and_recovers() {
    // A loose power wire on a UART-wired PN532: the serial port stays, the
    // chip is silent. libnfc's select times out instead of hanging.
    let (emu, handle) = start(Duration::from_secs(30));
    emu.set_mute(true);
    expect_state(&handle, &emu, false);
    emu.set_mute(false);
    expect_state(&handle, &emu, true);
    emu.place(EmulatedCard::Iso14443A(UID.to_vec()));
    assert!(matches!(next(&handle, &emu), ReaderEvent::Card(_)));
    handle.stop();
}

#[test]
fn a_reader_absent_at_start_is_reported_then_found() {
    let emu = Pn532Emulator::start().expect("emulator");
    emu.unplug();
    let handle = spawn_reader(
        Box::new(NfcReader::new(&emu.connstring())),
        settings(Duration::from_secs(30)),
    );
    expect_state(&handle, &emu, false);
    emu.replug().expect("replug");
    expect_state(&handle, &emu, true);
    handle.stop();
}

#[test]
fn nfc_list_from_libnfc_bin_sees_the_emulated_card() {
    let Ok(path) = which("nfc-list") else {
        eprintln!("nfc-list not installed (Debian libnfc-bin); skipped");
        return;
    };
    let emu = Pn532Emulator::start().expect("emulator");
    emu.place(EmulatedCard::Iso14443A(vec![0xDE, 0xAD, 0xBE, 0xEF]));
    let out = std::process::Command::new(path)
        .env("LIBNFC_DEFAULT_DEVICE", emu.connstring())
        .env("LIBNFC_AUTO_SCAN", "false")
        .env("LIBNFC_INTRUSIVE_SCAN", "false")
        .env("LIBNFC_LOG_LEVEL", "0")
        .output()
        .expect("run nfc-list");
    let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(
        text.contains("1 iso14443a passive target(s) found")
            && text.contains("uid (nfcid1): de  ad  be  ef"),
        "nfc-list output:\n{text}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

/// The emulator behind a Unix socket (as `image/test-boot.sh` puts it behind
/// QEMU's usb-serial device): here a pseudo-terminal stands in for the VM's
/// serial port and two threads carry the bytes between it and the socket.
#[test]
fn over_a_socket_the_board_answers_libnfc_like_on_a_pseudo_terminal() {
    use std::io::{Read, Write};
    use std::os::unix::net::UnixListener;

    let dir = std::env::temp_dir().join(format!("tsudoi-pn532-socket-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("nfc.sock");
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path).expect("bind");
    let pty = nix::pty::openpty(None, None).expect("openpty");
    let mut t = nix::sys::termios::tcgetattr(&pty.slave).expect("tcgetattr");
    nix::sys::termios::cfmakeraw(&mut t);
    nix::sys::termios::tcsetattr(&pty.slave, nix::sys::termios::SetArg::TCSANOW, &t).expect("raw");
    let serial = nix::unistd::ttyname(&pty.slave).expect("ttyname");

    let emu = Pn532Emulator::connect(&path).expect("connect");
    let (socket, _) = listener.accept().expect("accept");
    let mut master_in = std::fs::File::from(pty.master);
    let mut master_out = master_in.try_clone().expect("clone");
    let mut socket_in = socket.try_clone().expect("clone");
    let mut socket_out = socket;
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok(n @ 1..) = master_in.read(&mut buf) {
            if socket_out.write_all(&buf[..n]).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok(n @ 1..) = socket_in.read(&mut buf) {
            if master_out.write_all(&buf[..n]).is_err() {
                break;
            }
        }
    });

    let handle = spawn_reader(
        Box::new(NfcReader::new(&format!("pn532_uart:{}", serial.display()))),
        settings(Duration::from_secs(30)),
    );
    expect_state(&handle, &emu, true);
    emu.place(EmulatedCard::Iso14443A(UID.to_vec()));
    match next(&handle, &emu) {
        ReaderEvent::Card(card) => assert_eq!(card.uid(), UID),
        other => panic!("expected a card, got {other:?}"),
    }
    drop(pty.slave);
    let _ = std::fs::remove_dir_all(&dir);
}
