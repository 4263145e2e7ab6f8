//! The draw of one class and its transcript.
//!
//! The pool is listed by entry number; each entry gets a 1-based *position*
//! in that order. RFC 3797 then orders the whole pool (it selects every
//! position, one after another), and that order is split stably by priority
//! tier: tier 1 first in drawn order, then tier 2, and so on. The first
//! `capacity` win; the next ones form the waiting list (all of them, or up to
//! the class's waiting-list size); anyone after that is not selected.
//!
//! Because the RFC order is the whole story, anyone can check a draw with
//! `tsudoi draw --pool-size N --count N --source …` (or the RFC's own C
//! program) and the published pool listing.
//!
//! The *commitment* published at closing is BLAKE3 over the canonical pool
//! listing ([`pool_listing`]): class, capacity, waiting-list size, announced
//! random sources and every position with its entry number and tier. It
//! names no one.

use serde::{Deserialize, Serialize};

use super::rfc3797::{self, DrawError};

/// Format tag of the transcript JSON.
pub const TRANSCRIPT_FORMAT: &str = "tsudoi-lottery-transcript-1";

/// One entry of the closed pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolEntry {
    /// 1-based position in entry-number order (what RFC 3797 selects).
    pub position: u32,
    /// The entry number the applicant was given.
    pub entry: u32,
    /// Priority tier: 1 is drawn before 2.
    pub tier: u8,
}

/// What is fixed at closing and published in the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedPool {
    /// The class's id in the store.
    pub class_id: String,
    /// The class's title as announced.
    pub title: String,
    /// Seats: how many win.
    pub capacity: u32,
    /// `None`: everyone not winning is on the waiting list.
    pub waitlist_size: Option<u32>,
    /// Which public random numbers will decide, named before they exist.
    pub announced_sources: Vec<String>,
    /// Every live application, in entry-number order (positions 1, 2, …).
    pub pool: Vec<PoolEntry>,
}

/// Builds a closed pool from (entry number, tier) pairs in any order.
pub fn close_pool(
    class_id: &str,
    title: &str,
    capacity: u32,
    waitlist_size: Option<u32>,
    announced_sources: Vec<String>,
    mut entries: Vec<(u32, u8)>,
) -> ClosedPool {
    entries.sort_unstable();
    ClosedPool {
        class_id: class_id.to_owned(),
        title: title.to_owned(),
        capacity,
        waitlist_size,
        announced_sources,
        pool: entries
            .into_iter()
            .enumerate()
            .map(|(i, (entry, tier))| PoolEntry {
                position: i as u32 + 1,
                entry,
                tier,
            })
            .collect(),
    }
}

/// The canonical text the commitment is computed over. Every line ends in
/// `\n`; announced source names have line breaks replaced by spaces.
pub fn pool_listing(p: &ClosedPool) -> String {
    let mut s = String::new();
    s.push_str("tsudoi lottery pool v1\n");
    s.push_str(&format!("class {}\n", p.class_id));
    s.push_str(&format!("title {}\n", one_line(&p.title)));
    s.push_str(&format!("capacity {}\n", p.capacity));
    match p.waitlist_size {
        Some(w) => s.push_str(&format!("waitlist {w}\n")),
        None => s.push_str("waitlist all\n"),
    }
    for (i, src) in p.announced_sources.iter().enumerate() {
        s.push_str(&format!("source {} {}\n", i + 1, one_line(src)));
    }
    s.push_str(&format!("pool {}\n", p.pool.len()));
    for e in &p.pool {
        s.push_str(&format!("{} {} {}\n", e.position, e.entry, e.tier));
    }
    s
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// BLAKE3 of the pool listing, hex.
pub fn commitment(p: &ClosedPool) -> String {
    blake3::hash(pool_listing(p).as_bytes())
        .to_hex()
        .to_string()
}

/// One RFC 3797 step, with the entry number the position stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptStep {
    /// 1-based step number.
    pub index: u32,
    /// MD5 of index || key || index, upper-case hex (as the RFC's program prints it).
    pub md5: String,
    /// Positions still unselected before this step (the divisor).
    pub remaining: u32,
    /// The 1-based pool position chosen.
    pub position: u32,
    /// The entry number at that position.
    pub entry: u32,
}

/// What the draw gave one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Within the capacity: a seat.
    Won,
    /// On the waiting list (rank in [`EntryResult::waiting_rank`]).
    Waiting,
    /// Beyond the waiting list's length: not selected this time.
    NotSelected,
}

