//! Argument parsing and the commands. Each command prints what staff need in
//! Japanese; errors go to stderr with a non-zero exit code.

mod clock;
mod commands;
mod erase;
mod group;
mod incident;
mod lottery;
mod personal;
mod secrets;
mod training;
mod voice;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// The exit status of every command, in `tsudoi --help` and the man page.
pub const EXIT_STATUS: &str = "終了コード（exit status）:
  0  成功（success）
  1  確かめた結果が「いいえ」（対象外、監査ログに異常、一致しない）、またはその他の失敗
  2  入力の誤り。入力を直してやり直す（invalid input）
  3  権限がない・パスワードが違う・ロック中・時計の確認待ち（not allowed）
  4  保存されたデータが壊れている・改ざんされている（署名付きのフォルダも。damaged data）
  5  ディスク・ファイル・装置の読み書きの失敗（I/O, disk full）";

/// つどい — 高齢者地域交流スペースの受付（tsudoi: the check-in kiosk）
#[derive(Debug, Parser)]
#[command(name = "tsudoi", version, about, long_about = None, after_long_help = EXIT_STATUS)]
pub struct Cli {
    /// 保存ファイルの場所（store file）
    #[arg(long, global = true, env = "TSUDOI_STORE")]
    pub store: Option<PathBuf>,
    /// 設定ファイル（configuration file, TOML）
    #[arg(long, global = true, env = "TSUDOI_CONFIG")]
    pub config: Option<PathBuf>,
    /// スタッフID（staff id for commands that unlock the store）
    #[arg(long, global = true, env = "TSUDOI_STAFF")]
    pub staff: Option<String>,
    /// エラーの詳しい理由も表示する（e.g. why no screen could be opened）
    #[arg(long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 保存ファイルと最初の取扱責任者を作る（create the store and the first manager）
    Init(InitArgs),
    /// 参加資格を確かめる。何も保存しない（eligibility check, stores nothing）
    Check(CheckArgs),
    /// 参加者の登録・検索・表示（participants）
    #[command(subcommand)]
    Participant(ParticipantCmd),
    /// 活動（開催回）の追加・一覧（sessions）
    #[command(subcommand)]
    Session(SessionCmd),
    /// 受付（手入力）（check a participant in by hand）
    Checkin(CheckinArgs),
    /// 高齢者自主活動グループと区の会員名簿（いきがいつくり支援）（hobby groups and the ward's roster）
    #[command(subcommand)]
    Group(GroupCmd),
    /// 見守り: おやすみが続いている方の一覧と、電話の結果の記録（取扱責任者・取扱者）
    /// （regulars who stopped coming, and call outcomes）
    Mimamori(MimamoriArgs),
    /// スタッフアカウント（staff accounts）
    #[command(subcommand)]
    Staff(StaffCmd),
    /// 監査ログ（audit log）
    #[command(subcommand)]
    Audit(AuditCmd),
    /// 暗号鍵（store keys）
    #[command(subcommand)]
    Keys(KeysCmd),
    /// 端末の時計の確認（時計が戻ったときは受付を止める）（the clock guard）
    #[command(subcommand)]
    Clock(ClockCmd),
    /// 音声案内の入・切、音量、静かなモード（spoken guidance）
    #[command(subcommand)]
    Voice(VoiceCmd),
    /// 区への月次報告（人数のみ・署名付き）（monthly report for the ward）
    Report(ReportArgs),
    /// キオスクの画面を開く。スタッフのサインインで一日を始める（run the kiosk）
    Run(KioskArgs),
    /// 架空のデータでキオスクを試す（demo with synthetic data）
    Demo(DemoArgs),
    /// 研修モード: 架空のデータのキオスクで課題を練習し、終えた課題を本番の記録に残す
    /// （training mode on invented data; the record is written after training with your sign-in）
    Training(TrainingArgs),
    /// すべての画面をPNGに描く。画面は不要（render every screen to PNG, headless）
    #[cfg(feature = "dev")]
    Screenshot(ScreenshotArgs),
    /// 性能測定（benchmark）
    #[cfg(feature = "dev")]
    Bench(BenchArgs),
    /// RFC 3797 の抽選を計算する。保存ファイルは使わない（anyone can check a draw）
    Draw(DrawArgs),
    /// 抽選のある教室（lottery classes）
    #[command(subcommand)]
    Lottery(LotteryCmd),
    /// 個人情報に関する事故の記録と区への報告書（契約書第19条）（incidents）
    #[command(subcommand)]
    Incident(IncidentCmd),
    /// 契約終了時の消去と消去証明書（取扱責任者と回復キー）／区による確認
    /// （end-of-contract erasure with a certificate; the ward's check）
    Erase(EraseArgs),
    /// 保存ファイルの点検: 壊れているところと、まだ読めるところ（鍵は不要、何も書きません）
    /// （what a damaged store still holds）
    Doctor,
    /// (internal) the kiosk half of `bench --kiosk`, run as a child process
    #[cfg(feature = "dev")]
    #[command(hide = true)]
    KioskProbe {
        #[arg(long, default_value_t = 1000)]
        taps: usize,
    },
    /// (internal) a staff process of `bench load`, run as a child process
    #[cfg(feature = "dev")]
    #[command(hide = true)]
    LoadStaff {
        #[arg(long)]
        role: String,
        #[arg(long)]
        worker: usize,
        #[arg(long)]
        speed: f64,
        #[arg(long)]
        minutes: f64,
        #[arg(long)]
        seed: u64,
        #[arg(long)]
        start: String,
    },
}

