//! An emulated PN532 board on a Unix socket, driven from standard input.
//!
//! `image/test-boot.sh` starts QEMU with `-chardev socket,server=on,path=SOCKET`
//! behind a `usb-serial` device, so the kiosk inside the VM opens
//! `pn532_uart:/dev/ttyUSB0` through the real libnfc driver and finds this
//! board at the other end. Commands, one per line:
//!
//! ```text
//! place 14443a 04010203      a card with this UID lies on the reader
//! place felica 0102030405060708
//! remove                     the card is lifted
//! commands                   prints how many PN532 commands have arrived
//! quit
//! ```
//!
//! Each command is answered with one line: `ok …` or `error …`.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use tsudoi_hw::emulator::{EmulatedCard, Pn532Emulator};

fn main() -> std::process::ExitCode {
    let Some(socket) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: pn532-socket SOCKET");
        return std::process::ExitCode::from(2);
    };
    let emu = match Pn532Emulator::connect(&socket) {
        Ok(emu) => emu,
        Err(e) => {
            eprintln!("pn532-socket: cannot connect to {}: {e}", socket.display());
            return std::process::ExitCode::from(5);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ok connected");
    let _ = out.flush();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let words: Vec<&str> = line.split_whitespace().collect();
        let answer = match words.as_slice() {
            ["place", kind, hex] => match card(kind, hex) {
                Some(card) => {
                    emu.place(card);
                    "ok placed".to_string()
                }
                None => "error: place 14443a|felica HEX".to_string(),
            },
            ["remove"] => {
                emu.remove();
                "ok removed".to_string()
            }
            ["commands"] => format!("ok {}", emu.commands().len()),
            ["quit"] => break,
            _ => "error: unknown command".to_string(),
        };
        let _ = writeln!(out, "{answer}");
        let _ = out.flush();
    }
    std::process::ExitCode::SUCCESS
}

/// The card as the reader would report it: `CardId::from_hex` checks the
/// digits and length, as for a card id anywhere else.
fn card(kind: &str, hex: &str) -> Option<EmulatedCard> {
    use tsudoi_hw::{CardId, Technology};
    match kind {
        "14443a" => {
            let id = CardId::from_hex(Technology::Iso14443A, hex).ok()?;
            Some(EmulatedCard::Iso14443A(id.uid().to_vec()))
        }
        "felica" => {
            let id = CardId::from_hex(Technology::Felica, hex).ok()?;
            Some(EmulatedCard::Felica(id.uid().try_into().ok()?))
        }
        _ => None,
    }
}
