//! The development tools' own failures ([`DevError`]): `tsudoi screenshot`,
//! `tsudoi bench` and their child processes. Compiled only with the `dev`
//! feature, like the tools; it converts into the crate's
//! [`Error`](crate::error::Error) (`Error::Dev`) and its `kind()` decides
//! the exit code like every other layer's.
//!
//! Every piece of data these tools use is invented, and no variant carries
//! a password, a key or a resident's value: the messages are the tools' own
//! sentences or the renderer's, the voice library's or a parser's reason.

use crate::error::ErrorKind;

/// A development tool that did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DevError {
    /// Slint's headless platform could not be installed, or a window could
    /// not be made, shown or drawn; `detail` is Slint's reason. A fault in
    /// tsudoi or its build: other (exit 1).
    #[error("{detail}")]
    Ui {
        /// Slint's reason.
        detail: String,
    },
    /// The invented data a screenshot starts from did not come out as the
    /// tool expects (a sample card that does not parse, a sample roster not
    /// imported, a date not made, nobody signed in). `what` is the tool's
    /// sentence or the parser's reason. A fault in tsudoi: other (exit 1).
    #[error("{what}")]
    Sample {
        /// What did not come out, as the tool says it.
        what: String,
    },
    /// A measured run did not do what it measures (the kiosk probe or a
    /// staff process failed, a tap met 準備中, a proof or a draw record
    /// did not verify, a card of the benchmark not found), or its report
    /// could not be written. `what` says which, in the words the tool
    /// printed before. A fault in tsudoi: other (exit 1).
    #[error("{what}")]
    Run {
        /// What did not happen, as the tool says it.
        what: String,
    },
    /// `tsudoi bench` was given a folder that already holds `bench.db`:
    /// choose an empty folder. Invalid input (exit 2).
    #[error("ベンチマーク用の保存ファイルが既にあります。")]
    BenchStoreExists,
    /// The voice clips could not be opened from the folder (a clip missing
    /// or unreadable); `detail` is the voice library's sentence, naming the
    /// file. Invalid input (exit 2): point the tool at the clips.
    #[error("{detail}")]
    Clips {
        /// The voice library's reason.
        detail: String,
    },
}

impl DevError {
    /// [`DevError::Ui`] with the renderer's or platform's reason.
    pub fn ui(e: impl std::fmt::Display) -> Self {
        DevError::Ui {
            detail: e.to_string(),
        }
    }

    /// [`DevError::Sample`] with the tool's sentence or a parser's reason.
    pub fn sample(what: impl std::fmt::Display) -> Self {
        DevError::Sample {
            what: what.to_string(),
        }
    }

    /// [`DevError::Run`] with the tool's sentence or the failing part's
    /// reason.
    pub fn run(what: impl std::fmt::Display) -> Self {
        DevError::Run {
            what: what.to_string(),
        }
    }

    /// A folder already holding the benchmark's store and clips that do
    /// not open are [`ErrorKind::InvalidInput`] (exit 2, as before); the
    /// rest are faults inside tsudoi, [`ErrorKind::Other`] (exit 1, was 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            DevError::BenchStoreExists | DevError::Clips { .. } => ErrorKind::InvalidInput,
            DevError::Ui { .. } | DevError::Sample { .. } | DevError::Run { .. } => {
                ErrorKind::Other
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn a_fault_of_the_tools_is_other_and_a_folder_to_change_is_input() {
        let exit = |e: DevError| Error::from(e).kind().exit_code();
        assert_eq!(exit(DevError::ui("no window")), 1);
        assert_eq!(exit(DevError::sample("見本のカード")), 1);
        assert_eq!(exit(DevError::run("a tap met 準備中")), 1);
        assert_eq!(exit(DevError::BenchStoreExists), 2);
        assert_eq!(exit(DevError::Clips { detail: "x".into() }), 2);
        // The words are the tool's, unchanged.
        assert_eq!(
            Error::from(DevError::sample("先月の日付を作れません。")).to_string(),
            "先月の日付を作れません。"
        );
        assert_eq!(
            Error::from(DevError::BenchStoreExists).to_string(),
            "ベンチマーク用の保存ファイルが既にあります。"
        );
    }
}
