//! Suppressions and baselines (SPEC §3): marks findings that a team has accepted, so that only
//! new problems fail the gate, while the accepted ones stay visible in every report.
//!
//! Two sources mark a finding: a `[[suppress]]` entry of the config file ([`crate::config`]) and
//! a baseline file written by `--write-baseline`. A suppressed finding keeps its status and gains
//! a [`Suppression`]; reports count it apart and the exit code ignores it.
//!
//! A baseline holds each non-passing finding's [`Fingerprint`]: rule, target, volume and
//! resource, with AWS account ids replaced by a placeholder, so that the same problem has the same
//! fingerprint whether it was read live or from a snapshot, and whether the snapshot's account ids
//! were redacted or not.
//!
//! Depends on: the rule registry, the report model and serde. Prints nothing.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::{Config, Date, SuppressEntry};
use crate::report::{Report, TargetInfo};
use crate::rules::{Finding, Status};
pub use crate::rules::{SuppressedBy, Suppression};

/// The baseline format version this build reads and writes.
pub const BASELINE_VERSION: u64 = 1;

/// Why a baseline file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not a baseline of a version this build reads.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// The identity of a finding across runs: rule, target, volume and resource, with account ids
/// normalised (see [`normalise_accounts`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    /// Rule id.
    pub rule: String,
    /// Target kind and label: `service prod/web`, `task-definition web`, `task prod/0abc...`.
    pub target: String,
    /// Task-definition volume name.
    pub volume: Option<String>,
    /// The resource blamed.
    pub resource: Option<String>,
}

impl Fingerprint {
    /// The fingerprint of a finding of a report.
    pub fn of(report: &Report, finding: &Finding) -> Self {
        Self {
            rule: finding.rule.id.to_owned(),
            target: report
                .target_of(finding)
                .map_or_else(String::new, target_key),
            volume: finding.volume.clone(),
            resource: finding.resource.as_deref().map(normalise_accounts),
        }
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}", self.rule, self.target)?;
        if let Some(v) = &self.volume {
            write!(f, " volume {v}")?;
        }
        if let Some(r) = &self.resource {
            write!(f, " resource {r}")?;
        }
        Ok(())
    }
}

fn target_key(t: &TargetInfo) -> String {
    normalise_accounts(&format!("{} {}", t.kind.as_str(), t.label()))
}

/// Replaces AWS account ids with `{account}`: the account field of every ARN whatever it holds
/// (a real id or a redacted one) and any other run of exactly 12 digits.
pub fn normalise_accounts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for token in text.split_inclusive(char::is_whitespace) {
        if token.starts_with("arn:") {
            // arn:partition:service:region:account:resource
            let mut parts: Vec<&str> = token.splitn(6, ':').collect();
            if parts.len() == 6 && !parts[4].is_empty() {
                parts[4] = "{account}";
            }
            out.push_str(&digits_to_placeholder(&parts.join(":")));
        } else {
            out.push_str(&digits_to_placeholder(token));
        }
    }
    out
}

