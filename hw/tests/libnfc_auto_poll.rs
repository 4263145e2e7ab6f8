//! libnfc's InAutoPoll path (nfc-poll, nfc1's `initiator_poll_target`)
//! against the PN532 emulator. A separate test binary: it creates its own
//! libnfc context, which must not race other libnfc users in one process.

#[allow(dead_code)]
#[path = "../src/emulator.rs"]
mod emulator;

use std::time::Duration;

use emulator::{EmulatedCard, Pn532Emulator};

#[test]
fn libnfc_auto_poll_finds_cards_on_the_emulator() {
    // nfc-poll and nfc1's initiator_poll_target use the PN532's own
    // InAutoPoll; the emulator must answer it like the chip.
    let emu = Pn532Emulator::start().expect("emulator");
    emu.place(EmulatedCard::Felica([
        0x01, 0x2E, 0x3C, 0x4D, 0x5E, 0x6F, 0x70, 0x81,
    ]));
    let mut context = nfc1::Context::new().expect("libnfc");
    let mut device = context
        .open_with_connstring(&emu.connstring())
        .expect("open");
    device.initiator_init().expect("init");
    let modulations = [
        nfc1::Modulation {
            modulation_type: nfc1::ModulationType::Iso14443a,
            baud_rate: nfc1::BaudRate::Baud106,
        },
        nfc1::Modulation {
            modulation_type: nfc1::ModulationType::Felica,
            baud_rate: nfc1::BaudRate::Baud212,
        },
    ];
    let target = device
        .initiator_poll_target(&modulations, 2, Duration::from_millis(150))
        .expect("poll");
    match target.target_info {
        nfc1::target_info::TargetInfo::Felica(f) => {
            assert_eq!(f.id, [0x01, 0x2E, 0x3C, 0x4D, 0x5E, 0x6F, 0x70, 0x81]);
        }
        other => panic!("expected FeliCa, got {other:?}"),
    }
    assert!(emu.commands().contains(&0x60), "InAutoPoll was not used");
}
