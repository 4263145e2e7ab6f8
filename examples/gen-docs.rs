//! Writes the manual pages (clap_mangen) and shell completions (clap_complete)
//! of the `tsudoi` command from its clap definitions, for the Debian package.
//! Run at package time (scripts/package-deb.sh), so they always match the
//! commands being shipped:
//!
//! ```text
//! cargo run --example gen-docs -- OUT_DIR
//! ```
//!
//! writes `OUT_DIR/man/tsudoi*.1` and `OUT_DIR/completions/{tsudoi.bash,_tsudoi,tsudoi.fish}`.

use std::path::PathBuf;
use std::process::ExitCode;

// The command line's definitions, shared with the binary (src/main.rs).
#[allow(dead_code, unused_imports)]
#[path = "../src/cli/mod.rs"]
mod cli;

use clap::CommandFactory;
use clap_complete::Shell;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gen-docs OUT_DIR");
        return ExitCode::from(2);
    };
    match generate(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-docs: {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

fn generate(out: &std::path::Path) -> std::io::Result<()> {
    let man = out.join("man");
    let completions = out.join("completions");
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&completions)?;
    // One page for `tsudoi` and one per subcommand (tsudoi-run.1, ...);
    // hidden internal commands get none.
    let cmd = cli::Cli::command().after_long_help(format!(
        "{}\n\nFiles: /etc/tsudoi/tsudoi.toml (configuration), /var/lib/tsudoi/tsudoi.db (store). See /usr/share/doc/tsudoi.",
        cli::EXIT_STATUS
    ));
    clap_mangen::generate_to(cmd, &man)?;
    for (shell, name) in [
        (Shell::Bash, "tsudoi.bash"),
        (Shell::Zsh, "_tsudoi"),
        (Shell::Fish, "tsudoi.fish"),
    ] {
        let mut cmd = cli::Cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "tsudoi", &mut buf);
        std::fs::write(completions.join(name), buf)?;
    }
    Ok(())
}
