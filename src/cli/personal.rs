//! Personal values (names, phones, dates of birth, addresses, document kinds)
//! reach the command line's process only from a terminal prompt or as JSON
//! on standard input, never as arguments: arguments are visible to every
//! user in `ps` and `/proc/PID/cmdline`, and stay in shell history.

use std::io::{BufRead, IsTerminal, Read, Write};

use clap::Args;
use serde_json::{Map, Value};
use tsudoi::Result;
use tsudoi::cli_error::CliError;
use zeroize::Zeroizing;

/// The most standard input is read for one command: a record is a few
/// hundred bytes, so anything larger is a mistake (a file piped by accident).
const MAX_JSON_BYTES: u64 = 64 * 1024;

/// Flags that carried personal values before they moved off the command
/// line. They are still recognised, hidden, so that an old script or habit
/// gets a clear refusal (and nothing is stored) instead of clap's
/// "unexpected argument".
#[derive(Debug, Args, Default)]
pub struct RefusedPersonalFlags {
    #[arg(long = "name", hide = true, num_args = 0..=1)]
    name: Option<Option<String>>,
    #[arg(long = "kana", hide = true, num_args = 0..=1)]
    kana: Option<Option<String>>,
    #[arg(long = "phone", hide = true, num_args = 0..=1)]
    phone: Option<Option<String>>,
    #[arg(long = "address", hide = true, num_args = 0..=1)]
    address: Option<Option<String>>,
    #[arg(long = "birth", hide = true, num_args = 0..=1)]
    birth: Option<Option<String>>,
    #[arg(long = "postal", hide = true, num_args = 0..=1)]
    postal: Option<Option<String>>,
    #[arg(long = "document", hide = true, num_args = 0..=1)]
    document: Option<Option<String>>,
}

impl RefusedPersonalFlags {
    /// Refuses the command when any of the old flags was given.
    pub fn refuse_if_given(&self) -> Result<()> {
        let given = [
            ("--name", self.name.is_some()),
            ("--kana", self.kana.is_some()),
            ("--phone", self.phone.is_some()),
            ("--address", self.address.is_some()),
            ("--birth", self.birth.is_some()),
            ("--postal", self.postal.is_some()),
            ("--document", self.document.is_some()),
        ];
        let names: Vec<&str> = given.iter().filter(|(_, g)| *g).map(|(n, _)| *n).collect();
        if names.is_empty() {
            return Ok(());
        }
        Err(CliError::PersonalFlags {
            flags: names.join(", "),
        }
        .into())
    }
}

/// One field to ask for.
pub struct Field {
    /// The JSON key (named like the flags of earlier versions).
    pub key: &'static str,
    /// What the prompt says.
    pub label: &'static str,
    /// Whether an empty answer is refused.
    pub required: bool,
}

/// The answers: values by key, zeroized when dropped.
pub struct Answers {
    values: Vec<(&'static str, Zeroizing<String>)>,
    flags: Vec<(&'static str, bool)>,
}

/// Debug shows which keys were answered, never the values.
impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.values.iter().map(|(k, _)| *k).collect();
        f.debug_struct("Answers")
            .field("keys", &keys)
            .finish_non_exhaustive()
    }
}

impl Answers {
    /// The value of a field, if one was given (empty counts as not given).
    pub fn get(&self, key: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(k, v)| *k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
    }

    /// A yes/no field from JSON (`true`/`false`); prompts never set these.
    pub fn flag(&self, key: &str) -> bool {
        self.flags.iter().any(|(k, v)| *k == key && *v)
    }
}

