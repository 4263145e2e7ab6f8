//! The commands behind `tsudoi <command>`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tsudoi::jp_date;

use chrono::NaiveDate;
use tsudoi::cli_error::CliError;
use tsudoi::clock::{Clock, SystemClock};
use tsudoi::config::Config;
use tsudoi::eligibility::{self, PhoneNumber, PostalCode};
use tsudoi::store::participants::{
    Basis, Correction, DocumentKind, IdCheck, NewParticipant, PURPOSE_STATEMENT, short_id,
};
use tsudoi::store::sessions::{NewSession, Program, SessionMode, parse_time};
use tsudoi::store::{Actor, Role, StaffSession, Store};
use tsudoi::{Error, Result, demo};

use super::personal::{self, Field};
use super::{
    AuditCmd, CheckArgs, Cli, Command, DemoArgs, InitArgs, KioskArgs, ParticipantCmd, PolicyCmd,
    ReportAction, ReportArgs, SessionCmd, StaffCmd, secrets,
};

/// The exit code of a failed command, by the error's kind
/// ([`tsudoi::error::ErrorKind::exit_code`]).
pub fn exit_code(e: &Error) -> u8 {
    e.kind().exit_code()
}

pub(super) struct Context {
    pub(super) config: Config,
    store_path: PathBuf,
    staff: Option<String>,
    pub(super) clock: Arc<dyn Clock>,
}

impl Context {
    fn new(cli: &Cli) -> Result<Self> {
        let config = match &cli.config {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        let store_path = cli
            .store
            .clone()
            .or_else(|| config.store.clone())
            .unwrap_or_else(default_store);
        Ok(Self {
            config,
            store_path,
            staff: cli.staff.clone(),
            clock: Arc::new(SystemClock),
        })
    }

    pub(super) fn open(&self) -> Result<Store> {
        Store::open(
            &self.store_path,
            self.config.policy()?,
            self.config.postal_table()?,
            self.clock.clone(),
        )
    }

    /// The real store's path (training mode refuses to use it for practice).
    pub(super) fn store_path(&self) -> &Path {
        &self.store_path
    }

    pub(super) fn staff_id(&self) -> Result<&str> {
        self.staff
            .as_deref()
            .ok_or_else(|| CliError::StaffIdMissing.into())
    }

    /// Opens the store and signs in; refuses if the first password is unchanged.
    pub(super) fn sign_in(&self) -> Result<(Store, StaffSession)> {
        let mut store = self.open()?;
        let id = self.staff_id()?;
        let password = secrets::password(&format!("{id} のパスワード: "))?;
        let session = store.sign_in(id, &password)?;
        if let Some(recovery) = store.take_new_recovery_key() {
            // This sign-in upgraded the store to format 2: the old recovery
            // key opens nothing now. Shown once, on the terminal only.
            eprintln!(
                "保存ファイルを新しい鍵の形式に更新しました。以前の回復キーは使えなくなりました。"
            );
            eprintln!(
                "新しい回復キー（この一度しか表示されません。書き写して封筒に入れ、区が保管してください）:"
            );
            eprintln!("  {}", recovery.to_display().as_str());
            eprintln!(
                "ほかのスタッフのアカウントは、この回復キーで再発行してください（tsudoi staff recover ID）。"
            );
        }
        Ok((store, session))
    }
}

fn default_store() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("tsudoi")
        .join("tsudoi.db")
}

pub(super) fn parse_iso_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        CliError::DateForm {
            input: s.trim().to_owned(),
        }
        .into()
    })
}

fn input<T, E: Into<eligibility::InputError>>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| Error::Input(e.into()))
}

