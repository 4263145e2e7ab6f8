//! Card identifiers as read from a card, with the refusal of random ones.

use std::fmt;

/// The radio technology a card answered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Technology {
    /// ISO/IEC 14443 Type A (MIFARE and most contactless cards), 106 kbps.
    Iso14443A,
    /// FeliCa (Suica, PASMO and other transit cards), 212 kbps.
    Felica,
}

impl Technology {
    /// A stable name, part of what the store's card token is computed over.
    pub fn code(self) -> &'static str {
        match self {
            Technology::Iso14443A => "iso14443a",
            Technology::Felica => "felica",
        }
    }

    /// Parses a technology name as typed by staff or in test files
    /// (`iso14443a`, `a`, `mifare`, `felica`, `f`).
    pub fn parse(s: &str) -> Option<Technology> {
        match s.trim().to_ascii_lowercase().as_str() {
            "iso14443a" | "a" | "mifare" => Some(Technology::Iso14443A),
            "felica" | "f" => Some(Technology::Felica),
            _ => None,
        }
    }
}

/// A card's identifier as read: the UID (ISO 14443A) or IDm (FeliCa).
///
/// Debug output never shows the identifier.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CardId {
    technology: Technology,
    uid: Vec<u8>,
}

/// Why an identifier cannot be used as a resident's card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardIdError {
    /// The reader reported a target without an identifier.
    Empty,
    /// Longer than any real card identifier (10 bytes for 14443A, 8 for FeliCa).
    TooLong,
    /// A phone or watch: it shows a new random identifier at every tap.
    RandomIdentifier,
}

impl fmt::Display for CardIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CardIdError::Empty | CardIdError::TooLong => {
                "カードを読み取れませんでした。もう一度タッチしてください。"
            }
            CardIdError::RandomIdentifier => {
                "スマホや時計は使えません。カードをタッチしてください。"
            }
        })
    }
}

impl std::error::Error for CardIdError {}

impl CardId {
    /// Checks an identifier read from a card. Random identifiers (ISO 14443A
    /// 4-byte UIDs starting 0x08; FeliCa IDm starting 05 FE) are refused: a
    /// phone presents a new one at every tap, so it can never be recognised.
    pub fn new(technology: Technology, uid: &[u8]) -> Result<CardId, CardIdError> {
        if uid.is_empty() {
            return Err(CardIdError::Empty);
        }
        let max = match technology {
            Technology::Iso14443A => 10,
            Technology::Felica => 8,
        };
        if uid.len() > max {
            return Err(CardIdError::TooLong);
        }
        let random = match technology {
            Technology::Iso14443A => uid.len() == 4 && uid[0] == 0x08,
            Technology::Felica => uid.len() >= 2 && uid[0] == 0x05 && uid[1] == 0xFE,
        };
        if random {
            return Err(CardIdError::RandomIdentifier);
        }
        Ok(CardId {
            technology,
            uid: uid.to_vec(),
        })
    }

    /// Parses hexadecimal (spaces and colons allowed), as typed by staff or tests.
    pub fn from_hex(technology: Technology, hex: &str) -> Result<CardId, CardIdError> {
        let digits: Vec<u8> = hex
            .bytes()
            .filter(|b| !matches!(b, b' ' | b':' | b'-'))
            .collect();
        if digits.is_empty() || !digits.len().is_multiple_of(2) {
            return Err(CardIdError::Empty);
        }
        let mut uid = Vec::with_capacity(digits.len() / 2);
        for pair in digits.chunks(2) {
            let s = std::str::from_utf8(pair).map_err(|_| CardIdError::Empty)?;
            uid.push(u8::from_str_radix(s, 16).map_err(|_| CardIdError::Empty)?);
        }
        CardId::new(technology, &uid)
    }

    /// The technology the card answered on.
    pub fn technology(&self) -> Technology {
        self.technology
    }

    /// The raw identifier. Hand it only to the store's keyed hash; never
    /// log or display it.
    pub fn uid(&self) -> &[u8] {
        &self.uid
    }
}

impl fmt::Debug for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CardId({}, <{} bytes>)",
            self.technology.code(),
            self.uid.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_identifiers_are_refused() {
        assert_eq!(
            CardId::new(Technology::Iso14443A, &[0x08, 1, 2, 3]),
            Err(CardIdError::RandomIdentifier)
        );
        assert_eq!(
            CardId::from_hex(Technology::Felica, "05FE010203040506"),
            Err(CardIdError::RandomIdentifier)
        );
        assert!(CardId::new(Technology::Iso14443A, &[0x04, 1, 2, 3, 4, 5, 6]).is_ok());
        assert!(CardId::from_hex(Technology::Felica, "01 27 00 4A 1B 2C 3D 4E").is_ok());
    }

    #[test]
    fn debug_hides_the_identifier() {
        let id = CardId::from_hex(Technology::Iso14443A, "DEADBEEF01").unwrap();
        let s = format!("{id:?}");
        assert!(!s.to_lowercase().contains("dead"));
    }

    #[test]
    fn bad_hex_and_empty_are_refused() {
        assert!(CardId::from_hex(Technology::Felica, "").is_err());
        assert!(CardId::from_hex(Technology::Felica, "0g").is_err());
        assert!(CardId::from_hex(Technology::Felica, "abc").is_err());
        assert_eq!(
            CardId::new(Technology::Felica, &[1; 9]),
            Err(CardIdError::TooLong)
        );
    }
}
