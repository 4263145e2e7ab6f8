//! Every command × every kind of account: 取扱責任者 (manager), 取扱者
//! (handler), 運営者 (operator), a deactivated account and a locked one.
//! What each may do is the security note's table; operators reach no
//! personal data on any path. Run through the real binary on a real store.

mod common;

use std::process::Output;

use common::cli::{Env, code, id_after, text};
use common::{NEW_PASSWORD, PASSWORD};

/// Who may run a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// Public information (what the waiting screen shows): no sign-in at all.
    Public,
    /// Every active account.
    Anyone,
    /// Those who handle residents' data: managers and handlers.
    Personal,
    /// Reports and exports: managers and operators.
    Reporting,
    /// Managers only.
    Manager,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Account {
    Manager,
    Handler,
    Operator,
    Deactivated,
    Locked,
}

impl Account {
    const ALL: [Account; 5] = [
        Account::Manager,
        Account::Handler,
        Account::Operator,
        Account::Deactivated,
        Account::Locked,
    ];

    fn id(self) -> &'static str {
        match self {
            Account::Manager => "kanri01",
            Account::Handler => "tori01",
            Account::Operator => "unei01",
            Account::Deactivated => "taishoku01",
            Account::Locked => "lock01",
        }
    }

    fn may(self, who: Who) -> bool {
        match (self, who) {
            (_, Who::Public) => true,
            (Account::Deactivated | Account::Locked, _) => false,
            (_, Who::Anyone) => true,
            (Account::Manager, _) => true,
            (Account::Handler, Who::Personal) => true,
            (Account::Operator, Who::Reporting) => true,
            _ => false,
        }
    }
}

struct Site {
    env: Env,
    participant: String,
    session: String,
    class: String,
}

fn run_as(env: &Env, who: Account, args: &[&str], input: &str) -> Output {
    let mut c = env.cmd(args);
    c.env("TSUDOI_STAFF", who.id())
        .env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    child.wait_with_output().unwrap()
}

/// A store with the five accounts, one resident, a session today and a
/// lottery class taking applications.
fn site() -> Site {
    let env = Env::new();
    env.init();
    for (id, role) in [
        ("tori01", "handler"),
        ("unei01", "operator"),
        ("taishoku01", "handler"),
        ("lock01", "handler"),
    ] {
        let mut c = env.cmd(&["staff", "add", id, "--role", role]);
        c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
            .env("TSUDOI_NEW_PASSWORD", PASSWORD);
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut c = env.cmd(&["staff", "passwd"]);
        c.env("TSUDOI_STAFF", id)
            .env("TSUDOI_PASSWORD", PASSWORD)
            .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD);
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    env.staff(&["staff", "deactivate", "taishoku01"]);
    for _ in 0..5 {
        let mut c = env.cmd(&["staff", "policy", "show"]);
        c.env("TSUDOI_STAFF", "lock01")
            .env("TSUDOI_PASSWORD", "Wrong-password-99");
        assert!(!c.output().unwrap().status.success());
    }

    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"name": "試験 秋子", "kana": "しけん あきこ", "phone": "090-1111-2233",
            "birth": "昭和24年9月9日", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let participant = id_after(&out, "登録番号: ");
    let session = env.salon_today();
    let class = env.lottery_class(-1, 5, 6);
    env.add_group("ローズ会", "毎週火曜 13:30–15:30", "多目的室");
    std::fs::write(
        env.path("roster.csv"),
        "グループ名,氏名,ふりがな,電話番号\nローズ会,試験 春子,しけん はるこ,090-1111-5555\n",
    )
    .unwrap();
    Site {
        env,
        participant,
        session,
        class,
    }
}

/// Whether the output is the role refusal (not some other failure).
fn refused_for_role(out: &Output) -> bool {
    let err = text(&out.stderr);
    code(out) != 0
        && (err.contains("権限ではできません")
            || err.contains("鍵（個人情報の鍵）を持っていません"))
}

