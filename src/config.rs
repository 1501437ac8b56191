//! The team's config file, `.efs-preflight.toml` (SPEC §2 `--config`, §3 "Suppressions and
//! baselines"): reviewed exceptions (`[[suppress]]` entries, each with a reason and an optional
//! expiry date) and defaults for the flags a team wants fixed (`fail_on`, `format`, `rules`,
//! `skip_rules`, `snapshot`). Flags given on the command line win over these defaults.
//!
//! The file is validated strictly: an unknown key, a missing `reason`, an unknown rule or a bad
//! date is a [`ConfigError`] naming the file, line, column and key (exit 2), so that a typo never
//! silently turns an exception off or on.
//!
//! Depends on: `toml` and serde, and the rule registry (to check rule ids). No I/O beyond reading
//! the one file; prints nothing.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::rules::{self, Rule};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = ".efs-preflight.toml";

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read the config file: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not valid TOML, an unknown key, a missing required key or a bad value.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, naming the key.
        message: String,
    },
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day of the month, 1-31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists (leap years included).
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |r: Range<usize>| -> Option<u32> {
            let part = text.get(r)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let year = i32::try_from(digits(0..4)?).ok()?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// One reviewed exception: findings of `rule` (optionally only on `target` and `resource`) are
/// suppressed, with `reason`, until `expires`.
#[derive(Debug, Clone)]
pub struct SuppressEntry {
    /// The rule.
    pub rule: &'static Rule,
    /// `cluster/service`, a task-definition family, an ARN or an IaC origin (`*` matches any
    /// run of characters); `None` means every target.
    pub target: Option<String>,
    /// The resource id (or ARN); `None` means every resource.
    pub resource: Option<String>,
    /// Why the exception is accepted.
    pub reason: String,
    /// The last day the entry applies.
    pub expires: Option<Date>,
    /// The line of the entry in its file.
    pub line: usize,
}

/// Flag defaults from the config file.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// `--fail-on`: `error`, `warning` or `unknown`.
    pub fail_on: Option<String>,
    /// `--format`.
    pub format: Option<String>,
    /// `--rule` ids.
    pub rules: Vec<String>,
    /// `--skip-rule` ids.
    pub skip_rules: Vec<String>,
    /// `--snapshot`, relative to the config file's directory.
    pub snapshot: Option<PathBuf>,
}

/// A loaded, validated config file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (for messages).
    pub path: String,
    /// The `[[suppress]]` entries, in file order.
    pub suppress: Vec<SuppressEntry>,
    /// Flag defaults.
    pub defaults: Defaults,
}

impl Config {
    /// Entries whose expiry date is before `today`: they no longer apply.
    pub fn expired(&self, today: Date) -> impl Iterator<Item = &SuppressEntry> {
        self.suppress
            .iter()
            .filter(move |e| e.expires.is_some_and(|d| d < today))
    }

    /// Entries that apply on `today`.
    pub fn active(&self, today: Date) -> impl Iterator<Item = &SuppressEntry> {
        self.suppress
            .iter()
            .filter(move |e| e.expires.is_none_or(|d| d >= today))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppress>>,
    fail_on: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    #[serde(default)]
    skip_rules: Vec<Spanned<String>>,
    snapshot: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    rule: Spanned<String>,
    target: Option<String>,
    resource: Option<String>,
    reason: Spanned<String>,
    expires: Option<Spanned<toml::Value>>,
}

/// Finds the config file: `explicit` (which must exist), else [`DEFAULT_FILE`] in `dir` when it
/// exists.
pub fn locate(explicit: Option<&Path>, dir: &Path) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let p = if dir == Path::new(".") {
                PathBuf::from(DEFAULT_FILE)
            } else {
                dir.join(DEFAULT_FILE)
            };
            p.is_file().then_some(p)
        }
    }
}

/// Reads and validates a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: name.clone(),
        source,
    })?;
    let mut config = from_str(&text, &name)?;
    if let Some(snapshot) = &mut config.defaults.snapshot {
        if snapshot.is_relative() {
            if let Some(dir) = path.parent() {
                *snapshot = dir.join(&*snapshot);
            }
        }
    }
    Ok(config)
}

