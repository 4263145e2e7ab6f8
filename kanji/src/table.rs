//! A sorted tab-separated table searched in place.
//!
//! The tables are `key<TAB>value value …` lines sorted by the key's UTF-8
//! bytes, embedded in the binary. A lookup binary-searches the text itself,
//! so nothing is parsed or allocated at start-up and only the few pages a
//! lookup touches are read.

#[cfg(test)]
thread_local! {
    /// How many lookups this thread has made: the tests that bound the work
    /// a long input costs count them instead of timing it.
    pub(crate) static LOOKUPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// One embedded table.
pub(crate) struct Table {
    text: &'static str,
}

impl Table {
    pub(crate) const fn new(text: &'static str) -> Self {
        Self { text }
    }

    /// The value of the line whose key is `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&'static str> {
        #[cfg(test)]
        LOOKUPS.with(|n| n.set(n.get() + 1));
        let text = self.text;
        let bytes = text.as_bytes();
        // `lo` is always the start of a line; lines starting before `lo` have
        // smaller keys, lines starting at or after `hi` larger ones.
        let (mut lo, mut hi) = (0, bytes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = bytes[lo..mid]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(lo, |i| lo + i + 1);
            let end = bytes[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |i| start + i);
            let line = &text[start..end];
            let (k, v) = line.split_once('\t').unwrap_or((line, ""));
            match k.as_bytes().cmp(key.as_bytes()) {
                std::cmp::Ordering::Equal => return Some(v),
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        None
    }

    /// The values of `key`, split on spaces.
    pub(crate) fn values(&self, key: &str) -> impl Iterator<Item = &'static str> + use<> {
        self.get(key)
            .unwrap_or("")
            .split(' ')
            .filter(|v| !v.is_empty())
    }

    /// Every line, for the tests that check a table's shape.
    #[cfg(test)]
    pub(crate) fn lines(&self) -> impl Iterator<Item = &'static str> {
        self.text.lines()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Table = Table::new("あ\t亜 阿\nあい\t愛\nか\t加 可 河\nさ\t佐\n");

    #[test]
    fn finds_every_key_and_nothing_else() {
        assert_eq!(SMALL.get("あ"), Some("亜 阿"));
        assert_eq!(SMALL.get("あい"), Some("愛"));
        assert_eq!(SMALL.get("か"), Some("加 可 河"));
        assert_eq!(SMALL.get("さ"), Some("佐"));
        for missing in ["", "ああ", "い", "き", "ん", "a"] {
            assert_eq!(SMALL.get(missing), None, "{missing}");
        }
        assert_eq!(SMALL.values("か").collect::<Vec<_>>(), ["加", "可", "河"]);
        assert_eq!(SMALL.values("ん").count(), 0);
    }

    #[test]
    fn works_without_a_final_newline_and_on_empty_text() {
        let t = Table::new("か\t加\nさ\t佐");
        assert_eq!(t.get("さ"), Some("佐"));
        assert_eq!(t.get("か"), Some("加"));
        assert_eq!(Table::new("").get("か"), None);
    }
}
