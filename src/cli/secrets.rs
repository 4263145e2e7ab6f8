//! Passwords and keys from the environment (scripts) or a terminal prompt.

use std::io::IsTerminal;

use tsudoi::Result;
use tsudoi::cli_error::CliError;
use zeroize::Zeroizing;

/// The signed-in staff member's password: `TSUDOI_PASSWORD` or a prompt.
pub fn password(prompt: &str) -> Result<Zeroizing<String>> {
    from_env_or_prompt("TSUDOI_PASSWORD", prompt)
}

/// A new password, typed twice at a prompt, or `TSUDOI_NEW_PASSWORD`.
pub fn new_password(what: &str) -> Result<Zeroizing<String>> {
    if let Some(p) = env("TSUDOI_NEW_PASSWORD") {
        return Ok(p);
    }
    let first = prompt(&format!("{what}: "))?;
    let again = prompt(&format!("{what}（確認のためもう一度）: "))?;
    if *first != *again {
        return Err(CliError::PasswordsDiffer.into());
    }
    Ok(first)
}

/// The recovery key: `TSUDOI_RECOVERY_KEY` or a prompt.
pub fn recovery_key() -> Result<Zeroizing<String>> {
    from_env_or_prompt("TSUDOI_RECOVERY_KEY", "回復キー: ")
}

fn env(name: &str) -> Option<Zeroizing<String>> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .map(Zeroizing::new)
}

fn from_env_or_prompt(var: &str, text: &str) -> Result<Zeroizing<String>> {
    match env(var) {
        Some(v) => Ok(v),
        None => prompt(text),
    }
}

fn prompt(text: &str) -> Result<Zeroizing<String>> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::NoTerminal.into());
    }
    Ok(Zeroizing::new(rpassword::prompt_password(text)?))
}