fn digits_to_placeholder(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 12 {
            out.push_str("{account}");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version, [`BASELINE_VERSION`].
    pub efs_preflight_baseline: u64,
    /// The tool that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// The reason reports give for findings it suppresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The accepted findings, sorted.
    pub findings: Vec<Fingerprint>,
}

impl Baseline {
    /// The baseline of every non-passing finding of a report.
    pub fn of(report: &Report) -> Self {
        let findings: BTreeSet<Fingerprint> = report
            .findings
            .iter()
            .filter(|f| f.status != Status::Pass)
            .map(|f| Fingerprint::of(report, f))
            .collect();
        Self {
            efs_preflight_baseline: BASELINE_VERSION,
            tool: Some(report.tool.clone()),
            reason: None,
            findings: findings.into_iter().collect(),
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

/// Reads a baseline file.
pub fn load_baseline(path: &Path) -> Result<Baseline, BaselineError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
        path: name.clone(),
        source,
    })?;
    baseline_from_str(&text, &name)
}

/// Parses baseline text; `name` names it in errors.
pub fn baseline_from_str(text: &str, name: &str) -> Result<Baseline, BaselineError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |line, column, message: String| BaselineError::Invalid {
        path: name.to_owned(),
        line,
        column,
        message,
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(e.line(), e.column(), e.to_string()))?;
    match value.get("efs_preflight_baseline").and_then(serde_json::Value::as_u64) {
        Some(BASELINE_VERSION) => {}
        Some(v) => {
            return Err(invalid(
                1,
                1,
                format!("`efs_preflight_baseline` is {v}, but this efs-preflight reads version {BASELINE_VERSION}"),
            ))
        }
        None => {
            return Err(invalid(
                1,
                1,
                "missing field `efs_preflight_baseline`: this is not an efs-preflight baseline (write one with `efs-preflight check --write-baseline FILE`)".to_owned(),
            ))
        }
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        invalid(
            inner.line(),
            inner.column(),
            format!("at {}: {inner}", e.path()),
        )
    })
}

/// What applying suppressions found worth telling the user.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Config entries that expired and no longer apply.
    pub expired: Vec<SuppressEntry>,
    /// Baseline entries that match no finding of this run.
    pub stale: Vec<Fingerprint>,
    /// Findings suppressed by the config file.
    pub by_config: usize,
    /// Findings suppressed by the baseline.
    pub by_baseline: usize,
}

/// Marks the report's non-passing findings that a config entry (active on `today`) or a
/// baseline entry accepts. Config entries win over the baseline.
pub fn apply(
    report: &mut Report,
    config: Option<&Config>,
    baseline: Option<&Baseline>,
    today: Date,
) -> Outcome {
    let mut outcome = Outcome::default();
    let active: Vec<&SuppressEntry> = match config {
        Some(c) => {
            outcome.expired = c.expired(today).cloned().collect();
            c.active(today).collect()
        }
        None => Vec::new(),
    };
    let baseline_reason = baseline.map(|b| {
        b.reason
            .clone()
            .unwrap_or_else(|| "accepted in the baseline".to_owned())
    });
    let entries: HashSet<&Fingerprint> = baseline
        .map(|b| b.findings.iter().collect())
        .unwrap_or_default();
    let mut matched: HashSet<Fingerprint> = HashSet::new();
    let mut marks: Vec<Option<Suppression>> = Vec::with_capacity(report.findings.len());
    for f in &report.findings {
        if f.status == Status::Pass {
            marks.push(None);
            continue;
        }
        let target = report.target_of(f);
        if let Some(entry) = active.iter().find(|e| entry_matches(e, f, target)) {
            marks.push(Some(Suppression {
                by: SuppressedBy::Config,
                reason: entry.reason.clone(),
            }));
            outcome.by_config += 1;
            if !entries.is_empty() {
                let fp = Fingerprint::of(report, f);
                if entries.contains(&fp) {
                    matched.insert(fp);
                }
            }
            continue;
        }
        if entries.is_empty() {
            marks.push(None);
            continue;
        }
        let fp = Fingerprint::of(report, f);
        if entries.contains(&fp) {
            marks.push(Some(Suppression {
                by: SuppressedBy::Baseline,
                reason: baseline_reason.clone().unwrap_or_default(),
            }));
            outcome.by_baseline += 1;
            matched.insert(fp);
        } else {
            marks.push(None);
        }
    }
    for (f, mark) in report.findings.iter_mut().zip(marks) {
        if let Some(m) = mark {
            f.suppressed = Some(Box::new(m));
        }
    }
    if let Some(b) = baseline {
        outcome.stale = b
            .findings
            .iter()
            .filter(|fp| !matched.contains(*fp))
            .cloned()
            .collect();
    }
    outcome
}

