//! What the on-screen keys do to a text field, shared by every screen that
//! types: the kana keyboard's modifiers (゛ ゜ 小), the space and ⌫; and
//! turning pages of a list.

/// The longest text a kana or digit field takes.
pub(super) const MAX_CHARS: usize = 40;

/// Applies one key to `text`: a modifier changes the last character, 「空白」
/// adds a space, ⌫ deletes one character, anything else is added if
/// `accepts` takes all of its characters and the field has room.
pub(in crate::kiosk) fn type_key(text: &mut String, key: &str, accepts: impl Fn(char) -> bool) {
    match key {
        "゛" => modify_last(text, &DAKUTEN),
        "゜" => modify_last(text, &HANDAKUTEN),
        "小" => modify_last(text, &SMALL),
        "空白" => text.push(' '),
        "⌫" => {
            text.pop();
        }
        k if text.chars().count() < MAX_CHARS && k.chars().all(accepts) => text.push_str(k),
        _ => {}
    }
}

/// The page `delta` pages from `page`, kept within `pages` (at least one).
pub(in crate::kiosk) fn step_page(page: usize, delta: i32, pages: usize) -> usize {
    let last = pages.saturating_sub(1) as i64;
    (page as i64 + i64::from(delta)).clamp(0, last) as usize
}

const DAKUTEN: [(char, char); 21] = [
    ('カ', 'ガ'),
    ('キ', 'ギ'),
    ('ク', 'グ'),
    ('ケ', 'ゲ'),
    ('コ', 'ゴ'),
    ('サ', 'ザ'),
    ('シ', 'ジ'),
    ('ス', 'ズ'),
    ('セ', 'ゼ'),
    ('ソ', 'ゾ'),
    ('タ', 'ダ'),
    ('チ', 'ヂ'),
    ('ツ', 'ヅ'),
    ('テ', 'デ'),
    ('ト', 'ド'),
    ('ハ', 'バ'),
    ('ヒ', 'ビ'),
    ('フ', 'ブ'),
    ('ヘ', 'ベ'),
    ('ホ', 'ボ'),
    ('ウ', 'ヴ'),
];
const HANDAKUTEN: [(char, char); 5] = [
    ('ハ', 'パ'),
    ('ヒ', 'ピ'),
    ('フ', 'プ'),
    ('ヘ', 'ペ'),
    ('ホ', 'ポ'),
];
const SMALL: [(char, char); 9] = [
    ('ア', 'ァ'),
    ('イ', 'ィ'),
    ('ウ', 'ゥ'),
    ('エ', 'ェ'),
    ('オ', 'ォ'),
    ('ヤ', 'ャ'),
    ('ユ', 'ュ'),
    ('ヨ', 'ョ'),
    ('ツ', 'ッ'),
];

/// Applies a modifier key (゛ ゜ 小) to the last character.
fn modify_last(text: &mut String, table: &[(char, char)]) {
    if let Some(last) = text.pop() {
        let changed = table
            .iter()
            .find(|(a, _)| *a == last)
            .map(|(_, b)| *b)
            .or_else(|| table.iter().find(|(_, b)| *b == last).map(|(a, _)| *a));
        text.push(changed.unwrap_or(last));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_change_the_last_kana_back_and_forth() {
        let mut t = String::from("ハ");
        type_key(&mut t, "゛", |_| true);
        assert_eq!(t, "バ");
        type_key(&mut t, "゜", |_| true);
        assert_eq!(t, "バ", "゜ does not apply to バ");
        type_key(&mut t, "⌫", |_| true);
        type_key(&mut t, "ツ", |_| true);
        type_key(&mut t, "小", |_| true);
        type_key(&mut t, "空白", |_| true);
        type_key(&mut t, "a", |c| c != 'a');
        assert_eq!(t, "ッ ");
    }

    #[test]
    fn pages_stay_within_the_list() {
        assert_eq!(step_page(0, -1, 3), 0);
        assert_eq!(step_page(1, 1, 3), 2);
        assert_eq!(step_page(2, 5, 3), 2);
        assert_eq!(step_page(0, 1, 0), 0);
    }
}
