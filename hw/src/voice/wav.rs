//! The little of WAV the voice needs: 16-bit PCM mono, read and written.

use std::io::{self, Write};

/// The sample rate of every clip (scripts/synth-voice.py).
pub const SAMPLE_RATE: u32 = 16_000;

/// What is wrong with a WAV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WavError {
    /// Not RIFF/WAVE, or cut short.
    NotWav,
    /// Not 16-bit PCM mono at [`SAMPLE_RATE`].
    Format {
        /// Channels found.
        channels: u16,
        /// Sample rate found.
        rate: u32,
        /// Bits per sample found.
        bits: u16,
    },
}

impl std::fmt::Display for WavError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WavError::NotWav => write!(f, "WAV ファイルではないか、途中で切れています"),
            WavError::Format {
                channels,
                rate,
                bits,
            } => write!(
                f,
                "{SAMPLE_RATE} Hz・16ビット・モノラルではありません（{channels} ch, {rate} Hz, {bits} bit）"
            ),
        }
    }
}

impl std::error::Error for WavError {}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// The samples of a 16-bit PCM mono WAV at [`SAMPLE_RATE`].
pub fn decode(bytes: &[u8]) -> Result<Vec<i16>, WavError> {
    if bytes.get(0..4) != Some(b"RIFF") || bytes.get(8..12) != Some(b"WAVE") {
        return Err(WavError::NotWav);
    }
    let mut at = 12;
    let mut format = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let len = u32_at(bytes, at + 4).ok_or(WavError::NotWav)? as usize;
        let body = at + 8;
        let end = body.checked_add(len).ok_or(WavError::NotWav)?;
        if id == b"fmt " {
            let tag = u16_at(bytes, body).ok_or(WavError::NotWav)?;
            let channels = u16_at(bytes, body + 2).ok_or(WavError::NotWav)?;
            let rate = u32_at(bytes, body + 4).ok_or(WavError::NotWav)?;
            let bits = u16_at(bytes, body + 14).ok_or(WavError::NotWav)?;
            if tag != 1 || channels != 1 || rate != SAMPLE_RATE || bits != 16 {
                return Err(WavError::Format {
                    channels,
                    rate,
                    bits,
                });
            }
            format = Some(());
        } else if id == b"data" {
            format.ok_or(WavError::NotWav)?;
            let data = bytes.get(body..end).ok_or(WavError::NotWav)?;
            return Ok(data
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect());
        }
        // Chunks are padded to an even length.
        at = end + (len & 1);
    }
    Err(WavError::NotWav)
}

/// The 44-byte header of a 16-bit PCM mono WAV holding `samples` samples.
pub fn header(samples: usize) -> [u8; 44] {
    let data = u32::try_from(samples * 2).unwrap_or(u32::MAX - 36);
    let mut h = [0u8; 44];
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&(36 + data).to_le_bytes());
    h[8..12].copy_from_slice(b"WAVE");
    h[12..16].copy_from_slice(b"fmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes());
    h[22..24].copy_from_slice(&1u16.to_le_bytes());
    h[24..28].copy_from_slice(&SAMPLE_RATE.to_le_bytes());
    h[28..32].copy_from_slice(&(SAMPLE_RATE * 2).to_le_bytes());
    h[32..34].copy_from_slice(&2u16.to_le_bytes());
    h[34..36].copy_from_slice(&16u16.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data.to_le_bytes());
    h
}

/// Samples as little-endian bytes.
pub fn pcm_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// Writes a whole WAV file.
pub fn write(mut w: impl Write, samples: &[i16]) -> io::Result<()> {
    w.write_all(&header(samples.len()))?;
    w.write_all(&pcm_bytes(samples))?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_files_read_back() {
        let samples = [0i16, 1, -1, i16::MAX, i16::MIN, 1234];
        let mut buf = Vec::new();
        write(&mut buf, &samples).unwrap();
        assert_eq!(decode(&buf).unwrap(), samples);
    }

    #[test]
    fn other_formats_and_garbage_are_refused() {
        assert_eq!(decode(b"RIFF"), Err(WavError::NotWav));
        assert_eq!(decode(&[0u8; 100]), Err(WavError::NotWav));
        let mut stereo = Vec::new();
        write(&mut stereo, &[0, 0]).unwrap();
        stereo[22] = 2;
        assert!(matches!(
            decode(&stereo),
            Err(WavError::Format { channels: 2, .. })
        ));
        let mut cut = Vec::new();
        write(&mut cut, &[1, 2, 3]).unwrap();
        cut.truncate(46);
        assert_eq!(decode(&cut), Err(WavError::NotWav));
        let mut huge = Vec::new();
        write(&mut huge, &[1]).unwrap();
        huge[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge), Err(WavError::NotWav));
    }
}
