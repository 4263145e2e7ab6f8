//! Prints every clip the kiosk can say, one per line: id, text and reading
//! separated by tabs. `scripts/synth-voice.py` reads this list, so the
//! phrases live in one place (hw/src/voice/phrases.rs).
//!
//! `cargo run -q -p tsudoi-hw --example voice-phrases`

use std::io::Write;

use tsudoi_hw::voice::Clip;

fn main() -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for clip in Clip::all() {
        writeln!(out, "{}\t{}\t{}", clip.id(), clip.text(), clip.reading())?;
    }
    Ok(())
}