/// Parses and validates config text; `name` names it in errors.
pub fn from_str(text: &str, name: &str) -> Result<Config, ConfigError> {
    let invalid = |span: Option<Range<usize>>, message: String| {
        let (line, column) = span.map_or((1, 1), |s| line_column(text, s.start));
        ConfigError::Invalid {
            path: name.to_owned(),
            line,
            column,
            message,
        }
    };
    let raw: RawConfig =
        toml::from_str(text).map_err(|e| invalid(e.span(), e.message().trim().to_owned()))?;
    let mut suppress = Vec::new();
    for entry in raw.suppress {
        let (line, _) = line_column(text, entry.span().start);
        let entry = entry.into_inner();
        let rule = rules::find(entry.rule.get_ref().trim()).ok_or_else(|| {
            invalid(
                Some(entry.rule.span()),
                format!(
                    "key `rule`: unknown rule `{}` (run `efs-preflight rules` for the list)",
                    entry.rule.get_ref()
                ),
            )
        })?;
        if entry.reason.get_ref().trim().is_empty() {
            return Err(invalid(
                Some(entry.reason.span()),
                "key `reason`: must say why the exception is accepted".to_owned(),
            ));
        }
        let expires = match &entry.expires {
            None => None,
            Some(value) => Some(expiry_date(value.get_ref()).ok_or_else(|| {
                invalid(
                    Some(value.span()),
                    format!(
                        "key `expires`: expected a date as \"YYYY-MM-DD\", found {}",
                        value.get_ref()
                    ),
                )
            })?),
        };
        suppress.push(SuppressEntry {
            rule,
            target: entry.target.filter(|t| !t.trim().is_empty()),
            resource: entry.resource.filter(|r| !r.trim().is_empty()),
            reason: entry.reason.into_inner().trim().to_owned(),
            expires,
            line,
        });
    }
    let one_of = |key: &str, value: &Option<Spanned<String>>, allowed: &[&str]| match value {
        Some(v) if !allowed.contains(&v.get_ref().as_str()) => Err(invalid(
            Some(v.span()),
            format!(
                "key `{key}`: `{}` is not one of {}",
                v.get_ref(),
                allowed.join(", ")
            ),
        )),
        _ => Ok(value.as_ref().map(|v| v.get_ref().clone())),
    };
    let fail_on = one_of("fail_on", &raw.fail_on, &["error", "warning", "unknown"])?;
    let format = one_of(
        "format",
        &raw.format,
        &["table", "json", "sarif", "junit", "markdown"],
    )?;
    let rule_ids = |key: &str, ids: Vec<Spanned<String>>| -> Result<Vec<String>, ConfigError> {
        ids.into_iter()
            .map(|id| {
                if rules::find(id.get_ref().trim()).is_some() {
                    Ok(id.into_inner())
                } else {
                    Err(invalid(
                        Some(id.span()),
                        format!(
                            "key `{key}`: unknown rule `{}` (run `efs-preflight rules` for the list)",
                            id.get_ref()
                        ),
                    ))
                }
            })
            .collect()
    };
    Ok(Config {
        path: name.to_owned(),
        suppress,
        defaults: Defaults {
            fail_on,
            format,
            rules: rule_ids("rules", raw.rules)?,
            skip_rules: rule_ids("skip_rules", raw.skip_rules)?,
            snapshot: raw.snapshot.map(PathBuf::from),
        },
    })
}