/// 事故報告 (contract clause 19). Only choices from fixed lists, dates,
/// counts and record ids: no free text, so nothing about a resident can be
/// typed in.
#[derive(Debug, Subcommand)]
pub enum IncidentCmd {
    /// 事故を記録する（スタッフ全員。登録番号を書けるのは取扱責任者・取扱者）
    Add(IncidentAddArgs),
    /// 記録した事故の一覧
    List,
    /// 1件を表示する
    Show {
        /// 事故の番号（例: 2026-001）
        id: String,
    },
    /// 区への事故報告書（PDFとCSV、署名付き）を書き出す（取扱責任者）
    Report {
        /// 事故の番号（例: 2026-001）
        id: String,
        /// 出力先フォルダ（新規または空）
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct IncidentAddArgs {
    /// 事故の種類
    #[arg(long, value_enum)]
    pub kind: tsudoi::store::incidents::IncidentKind,
    /// 起きた日（YYYY-MM-DD）
    #[arg(long)]
    pub occurred: String,
    /// 気づいた日（YYYY-MM-DD。省略すると今日）
    #[arg(long)]
    pub found: Option<String>,
    /// 影響を受けた参加者の人数（わからなければ 0 とし、続報で記録）
    #[arg(long, default_value_t = 0)]
    pub people: u32,
    /// 対象の記録の登録番号（先頭8文字でも可。複数可）
    #[arg(long = "record", value_name = "ID")]
    pub records: Vec<String>,
    /// 講じた措置（複数可）
    #[arg(long = "measure", value_enum)]
    pub measures: Vec<tsudoi::store::incidents::Measure>,
    /// 続報のとき、前の報告の事故の番号
    #[arg(long)]
    pub follows: Option<String>,
}

/// Hobby groups (いきがいつくり支援). Group names, rooms and schedules are
/// not personal; members' names and phones come only from the ward's file.
#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// グループを追加し、予定から集まりの回を作る（add a group and generate its meetings）
    Add(GroupAddArgs),
    /// グループの一覧（list the groups）
    List,
    /// 区の会員名簿（CSV）を確かめて取り込む。問題が1つでもあれば何も取り込まない
    /// （import the ward's roster; exit 0 imported, 2 refused with every problem on stderr）
    Import {
        /// 名簿のファイル（UTF-8 か CP932 の CSV。見出し: グループ名,氏名,ふりがな,電話番号）
        file: PathBuf,
        /// 確かめて、追加・変更・削除される方を表示するだけ（何も保存しない）
        #[arg(long)]
        dry_run: bool,
    },
    /// 契約終了時に、区から提供された会員名簿を区に返す。区の公開鍵で暗号化したCSV（取り込みと同じ形式）と
    /// 署名付きの SHA256SUMS を書き出し、受渡し管理簿に記録する（取扱責任者のみ）
    /// （return the ward's roster, encrypted to the ward's age key; managers only）
    Return {
        /// 出力先フォルダ（新規または空。USBメモリなど）
        #[arg(long)]
        out: PathBuf,
    },
    /// グループの会員名簿（ふりがな順。取扱責任者・取扱者）（members, furigana order）
    Members {
        /// グループ名（または番号）
        group: String,
    },
    /// グループの集まりの回の一覧（meetings of a group）
    Sessions {
        group: String,
        /// この日から（YYYY-MM-DD、省略時は今日）
        #[arg(long)]
        from: Option<String>,
    },
    /// 予定から集まりの回をさらに作る（中止にした回は作り直さない）（generate more meetings）
    Generate {
        group: String,
        /// YYYY-MM-DD まで
        #[arg(long)]
        until: String,
        /// YYYY-MM-DD から（省略時は今日）
        #[arg(long)]
        from: Option<String>,
    },
    /// 予定の日の集まりを中止にする（cancel a meeting）
    Cancel {
        group: String,
        /// 予定の日（YYYY-MM-DD）
        #[arg(long)]
        date: String,
    },
    /// 予定の日の集まりを別の日・時刻に移す（move a meeting）
    Move {
        group: String,
        /// 予定の日（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 移した先の日（YYYY-MM-DD）
        #[arg(long)]
        to: String,
        /// 開始時刻 HH:MM（省略時は予定のとおり）
        #[arg(long)]
        start: Option<String>,
        /// 終了時刻 HH:MM（省略時は予定のとおり）
        #[arg(long)]
        end: Option<String>,
    },
    /// 代表者を会員から選ぶ（取扱責任者・取扱者）（set the representative）
    Representative {
        group: String,
        /// 会員の登録番号（先頭8文字でよい）
        #[arg(long)]
        member: String,
    },
    /// 見守りの条件をグループごとに変える（標準: 8週に3回以上来た方が3週来ていない）
    Watch {
        group: String,
        /// この回数以上来た方を見る
        #[arg(long)]
        visits: u32,
        /// 見る期間（週）
        #[arg(long)]
        weeks: u32,
        /// この週数来ていなければ一覧に出す
        #[arg(long)]
        absent_weeks: u32,
    },
    /// カードのない会員を、今日の集まりに名簿から受付する（check a member in by hand）
    Checkin {
        group: String,
        /// 会員の登録番号（group members に表示。先頭8文字でよい）
        #[arg(long)]
        member: String,
    },
}

#[derive(Debug, Args)]
pub struct GroupAddArgs {
    /// グループ名（例: ローズ会）
    #[arg(long)]
    pub name: String,
    /// 予定（例: "第1・第3火曜 13:30-15:30"、"毎週金曜 10:00-12:00"）
    #[arg(long)]
    pub schedule: String,
    /// 部屋（例: 多目的室）
    #[arg(long)]
    pub room: String,
    /// 集まりの回をこの日から作る（YYYY-MM-DD、省略時は今日）
    #[arg(long)]
    pub from: Option<String>,
    /// 集まりの回をこの日まで作る（YYYY-MM-DD、省略時は年度末の3月31日）
    #[arg(long)]
    pub until: Option<String>,
}

/// `tsudoi mimamori`: the list; `tsudoi mimamori record`: a call's outcome.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MimamoriArgs {
    #[command(subcommand)]
    pub action: Option<MimamoriAction>,
    /// JSONで出力（output JSON）
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum MimamoriAction {
    /// 電話の結果を記録する（record a call's outcome）
    Record {
        /// 一覧に表示された登録番号（先頭8文字でよい）
        participant: String,
        /// 結果: well（元気だった）, unwell（体調をくずしていた）, hospital（入院・施設）,
        /// no-answer（連絡がつかない）, declined（辞退）
        #[arg(long, value_enum)]
        outcome: tsudoi::store::mimamori::Outcome,
        /// 電話をした日（YYYY-MM-DD、省略時は今日）
        #[arg(long)]
        on: Option<String>,
    },
}

/// The kiosk's spoken guidance (issue 18).
#[derive(Debug, Subcommand)]
pub enum VoiceCmd {
    /// 音声案内の入・切、音量、静かなモードを表示する（保存した設定、なければ設定ファイルの [voice]）
    Show,
    /// 音声案内の設定を保存する（スタッフのサインイン、監査ログに残る。設定ファイルより優先）
    Set {
        /// on（入）か off（切）
        #[arg(long)]
        enabled: Option<String>,
        /// 音量 0〜100
        #[arg(long)]
        volume: Option<u8>,
        /// 静かなモード: on（使う）か off（使わない）
        #[arg(long)]
        quiet: Option<String>,
    },
}

/// The clock guard: the Pi has no real-time clock.
#[derive(Debug, Subcommand)]
pub enum ClockCmd {
    /// 端末の時計と、保存ファイルに最後に記録された日時を表示する（戻っていれば終了コード1）
    Show,
    /// 端末の時計が正しいことを確かめる（スタッフのサインイン、記録に残る）
    Confirm {
        /// 腕時計などで確かめた今の日時（日本時間、例: "2026-12-02 10:30"）。端末の時計と5分以内
        #[arg(long)]
        now: String,
    },
}

#[derive(Debug, Args)]
pub struct DrawArgs {
    /// 対象の人数（pool size）
    #[arg(long, allow_hyphen_values = true)]
    pub pool_size: String,
    /// 選ぶ人数（how many to select）
    #[arg(long, allow_hyphen_values = true)]
    pub count: String,
    /// 公開の乱数。公表した順に1つずつ（例: --source "7 8 11 17 19 25 46" --source "08285182"）
    #[arg(long = "source", required = true, allow_hyphen_values = true)]
    pub sources: Vec<String>,
    /// MD5 の値などの手順も表示する（reference program's table）
    #[arg(long)]
    pub steps: bool,
}

#[derive(Debug, Subcommand)]
pub enum LotteryCmd {
    /// 抽選のある教室を追加する
    Add(LotteryAddArgs),
    /// 教室の一覧
    List,
    /// 窓口で代わりに申し込む
    Apply {
        class: String,
        #[arg(long)]
        participant: String,
        /// はじめての申し込みで住所が要るとき、住所を標準入力の JSON（{"address": "…"}）で渡す。
        /// 付けなければ端末で尋ねる
        #[arg(long, value_name = "-")]
        json: Option<StdinMarker>,
        #[command(flatten)]
        refused: personal::RefusedPersonalFlags,
    },
    /// 締め切り前に申し込みを取り下げる
    Withdraw {
        class: String,
        #[arg(long)]
        entry: u32,
    },
    /// 締め切る。受付番号の一覧・確認値・使う乱数を表示する
    Close {
        class: String,
        /// 抽選に使う公開の乱数の名前（締切後に発表されるもの）。使う順に1つずつ
        #[arg(long = "source-name", required = true)]
        source_names: Vec<String>,
    },
    /// 抽選する（抽選日以降に1回だけ）
    Draw {
        class: String,
        /// 発表された乱数。締め切りで公表した順に1つずつ
        #[arg(long = "source", required = true)]
        sources: Vec<String>,
        /// 抽選の記録（JSON）をこのファイルにも書く
        #[arg(long)]
        transcript_out: Option<PathBuf>,
    },
    /// 抽選の記録（JSON）を表示する
    Transcript { class: String },
    /// 抽選の記録を計算し直して確かめる（保存ファイルは使わない）
    Verify { transcript: PathBuf },
    /// 掲示用のお知らせ（締切後は受付番号の一覧、抽選後は結果）
    Notice { class: String },
    /// 当選者・補欠の連絡用名簿（氏名・電話番号）
    Calllist { class: String },
    /// 教室の出席簿（当選者×各回の出席、出席率、続けて休んだ回数）
    Attendance {
        class: String,
        /// 出席簿をCSV（UTF-8、BOM付き）にも書き出す
        #[arg(long)]
        csv: Option<std::path::PathBuf>,
    },
    /// 当選者の辞退。補欠の1番目が繰り上がる
    Cancel {
        class: String,
        #[arg(long)]
        entry: u32,
    },
    /// 始まった教室の、選ばれなかった方の住所を消す
    Purge {
        /// YYYY-MM-DD（省略時は今日）
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct LotteryAddArgs {
    #[arg(long)]
    pub title: String,
    /// 教室の種類（1期1教室の決まりに使う。例: 体操）
    #[arg(long)]
    pub kind: String,
    /// 期（例: 2026年度後期）
    #[arg(long)]
    pub term: String,
    /// 教室の回の活動番号（1つ以上）
    #[arg(long = "session", required = true)]
    pub sessions: Vec<String>,
    #[arg(long)]
    pub capacity: u32,
    /// 補欠の人数（省略時は全員が補欠の順番を持つ）
    #[arg(long)]
    pub waitlist: Option<u32>,
    /// 受付開始 YYYY-MM-DD
    #[arg(long)]
    pub from: String,
    /// 受付締切 YYYY-MM-DD
    #[arg(long)]
    pub until: String,
    /// 抽選日 YYYY-MM-DD
    #[arg(long)]
    pub draw_on: String,
    /// 同じ種類の教室は1期に1つだけ申し込める
    #[arg(long)]
    pub one_per_term: bool,
    /// none | first_time | previous_losers
    #[arg(long, default_value = "none")]
    pub priority: String,
    /// 前期の同じ教室（previous_losers のとき）
    #[arg(long)]
    pub previous: Option<String>,
    /// 事業（ふつうは kaigo）
    #[arg(long, default_value = "kaigo")]
    pub program: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// 施設名（site name）
    #[arg(long)]
    pub site: String,
    /// 最初の取扱責任者のスタッフID（first manager's staff id）
    #[arg(long)]
    pub manager: String,
    /// 回復キーを画面でなくこのファイルに書く（write the recovery key to this new file）
    #[arg(long)]
    pub recovery_key_out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 生年月日（例: 昭和41年4月1日, S41.4.1, 1966-04-01）。省略時は標準入力か端末から
    #[arg(long)]
    pub birth: Option<String>,
    /// 郵便番号（例: 160-0022）。省略時は標準入力か端末から
    #[arg(long)]
    pub postal: Option<String>,
    /// 判定する日（活動の日）。省略時は今日（YYYY-MM-DD）
    #[arg(long)]
    pub on: Option<String>,
    /// JSONで出力
    #[arg(long)]
    pub json: bool,
    /// 生年月日と郵便番号を標準入力の JSON（{"birth": "…", "postal": "…"}）で渡す
    #[arg(long = "input", value_name = "-")]
    pub input: Option<StdinMarker>,
}

#[derive(Debug, Subcommand)]
pub enum ParticipantCmd {
    /// 登録する（register after checking an ID document）
    Add(AddParticipant),
    /// 電話番号かふりがなで探す（find by phone or kana）
    Find(FindArgs),
    /// 一人の記録を見る（show one record）
    Show { id: String },
    /// 本人からの開示請求: 保存しているすべての内容を本人に渡すPDFにする（本人確認のうえ）
    Disclose {
        id: String,
        /// 出力先フォルダ（新規または空）
        #[arg(long)]
        out: PathBuf,
    },
    /// 保存期間を過ぎた記録（来所のない年度が続いた方）の一覧
    Due {
        /// 来所のない年度の数（省略すると設定の retention.fiscal_years、標準3）
        #[arg(long)]
        years: Option<u32>,
    },
    /// 保存期間を過ぎた記録（participant due の一覧）を削除する
    DeleteDue {
        /// 来所のない年度の数（participant due と同じ値）
        #[arg(long)]
        years: Option<u32>,
        /// 確認のため付ける（required to confirm）
        #[arg(long)]
        yes: bool,
    },
    /// 記録を訂正する（correct a field）
    Update(UpdateArgs),
    /// 本人確認をやり直す（re-verify with an ID document）
    Reverify(ReverifyArgs),
    /// 記録を削除する（delete at the person's request）
    Delete {
        id: String,
        /// 確認のため付ける（required to confirm）
        #[arg(long)]
        yes: bool,
    },
    /// 本人のICカードを結び付ける（link a card the person carries）
    LinkCard(LinkCardArgs),
    /// 結び付けたカードの一覧（登録日と登録者。カードの番号は表示しない）
    Cards { id: String },
    /// なくしたカードなどの登録を解除する
    UnlinkCard {
        id: String,
        /// `participant cards` が表示するカードの番号（先頭8文字でよい）
        #[arg(long)]
        card: String,
    },
    /// カードを新しいカードに替える（解除と登録を一度に）
    ReplaceCard(ReplaceCardArgs),
}

#[derive(Debug, Args)]
pub struct ReplaceCardArgs {
    pub id: String,
    /// `participant cards` が表示する、替える前のカードの番号
    #[arg(long)]
    pub card: String,
    /// 新しいカードの識別子（16進）
    #[arg(long)]
    pub uid: String,
    /// felica または iso14443a
    #[arg(long, default_value = "felica")]
    pub tech: String,
}

/// `--json -`: the personal fields come as one JSON object on standard input.
#[derive(Debug, Clone, Copy)]
pub struct StdinMarker;

impl std::str::FromStr for StdinMarker {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "-" {
            Ok(StdinMarker)
        } else {
            Err("「-」（標準入力）だけを指定できます".into())
        }
    }
}

/// Registration. The personal fields (`name`, `kana`, `phone`, `birth`,
/// `postal`, `address`, `document`, `ward_provided`) come from a terminal
/// prompt or, with `--json -`, from one JSON object on standard input.
#[derive(Debug, Args)]
pub struct AddParticipant {
    /// 個人情報を標準入力の JSON で渡す（{"name","kana","phone","birth","postal","address","document","ward_provided"}）。
    /// 付けなければ端末で1項目ずつ尋ねる
    #[arg(long, value_name = "-")]
    pub json: Option<StdinMarker>,
    /// 区から提供された名簿の方（いきがいつくり支援）
    #[arg(long)]
    pub ward_provided: bool,
    #[command(flatten)]
    pub refused: personal::RefusedPersonalFlags,
}

/// Search by phone or kana, read from a prompt or standard input.
#[derive(Debug, Args)]
pub struct FindArgs {
    /// 探す値を標準入力の JSON（{"phone": "…"} か {"kana": "…"}）で渡す。
    /// 付けなければ標準入力の1行（数字なら電話番号、それ以外はふりがな）か端末から
    #[arg(long, value_name = "-")]
    pub json: Option<StdinMarker>,
    #[command(flatten)]
    pub refused: personal::RefusedPersonalFlags,
}

/// Corrections (`name`, `kana`, `phone`, `address`) from a prompt or JSON.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    pub id: String,
    /// 訂正する項目を標準入力の JSON（{"name","kana","phone","address"} のうち訂正するもの）で渡す。
    /// 付けなければ端末で尋ねる（変えない項目は空のまま Enter）
    #[arg(long, value_name = "-")]
    pub json: Option<StdinMarker>,
    /// 住所を消す
    #[arg(long)]
    pub clear_address: bool,
    #[command(flatten)]
    pub refused: personal::RefusedPersonalFlags,
}

#[derive(Debug, Args)]
pub struct ReverifyArgs {
    pub id: String,
    /// 確認した内容を標準入力の JSON（{"birth","postal","document"}）で渡す。
    /// 付けなければ端末で尋ねる
    #[arg(long, value_name = "-")]
    pub json: Option<StdinMarker>,
    #[command(flatten)]
    pub refused: personal::RefusedPersonalFlags,
}

#[derive(Debug, Args)]
pub struct LinkCardArgs {
    pub id: String,
    /// カードの識別子（16進）
    #[arg(long)]
    pub uid: String,
    /// felica または iso14443a
    #[arg(long, default_value = "felica")]
    pub tech: String,
}

#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// 活動を追加する
    Add(SessionAddArgs),
    /// ある日の活動の一覧
    List {
        /// YYYY-MM-DD（省略時は今日）
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct SessionAddArgs {
    /// ikigai | koryu | kaigo（または いきがいつくり支援 など）
    #[arg(long)]
    pub program: String,
    /// YYYY-MM-DD
    #[arg(long)]
    pub date: String,
    /// 開始時刻 HH:MM
    #[arg(long)]
    pub start: String,
    /// 終了時刻 HH:MM
    #[arg(long)]
    pub end: String,
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub capacity: Option<u32>,
    /// open | first_come | lottery
    #[arg(long, default_value = "open")]
    pub mode: String,
}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    #[arg(long)]
    pub participant: String,
    #[arg(long)]
    pub session: String,
    /// 抽選の教室で当選していない方を、確認のうえ受付する（付き添い、記録前の繰り上げ）
    #[arg(long)]
    pub confirm_without_seat: bool,
}

#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// アカウントを追加する（取扱責任者のみ）
    Add {
        id: String,
        /// manager | handler | operator
        #[arg(long)]
        role: String,
    },
    /// 自分のパスワードを変更する
    Passwd,
    /// アカウントの一覧（取扱責任者のみ）
    List,
    /// 退職などでアカウントを無効にする（取扱責任者のみ）
    Deactivate { id: String },
    /// 回復キーでパスワードを設定し直す
    Recover { id: String },
    /// セキュリティ設定（ロック・パスワードの鍵導出・本人確認の間隔）
    #[command(subcommand)]
    Policy(PolicyCmd),
}