/// One entry's result, in final order (tier, then drawn order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryResult {
    /// The entry number (受付番号).
    pub entry: u32,
    /// Priority tier: 1 is drawn before 2.
    pub tier: u8,
    /// 1-based place in the RFC order (before tiers).
    pub drawn: u32,
    /// Won, waiting or not selected.
    pub outcome: Outcome,
    /// 補欠 N番 for the waiting list.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub waiting_rank: Option<u32>,
}

/// The whole record of a draw: enough to recompute it from nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// The transcript format's name and version ([`TRANSCRIPT_FORMAT`]).
    pub format: String,
    /// The pool as closed and published.
    #[serde(flatten)]
    pub closed: ClosedPool,
    /// BLAKE3 of the pool listing, hex, as published at closing.
    pub commitment: String,
    /// The public random values, as entered, in the announced order.
    pub sources: Vec<String>,
    /// The RFC 3797 key string made from the sources.
    pub key: String,
    /// Every selection step, in order.
    pub steps: Vec<TranscriptStep>,
    /// Every entry's result, in final order (tier, then drawn order).
    pub results: Vec<EntryResult>,
}

/// Runs the draw of a closed pool with the published random values.
pub fn run(closed: &ClosedPool, sources: &[String]) -> Result<Transcript, DrawError> {
    let parsed = rfc3797::parse_sources(sources)?;
    let key = rfc3797::key_string(&parsed);
    let n = closed.pool.len();
    let steps = if n == 0 {
        Vec::new()
    } else {
        let n32 = u32::try_from(n).unwrap_or(u32::MAX);
        rfc3797::check_sizes(n as u64, n as u64)?;
        rfc3797::select(&key, n32, n32)?
    };
    let tsteps: Vec<TranscriptStep> = steps
        .iter()
        .map(|s| {
            let e = &closed.pool[s.selected as usize - 1];
            TranscriptStep {
                index: s.index,
                md5: s.digest_hex(),
                remaining: s.remaining,
                position: s.selected,
                entry: e.entry,
            }
        })
        .collect();
    // Stable split by tier: the RFC order decides within each tier.
    let mut order: Vec<(u8, u32, u32)> = tsteps
        .iter()
        .map(|s| (closed.pool[s.position as usize - 1].tier, s.index, s.entry))
        .collect();
    order.sort_by_key(|&(tier, drawn, _)| (tier, drawn));
    let capacity = closed.capacity as usize;
    let results = order
        .into_iter()
        .enumerate()
        .map(|(i, (tier, drawn, entry))| {
            let (outcome, waiting_rank) = if i < capacity {
                (Outcome::Won, None)
            } else {
                let rank = (i - capacity + 1) as u32;
                match closed.waitlist_size {
                    Some(w) if rank > w => (Outcome::NotSelected, None),
                    _ => (Outcome::Waiting, Some(rank)),
                }
            };
            EntryResult {
                entry,
                tier,
                drawn,
                outcome,
                waiting_rank,
            }
        })
        .collect();
    Ok(Transcript {
        format: TRANSCRIPT_FORMAT.to_owned(),
        closed: closed.clone(),
        commitment: commitment(closed),
        sources: sources.to_vec(),
        key,
        steps: tsteps,
        results,
    })
}