/// Reads the fields: from JSON on standard input when `json` is set,
/// otherwise at a terminal prompt. `flags` are boolean keys JSON may carry.
pub fn read(json: bool, fields: &[Field], flags: &[&'static str]) -> Result<Answers> {
    let answers = if json {
        from_json(&read_stdin()?, fields, flags)?
    } else {
        prompt_all(fields)?
    };
    for f in fields.iter().filter(|f| f.required) {
        if answers.get(f.key).is_none() {
            return Err(CliError::FieldMissing {
                label: f.label,
                key: f.key,
            }
            .into());
        }
    }
    Ok(answers)
}

/// Reads one value, e.g. the phone or kana to search for: a JSON object
/// with one of `keys`, or a plain line on standard input, or a prompt.
/// Returns the key it came under (`None` for a plain line or a prompt).
pub fn read_one(
    json: bool,
    keys: &[&'static str],
    label: &'static str,
) -> Result<(Option<String>, String)> {
    let stdin = std::io::stdin();
    if json || !stdin.is_terminal() {
        let text = read_stdin()?;
        let trimmed = text.trim_start();
        if json || trimmed.starts_with('{') {
            let fields: Vec<Field> = keys
                .iter()
                .map(|k| Field {
                    key: k,
                    label,
                    required: false,
                })
                .collect();
            let answers = from_json(&text, &fields, &[])?;
            let found: Vec<_> = keys
                .iter()
                .filter_map(|k| answers.get(k).map(|v| (k.to_string(), v)))
                .collect();
            return match found.as_slice() {
                [(k, v)] => Ok((Some(k.clone()), v.clone())),
                _ => Err(CliError::JsonOneOf {
                    keys: keys.join(", "),
                }
                .into()),
            };
        }
        let line = trimmed.lines().next().unwrap_or_default().trim().to_owned();
        if line.is_empty() {
            return Err(CliError::StdinLineMissing { label }.into());
        }
        return Ok((None, line));
    }
    let v = prompt(label)?;
    if v.trim().is_empty() {
        return Err(CliError::ValueMissing { label }.into());
    }
    Ok((None, v.trim().to_owned()))
}

fn read_stdin() -> Result<Zeroizing<String>> {
    let mut buf = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .take(MAX_JSON_BYTES + 1)
        .read_to_string(&mut buf)
        .map_err(|e| CliError::StdinUnreadable {
            io_failure: e.kind() != std::io::ErrorKind::InvalidData,
        })?;
    if buf.len() as u64 > MAX_JSON_BYTES {
        return Err(CliError::StdinTooLong {
            most_kib: MAX_JSON_BYTES / 1024,
        }
        .into());
    }
    Ok(buf)
}

/// Parses the JSON object. Messages name keys and positions, never values.
fn from_json(text: &str, fields: &[Field], flags: &[&'static str]) -> Result<Answers> {
    let map: Map<String, Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(CliError::JsonNotObject.into());
        }
        Err(e) => {
            return Err(CliError::JsonSyntax {
                line: e.line(),
                column: e.column(),
            }
            .into());
        }
    };
    let mut values = Vec::new();
    let mut flag_values = Vec::new();
    for (key, value) in &map {
        if let Some(f) = fields.iter().find(|f| f.key == key) {
            match value {
                Value::String(s) => values.push((f.key, Zeroizing::new(s.clone()))),
                Value::Null => {}
                _ => {
                    return Err(CliError::JsonNotString { key: f.key }.into());
                }
            }
        } else if let Some(k) = flags.iter().copied().find(|k| *k == key) {
            match value {
                Value::Bool(b) => flag_values.push((k, *b)),
                _ => {
                    return Err(CliError::JsonNotBool { key: k }.into());
                }
            }
        } else {
            let known: Vec<&str> = fields
                .iter()
                .map(|f| f.key)
                .chain(flags.iter().copied())
                .collect();
            // Keys are field names typed by staff, not personal values,
            // but only the first 20 characters are shown in case of a slip.
            let shown: String = key.chars().take(20).collect();
            return Err(CliError::JsonUnknownKey {
                shown,
                known: known.join(", "),
            }
            .into());
        }
    }
    Ok(Answers {
        values,
        flags: flag_values,
    })
}

fn prompt_all(fields: &[Field]) -> Result<Answers> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::NoTerminalForInput.into());
    }
    let mut values = Vec::new();
    for f in fields {
        let label = if f.required {
            f.label.to_owned()
        } else {
            format!("{}（なければ空のまま Enter）", f.label)
        };
        values.push((f.key, prompt(&label)?));
    }
    Ok(Answers {
        values,
        flags: Vec::new(),
    })
}

/// Asks one question at the terminal; the answer is shown as typed (staff
/// read it back to the resident), but never passes through argv.
fn prompt(label: &str) -> Result<Zeroizing<String>> {
    let mut err = std::io::stderr().lock();
    write!(err, "{label}: ")?;
    err.flush()?;
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(Zeroizing::new(
        line.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[
        Field {
            key: "name",
            label: "氏名",
            required: true,
        },
        Field {
            key: "address",
            label: "住所",
            required: false,
        },
    ];

    #[test]
    fn json_fields_and_flags_are_read() {
        let a = from_json(
            r#"{"name": "試験 花子", "address": null, "ward_provided": true}"#,
            FIELDS,
            &["ward_provided"],
        )
        .unwrap();
        assert_eq!(a.get("name").as_deref(), Some("試験 花子"));
        assert_eq!(a.get("address"), None);
        assert!(a.flag("ward_provided"));
    }

    #[test]
    fn json_errors_name_the_key_not_the_value() {
        let e = from_json(r#"{"nmae": "試験 花子"}"#, FIELDS, &[]).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("nmae") && m.contains("name") && !m.contains("花子"),
            "{m}"
        );
        let e = from_json(r#"{"name": 12}"#, FIELDS, &[]).unwrap_err();
        assert!(e.to_string().contains("文字列"));
        let e = from_json("{\"name\": \"試験 花子\"", FIELDS, &[]).unwrap_err();
        assert!(!e.to_string().contains("花子"));
        let e = from_json("[]", FIELDS, &[]).unwrap_err();
        assert!(e.to_string().contains("オブジェクト"));
    }
}
