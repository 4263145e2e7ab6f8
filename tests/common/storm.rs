//! A storm of `tsudoi` processes writing one store at once, for the crash
//! and power-cut campaigns (tests/crash_storm.rs, tests/power_cut.rs).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use tsudoi::clock::SystemClock;
use tsudoi::eligibility::PostalTable;
use tsudoi::store::Store;

use super::cli::{Env, text};
use super::{NEW_PASSWORD, date, resident};

const KANA: &[&str] = &[
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ",
    "チ", "ツ", "テ", "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ",
];

/// Registers `n` invented residents directly (fast) and returns their ids.
pub fn residents(env: &Env, n: usize) -> Vec<String> {
    let mut store = Store::open(
        &env.store(),
        super::policy(),
        PostalTable::shinjuku(),
        Arc::new(SystemClock),
    )
    .unwrap();
    let staff = store.sign_in("kanri01", NEW_PASSWORD).unwrap();
    (0..n)
        .map(|i| {
            let a = KANA[i % KANA.len()];
            let b = KANA[(i / KANA.len()) % KANA.len()];
            let c = KANA[(i / (KANA.len() * KANA.len())) % KANA.len()];
            let kana = format!("シケン {a}{b}{c}コ");
            store
                .register(
                    &staff,
                    resident(
                        &kana,
                        &kana,
                        &format!("090-{:04}-{:04}", 3000 + i / 10_000, i % 10_000),
                        date(1950, 1, 1),
                    ),
                )
                .unwrap()
        })
        .collect()
}

/// An invented newcomer for `participant add --json -`, different for each `n`.
pub fn newcomer(n: usize) -> String {
    format!(
        r#"{{"name": "嵐 試{n}", "kana": "アラシ シ", "phone": "080-{:04}-{:04}",
           "birth": "昭和30年1月1日", "postal": "160-0022"}}"#,
        7000 + n / 10_000,
        n % 10_000
    )
}

/// Starts `tsudoi ARGS` as the manager, with `input` on stdin and `extra`
/// in its environment.
pub fn spawn(env: &Env, args: &[&str], input: Option<&str>, extra: &[(&str, &Path)]) -> Child {
    let mut c = env.cmd(args);
    c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    if let Some(input) = input {
        use std::io::Write;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.as_bytes());
        }
    }
    child
}

/// [`super::sqlite3`] with `extra` in the command's environment.
pub fn sqlite_with(db: &Path, sql: &str, extra: &[(&str, &Path)]) -> String {
    let mut c = Command::new("sqlite3");
    c.arg(db).arg(sql);
    for (k, v) in extra {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}