fn entry_matches(entry: &SuppressEntry, f: &Finding, target: Option<&TargetInfo>) -> bool {
    if entry.rule.id != f.rule.id {
        return false;
    }
    if let Some(want) = &entry.target {
        let Some(t) = target else { return false };
        let mut names = vec![t.label(), t.name.clone()];
        names.extend(t.arn.clone());
        if let Some(origin) = &t.origin {
            names.push(origin.clone());
            if let Some((_, address)) = origin.split_once('#') {
                names.push(address.to_owned());
            }
        }
        if !names.iter().any(|n| glob_matches(want, n)) {
            return false;
        }
    }
    if let Some(want) = &entry.resource {
        let Some(have) = f.resource.as_deref() else {
            return false;
        };
        if !glob_matches(want, have)
            && !glob_matches(&normalise_accounts(want), &normalise_accounts(have))
        {
            return false;
        }
    }
    true
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, rest) = (parts[0], &parts[1..]);
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let last = rest.len() - 1;
    for (i, part) in rest.iter().enumerate() {
        if i == last {
            return remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_normalised() {
        assert_eq!(
            normalise_accounts("arn:aws:iam::123456789012:role/app"),
            "arn:aws:iam::{account}:role/app"
        );
        assert_eq!(
            normalise_accounts("arn:aws:iam::REDACTED:role/app"),
            "arn:aws:iam::{account}:role/app"
        );
        assert_eq!(
            normalise_accounts("arn:aws:ecs:us-east-1:123456789012:service/prod/web"),
            "arn:aws:ecs:us-east-1:{account}:service/prod/web"
        );
        // Global ARNs have no account; other digit runs stay.
        assert_eq!(
            normalise_accounts("arn:aws:s3:::bucket-1"),
            "arn:aws:s3:::bucket-1"
        );
        assert_eq!(
            normalise_accounts("subnet-0123456789abcdef0"),
            "subnet-0123456789abcdef0"
        );
        assert_eq!(normalise_accounts("pl-1234567890123"), "pl-1234567890123");
        assert_eq!(
            normalise_accounts("sg-0abc (123456789012/sg-1)"),
            "sg-0abc ({account}/sg-1)"
        );
    }

    #[test]
    fn globs() {
        assert!(glob_matches("prod/*", "prod/web"));
        assert!(glob_matches("*/web", "prod/web"));
        assert!(glob_matches("p*d/w*b", "prod/web"));
        assert!(glob_matches("*", ""));
        assert!(!glob_matches("prod/*", "staging/web"));
        assert!(!glob_matches("prod/web", "prod/web2"));
        assert!(!glob_matches("*/web", "prod/web2"));
    }

    #[test]
    fn baselines_round_trip_and_reject_other_files() {
        let b = Baseline {
            efs_preflight_baseline: 1,
            tool: Some("efs-preflight 0.1.0".into()),
            reason: None,
            findings: vec![Fingerprint {
                rule: "NET001".into(),
                target: "service prod/web".into(),
                volume: Some("data".into()),
                resource: Some("subnet-0abc".into()),
            }],
        };
        let back = baseline_from_str(&b.to_json(), "b.json").unwrap();
        assert_eq!(back.findings, b.findings);
        let e = baseline_from_str("{\"efs_preflight_snapshot\": 1}", "b.json").unwrap_err();
        assert!(
            e.to_string()
                .contains("missing field `efs_preflight_baseline`"),
            "{e}"
        );
        let e = baseline_from_str(
            "{\"efs_preflight_baseline\": 2, \"findings\": []}",
            "b.json",
        )
        .unwrap_err();
        assert!(e.to_string().contains("reads version 1"), "{e}");
        let e = baseline_from_str(
            "{\"efs_preflight_baseline\": 1,\n \"findings\": [{\"rule\": \"NET001\", \"target\": 3}]}",
            "b.json",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("b.json:2:"), "{e}");
        assert!(e.to_string().contains("findings[0].target"), "{e}");
    }
}