/// A TOML string `"2027-03-31"` or a TOML local date `2027-03-31`.
fn expiry_date(value: &toml::Value) -> Option<Date> {
    match value {
        toml::Value::String(s) => Date::parse(s.trim()),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            Date::parse(&dt.to_string())
        }
        _ => None,
    }
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.chars().count(), |nl| {
        before[nl + 1..].chars().count()
    }) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        from_str(text, "team.toml").unwrap_err().to_string()
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            Date::parse("2027-03-31"),
            Some(Date {
                year: 2027,
                month: 3,
                day: 31
            })
        );
        assert!(Date::parse("2028-02-29").is_some());
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-04-31",
            "27-03-31",
            "2027/03/31",
            "2027-3-31",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_527).to_string(),
            "2026-03-15"
        );
    }

    #[test]
    fn a_full_file_loads() {
        let c = from_str(
            r#"
fail_on = "warning"
format = "json"
rules = ["NET001", "nacl-blocks-nfs"]
skip_rules = ["DNS003"]

[[suppress]]
rule = "NET007"
target = "prod/web"
resource = "acl-0123456789abcdef0"
reason = "NACL owned by the network team, exception NET-142"
expires = "2027-03-31"

[[suppress]]
rule = "dns-hostnames"
reason = "x"
"#,
            "team.toml",
        );
        let e = c.unwrap_err().to_string();
        assert!(
            e.starts_with("team.toml:15:8: key `rule`: unknown rule `dns-hostnames`"),
            "{e}"
        );
        let c = from_str(
            r#"
fail_on = "warning"
rules = ["NET001", "nacl-blocks-nfs"]

[[suppress]]
rule = "NET007"
target = "prod/web"
resource = "acl-0123456789abcdef0"
reason = "NACL owned by the network team, exception NET-142"
expires = 2027-03-31

[[suppress]]
rule = "dns003"
reason = "Resolver is ours"
"#,
            "team.toml",
        )
        .unwrap();
        assert_eq!(c.defaults.fail_on.as_deref(), Some("warning"));
        assert_eq!(c.defaults.rules.len(), 2);
        assert_eq!(c.suppress.len(), 2);
        assert_eq!(c.suppress[0].rule.id, "NET007");
        assert_eq!(c.suppress[0].line, 5);
        assert_eq!(
            c.suppress[0].expires.map(|d| d.to_string()).as_deref(),
            Some("2027-03-31")
        );
        assert_eq!(c.suppress[1].rule.id, "DNS003");
        let today = Date::parse("2027-04-01").unwrap();
        assert_eq!(c.expired(today).count(), 1);
        assert_eq!(c.active(today).count(), 1);
        let last_day = Date::parse("2027-03-31").unwrap();
        assert_eq!(c.expired(last_day).count(), 0);
    }

    #[test]
    fn invalid_files_name_line_and_key() {
        let e = err("[[suppress]]\nrule = \"NET007\"\n");
        assert!(
            e.starts_with("team.toml:1:1:") && e.contains("`reason`"),
            "{e}"
        );
        let e = err("[[suppress]]\nrule = \"NET007\"\nreason = \"r\"\nreson = \"typo\"\n");
        assert!(
            e.starts_with("team.toml:4:1:") && e.contains("`reson`"),
            "{e}"
        );
        let e = err("[[suppress]]\nrule = \"NET007\"\nreason = \"r\"\nexpires = \"31/03/2027\"\n");
        assert!(e.starts_with("team.toml:4:11: key `expires`"), "{e}");
        let e = err("[[suppress]]\nrule = \"NET007\"\nreason = \"r\"\nexpires = \"2027-02-30\"\n");
        assert!(e.contains("key `expires`"), "{e}");
        let e = err("[[suppress]]\nrule = \"NET007\"\nreason = \"  \"\n");
        assert!(e.starts_with("team.toml:3:10: key `reason`"), "{e}");
        let e = err("fail_on = \"never\"\n");
        assert!(e.starts_with("team.toml:1:11: key `fail_on`"), "{e}");
        let e = err("failon = \"error\"\n");
        assert!(
            e.starts_with("team.toml:1:1:") && e.contains("`failon`"),
            "{e}"
        );
        let e = err("skip_rules = [\"NET999\"]\n");
        assert!(e.contains("key `skip_rules`: unknown rule `NET999`"), "{e}");
        let e = err("[[suppress]\n");
        assert!(e.starts_with("team.toml:1:"), "{e}");
    }
}