impl Transcript {
    /// The exported JSON (pretty, ending in a newline). Verification compares
    /// byte for byte against this rendering.
    pub fn to_json(&self) -> String {
        // Serialising plain strings and integers cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// What checking a transcript found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// True when recomputing gives exactly the file.
    pub matches: bool,
    /// The recomputed commitment, to compare with the published notice.
    pub commitment: String,
    /// What differs, in Japanese (empty when it matches).
    pub problems: Vec<String>,
}

/// Recomputes a transcript from its pool and sources and compares it with
/// the file byte for byte.
pub fn verify(json: &str) -> Verification {
    let parsed: Transcript = match serde_json::from_str(json) {
        Ok(t) => t,
        Err(_) => {
            return Verification {
                matches: false,
                commitment: String::new(),
                problems: vec!["記録ファイルを読めません（形式が壊れています）。".into()],
            };
        }
    };
    let commitment = commitment(&parsed.closed);
    let mut problems = Vec::new();
    if parsed.format != TRANSCRIPT_FORMAT {
        problems.push("記録の形式名が違います。".into());
    }
    if parsed.commitment != commitment {
        problems.push(
            "公表した対象者一覧の確認値（コミットメント）と一致しません。対象者一覧か条件が変えられています。"
                .into(),
        );
    }
    let recomputed = match run(&parsed.closed, &parsed.sources) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!("再計算できません: {e}"));
            return Verification {
                matches: false,
                commitment,
                problems,
            };
        }
    };
    if recomputed.key != parsed.key {
        problems.push("乱数の元から作ったキー文字列が記録と違います。".into());
    }
    if recomputed.steps != parsed.steps {
        problems.push("抽選の手順（MD5の値・選ばれた番号）が記録と違います。".into());
    }
    if recomputed.results != parsed.results {
        problems.push("当選・補欠の結果が再計算と違います。".into());
    }
    let exact = recomputed.to_json().trim_end() == json.trim_end();
    if problems.is_empty() && !exact {
        problems.push("記録ファイルの内容が書き出したときと1文字以上違います。".into());
    }
    Verification {
        matches: problems.is_empty() && exact,
        commitment,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(n: u32, tiers: impl Fn(u32) -> u8) -> ClosedPool {
        close_pool(
            "c1",
            "転倒予防教室",
            3,
            Some(4),
            vec!["ロト6 第2000回".into(), "ロト7 第600回".into()],
            (1..=n).rev().map(|e| (e, tiers(e))).collect(),
        )
    }

    fn srcs() -> Vec<String> {
        vec!["9 18 26 34 41 45".into(), "2 5 12 8 10".into()]
    }

    #[test]
    fn pool_is_listed_by_entry_number() {
        let p = pool(5, |_| 2);
        assert_eq!(p.pool[0].entry, 1);
        assert_eq!(p.pool[4].position, 5);
        assert!(pool_listing(&p).ends_with("pool 5\n1 1 2\n2 2 2\n3 3 2\n4 4 2\n5 5 2\n"));
    }

    #[test]
    fn tiers_are_drawn_first_then_waiting_list_then_not_selected() {
        let p = pool(10, |e| if e % 3 == 0 { 1 } else { 2 });
        let t = run(&p, &srcs()).unwrap();
        assert_eq!(t.steps.len(), 10);
        let won: Vec<&EntryResult> = t
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Won)
            .collect();
        assert_eq!(won.len(), 3);
        // Entries 3, 6, 9 are tier 1 and fill the capacity of 3.
        assert!(won.iter().all(|r| r.tier == 1));
        let waiting: Vec<u32> = t.results.iter().filter_map(|r| r.waiting_rank).collect();
        assert_eq!(waiting, vec![1, 2, 3, 4]);
        assert_eq!(
            t.results
                .iter()
                .filter(|r| r.outcome == Outcome::NotSelected)
                .count(),
            3
        );
        // Within a tier, the RFC order decides.
        let tier2: Vec<u32> = t
            .results
            .iter()
            .filter(|r| r.tier == 2)
            .map(|r| r.drawn)
            .collect();
        assert!(tier2.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn transcript_round_trips_and_verifies() {
        let t = run(&pool(12, |_| 2), &srcs()).unwrap();
        let json = t.to_json();
        let v = verify(&json);
        assert!(v.matches, "{:?}", v.problems);
        assert_eq!(v.commitment, t.commitment);
    }

    #[test]
    fn transcript_altered_in_any_single_byte_fails() {
        let json = run(&pool(6, |e| if e == 2 { 1 } else { 2 }), &srcs())
            .unwrap()
            .to_json();
        let bytes = json.as_bytes();
        // Every position, changed to another ASCII byte (or a UTF-8 byte
        // altered), must fail verification.
        for i in 0..bytes.len() {
            let mut b = bytes.to_vec();
            b[i] = if b[i] == b'1' {
                b'2'
            } else if b[i] == b' ' {
                b'\t'
            } else {
                b'1'
            };
            let Ok(s) = String::from_utf8(b) else {
                continue;
            };
            if s.trim_end() == json.trim_end() {
                continue; // the final newline only
            }
            assert!(!verify(&s).matches, "byte {i} changed and still verified");
        }
    }

    #[test]
    fn empty_pool_draws_nothing() {
        let t = run(&pool(0, |_| 2), &srcs()).unwrap();
        assert!(t.steps.is_empty() && t.results.is_empty());
    }
}
