//! Argument parsing and the commands. Each command prints what staff need in
//! Japanese; errors go to stderr with a non-zero exit code.

mod commands;
mod secrets;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// つどい — 高齢者地域交流スペースの受付（tsudoi: the check-in kiosk）
#[derive(Debug, Parser)]
#[command(name = "tsudoi", version, about, long_about = None)]
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
    /// スタッフアカウント（staff accounts）
    #[command(subcommand)]
    Staff(StaffCmd),
    /// 監査ログ（audit log）
    #[command(subcommand)]
    Audit(AuditCmd),
    /// キオスクの画面を開く。スタッフのサインインで一日を始める（run the kiosk）
    Run(KioskArgs),
    /// 架空のデータでキオスクを試す（demo with synthetic data）
    Demo(DemoArgs),
    /// すべての画面をPNGに描く。画面は不要（render every screen to PNG, headless）
    Screenshot(ScreenshotArgs),
    /// 性能測定（benchmark）
    Bench(BenchArgs),
    /// (internal) the kiosk half of `bench --kiosk`, run as a child process
    #[command(hide = true)]
    KioskProbe {
        #[arg(long, default_value_t = 1000)]
        taps: usize,
    },
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
    /// 生年月日（例: 昭和41年4月1日, S41.4.1, 1966-04-01）
    #[arg(long)]
    pub birth: String,
    /// 郵便番号（例: 160-0022）
    #[arg(long)]
    pub postal: String,
    /// 判定する日（活動の日）。省略時は今日（YYYY-MM-DD）
    #[arg(long)]
    pub on: Option<String>,
    /// JSONで出力
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ParticipantCmd {
    /// 登録する（register after checking an ID document）
    Add(AddParticipant),
    /// 電話番号かふりがなで探す（find by phone or kana）
    Find(FindArgs),
    /// 一人の記録を見る（show one record）
    Show { id: String },
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
}

#[derive(Debug, Args)]
pub struct AddParticipant {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub kana: String,
    #[arg(long)]
    pub phone: String,
    /// 生年月日（本人から受け付ける場合は必須）
    #[arg(long)]
    pub birth: Option<String>,
    /// 郵便番号（本人から受け付ける場合は必須）
    #[arg(long)]
    pub postal: Option<String>,
    /// 住所（抽選のある教室に申し込む場合だけ）
    #[arg(long)]
    pub address: Option<String>,
    /// 確認した身分証（健康保険証, マイナンバーカード, …）
    #[arg(long, default_value = "健康保険証")]
    pub document: String,
    /// 区から提供された名簿の方（いきがいつくり支援）
    #[arg(long)]
    pub ward_provided: bool,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct FindArgs {
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub kana: Option<String>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    pub id: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub kana: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    /// 住所を消す
    #[arg(long, conflicts_with = "address")]
    pub clear_address: bool,
}

#[derive(Debug, Args)]
pub struct ReverifyArgs {
    pub id: String,
    #[arg(long)]
    pub birth: String,
    #[arg(long)]
    pub postal: String,
    #[arg(long, default_value = "健康保険証")]
    pub document: String,
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
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// 監査ログの改ざんを調べる
    Verify,
    /// 最近の記録を表示する
    Show {
        #[arg(long, default_value_t = 50)]
        last: i64,
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

#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// 書き出すディレクトリ
    #[arg(long)]
    pub out: PathBuf,
    /// 画面の大きさ（例: 800x480, 1280x800）
    #[arg(long, default_value = "800x480")]
    pub size: String,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// JSONで出力
    #[arg(long)]
    pub json: bool,
    /// 測定する受付の回数
    #[arg(long, default_value_t = 1000)]
    pub checkins: usize,
    /// 作業用ディレクトリ（測りたいディスク上）
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// キオスク画面の測定（カードから画面まで、起動から最初の描画、メモリ）
    #[arg(long)]
    pub kiosk: bool,
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("エラー: {e}");
            ExitCode::from(commands::exit_code(&e))
        }
    }
}