#[derive(Debug, Subcommand)]
pub enum PolicyCmd {
    /// いまの設定を表示する
    Show,
    /// 設定を変える（取扱責任者のみ。付けなかった項目は変えない）
    Set(PolicySetArgs),
}

#[derive(Debug, Args)]
pub struct PolicySetArgs {
    /// ロックまでの失敗回数（1〜10）
    #[arg(long)]
    pub lockout_attempts: Option<u32>,
    /// ロックの時間（分、5〜1440）
    #[arg(long)]
    pub lockout_minutes: Option<u32>,
    /// Argon2id のメモリ（KiB、19456 以上）
    #[arg(long)]
    pub kdf_memory_kib: Option<u32>,
    /// Argon2id の回数（2 以上）
    #[arg(long)]
    pub kdf_iterations: Option<u32>,
    /// Argon2id の並列度
    #[arg(long)]
    pub kdf_parallelism: Option<u32>,
    /// 本人確認をやり直すまでの月数（1〜60）
    #[arg(long)]
    pub reverify_after_months: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// 新しい鍵に替え、すべての記録を暗号化し直す（取扱責任者）（re-key the store, manager only）
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// 監査ログの改ざんを調べる。--checkpoint で区が保管しているチェックポイントと照合する
    /// （exit 0 改ざんなし, 1 検出）
    Verify {
        /// 区が保管しているチェックポイントのファイル（複数可）
        #[arg(long = "checkpoint", value_name = "FILE", num_args = 1..)]
        checkpoints: Vec<PathBuf>,
    },
    /// 最近の記録を表示する
    Show {
        #[arg(long, default_value_t = 50)]
        last: i64,
    },
    /// チェックポイントを確かめる検証鍵（C2SP vkey）を表示する。サインイン不要
    Vkey,
    /// 署名付きのチェックポイント（C2SP tlog-checkpoint）を書き出す（運営者・取扱責任者）
    Checkpoint {
        /// 書き出すファイル（省略すると標準出力）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 区の控えのチェックポイントから今のログまでの一貫性の証明を書き出す
    /// （DIR/checkpoint と DIR/proof.json。運営者・取扱責任者）
    Prove {
        /// 区が保管している古いチェックポイント
        #[arg(long, value_name = "OLD_CHECKPOINT")]
        from: PathBuf,
        /// 書き出すフォルダ（なければ作る）
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EraseArgs {
    #[command(subcommand)]
    pub action: Option<EraseAction>,
    /// 消去証明書の出力先フォルダ（新規または空。USBメモリなど）
    #[arg(long)]
    pub certificate_out: Option<PathBuf>,
    /// 確認の入力を省く（スクリプト用）
    #[arg(long)]
    pub yes: bool,
    /// 契約期間の初日（YYYY-MM-DD、証明書に記載）
    #[arg(long)]
    pub contract_from: Option<String>,
    /// 契約期間の末日（YYYY-MM-DD、証明書に記載）
    #[arg(long)]
    pub contract_until: Option<String>,
    /// 区の指示により、グループの会員名簿を返還せずに消去する（証明書と監査ログに記録）
    #[arg(long)]
    pub roster_not_returned: bool,
}

#[derive(Debug, Subcommand)]
pub enum EraseAction {
    /// 【区の確認】消去済みの保存ファイルと消去証明書を確かめる（--store で保存ファイル）
    Verify {
        /// 消去証明書のフォルダ
        #[arg(long)]
        certificate: PathBuf,
        /// 区が控えている監査ログのチェックポイント（月次報告のもの。複数可）
        #[arg(long)]
        checkpoint: Vec<PathBuf>,
        /// 設置時の記録票に印刷された端末の公開鍵（16進64文字）
        #[arg(long)]
        public_key: Option<String>,
    },
    /// 消去済みの保存ファイルに残した消去証明書を、もう一度書き出す
    Certificate {
        /// 出力先フォルダ（新規または空）
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub action: Option<ReportAction>,
    /// 対象の月（例: 2026-10）
    #[arg(long)]
    pub month: Option<String>,
    /// 出力先フォルダ（新規または空）
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// utf8-bom（標準、Excelでそのまま開けます）または cp932
    #[arg(long, default_value = "utf8-bom")]
    pub encoding: String,
    /// この人数以下（1人以上）を伏せる
    #[arg(long, default_value_t = 9)]
    pub threshold: u64,
    /// 伏せた欄の表記
    #[arg(long, default_value = "<10")]
    pub small_label: String,
    /// 差し込まれたUSBメモリに書き出す（受渡し管理簿に記録）
    #[arg(long, conflicts_with = "out")]
    pub usb: bool,
    /// USBメモリが複数あるとき、そのマウント先
    #[arg(long, requires = "usb")]
    pub medium: Option<PathBuf>,
    /// 持ち出しの目的（管理簿に記録）
    #[arg(long, default_value = "区への月次報告")]
    pub purpose: String,
}

#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// 受け取った報告の署名とファイルを確かめる
    Verify {
        dir: PathBuf,
        /// 設置時の記録票に印刷された公開鍵（16進64文字）
        #[arg(long)]
        public_key: Option<String>,
    },
    /// 差し込まれているUSBメモリの一覧
    Media,
    /// 【区で使う】複数施設の報告を合計する
    Merge {
        /// 各施設の報告フォルダ
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// 区の秘密鍵のファイル（ward-key で作ったもの）
        #[arg(long)]
        identity: PathBuf,
        /// 出力先フォルダ（新規または空）
        #[arg(long)]
        out: PathBuf,
        /// 登録された端末の公開鍵（複数可）。指定するとそれ以外の署名を拒否
        #[arg(long = "public-key")]
        public_keys: Vec<String>,
        #[arg(long, default_value = "utf8-bom")]
        encoding: String,
        #[arg(long, default_value_t = 9)]
        threshold: u64,
    },
    /// 【区で使う】合計用の鍵を作る（公開鍵を各施設の設定に入れる）
    WardKey {
        /// 秘密鍵を書く新しいファイル
        #[arg(long)]
        out: PathBuf,
    },
    /// 取扱責任者・取扱者の届出（スタッフ名簿、CSVとPDF、署名付き）を書き出す（取扱責任者）
    Staff {
        /// 出力先フォルダ（新規または空）
        #[arg(long)]
        out: PathBuf,
    },
    /// 個人情報の取扱状況報告（件数とスタッフIDのみ、署名付き）を書き出す（運営者・取扱責任者）
    Handling {
        /// 期間の始め（YYYY-MM-DD）
        #[arg(long)]
        from: String,
        /// 期間の終わり（YYYY-MM-DD、この日をふくむ）
        #[arg(long)]
        to: String,
        /// 出力先フォルダ（新規または空）
        #[arg(long)]
        out: PathBuf,
        /// 区が保管している監査ログのチェックポイント（前回までの報告のもの。複数可）。照合結果を報告に書く
        #[arg(long = "checkpoint", value_name = "FILE", num_args = 1..)]
        checkpoints: Vec<PathBuf>,
    },
    /// 立入検査用のまとめ（1ページ。件数・日付・スタッフIDのみ）を表示する（運営者・取扱責任者）
    Inspection,
    /// 研修の記録（だれが、いつ、どの課題を終えたか。CSVとPDF、署名付き）を書き出す（取扱責任者）
    Training {
        /// 出力先フォルダ（新規または空）
        #[arg(long)]
        out: PathBuf,
    },
    /// 媒体受渡し管理簿を表示する
    Ledger {
        /// 印刷用にCSV（Excelで開けます）へ書き出す
        #[arg(long)]
        csv: Option<PathBuf>,
    },
}

/// `tsudoi training`: the staff id comes from `--staff` / `TSUDOI_STAFF`;
/// `--store` is the real store, opened only after training to write the record.
/// `training chapters` and `training read` record the manual chapters read.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TrainingArgs {
    #[command(subcommand)]
    pub action: Option<TrainingAction>,
    /// 研修用の保存ファイルを作る場所（新しいファイル名）。省略時は一時フォルダ。
    /// 既にあるファイル（本番の保存ファイルなど）は開かずに終了コード2で断る。研修が終われば消す
    #[arg(long, value_name = "FILE")]
    pub practice_store: Option<PathBuf>,
    #[command(flatten)]
    pub kiosk: KioskArgs,
}

#[derive(Debug, Subcommand)]
pub enum TrainingAction {
    /// マニュアルの章と、その記号（training read で使う）を表示する
    Chapters,
    /// 読んだマニュアルの章を研修の記録に残す（自分のパスワードでサインイン。例: training read staff-1 staff-2）
    Read {
        /// 章の記号（training chapters で表示されるもの。複数可）
        #[arg(required = true, value_name = "CHAPTER")]
        chapters: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 乱数の種（同じ種なら同じデータ）
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// データを作るだけで画面は開かない
    #[arg(long)]
    pub no_ui: bool,
    /// デモの時計を今日のこの時刻に止める（HH:MM。省略時は 10:30）
    #[arg(long, default_value = "10:30")]
    pub at: String,
    /// 設定ファイルの [hardware] のカードリーダーで本物のカードも読む（画面下のボタンもそのまま使える）
    #[arg(long)]
    pub use_reader: bool,
    #[command(flatten)]
    pub kiosk: KioskArgs,
}

/// Timings of the kiosk screens.
#[derive(Debug, Args)]
pub struct KioskArgs {
    /// 利用者の画面が待ち受けに戻るまでの秒数（最大30）
    #[arg(long, default_value_t = 20)]
    pub idle_seconds: u64,
    /// スタッフの画面がロックされるまでの分数（最大15）
    #[arg(long, default_value_t = 5)]
    pub staff_lock_minutes: u64,
}

#[cfg(feature = "dev")]
#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// 書き出すディレクトリ
    #[arg(long)]
    pub out: PathBuf,
    /// 画面の大きさ（例: 800x480, 1280x800）
    #[arg(long, default_value = "800x480")]
    pub size: String,
}

#[cfg(feature = "dev")]
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// JSONで出力
    #[arg(long, global = true)]
    pub json: bool,
    /// 測定する受付の回数
    #[arg(long, default_value_t = 1000)]
    pub checkins: usize,
    /// 作業用ディレクトリ（測りたいディスク上）
    #[arg(long, global = true)]
    pub dir: Option<PathBuf>,
    /// キオスク画面の測定（カードから画面まで、起動から最初の描画、メモリ）
    #[arg(long)]
    pub kiosk: bool,
    /// 音声案内の測定だけ（結果から最初の音まで）
    #[arg(long, conflicts_with = "kiosk")]
    pub voice: bool,
    #[command(subcommand)]
    pub what: Option<BenchCmd>,
}

/// Benchmarks other than the default set.
#[cfg(feature = "dev")]
#[derive(Debug, Subcommand)]
pub enum BenchCmd {
    /// 混雑した朝を早送りで: カードのタッチと、同時にスタッフの検索・登録（busy morning in fast-forward）
    Load(LoadArgs),
}

/// `tsudoi bench load` (issue 16, "Load").
#[cfg(feature = "dev")]
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// カードのタッチの回数
    #[arg(long, default_value_t = 200)]
    pub taps: usize,
    /// 模擬する時間（分）
    #[arg(long, default_value_t = 30.0)]
    pub minutes: f64,
    /// 早送りの倍率（模擬時間 ÷ 実時間）
    #[arg(long, default_value_t = 10.0)]
    pub speed: f64,
    /// 架空の登録者の人数
    #[arg(long, default_value_t = 4000)]
    pub residents: usize,
    /// 同時に検索するスタッフのプロセス数
    #[arg(long, default_value_t = 2)]
    pub searchers: usize,
    /// 同時に登録するスタッフのプロセス数
    #[arg(long, default_value_t = 1)]
    pub registrars: usize,
    /// 架空データとタッチの順番の種
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// Parses the command line and runs the command.
/// `tsudoi … | head` ends quietly when the reader goes away, as other Unix
/// tools do, instead of panicking in `println!` (Rust ignores SIGPIPE by
/// default). A store write under way is one transaction: SQLite rolls it
/// back. The kiosk itself keeps ignoring SIGPIPE, so that a restarted
/// journal can never stop it.
/// A write past the file-size limit (`ulimit -f`, a quota) fails with
/// EFBIG and the command says so in Japanese, instead of the process being
/// killed by SIGXFSZ mid-write with no word to staff.
fn errors_for_file_size_limits() {
    // SAFETY: sets one signal's disposition to "ignore" before any other
    // thread exists; no handler is installed.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

fn quiet_on_closed_pipe() {
    // SAFETY: restores the default disposition of one signal before any
    // other thread exists; no handler is installed.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// The development commands (feature `dev`): in a device build clap does
/// not know them, and they are named as such instead of "unrecognized".
pub const DEV_COMMANDS: [&str; 2] = ["screenshot", "bench"];

/// In a build without the `dev` feature, the one sentence for a development
/// command asked for by name.
fn dev_command_refused(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if cfg!(feature = "dev") || e.kind() != ErrorKind::InvalidSubcommand {
        return None;
    }
    let Some(ContextValue::String(name)) = e.get(ContextKind::InvalidSubcommand) else {
        return None;
    };
    DEV_COMMANDS.contains(&name.as_str()).then(|| {
        format!(
            "エラー: tsudoi {name} は開発用のコマンドで、端末用のビルドには入っていません。開発用のビルド（cargo build、または --features dev）で使ってください（`tsudoi {name}` is a development command, not in the device build: use `cargo build` or `--features dev`）。"
        )
    })
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => match dev_command_refused(&e) {
            Some(sentence) => {
                eprintln!("{sentence}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    let kiosk = matches!(
        cli.command,
        Command::Run(_) | Command::Training(TrainingArgs { action: None, .. })
    );
    if !kiosk {
        quiet_on_closed_pipe();
    }
    errors_for_file_size_limits();
    let verbose = cli.verbose;
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("エラー: {e}");
            if let Some(detail) = e.detail().filter(|_| verbose) {
                eprintln!("{detail}");
            }
            ExitCode::from(commands::exit_code(&e))
        }
    }
}