#[test]
fn each_account_may_run_exactly_the_commands_of_its_role() {
    let s = site();
    let p = s.participant.as_str();
    let month = tsudoi::clock::Clock::today(&tsudoi::clock::SystemClock)
        .format("%Y-%m")
        .to_string();
    let out_dir = |who: Account| s.env.path(&format!("report-{}", who.id()));
    // (command, stdin, who may) — every command that unlocks the store.
    let commands: Vec<(Vec<String>, &str, Who)> = vec![
        (args(&["session", "list"]), "", Who::Public),
        (args(&["staff", "policy", "show"]), "", Who::Anyone),
        (args(&["audit", "verify"]), "", Who::Anyone),
        (args(&["audit", "show", "--last", "5"]), "", Who::Anyone),
        (args(&["lottery", "list"]), "", Who::Public),
        // The kiosk's voice (issue 18): nothing personal; anyone who runs
        // the desk or an event may change it.
        (args(&["voice", "show"]), "", Who::Public),
        (
            args(&["voice", "set", "--volume", "60", "--quiet", "on"]),
            "",
            Who::Anyone,
        ),
        (args(&["participant", "show", p]), "", Who::Personal),
        (
            args(&["participant", "find"]),
            "090-1111-2233\n",
            Who::Personal,
        ),
        (args(&["participant", "cards", p]), "", Who::Personal),
        (
            args(&["participant", "update", p, "--json", "-"]),
            r#"{"phone": "090-1111-2234"}"#,
            Who::Personal,
        ),
        (
            args(&["checkin", "--participant", p, "--session", &s.session]),
            "",
            Who::Personal,
        ),
        (
            args(&["participant", "add", "--json", "-"]),
            r#"{"name": "試験 冬男", "kana": "しけん ふゆお", "phone": "090-1111-9999", "birth": "1950-02-02", "postal": "160-0022"}"#,
            Who::Personal,
        ),
        (args(&["lottery", "calllist", &s.class]), "", Who::Personal),
        (
            args(&[
                "lottery",
                "apply",
                &s.class,
                "--participant",
                p,
                "--json",
                "-",
            ]),
            r#"{"address": "新宿区西新宿二丁目8番1号"}"#,
            Who::Personal,
        ),
        (args(&["group", "list"]), "", Who::Anyone),
        (args(&["group", "members", "ローズ会"]), "", Who::Personal),
        (args(&["mimamori"]), "", Who::Personal),
        (
            args(&[
                "group",
                "import",
                s.env.path("roster.csv").to_str().unwrap(),
                "--dry-run",
            ]),
            "",
            Who::Personal,
        ),
        (args(&["staff", "list"]), "", Who::Manager),
        (
            args(&["staff", "policy", "set", "--lockout-attempts", "5"]),
            "",
            Who::Manager,
        ),
        (args(&["keys", "rotate"]), "", Who::Manager),
    ];
    for (cmd, input, who) in &commands {
        for account in Account::ALL {
            let a: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let out = run_as(&s.env, account, &a, input);
            let allowed = account.may(*who);
            // A second application by the same person is refused for what
            // it is, not for the role: that still counts as allowed.
            let ok = out.status.success()
                || (a[0] == "lottery" && a[1] == "apply" && !refused_for_role(&out) && code(&out) == 1)
                // The same for a second registration of the same person:
                // finding the duplicate needs the personal key.
                || text(&out.stderr).contains("同じ方がすでに登録");
            match account {
                _ if *who == Who::Public => assert!(
                    out.status.success(),
                    "{account:?} {a:?}: {}",
                    text(&out.stderr)
                ),
                Account::Deactivated => assert!(
                    !out.status.success() && text(&out.stderr).contains("無効"),
                    "{account:?} {a:?}: {}",
                    text(&out.stderr)
                ),
                Account::Locked => assert!(
                    !out.status.success() && text(&out.stderr).contains("ロック"),
                    "{account:?} {a:?}: {}",
                    text(&out.stderr)
                ),
                _ if allowed => assert!(
                    ok,
                    "{account:?} should run {a:?}: {}{}",
                    text(&out.stdout),
                    text(&out.stderr)
                ),
                _ => assert!(
                    refused_for_role(&out),
                    "{account:?} must not run {a:?}: {}{}",
                    text(&out.stdout),
                    text(&out.stderr)
                ),
            }
            if !allowed {
                // A refusal shows nothing of the resident.
                let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
                for v in [
                    "秋子",
                    "あきこ",
                    "1111-22",
                    "西新宿",
                    "春子",
                    "はるこ",
                    "1111-55",
                ] {
                    assert!(!all.contains(v), "{account:?} {a:?}: {all}");
                }
            }
        }
    }
    // The monthly report: managers and operators, each to a new folder.
    for account in Account::ALL {
        let dir = out_dir(account);
        let out = run_as(
            &s.env,
            account,
            &["report", "--month", &month, "--out", dir.to_str().unwrap()],
            "",
        );
        assert_eq!(
            out.status.success(),
            account.may(Who::Reporting),
            "{account:?}: {}",
            text(&out.stderr)
        );
    }
    // Deleting a record (last: it is gone afterwards).
    for account in [Account::Operator, Account::Deactivated, Account::Locked] {
        let out = run_as(&s.env, account, &["participant", "delete", p, "--yes"], "");
        assert!(!out.status.success(), "{account:?}");
    }
    let out = run_as(
        &s.env,
        Account::Handler,
        &["participant", "delete", p, "--yes"],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn an_operator_reaches_no_personal_value_on_any_path() {
    let s = site();
    // Something in the log about the resident, from a handler.
    let out = run_as(
        &s.env,
        Account::Handler,
        &[
            "checkin",
            "--participant",
            &s.participant,
            "--session",
            &s.session,
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut seen = String::new();
    for (a, input) in [
        (vec!["audit", "show", "--last", "100"], ""),
        (vec!["session", "list"], ""),
        (vec!["lottery", "list"], ""),
        (vec!["lottery", "calllist", &s.class], ""),
        (vec!["lottery", "attendance", &s.class], ""),
        (vec!["lottery", "purge"], ""),
        (
            vec![
                "checkin",
                "--participant",
                &s.participant,
                "--session",
                &s.session,
            ],
            "",
        ),
        (vec!["participant", "find"], "090-1111-2233\n"),
        (vec!["participant", "show", &s.participant], ""),
    ] {
        let out = run_as(&s.env, Account::Operator, &a, input);
        seen.push_str(&text(&out.stdout));
        seen.push_str(&text(&out.stderr));
    }
    for v in ["秋子", "あきこ", "1111-22", "昭和24", "1949", "西新宿"] {
        assert!(!seen.contains(v), "{v} in {seen}");
    }
    // The audit log as an operator sees it: who and what, not whose record.
    assert!(!seen.contains(&s.participant), "{seen}");
    assert!(seen.contains("check_in"), "{seen}");
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| (*s).to_owned()).collect()
}