fn document(s: &str) -> Result<DocumentKind> {
    DocumentKind::parse(s).ok_or_else(|| {
        let names: Vec<&str> = DocumentKind::ALL.iter().map(|d| d.label()).collect();
        CliError::DocumentKind {
            choices: names.join("、"),
        }
        .into()
    })
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Context::new(&cli)?;
    match cli.command {
        Command::Init(a) => init(&ctx, a),
        Command::Check(a) => check(&ctx, a),
        Command::Participant(c) => participant(&ctx, c),
        Command::Session(c) => session(&ctx, c),
        Command::Checkin(a) => {
            let (mut store, staff) = ctx.sign_in()?;
            let outcome = if a.confirm_without_seat {
                store.check_in_by_staff_without_seat(&staff, &a.participant, &a.session)?
            } else {
                store.check_in_by_staff(&staff, &a.participant, &a.session)?
            };
            println!("{}", outcome.message());
            if matches!(
                outcome,
                tsudoi::store::attendance::CheckInOutcome::NoSeat { .. }
            ) {
                eprintln!(
                    "当選者の付き添いなどで受付するときは --confirm-without-seat を付けてください（記録に残ります）。"
                );
            }
            Ok(match outcome {
                tsudoi::store::attendance::CheckInOutcome::CheckedIn { .. }
                | tsudoi::store::attendance::CheckInOutcome::AlreadyCheckedIn { .. } => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(1),
            })
        }
        Command::Group(c) => super::group::group(&ctx, c),
        Command::Mimamori(a) => super::group::mimamori(&ctx, a),
        Command::Staff(c) => staff(&ctx, c),
        Command::Audit(c) => audit(&ctx, c),
        Command::Keys(super::KeysCmd::Rotate) => {
            let (mut store, staff) = ctx.sign_in()?;
            let r = store.rotate_keys(&staff)?;
            println!(
                "鍵を新しくしました（参加者 {} 人、カード {} 枚、申込 {} 件を暗号化し直しました）。",
                r.participants, r.cards, r.applications
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Report(a) => report(&ctx, a),
        Command::Demo(a) => demo_cmd(&ctx, a),
        Command::Training(a) => super::training::training(&ctx, &a),
        Command::Clock(c) => super::clock::clock(&ctx, c),
        Command::Voice(c) => super::voice::voice(&ctx, c),
        Command::Incident(c) => super::incident::incident(&ctx, c),
        Command::Erase(a) => super::erase::erase(&ctx, a),
        Command::Doctor => doctor(&ctx),
        Command::Draw(a) => super::lottery::draw(a),
        Command::Lottery(c) => super::lottery::lottery(&ctx, c),
        Command::Run(a) => run_kiosk(&ctx, &a),
        #[cfg(feature = "dev")]
        Command::Screenshot(a) => screenshot(&a),
        #[cfg(feature = "dev")]
        Command::KioskProbe { taps } => {
            let password = secrets::password("パスワード: ")?;
            tsudoi::dev::bench::kiosk::probe(
                &ctx.store_path,
                taps,
                ctx.config.policy()?,
                &password,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "dev")]
        Command::LoadStaff {
            role,
            worker,
            speed,
            minutes,
            seed,
            start,
        } => {
            let password = secrets::password("パスワード: ")?;
            let o = tsudoi::dev::bench::load::StaffOptions {
                role,
                worker,
                speed,
                minutes,
                seed,
                start,
            };
            tsudoi::dev::bench::load::staff(&ctx.store_path, &o, ctx.config.policy()?, &password)?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "dev")]
        Command::Bench(a) => bench(&ctx, a),
    }
}

fn init(ctx: &Context, a: InitArgs) -> Result<ExitCode> {
    if ctx.store_path.exists() {
        return Err(Error::StoreExists(ctx.store_path.display().to_string()));
    }
    // Refuse an unusable key file before anything is created.
    let mut key_file = match &a.recovery_key_out {
        Some(p) => Some(create_secret_file(p)?),
        None => None,
    };
    tsudoi::store::staff::validate_staff_id(&a.manager)?;
    let password = match std::env::var("TSUDOI_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
    {
        Some(p) => zeroize::Zeroizing::new(p),
        None => secrets::new_password(&format!("{} の最初のパスワード", a.manager))?,
    };
    let result = Store::create(
        &ctx.store_path,
        &a.site,
        &a.manager,
        &password,
        ctx.config.policy()?,
        ctx.config.postal_table()?,
        ctx.clock.clone(),
    );
    let (store, _session, recovery) = match result {
        Ok(v) => v,
        Err(e) => {
            if let Some(p) = &a.recovery_key_out {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    let mut store = store;
    let public_key = store.ensure_device_key()?;
    let key_text = recovery.to_display();
    println!("保存ファイルを作成しました: {}", store.path().display());
    println!("施設: {}", a.site.trim());
    println!(
        "取扱責任者: {}（最初のサインインでパスワードの変更が必要です）",
        a.manager
    );
    println!("端末の公開鍵（報告の署名の確認用。設置時の記録票に写して区に渡してください）:");
    println!("  {public_key}");
    println!(
        "監査ログの検証鍵（vkey。チェックポイントの確認用。設置時の記録票に写して区に渡してください）:"
    );
    println!("  {}", store.audit_vkey()?);
    match (&mut key_file, &a.recovery_key_out) {
        (Some(f), Some(p)) => {
            writeln!(
                f,
                "tsudoi 回復キー（{}）\n{}",
                a.site.trim(),
                key_text.as_str()
            )?;
            f.sync_all()?;
            println!(
                "回復キーを {} に書きました。印刷して封筒に入れ、区が保管してください。",
                p.display()
            );
        }
        _ => {
            println!();
            println!(
                "回復キー（この一度しか表示されません。書き写して封筒に入れ、区が保管してください）:"
            );
            println!("  {}", key_text.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn create_secret_file(path: &Path) -> Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
        .map_err(|e| CliError::create_file("回復キー", path, &e).into())
}

fn check(ctx: &Context, a: CheckArgs) -> Result<ExitCode> {
    let on = match &a.on {
        Some(d) => parse_iso_date(d)?,
        None => ctx.clock.today(),
    };
    let table = ctx.config.postal_table()?;
    let rules = ctx.config.policy()?.rules;
    let (birth, postal) = match (a.birth.clone(), a.postal.clone(), a.input) {
        (Some(b), Some(p), None) => (b, p),
        (None, None, _) => {
            let answers = personal::read(
                a.input.is_some(),
                &[
                    Field {
                        key: "birth",
                        label: "生年月日",
                        required: true,
                    },
                    Field {
                        key: "postal",
                        label: "郵便番号",
                        required: true,
                    },
                ],
                &[],
            )?;
            (
                answers.get("birth").unwrap_or_default(),
                answers.get("postal").unwrap_or_default(),
            )
        }
        _ => {
            return Err(CliError::BirthPostalPair.into());
        }
    };
    let decision = match eligibility::check(&birth, &postal, on, &table, &rules) {
        Ok(d) => d,
        Err(e) => {
            if a.json {
                let out = serde_json::json!({ "error": e.to_string() });
                println!("{out}");
            }
            return Err(Error::Input(e));
        }
    };
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&decision).map_err(|e| CliError::json(&e))?
        );
    } else {
        println!("判定日: {}", jp_date::ymd(decision.judged_on));
        println!(
            "生年月日: {}（{}）",
            eligibility::to_wareki(decision.birth_date),
            decision.birth_date
        );
        match decision.age {
            Some(age) => println!("年齢: {age}歳"),
            None => println!("年齢: -"),
        }
        println!("60歳になる日: {}", jp_date::ymd(decision.reaches_60_on));
        println!(
            "住所: {}{}",
            if decision.in_ward { "区内" } else { "区外" },
            decision
                .town
                .as_deref()
                .map(|t| format!("（{t}）"))
                .unwrap_or_default()
        );
        println!(
            "判定: {}",
            if decision.eligible {
                "参加できます"
            } else {
                "対象外です"
            }
        );
        for r in &decision.reasons {
            println!("  {r}");
        }
    }
    Ok(if decision.eligible {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn participant(ctx: &Context, cmd: ParticipantCmd) -> Result<ExitCode> {
    // Validate what can be validated before asking for a password.
    match cmd {
        ParticipantCmd::Add(a) => {
            a.refused.refuse_if_given()?;
            let answers = personal::read(
                a.json.is_some(),
                &[
                    Field {
                        key: "name",
                        label: "氏名",
                        required: true,
                    },
                    Field {
                        key: "kana",
                        label: "ふりがな",
                        required: true,
                    },
                    Field {
                        key: "phone",
                        label: "電話番号",
                        required: true,
                    },
                    Field {
                        key: "birth",
                        label: "生年月日（身分証のとおり。例: 昭和25年5月5日）",
                        required: false,
                    },
                    Field {
                        key: "postal",
                        label: "郵便番号",
                        required: false,
                    },
                    Field {
                        key: "address",
                        label: "住所（抽選のある教室に申し込む場合だけ）",
                        required: false,
                    },
                    Field {
                        key: "document",
                        label: "確認した身分証（空なら 健康保険証）",
                        required: false,
                    },
                ],
                &["ward_provided"],
            )?;
            let phone = input(PhoneNumber::parse(
                &answers.get("phone").unwrap_or_default(),
            ))?;
            let ward_provided = a.ward_provided || answers.flag("ward_provided");
            let basis = if ward_provided {
                Basis::WardProvided
            } else {
                Basis::SelfPresented
            };
            let document_text = answers
                .get("document")
                .unwrap_or_else(|| "健康保険証".to_owned());
            let id_check = match (answers.get("birth"), answers.get("postal")) {
                (Some(b), Some(p)) => Some(IdCheck {
                    birth_date: input(eligibility::parse_date(&b))?,
                    postal: input(PostalCode::parse(&p))?,
                    document: document(&document_text)?,
                }),
                (None, None) if ward_provided => None,
                _ => {
                    return Err(CliError::IdCheckIncomplete.into());
                }
            };
            let (mut store, staff) = ctx.sign_in()?;
            let id = store.register(
                &staff,
                NewParticipant {
                    name: answers.get("name").unwrap_or_default(),
                    kana: answers.get("kana").unwrap_or_default(),
                    phone,
                    basis,
                    id_check,
                    address: answers.get("address"),
                },
            )?;
            println!("登録しました。登録番号: {}（{}）", short_id(&id), id);
            println!("ご本人に読み上げた利用目的: {PURPOSE_STATEMENT}");
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::Find(f) => {
            f.refused.refuse_if_given()?;
            let (key, value) =
                personal::read_one(f.json.is_some(), &["phone", "kana"], "電話番号かふりがな")?;
            // A plain line is a phone number when it holds digits.
            let by_phone = match key.as_deref() {
                Some(k) => k == "phone",
                None => eligibility::to_halfwidth(&value)
                    .chars()
                    .any(|c| c.is_ascii_digit()),
            };
            let phone = if by_phone {
                Some(input(PhoneNumber::parse(&value))?)
            } else {
                None
            };
            let (mut store, staff) = ctx.sign_in()?;
            let found = match &phone {
                Some(p) => store.find_by_phone(&staff, p)?,
                None => store.find_by_kana(&staff, &value)?,
            };
            if found.is_empty() {
                println!("見つかりませんでした。");
                return Ok(ExitCode::from(1));
            }
            for p in &found {
                let birth = p
                    .birth_date
                    .map(eligibility::to_wareki)
                    .unwrap_or_else(|| "-".into());
                println!(
                    "{}  {}（{}）  {}",
                    short_id(&p.id),
                    p.name.as_str(),
                    p.kana.as_str(),
                    birth
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::Show { id } => {
            let (mut store, staff) = ctx.sign_in()?;
            let p = store.participant(&staff, &id)?;
            let today = ctx.clock.today();
            let rules = store.policy().rules.clone();
            println!("登録番号: {}", p.id);
            println!("氏名: {}（{}）", p.name.as_str(), p.kana.as_str());
            println!(
                "電話: {}",
                PhoneNumber::parse(&p.phone)
                    .map(|n| n.display())
                    .unwrap_or_else(|_| p.phone.to_string())
            );
            if let Some(b) = p.birth_date {
                let age = eligibility::age_on(b, today)
                    .map(|a| format!("{a}歳"))
                    .unwrap_or_default();
                println!("生年月日: {}（{}） {age}", eligibility::to_wareki(b), b);
            }
            if let Some(code) = &p.postal_code {
                println!(
                    "郵便番号: {}  町名: {}",
                    code.as_str(),
                    p.town.as_ref().map(|t| t.as_str()).unwrap_or("（区内）")
                );
            }
            if let Some(a) = &p.address {
                println!("住所: {}", a.as_str());
            }
            println!("収集の根拠: {}", p.basis.label());
            if let (Some(on), Some(doc)) = (p.verified_on, p.document) {
                let due = eligibility::reverification_due_on(on, &rules);
                println!(
                    "本人確認: {on}（{}、{}） 次の確認: {due}{}",
                    doc.label(),
                    p.verified_by.as_deref().unwrap_or("-"),
                    if due <= today {
                        "（確認が必要です）"
                    } else {
                        ""
                    }
                );
            }
            println!(
                "利用目的の説明と同意: {}（{}）",
                p.consent_on, p.consent_purpose
            );
            println!("ICカード: {}枚", p.cards);
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::Update(u) => {
            u.refused.refuse_if_given()?;
            let answers = personal::read(
                u.json.is_some(),
                &[
                    Field {
                        key: "name",
                        label: "新しい氏名",
                        required: false,
                    },
                    Field {
                        key: "kana",
                        label: "新しいふりがな",
                        required: false,
                    },
                    Field {
                        key: "phone",
                        label: "新しい電話番号",
                        required: false,
                    },
                    Field {
                        key: "address",
                        label: "新しい住所",
                        required: false,
                    },
                ],
                &[],
            )?;
            let mut changes = Vec::new();
            if let Some(n) = answers.get("name") {
                changes.push(Correction::Name(n));
            }
            if let Some(k) = answers.get("kana") {
                changes.push(Correction::Kana(k));
            }
            if let Some(p) = answers.get("phone") {
                changes.push(Correction::Phone(input(PhoneNumber::parse(&p))?));
            }
            match (answers.get("address"), u.clear_address) {
                (Some(_), true) => {
                    return Err(CliError::AddressAndClear.into());
                }
                (Some(a), false) => changes.push(Correction::Address(Some(a))),
                (None, true) => changes.push(Correction::Address(None)),
                (None, false) => {}
            }
            if changes.is_empty() {
                return Err(CliError::NothingToCorrect.into());
            }
            let (mut store, staff) = ctx.sign_in()?;
            for c in changes {
                store.correct(&staff, &u.id, c)?;
            }
            println!("訂正しました。");
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::Reverify(r) => {
            r.refused.refuse_if_given()?;
            let answers = personal::read(
                r.json.is_some(),
                &[
                    Field {
                        key: "birth",
                        label: "生年月日（身分証のとおり）",
                        required: true,
                    },
                    Field {
                        key: "postal",
                        label: "郵便番号",
                        required: true,
                    },
                    Field {
                        key: "document",
                        label: "確認した身分証（空なら 健康保険証）",
                        required: false,
                    },
                ],
                &[],
            )?;
            let check = IdCheck {
                birth_date: input(eligibility::parse_date(
                    &answers.get("birth").unwrap_or_default(),
                ))?,
                postal: input(PostalCode::parse(
                    &answers.get("postal").unwrap_or_default(),
                ))?,
                document: document(
                    &answers
                        .get("document")
                        .unwrap_or_else(|| "健康保険証".to_owned()),
                )?,
            };
            let (mut store, staff) = ctx.sign_in()?;
            let d = store.reverify(&staff, &r.id, check)?;
            if d.eligible {
                println!("本人確認を記録しました。参加できます。");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("本人確認を記録しました。対象外です。");
                for r in &d.reasons {
                    println!("  {r}");
                }
                Ok(ExitCode::from(1))
            }
        }
        ParticipantCmd::Disclose { id, out } => {
            let (mut store, staff) = ctx.sign_in()?;
            let d = store.export_disclosure(&staff, &id, &out)?;
            println!(
                "開示のPDFを {} に書き出しました（受付 {}回、申し込み {}件、扱った記録 {}件）。",
                out.join(&d.file).display(),
                d.counts.0,
                d.counts.1,
                d.counts.2
            );
            println!("印刷してご本人に渡し、ファイルは渡したあと削除してください。");
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::Due { years } => {
            let years = years.unwrap_or(ctx.config.retention.fiscal_years);
            let (store, staff) = ctx.sign_in()?;
            let due = store.records_due(&staff, years)?;
            if due.is_empty() {
                println!("保存期間（来所のない年度が{years}年度）を過ぎた記録はありません。");
            } else {
                println!(
                    "保存期間（来所のない年度が{years}年度）を過ぎた記録: {}件",
                    due.len()
                );
                for d in &due {
                    println!(
                        "  {}  最後の来所（または登録）: {}",
                        tsudoi::store::participants::short_id(&d.id),
                        d.last_activity
                    );
                }
                println!(
                    "確かめたうえで tsudoi participant delete-due --years {years} --yes で削除します。"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::DeleteDue { years, yes } => {
            if !yes {
                return Err(CliError::DeleteDueUnconfirmed.into());
            }
            let years = years.unwrap_or(ctx.config.retention.fiscal_years);
            let (mut store, staff) = ctx.sign_in()?;
            let due = store.records_due(&staff, years)?;
            let n = store.delete_due(&staff, years, &due)?;
            println!("保存期間を過ぎた記録を{n}件削除しました。");
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::Delete { id, yes } => {
            if !yes {
                return Err(CliError::DeleteUnconfirmed.into());
            }
            let (mut store, staff) = ctx.sign_in()?;
            store.delete_participant(&staff, &id)?;
            println!("削除しました。");
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::LinkCard(l) => {
            let card = card_arg(&l.tech, &l.uid)?;
            let (mut store, staff) = ctx.sign_in()?;
            store.link_card(&staff, &l.id, &card)?;
            println!("カードを結び付けました。");
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::Cards { id } => {
            let (mut store, staff) = ctx.sign_in()?;
            let cards = store.cards_of(&staff, &id)?;
            if cards.is_empty() {
                println!("カードは登録されていません。");
            }
            for c in cards {
                println!("{}  {}", &c.id[..8.min(c.id.len())], c.label());
            }
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::UnlinkCard { id, card } => {
            let (mut store, staff) = ctx.sign_in()?;
            store.unlink_card(&staff, &id, &card)?;
            println!("カードの登録を解除しました。このカードでは受付できません。");
            Ok(ExitCode::SUCCESS)
        }
        ParticipantCmd::ReplaceCard(r) => {
            let card = card_arg(&r.tech, &r.uid)?;
            let (mut store, staff) = ctx.sign_in()?;
            store.replace_card(&staff, &r.id, &r.card, &card)?;
            println!("新しいカードに替えました。前のカードでは受付できません。");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A card from `--tech` and `--uid` as staff type them.
fn card_arg(tech: &str, uid: &str) -> Result<tsudoi_hw::CardId> {
    let tech = tsudoi_hw::Technology::parse(tech).ok_or(CliError::CardTech)?;
    tsudoi_hw::CardId::from_hex(tech, uid).map_err(|e| {
        CliError::CardUid {
            detail: e.to_string(),
        }
        .into()
    })
}

fn session(ctx: &Context, cmd: SessionCmd) -> Result<ExitCode> {
    match cmd {
        SessionCmd::Add(a) => {
            let program = Program::parse(&a.program).ok_or(CliError::SessionProgram)?;
            let mode = SessionMode::parse(&a.mode).ok_or(CliError::SessionMode)?;
            let new = NewSession {
                program,
                date: parse_iso_date(&a.date)?,
                start: parse_time(&a.start)?,
                end: parse_time(&a.end)?,
                title: a.title,
                capacity: a.capacity,
                mode,
            };
            let (mut store, staff) = ctx.sign_in()?;
            let id = store.add_session(&staff, new)?;
            println!("活動を追加しました。活動番号: {}（{}）", &id[..8], id);
            Ok(ExitCode::SUCCESS)
        }
        SessionCmd::List { date } => {
            let date = match date {
                Some(d) => parse_iso_date(&d)?,
                None => ctx.clock.today(),
            };
            let store = ctx.open()?;
            let sessions = store.sessions_on(date)?;
            if sessions.is_empty() {
                println!("{} の活動はありません。", jp_date::ymd(date));
            }
            for s in sessions {
                let cap = s.capacity.map(|c| format!("/{c}")).unwrap_or_default();
                println!(
                    "{}  {}〜{}  {}  {}（{}）  {}{}人",
                    &s.id[..8],
                    s.start.format("%H:%M"),
                    s.end.format("%H:%M"),
                    s.program.label(),
                    s.title,
                    s.mode.label(),
                    s.attendance,
                    cap
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn staff(ctx: &Context, cmd: StaffCmd) -> Result<ExitCode> {
    match cmd {
        StaffCmd::Add { id, role } => {
            let role = Role::parse(&role).ok_or(CliError::Role)?;
            tsudoi::store::staff::validate_staff_id(&id)?;
            let (mut store, manager) = ctx.sign_in()?;
            let initial = secrets::new_password(&format!("{id} の最初のパスワード"))?;
            store.add_staff(&manager, &id, role, &initial)?;
            println!(
                "{}（{}）を追加しました。最初のサインインでパスワードの変更が必要です。",
                id,
                role.label()
            );
            Ok(ExitCode::SUCCESS)
        }
        StaffCmd::Passwd => {
            let mut store = ctx.open()?;
            let id = ctx.staff_id()?;
            let current = secrets::password(&format!("{id} の今のパスワード: "))?;
            let mut session = store.sign_in(id, &current)?;
            let new = secrets::new_password("新しいパスワード")?;
            store.change_password(&mut session, &new)?;
            println!("パスワードを変更しました。");
            Ok(ExitCode::SUCCESS)
        }
        StaffCmd::List => {
            let (store, manager) = ctx.sign_in()?;
            for a in store.staff_accounts(&manager)? {
                println!(
                    "{}  {}  {}{}{}",
                    a.id,
                    a.role.label(),
                    if a.active { "有効" } else { "無効" },
                    if a.must_change_password {
                        "  初回パスワード未変更"
                    } else {
                        ""
                    },
                    a.locked_until
                        .map(|u| format!("  ロック中（{u}まで）"))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        StaffCmd::Deactivate { id } => {
            let (mut store, manager) = ctx.sign_in()?;
            store.deactivate_staff(&manager, &id)?;
            println!("{id} を無効にしました。このアカウントの鍵は削除されました。");
            Ok(ExitCode::SUCCESS)
        }
        StaffCmd::Recover { id } => {
            let mut store = ctx.open()?;
            let key = tsudoi::crypto::RecoveryKey::parse(&secrets::recovery_key()?)?;
            let new = secrets::new_password(&format!("{id} の新しいパスワード"))?;
            store.reset_password_with_recovery(&key, &id, &new)?;
            println!(
                "{id} のパスワードを設定し直しました。次のサインインでもう一度変更してください。"
            );
            Ok(ExitCode::SUCCESS)
        }
        StaffCmd::Policy(PolicyCmd::Show) => {
            let (store, _) = ctx.sign_in()?;
            print_policy(&store.security_policy());
            Ok(ExitCode::SUCCESS)
        }
        StaffCmd::Policy(PolicyCmd::Set(a)) => {
            let (mut store, manager) = ctx.sign_in()?;
            let mut p = store.security_policy();
            if let Some(v) = a.lockout_attempts {
                p.lockout_attempts = v;
            }
            if let Some(v) = a.lockout_minutes {
                p.lockout_minutes = v;
            }
            if let Some(v) = a.kdf_memory_kib {
                p.kdf.m_cost_kib = v;
            }
            if let Some(v) = a.kdf_iterations {
                p.kdf.t_cost = v;
            }
            if let Some(v) = a.kdf_parallelism {
                p.kdf.p_cost = v;
            }
            if let Some(v) = a.reverify_after_months {
                p.reverify_after_months = v;
            }
            if p.kdf.validate().is_err() {
                return Err(CliError::KdfRange.into());
            }
            let changed = store.set_security_policy(&manager, p)?;
            if changed.is_empty() {
                println!("設定は変わりませんでした。");
            } else {
                println!("セキュリティ設定を変えました（{}）。", changed.join(", "));
            }
            print_policy(&store.security_policy());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_policy(p: &tsudoi::store::security_policy::SecurityPolicy) {
    println!("ロックまでの失敗回数: {}回", p.lockout_attempts);
    println!("ロックの時間: {}分", p.lockout_minutes);
    println!(
        "パスワードの鍵導出（Argon2id）: メモリ {} KiB・{}回・並列度 {}",
        p.kdf.m_cost_kib, p.kdf.t_cost, p.kdf.p_cost
    );
    println!("本人確認をやり直すまで: {}か月", p.reverify_after_months);
}

fn audit(ctx: &Context, cmd: AuditCmd) -> Result<ExitCode> {
    match cmd {
        AuditCmd::Vkey => {
            // Public: printed for the set-up sheet, no sign-in.
            let store = ctx.open()?;
            println!("{}", store.audit_vkey()?);
            Ok(ExitCode::SUCCESS)
        }
        AuditCmd::Checkpoint { out } => {
            let (mut store, staff) = ctx.sign_in()?;
            staff.require_reporting()?;
            if let Some(p) = &out {
                refuse_existing(p)?;
            }
            let cp = store.audit_checkpoint(&Actor::Staff(staff), "cli")?;
            match out {
                Some(p) => {
                    write_new_file(&p, cp.text.as_bytes())?;
                    eprintln!(
                        "チェックポイントを {} に書きました（{}）。",
                        p.display(),
                        cp.fingerprint()
                    );
                }
                None => print!("{}", cp.text),
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCmd::Prove { from, out } => {
            let old = read_small(&from, "チェックポイント")?;
            let (checkpoint_path, proof_path) = (out.join("checkpoint"), out.join("proof.json"));
            refuse_existing(&checkpoint_path)?;
            refuse_existing(&proof_path)?;
            let (mut store, staff) = ctx.sign_in()?;
            staff.require_reporting()?;
            let (cp, proof) = store.audit_prove(&Actor::Staff(staff), &old)?;
            std::fs::create_dir_all(&out)?;
            write_new_file(&checkpoint_path, cp.text.as_bytes())?;
            write_new_file(&proof_path, proof.to_json().as_bytes())?;
            println!(
                "区の控え（{}件）から今の監査ログ（{}）までの証明を {} に書きました（checkpoint, proof.json）。",
                proof.old_size,
                cp.fingerprint(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        AuditCmd::Verify { checkpoints } => {
            let ward = read_checkpoints(&checkpoints)?;
            let (mut store, staff) = ctx.sign_in()?;
            staff.require(false)?;
            let report = store.verify_audit_log(&Actor::Staff(staff), &ward)?;
            println!("{report}");
            Ok(if report.is_intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        AuditCmd::Show { last } => {
            let (store, staff) = ctx.sign_in()?;
            staff.require(false)?;
            // An operator sees what was done and by whom, not which record:
            // a resident's record id would let visits be followed.
            let hide_records = !staff.role().handles_personal_data();
            for e in store.audit_entries(last.clamp(1, 10_000))? {
                let record = if hide_records && !e.record_id.is_empty() {
                    "（非表示）"
                } else {
                    e.record_id.as_str()
                };
                println!(
                    "{:>6}  {}  {:<14} {:<16} {}  [{}]  {}",
                    e.seq, e.at, e.actor, e.action, record, e.fields, e.result
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads a small file the ward hands over (a checkpoint): at most 64 KiB.
/// The ward's checkpoint files, read before anything is unlocked.
fn read_checkpoints(paths: &[PathBuf]) -> Result<Vec<tsudoi::store::transparency::WardCheckpoint>> {
    paths
        .iter()
        .map(|p| {
            Ok(tsudoi::store::transparency::WardCheckpoint {
                label: p.display().to_string(),
                bytes: read_small(p, "チェックポイント")?,
            })
        })
        .collect()
}

fn read_small(path: &Path, what: &'static str) -> Result<Vec<u8>> {
    const MOST_KIB: usize = 64;
    let bytes = std::fs::read(path).map_err(|e| CliError::read_file(what, path, &e))?;
    if bytes.len() > MOST_KIB * 1024 {
        return Err(CliError::FileTooLarge {
            what,
            path: path.display().to_string(),
            most_kib: MOST_KIB,
        }
        .into());
    }
    Ok(bytes)
}

fn refuse_existing(path: &Path) -> Result<()> {
    if path.exists() {
        return Err(CliError::PathExists {
            path: path.display().to_string(),
        }
        .into());
    }
    Ok(())
}

fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| Error::File {
            what: format!("{} に書けません", path.display()),
            source,
        })?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

fn demo_cmd(ctx: &Context, a: DemoArgs) -> Result<ExitCode> {
    let path = match (&ctx.store_path, std::env::var_os("TSUDOI_STORE")) {
        (p, _) if p != &default_store() => p.clone(),
        _ => default_store().with_file_name("demo.db"),
    };
    let password = std::env::var("TSUDOI_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| demo::DEMO_PASSWORD.to_owned());
    let today = ctx.clock.today();
    let at = parse_time(&a.at)?;
    // A wrong [hardware] section is reported before the demo store is made.
    let reader = if a.use_reader {
        let hw = &ctx.config.hardware;
        let hw_error = |e: tsudoi_hw::ConfigError| CliError::Hardware {
            detail: e.to_string(),
        };
        let settings = hw.settings().map_err(hw_error)?;
        let (reader, control) = hw.open_reader().map_err(hw_error)?;
        Some((reader, control, settings))
    } else {
        None
    };
    // The demo clock stands still at `--at` today, so the day's activities are open.
    let clock: Arc<dyn Clock> = Arc::new(tsudoi::clock::FixedClock::new(tsudoi::clock::jst(
        today,
        chrono::Timelike::hour(&at),
        chrono::Timelike::minute(&at),
    )));
    let spec = demo::DemoSpec::year_ending(today, a.seed);
    let started = std::time::Instant::now();
    let (mut store, staff, summary) =
        demo::open_or_create(&path, &password, &spec, ctx.config.policy()?, clock.clone())?;
    if store.clock_behind().is_some() {
        // An earlier `--at` than last time: the demo's clock is set by hand,
        // so the demo manager confirms it, as staff would (audited).
        store.confirm_clock(&staff, clock.now().naive_local())?;
        println!("デモの時計（--at）が前回より前のため、取扱責任者として時計を確かめました。");
    }
    match summary {
        Some(s) => println!(
            "デモ用の保存ファイルを作りました（{:.1}秒）: {}\n  架空の参加者 {}人、活動 {}回、受付 {}件（{}〜{}）",
            started.elapsed().as_secs_f64(),
            path.display(),
            s.participants,
            s.sessions,
            s.visits,
            s.first_day,
            s.last_day
        ),
        None => println!(
            "デモ用の保存ファイルを開きました: {}\n  架空の参加者 {}人、活動 {}回、受付 {}件",
            path.display(),
            store.participant_count()?,
            store.session_count()?,
            store.attendance_count()?
        ),
    }
    println!(
        "  取扱責任者: {}（パスワードは README を参照）",
        demo::DEMO_MANAGER
    );
    println!("今日の活動:");
    for s in store.sessions_on(ctx.clock.today())? {
        println!(
            "  {}〜{}  {}（{}）  {}人",
            s.start.format("%H:%M"),
            s.end.format("%H:%M"),
            s.title,
            s.program.label(),
            s.attendance
        );
    }
    if a.no_ui {
        return Ok(ExitCode::SUCCESS);
    }
    // The demo manager's sign-in above unlocked the store; the kiosk keeps the
    // key for check-ins, and staff sign in again on screen.
    store.sign_out(&staff)?;
    println!(
        "キオスクを開きます。カードの代わりに画面下のボタンか数字キーを使います: 1 登録済み、2 未登録、3 本人確認の時期、4 スマホ・時計"
    );
    let ui = tsudoi::kiosk::KioskUi::new(tsudoi::kiosk::KioskController::new(
        store,
        kiosk_config(ctx, &a.kiosk)?,
    ))
    .map_err(ui_error)?;
    ui.set_demo_mode(true);
    // The configured reader (a demonstration at the site, or the VM test's
    // emulated PN532): the panel's cards go straight to the kiosk unless it
    // is the simulated one. Otherwise the demo's cards go through the
    // simulated reader's thread, as real taps would; a short cooldown lets a
    // visitor try the same card twice.
    let (reader, control, settings) = reader.unwrap_or_else(|| {
        let (reader, control) = tsudoi_hw::SimulatedReader::new();
        let settings = tsudoi_hw::ReaderSettings {
            cooldown: std::time::Duration::from_secs(2),
            ..tsudoi_hw::ReaderSettings::default()
        };
        (Box::new(reader), Some(control), settings)
    });
    ui.attach_reader(
        tsudoi_hw::spawn_reader(reader, settings),
        control,
        tsudoi_hw::open_feedback(&ctx.config.hardware.gpio),
    );
    ui.with_controller(|c| c.set_speaker(tsudoi::kiosk::voice::open(&ctx.config.voice)));
    let _systemd = tsudoi::kiosk::service::notify_systemd();
    slint::ComponentHandle::run(ui.window()).map_err(ui_error)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn ui_error(e: slint::PlatformError) -> Error {
    Error::NoDisplay {
        detail: e.to_string(),
    }
}

pub(super) fn kiosk_config(ctx: &Context, a: &KioskArgs) -> Result<tsudoi::kiosk::KioskConfig> {
    Ok(tsudoi::kiosk::KioskConfig {
        resident_idle: std::time::Duration::from_secs(a.idle_seconds),
        staff_idle: std::time::Duration::from_secs(a.staff_lock_minutes.saturating_mul(60)),
        // The monthly report's exports carry the counts sealed to the ward's key.
        usb: tsudoi::kiosk::controller::UsbExport {
            ward: ctx.config.ward_recipient()?,
            ..Default::default()
        },
        closing_time: Some(ctx.config.kiosk.closing_time()?),
        retention_years: ctx.config.retention.fiscal_years,
        contract: ctx.config.contract()?,
        mimamori: tsudoi::kiosk::flows::mimamori::WatchConfig {
            rule: ctx.config.mimamori.rule()?,
            center: ctx.config.mimamori.center.clone(),
        },
        ..Default::default()
    }
    .clamped())
}

/// `tsudoi run`: the kiosk on the configured store. It opens locked; the first
/// staff sign-in of the day unlocks the keys, which stay in memory for the
/// residents' check-ins until closing time (12 hours at most).
fn run_kiosk(ctx: &Context, a: &KioskArgs) -> Result<ExitCode> {
    // A wrong [hardware] section is reported before any window opens.
    let hw = &ctx.config.hardware;
    let hw_error = |e: tsudoi_hw::ConfigError| CliError::Hardware {
        detail: e.to_string(),
    };
    let settings = hw.settings().map_err(hw_error)?;
    let (reader, control) = hw.open_reader().map_err(hw_error)?;
    let config = kiosk_config(ctx, a)?;
    if !ctx.store_path.exists() {
        return setup_then_kiosk(ctx, config, reader, control, settings);
    }
    let store = ctx.open()?;
    if store.clock_behind().is_some() {
        // The journal's record of why taps are refused (no personal data).
        eprintln!(
            "端末の時計が保存ファイルに最後に記録された日時より前です。スタッフが確かめるまで受付を記録しません（tsudoi clock show / confirm）。"
        );
    }
    let ui = tsudoi::kiosk::KioskUi::new(tsudoi::kiosk::KioskController::new(store, config))
        .map_err(ui_error)?;
    // Until the reader thread reports Ready, the screen says no reader is connected.
    ui.on_reader_state(false);
    let handle = tsudoi_hw::spawn_reader(reader, settings);
    ui.attach_reader(handle, control, tsudoi_hw::open_feedback(&hw.gpio));
    ui.with_controller(|c| c.set_speaker(tsudoi::kiosk::voice::open(&ctx.config.voice)));
    let _systemd = tsudoi::kiosk::service::notify_systemd();
    slint::ComponentHandle::run(ui.window()).map_err(ui_error)?;
    Ok(ExitCode::SUCCESS)
}

/// `tsudoi run` without a store: 「はじめての設定」 on the touchscreen (the
/// steps of `tsudoi init`), then, in the same window and event loop, the
/// kiosk at the staff sign-in with the new manager's id typed in. The card
/// reader starts with the kiosk: a tap during the wizard has nothing to do.
fn setup_then_kiosk(
    ctx: &Context,
    config: tsudoi::kiosk::KioskConfig,
    reader: Box<dyn tsudoi_hw::CardReader>,
    control: Option<tsudoi_hw::SimulatedReaderControl>,
    settings: tsudoi_hw::ReaderSettings,
) -> Result<ExitCode> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use tsudoi::kiosk::controller::{SetupController, StoreCreator};
    use tsudoi::kiosk::flows::setup::adapter::SetupUi;
    use tsudoi::kiosk::{KioskController, KioskUi};

    // The journal's record of why the wizard shows (no personal data).
    eprintln!("保存ファイルがありません。画面で「はじめての設定」を開きます。");
    let (path, policy, postal) = (
        ctx.store_path.clone(),
        ctx.config.policy()?,
        ctx.config.postal_table()?,
    );
    let maker = StoreCreator {
        path: path.clone(),
        policy: policy.clone(),
        postal: postal.clone(),
        clock: ctx.clock.clone(),
    };
    let setup = SetupUi::new(SetupController::new(
        Arc::new(maker),
        ctx.config.site.as_deref(),
    ))
    .map_err(ui_error)?;
    let kiosk: Rc<RefCell<Option<KioskUi>>> = Rc::default();
    let failed: Rc<RefCell<Option<Error>>> = Rc::default();
    let (clock, gpio, voice) = (
        ctx.clock.clone(),
        ctx.config.hardware.gpio.clone(),
        ctx.config.voice.clone(),
    );
    {
        let (kiosk, failed) = (kiosk.clone(), failed.clone());
        setup.on_finished(move |window, manager| {
            let started = (|| -> Result<KioskUi> {
                let store = Store::open(&path, policy, postal, clock)?;
                let ui = KioskUi::with_window(window, KioskController::new(store, config))
                    .map_err(ui_error)?;
                ui.on_reader_state(false);
                let handle = tsudoi_hw::spawn_reader(reader, settings);
                ui.attach_reader(handle, control, tsudoi_hw::open_feedback(&gpio));
                ui.with_controller(|c| c.set_speaker(tsudoi::kiosk::voice::open(&voice)));
                ui.with_controller(|c| c.staff_start_as(&manager));
                Ok(ui)
            })();
            match started {
                Ok(ui) => *kiosk.borrow_mut() = Some(ui),
                Err(e) => {
                    *failed.borrow_mut() = Some(e);
                    let _ = slint::quit_event_loop();
                }
            }
        });
    }
    // READY=1 and the watchdog's pings while the wizard shows, and after.
    let _systemd = tsudoi::kiosk::service::notify_systemd();
    slint::ComponentHandle::run(setup.window()).map_err(ui_error)?;
    if let Some(e) = failed.take() {
        return Err(e);
    }
    Ok(ExitCode::SUCCESS)
}

/// `--size WxH` of `tsudoi screenshot`.
#[cfg(feature = "dev")]
fn parse_size(s: &str) -> Result<(u32, u32)> {
    let bad = || CliError::SizeForm {
        input: s.to_owned(),
    };
    let (w, h) = s.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if !(320..=4096).contains(&w) || !(240..=4096).contains(&h) {
        return Err(bad().into());
    }
    Ok((w, h))
}

/// `tsudoi screenshot`: every screen, with invented demo data, to PNG files.
#[cfg(feature = "dev")]
fn screenshot(a: &super::ScreenshotArgs) -> Result<ExitCode> {
    let (w, h) = parse_size(&a.size)?;
    std::fs::create_dir_all(&a.out)?;
    tsudoi::dev::init_headless().map_err(ui_error)?;
    let files = tsudoi::dev::screenshots::render_all(&a.out, w, h)?;
    for f in &files {
        println!("{}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn report(ctx: &Context, a: ReportArgs) -> Result<ExitCode> {
    use tsudoi::report::{Month, Wording, csv::Encoding, sign};
    if let Some(ReportAction::Verify { dir, public_key }) = a.action {
        let expected = public_key
            .as_deref()
            .map(sign::parse_public_key)
            .transpose()?;
        let v = sign::verify_dir(&dir, expected.as_ref())?;
        println!("署名とファイルを確認しました（{}件）。", v.files.len());
        println!("署名した端末の公開鍵: {}", v.public_key);
        if expected.is_none() {
            println!(
                "この公開鍵が設置時の記録票のものと同じか確かめてください（--public-key で自動照合できます）。"
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(ReportAction::Staff { out }) = &a.action {
        let (mut store, manager) = ctx.sign_in()?;
        let export = store.export_staff_roster(&manager, out)?;
        println!(
            "スタッフ名簿（届出）を {} に書き出しました。",
            out.display()
        );
        for f in &export.files {
            println!("  {f}");
        }
        println!("署名: 端末の公開鍵 {}", export.public_key);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(ReportAction::Training { out }) = &a.action {
        let (mut store, manager) = ctx.sign_in()?;
        let export = store.export_training_record(&manager, out)?;
        println!("研修の記録を {} に書き出しました。", out.display());
        for f in &export.files {
            println!("  {f}");
        }
        println!("署名: 端末の公開鍵 {}", export.public_key);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(ReportAction::Handling {
        from,
        to,
        out,
        checkpoints,
    }) = &a.action
    {
        let (from, to) = (parse_iso_date(from)?, parse_iso_date(to)?);
        let ward = read_checkpoints(checkpoints)?;
        let (mut store, staff) = ctx.sign_in()?;
        let export = store.export_handling_report(&staff, from, to, &ward, out)?;
        println!("取扱状況報告を {} に書き出しました。", out.display());
        for f in &export.files {
            println!("  {f}");
        }
        println!("署名: 端末の公開鍵 {}", export.public_key);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(ReportAction::Inspection) = a.action {
        let (mut store, staff) = ctx.sign_in()?;
        let summary = store.inspection_summary(&staff)?;
        for line in summary.lines() {
            println!("{line}");
        }
        return Ok(ExitCode::from(if summary.audit_intact { 0 } else { 1 }));
    }
    if let Some(ReportAction::Media) = a.action {
        let media = tsudoi::report::media::removable_media(Path::new("/"));
        if media.is_empty() {
            println!("USBメモリが見つかりません。差し込んでから、もう一度お試しください。");
            return Ok(ExitCode::from(1));
        }
        for m in media {
            println!("{}  {}  {}", m.mount_point.display(), m.name(), m.fs_type);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(ReportAction::WardKey { out }) = &a.action {
        let (identity, public) = tsudoi::report::merge::generate_ward_key();
        let mut f = create_secret_file(out)?;
        f.write_all(identity.as_bytes())?;
        f.sync_all()?;
        println!(
            "区の秘密鍵を {} に書きました。区の外に出さないでください。",
            out.display()
        );
        println!("各施設の設定ファイルの [report] ward_public_key に次の公開鍵を入れてください:");
        println!("  {public}");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(ReportAction::Merge {
        dirs,
        identity,
        out,
        public_keys,
        encoding,
        threshold,
    }) = &a.action
    {
        let identity = tsudoi::report::merge::WardIdentity::from_file(identity)?;
        let trusted = public_keys
            .iter()
            .map(|k| sign::parse_public_key(k))
            .collect::<Result<Vec<_>, _>>()?;
        let wording = Wording {
            threshold: *threshold,
            ..Wording::default()
        };
        let merged = tsudoi::report::merge::merge_dirs(
            dirs,
            &identity,
            &trusted,
            out,
            Encoding::parse(encoding)?,
            wording,
            ctx.clock.today(),
        )?;
        println!(
            "{}施設の{}の報告を合計し、{} に書きました:",
            merged.sites.len(),
            merged.month,
            merged.out.display()
        );
        for (site, key) in &merged.sites {
            println!("  {site}（公開鍵 {key}）");
        }
        for f in &merged.files {
            println!("  {f}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(ReportAction::Ledger { csv }) = a.action {
        let (store, staff) = ctx.sign_in()?;
        staff.require_reporting()?;
        let entries = store.media_ledger()?;
        if let Some(path) = csv {
            std::fs::write(&path, tsudoi::report::media::ledger_csv(&entries))?;
            println!("管理簿を {} に書きました。", path.display());
        }
        for e in &entries {
            println!(
                "{}  {}  {}  {}  {}件  {}",
                e.at,
                e.staff_id,
                e.medium,
                e.purpose,
                e.files.len(),
                if e.verified {
                    "読み戻し確認済"
                } else {
                    "読み戻し不一致"
                }
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let month = Month::parse(a.month.as_deref().ok_or(CliError::MonthMissing)?)?;
    let encoding = Encoding::parse(&a.encoding)?;
    if a.threshold == 0 || a.threshold > 100 {
        return Err(CliError::Threshold.into());
    }
    let wording = Wording {
        threshold: a.threshold,
        small: a.small_label.clone(),
        ..Wording::default()
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("tsudoi-report-{month}")));
    let medium = if a.usb {
        let media = tsudoi::report::media::removable_media(Path::new("/"));
        let chosen = match &a.medium {
            Some(mp) => media.into_iter().find(|m| &m.mount_point == mp),
            None if media.len() == 1 => media.into_iter().next(),
            None if media.is_empty() => None,
            None => {
                return Err(CliError::SeveralMedia.into());
            }
        };
        Some(chosen.ok_or(CliError::NoMedium)?)
    } else {
        None
    };
    let ward = ctx.config.ward_recipient()?;
    let (mut store, staff) = ctx.sign_in()?;
    let export = match &medium {
        Some(m) => store.export_report_to_medium(
            &staff,
            month,
            m,
            &a.purpose,
            encoding,
            wording,
            ward.as_ref(),
        )?,
        None => store.export_report_for(&staff, month, &out, encoding, wording, ward.as_ref())?,
    };
    if let Some(m) = &medium {
        println!(
            "{} に書き出し、読み戻して確認しました。管理簿に記録しました。",
            m.name()
        );
    }
    println!("{month} の報告を {} に書きました:", export.dir.display());
    for f in &export.files {
        println!("  {f}");
    }
    println!(
        "  {}（SHA-256の一覧）、{}（署名）、{}",
        sign::MANIFEST,
        sign::SIGNATURE,
        sign::SIGNER
    );
    println!("端末の公開鍵: {}", export.public_key);
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "dev")]
fn bench(ctx: &Context, a: super::BenchArgs) -> Result<ExitCode> {
    let tmp;
    let dir = match &a.dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.clone()
        }
        None => {
            // The benchmark's files are synthetic: a scratch folder removed on drop.
            tmp = tempfile::Builder::new().prefix("tsudoi-bench-").tempdir()?;
            tmp.path().to_owned()
        }
    };
    if let Some(super::BenchCmd::Load(l)) = &a.what {
        return bench_load(ctx, &dir, l, a.json);
    }
    if a.kiosk {
        let k = tsudoi::dev::bench::kiosk::run(&dir, a.checkins.max(10), ctx.config.policy()?)?;
        if a.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&k).map_err(|e| CliError::json(&e))?
            );
        } else {
            println!(
                "kiosk on the synthetic year ({} participants):",
                k.participants
            );
            println!(
                "  card event -> result model  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} taps)",
                k.probe.card_to_model_p50_ms,
                k.probe.card_to_model_p99_ms,
                k.probe.card_to_model_max_ms,
                k.probe.taps
            );
            println!(
                "  process start -> first frame (headless)  {:.0} ms  (in process {:.0} ms)",
                k.start_to_first_frame_ms, k.probe.first_frame_in_process_ms
            );
            println!(
                "  name step: furigana -> candidates on screen  p50 {:.2} ms  p99 {:.2} ms  ({} invented names)",
                k.probe.name_candidates_p50_ms,
                k.probe.name_candidates_p99_ms,
                k.probe.names_picked
            );
            println!(
                "  peak memory of the kiosk (VmHWM)  {:.1} MiB  (before the staff sign-in {:.1} MiB; resident after the taps {:.1} MiB)",
                k.probe.peak_rss_mib, k.probe.peak_before_sign_in_mib, k.probe.rss_after_taps_mib
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if a.voice {
        let v = tsudoi::dev::bench::voice(
            &ctx.config.voice.dir(),
            &dir,
            tsudoi::dev::bench::VOICE_BENCH_RUNS,
        )?;
        if a.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&v).map_err(|e| CliError::json(&e))?
            );
        } else {
            print_voice_bench(&v);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = tsudoi::dev::bench::run(&dir, a.checkins.max(10))?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| CliError::json(&e))?
        );
    } else {
        let e = &report.checkin_encrypted;
        let p = &report.checkin_plain;
        println!(
            "check-in path ({} taps, synchronous=FULL, on {}):",
            e.samples,
            dir.display()
        );
        println!(
            "  encrypted  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            e.p50_ms, e.p99_ms, e.max_ms
        );
        println!(
            "  plain      p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            p.p50_ms, p.p99_ms, p.max_ms
        );
        println!(
            "  ratio      p50 {:.2}  p99 {:.2}",
            report.p50_ratio, report.p99_ratio
        );
        println!(
            "unlock ({}): {:.0} ms",
            report.kdf, report.unlock_default_kdf_ms
        );
        println!(
            "demo generation: {:.1} s ({} participants, {} visits)",
            report.demo_generation_s, report.participants, report.visits
        );
        println!(
            "monthly report + fiscal year to date: {:.1} ms",
            report.monthly_report_ms
        );
        println!(
            "handling report, fiscal year to date ({} audit entries checked): {:.1} ms",
            report.audit_entries_in_year, report.handling_report_ms
        );
        println!("inspection summary: {:.1} ms", report.inspection_summary_ms);
        println!("peak memory (VmHWM): {:.1} MiB", report.peak_rss_mib);
        println!(
            "re-keying the synthetic year (keys rotate): {:.2} s",
            report.rekey_s
        );
        println!(
            "erasure of the synthetic year with the ward's check (erase + erase verify): {:.2} s",
            report.erasure_s
        );
        let g = &report.groups;
        println!(
            "ward's roster of {} members: import {:.2} s (target 2 s), checked again with --dry-run {:.2} s",
            g.roster_members, g.roster_import_s, g.roster_dry_run_s
        );
        println!(
            "見守り over the synthetic year: the rule {:.1} ms, the list with phones opened and audited {:.1} ms (target 100 ms; {} listed)",
            g.watch_candidates_ms, g.watch_list_ms, g.watch_listed
        );
        println!(
            "lottery draw ({} applicants, {} runs): p50 {:.1} ms  max {:.1} ms; verify p50 {:.1} ms",
            tsudoi::dev::bench::LOTTERY_BENCH_APPLICANTS,
            report.lottery_draw.samples,
            report.lottery_draw.p50_ms,
            report.lottery_draw.max_ms,
            report.lottery_verify.p50_ms
        );
        let a = &report.audit_log;
        println!(
            "audit log as a Merkle tree ({} entries, {:.0} MiB): append {:.1} us per entry (row, MAC, leaf, nodes; one transaction); checkpoint + consistency proof on a fresh connection: worst {:.2} ms, p50 {:.2} ms ({} hashes at most)",
            a.entries,
            a.file_mib,
            a.append_us_mean,
            a.checkpoint_and_proof_worst_ms,
            a.checkpoint_and_proof_p50_ms,
            a.proof_hashes_max
        );
        print_voice_bench(&report.voice);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "dev")]
fn print_voice_bench(v: &tsudoi::dev::bench::VoiceBench) {
    println!("spoken guidance, result -> first audio sample (target 150 ms; file sink):");
    let (i, r) = (&v.say_to_first_sample, &v.interrupt_to_first_sample);
    println!(
        "  voice idle        p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} utterances)",
        i.p50_ms, i.p99_ms, i.max_ms, i.samples
    );
    println!(
        "  over the last one p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} utterances)",
        r.p50_ms, r.p99_ms, r.max_ms, r.samples
    );
    match &v.aplay_start_to_exit {
        Some(a) => println!(
            "  aplay start to exit on ALSA's null device  p50 {:.1} ms  max {:.1} ms",
            a.p50_ms, a.max_ms
        ),
        None => println!("  aplay: not installed (alsa-utils), not measured"),
    }
}

/// `tsudoi bench load`: exit 0 when every tap got its screen and nothing
/// was lost or refused as busy, 1 otherwise (the figures are printed either way).
#[cfg(feature = "dev")]
fn bench_load(
    ctx: &Context,
    dir: &std::path::Path,
    l: &super::LoadArgs,
    json: bool,
) -> Result<ExitCode> {
    let opts = tsudoi::dev::bench::load::LoadOptions {
        taps: l.taps,
        minutes: l.minutes,
        speed: l.speed,
        residents: l.residents,
        searchers: l.searchers,
        registrars: l.registrars,
        seed: l.seed,
    };
    let r = tsudoi::dev::bench::load::run(dir, &opts, ctx.config.policy()?)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&r).map_err(|e| CliError::json(&e))?
        );
    } else {
        println!(
            "busy morning in fast-forward: {} taps in {:.1} simulated minutes ({:.0} s real, x{}), {} participants; {} searching and {} registering staff processes",
            r.options.taps,
            r.simulated_minutes,
            r.real_seconds,
            r.options.speed,
            r.participants_before,
            r.options.searchers,
            r.options.registrars
        );
        let t = &r.tap_to_screen;
        println!(
            "  tap -> result screen rendered  p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({} shown)",
            t.p50_ms, t.p95_ms, t.p99_ms, t.max_ms, t.samples
        );
        println!(
            "  UI thread: longest stall {:.1} ms; turn p99 {:.1} ms; tap handled (with store work) p50 {:.1} ms  max {:.1} ms; frame p50 {:.1} ms  max {:.1} ms ({} frames)",
            r.ui_stall_max_ms,
            r.ui_turns.p99_ms,
            r.tap_handling.p50_ms,
            r.tap_handling.max_ms,
            r.frames.p50_ms,
            r.frames.max_ms,
            r.frames.samples
        );
        let screens: Vec<String> = r.screens.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("  screens: {}", screens.join(", "));
        for s in &r.staff {
            println!(
                "  staff {} #{}: {} actions  p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms; busy errors {}, other errors {}",
                s.role,
                s.worker,
                s.actions,
                s.action_time.p50_ms,
                s.action_time.p99_ms,
                s.action_time.max_ms,
                s.busy_errors,
                s.other_errors
            );
        }
        println!(
            "  checks: taps without a screen {}, screens replaced before drawn {}, fault screens {}, checked in {} / stored {}, mismatches {}, busy errors {}, registered {} (participants {} -> {}), audit {}, integrity {}",
            r.taps_without_screen,
            r.unshown_screens,
            r.fault_screens,
            r.checked_in,
            r.attendance_rows,
            r.recorded_mismatches,
            r.busy_errors,
            r.registered,
            r.participants_before,
            r.participants_after,
            if r.audit_intact { "intact" } else { "BROKEN" },
            if r.integrity_ok { "ok" } else { "FAILED" }
        );
    }
    Ok(if r.holds() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "負荷試験で、失われた受付、エラー画面、またはエラーがありました。上の数字を確かめてください。"
        );
        ExitCode::from(1)
    })
}

/// `tsudoi doctor`: exit 0 when the file is sound, 4 when something is damaged.
fn doctor(ctx: &Context) -> Result<ExitCode> {
    let d = tsudoi::store::doctor::diagnose(ctx.store_path())?;
    println!("保存ファイルの点検: {}", ctx.store_path().display());
    for f in &d.findings {
        println!(
            "  [{}] {}: {}",
            if f.ok { "正常" } else { "異常" },
            f.check,
            f.detail
        );
    }
    if d.healthy() {
        println!("結果: 異常はありません。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "結果: 壊れているところがあります。この表示を設置業者と取扱責任者に見せてください。読める表の記録は残っています。"
        );
        Ok(ExitCode::from(
            tsudoi::error::ErrorKind::Damaged.exit_code(),
        ))
    }
}
