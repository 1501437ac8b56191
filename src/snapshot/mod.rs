//! Snapshot loading and saving: the seam between collection and everything after it.
//!
//! A snapshot is one JSON file in the format of SPEC §5 (`model`). The loader turns bad input into
//! a [`SnapshotError`] that names the file, the line and column, the JSON path and what was
//! expected; it never panics. The writer redacts container environment values.
//!
//! Depends on: serde only. Must not depend on rules, reports or the AWS SDK.

pub mod model;
pub mod policy;

use std::fmt;
use std::path::Path;

use serde::Deserialize;

pub use model::*;
pub use policy::PolicyDocument;

/// Why a snapshot (or another JSON input) could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file could not be read.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not valid JSON, or a value of the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What went wrong, with the JSON path and what was expected.
        message: String,
    },
    /// No `efs_preflight_snapshot` key.
    #[error("{path}: missing field `efs_preflight_snapshot`: this is not an efs-preflight snapshot (expected a JSON object such as {{\"efs_preflight_snapshot\": 1, \"region\": \"us-east-1\", ...}}; see the README, \"Build a snapshot by hand\")")]
    MissingVersion {
        /// The file.
        path: String,
    },
    /// A version this build cannot read.
    #[error("{path}: `efs_preflight_snapshot` is {found}, but this efs-preflight reads version {supported}{hint}")]
    UnsupportedVersion {
        /// The file.
        path: String,
        /// The version in the file.
        found: String,
        /// The version this build reads.
        supported: u64,
        /// Advice.
        hint: &'static str,
    },
}

/// Gap call name for values a Terraform plan knows only after apply.
pub const TERRAFORM_CALL: &str = "terraform:plan";
/// Gap call name for values a CloudFormation template cannot resolve before deployment.
pub const CLOUDFORMATION_CALL: &str = "cloudformation:template";

impl Gap {
    /// Whether the gap records an infrastructure-as-code value that is unknown before
    /// deployment (rather than a call that failed).
    pub fn is_iac(&self) -> bool {
        self.call == TERRAFORM_CALL || self.call == CLOUDFORMATION_CALL
    }
}

/// Which estates (accounts x Regions) of a multi-estate snapshot to use; empty = all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstateFilter {
    /// Account ids.
    pub accounts: Vec<String>,
    /// Region names.
    pub regions: Vec<String>,
}

impl EstateFilter {
    /// Whether an estate of this account and Region is selected (an estate whose account or
    /// Region is not recorded is selected only when that dimension is not filtered).
    pub fn selects(&self, account: Option<&str>, region: Option<&str>) -> bool {
        let hit = |want: &[String], have: Option<&str>| {
            want.is_empty() || have.is_some_and(|h| want.iter().any(|w| w == h))
        };
        hit(&self.accounts, account) && hit(&self.regions, region)
    }

    /// Whether anything is filtered.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.regions.is_empty()
    }
}

impl Snapshot {
    /// Whether the file holds several estates (`estates`) instead of top-level sections.
    pub fn is_multi_estate(&self) -> bool {
        !self.estates.is_empty()
    }

    /// The estates of the file, in file order, filtered: the `estates` list (each inheriting
    /// the file's `collected_at` and `tool` when it has none), or the file itself as one estate.
    pub fn into_estates(mut self, filter: &EstateFilter) -> Vec<Snapshot> {
        let estates = if self.estates.is_empty() {
            vec![self]
        } else {
            let mut estates = std::mem::take(&mut self.estates);
            for e in &mut estates {
                if e.collected_at.is_none() {
                    e.collected_at.clone_from(&self.collected_at);
                }
                if e.tool.is_none() {
                    e.tool.clone_from(&self.tool);
                }
                e.efs_preflight_snapshot = self.efs_preflight_snapshot;
            }
            estates
        };
        estates
            .into_iter()
            .filter(|e| filter.selects(e.account_id.as_deref(), e.region.as_deref()))
            .collect()
    }

    /// Turns the estates an interrupted collection did not read (`incomplete.pending`) into
    /// estates that hold only a gap saying so, for a check of the file: each is reported as not
    /// read, never as passing.
    pub fn settle_pending(&mut self) {
        let Some(incomplete) = self.incomplete.take() else {
            return;
        };
        for id in incomplete.pending {
            self.estates.push(Snapshot {
                account_id: Some(id.account_id),
                region: Some(id.region),
                gaps: vec![Gap {
                    call: "efs-preflight:snapshot".to_owned(),
                    resource: None,
                    error: "not read yet: the collection of this snapshot was interrupted; complete it with `efs-preflight snapshot --resume FILE`".to_owned(),
                }],
                ..Snapshot::default()
            });
        }
    }

    /// `account/region` of an estate, for messages (`?` where not recorded).
    pub fn estate_label(&self) -> String {
        format!(
            "{}/{}",
            self.account_id.as_deref().unwrap_or("?"),
            self.region.as_deref().unwrap_or("?")
        )
    }
}

/// Where a JSON input came from, for error messages.
#[derive(Debug, Clone)]
pub struct Source(String);

impl Source {
    /// Names a source.
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads and validates a snapshot file.
pub fn load(path: &Path) -> Result<Snapshot, SnapshotError> {
    let text = read_text(path)?;
    from_str(&text, &path.display().to_string())
}

/// Reads a file as text (`-` is stdin): UTF-8 with or without a byte-order mark, or UTF-16
/// (what Windows PowerShell's `>` writes). Anything else is an error that says which encoding
/// was seen and how to re-save the file.
pub fn read_text(path: &Path) -> Result<String, SnapshotError> {
    let name = path.display().to_string();
    let bytes = if path == Path::new("-") {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).map_err(|source| {
            SnapshotError::Io {
                path: name.clone(),
                source,
            }
        })?;
        b
    } else {
        std::fs::read(path).map_err(|source| SnapshotError::Io {
            path: name.clone(),
            source,
        })?
    };
    decode_owned(bytes, &name)
}

const RESAVE: &str = "re-save it as UTF-8 (PowerShell: `Get-Content FILE | Set-Content -Encoding utf8 NEW`; elsewhere: `iconv -t UTF-8 FILE > NEW`)";

/// Decodes file bytes: a UTF-8 byte-order mark is dropped, UTF-16 (with a byte-order mark, or
/// recognised by its zero bytes around ASCII text) is converted.
pub fn decode_text(bytes: &[u8], name: &str) -> Result<String, SnapshotError> {
    decode_owned(bytes.to_vec(), name)
}

/// [`decode_text`] of bytes read into memory: UTF-8 text (nearly every file) becomes the
/// string in place, validated once and never copied.
fn decode_owned(mut bytes: Vec<u8>, name: &str) -> Result<String, SnapshotError> {
    let utf16 = |body: &[u8], little: bool, label: &str| -> Result<String, SnapshotError> {
        let bad = |message: String| SnapshotError::Parse {
            path: name.to_owned(),
            line: 1,
            column: 1,
            message,
        };
        if !body.len().is_multiple_of(2) {
            return Err(bad(format!(
                "the file looks like {label} but has an odd number of bytes (truncated?); {RESAVE}"
            )));
        }
        let units = body.chunks_exact(2).map(|c| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| {
                bad(format!(
                    "the file looks like {label} but holds an unpaired surrogate 0x{:04X}; {RESAVE}",
                    e.unpaired_surrogate()
                ))
            })
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        return utf8(bytes, name, "UTF-8 with a byte-order mark");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true, "UTF-16LE (byte-order mark FF FE)");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false, "UTF-16BE (byte-order mark FE FF)");
    }
    // UTF-16 without a byte-order mark: ASCII text with every other byte zero.
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        let head = &bytes[..bytes.len().min(64)];
        let zero_odd = head.iter().skip(1).step_by(2).all(|b| *b == 0);
        let zero_even = head.iter().step_by(2).all(|b| *b == 0);
        if zero_odd && !zero_even {
            return utf16(&bytes, true, "UTF-16LE (no byte-order mark)");
        }
        if zero_even && !zero_odd {
            return utf16(&bytes, false, "UTF-16BE (no byte-order mark)");
        }
    }
    utf8(bytes, name, "UTF-8")
}

fn utf8(bytes: Vec<u8>, name: &str, label: &str) -> Result<String, SnapshotError> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.as_bytes();
            let e = e.utf8_error();
            let valid = &bytes[..e.valid_up_to()];
            let before = String::from_utf8_lossy(valid);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            Err(SnapshotError::Parse {
                path: name.to_owned(),
                line,
                column,
                message: format!(
                    "the file is not valid {label}: byte 0x{byte:02X} cannot start a UTF-8 character (the file may be Windows-1252 / Latin-1); {RESAVE}"
                ),
            })
        }
    }
}

/// Parses and validates a snapshot from text; `name` is used in error messages.
pub fn from_str(text: &str, name: &str) -> Result<Snapshot, SnapshotError> {
    expect_object(
        text,
        name,
        "a snapshot: {\"efs_preflight_snapshot\": 1, ...}",
    )?;
    match parse_typed::<Snapshot>(text, name) {
        Ok(mut snapshot) => {
            check_version(snapshot.efs_preflight_snapshot.map(|v| v.to_string()), name)?;
            check_estates(&snapshot, name)?;
            unwrap_task_definitions(&mut snapshot);
            merge_vpc_attributes(&mut snapshot);
            for estate in &mut snapshot.estates {
                unwrap_task_definitions(estate);
                merge_vpc_attributes(estate);
            }
            Ok(snapshot)
        }
        Err(err) => {
            // A file that is valid JSON but is not a snapshot, or is a newer one, gets that
            // explanation instead of a type error deep inside it.
            if let Ok(probe) = serde_json::from_str::<VersionProbe>(text) {
                let found = probe.efs_preflight_snapshot.map(|v| v.to_string());
                check_version(found, name)?;
            }
            Err(err)
        }
    }
}

/// A multi-estate file holds its state in `estates` only, one level deep.
fn check_estates(snapshot: &Snapshot, name: &str) -> Result<(), SnapshotError> {
    if snapshot.estates.is_empty() {
        return Ok(());
    }
    let invalid = |message: String| SnapshotError::Parse {
        path: name.to_owned(),
        line: 1,
        column: 1,
        message,
    };
    if has_sections(snapshot) {
        return Err(invalid("the file holds both `estates` and top-level sections (ec2, efs, ecs, iam, gaps); a multi-estate snapshot keeps every section inside its estates".to_owned()));
    }
    for (i, e) in snapshot.estates.iter().enumerate() {
        if !e.estates.is_empty() {
            return Err(invalid(format!(
                "estates[{i}] holds `estates` of its own; estates are one level deep"
            )));
        }
    }
    Ok(())
}

fn has_sections(s: &Snapshot) -> bool {
    !s.gaps.is_empty()
        || serde_json::to_value(&s.ec2).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()))
        || serde_json::to_value(&s.efs).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()))
        || serde_json::to_value(&s.ecs).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()))
        || serde_json::to_value(&s.iam).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()))
}

/// Accepts whole `describe-task-definition` answers (`{"taskDefinition": {...}}`) in
/// `ecs.taskDefinitions`, where SPEC §5 asks for the inner object: a hand-made snapshot often
/// holds the command's output as it is.
/// `describe-vpc-attribute` prints one attribute per call, so a hand-built snapshot may hold
/// two entries for one VPC: they are one.
fn merge_vpc_attributes(snapshot: &mut Snapshot) {
    let Some(list) = snapshot.ec2.vpc_attributes.as_mut() else {
        return;
    };
    let mut merged: Vec<model::VpcAttributes> = Vec::with_capacity(list.len());
    for entry in list.drain(..) {
        match merged.iter_mut().find(|m| m.vpc_id == entry.vpc_id) {
            Some(m) => {
                m.enable_dns_support = m.enable_dns_support.or(entry.enable_dns_support);
                m.enable_dns_hostnames = m.enable_dns_hostnames.or(entry.enable_dns_hostnames);
            }
            None => merged.push(entry),
        }
    }
    *list = merged;
}

fn unwrap_task_definitions(snapshot: &mut Snapshot) {
    for td in snapshot.ecs.task_definitions.iter_mut().flatten() {
        if let Some(inner) = td.wrapped.take() {
            *td = *inner;
        }
    }
}

/// Rejects input whose top-level value is not a JSON object (serde would otherwise read an
/// array as a struct's fields in order, with confusing messages).
pub fn expect_object(text: &str, name: &str, what: &str) -> Result<(), SnapshotError> {
    let Some((offset, first)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) else {
        return Err(SnapshotError::Parse {
            path: name.to_owned(),
            line: 1,
            column: 1,
            message: format!("the file is empty; expected {what}"),
        });
    };
    if first == '{' {
        return Ok(());
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    // Not an object: if it is JSON at all, say what it is; otherwise the parser says where the
    // syntax breaks.
    let found = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(_)) => "an array",
        Ok(serde_json::Value::String(_)) => "a string",
        Ok(serde_json::Value::Bool(_)) => "a boolean",
        Ok(serde_json::Value::Null) => "null",
        Ok(serde_json::Value::Number(_)) => "a number",
        Ok(serde_json::Value::Object(_)) | Err(_) => return Ok(()),
    };
    Err(SnapshotError::Parse {
        path: name.to_owned(),
        line,
        column,
        message: format!("expected a JSON object ({what}), found {found}"),
    })
}

#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    efs_preflight_snapshot: Option<serde_json::Value>,
}

fn check_version(found: Option<String>, name: &str) -> Result<(), SnapshotError> {
    let Some(found) = found else {
        return Err(SnapshotError::MissingVersion {
            path: name.to_owned(),
        });
    };
    if found == SNAPSHOT_VERSION.to_string() {
        return Ok(());
    }
    let newer = found.parse::<u64>().is_ok_and(|v| v > SNAPSHOT_VERSION);
    Err(SnapshotError::UnsupportedVersion {
        path: name.to_owned(),
        found,
        supported: SNAPSHOT_VERSION,
        hint: if newer {
            "; the snapshot was written by a newer efs-preflight: upgrade this one"
        } else {
            ""
        },
    })
}

/// Parses JSON text into `T` with a located, path-qualified error.
pub fn parse_typed<T: serde::de::DeserializeOwned>(
    text: &str,
    name: &str,
) -> Result<T, SnapshotError> {
    // Tracking the JSON path of every value costs a large part of a parse, and only an error
    // needs it: valid input is parsed directly, invalid input again with the path tracked (both
    // parses accept exactly the same input).
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(_) => parse_typed_located(text, name),
    }
}

fn parse_typed_located<T: serde::de::DeserializeOwned>(
    text: &str,
    name: &str,
) -> Result<T, SnapshotError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| located(name, &e.path().to_string(), e.inner()))?;
    de.end().map_err(|e| located(name, ".", &e))?;
    Ok(value)
}

fn located(name: &str, path: &str, e: &serde_json::Error) -> SnapshotError {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {line} column {column}");
    let bare = full.strip_suffix(&suffix).unwrap_or(&full);
    let message = match e.classify() {
        serde_json::error::Category::Eof => {
            format!("unexpected end of file (truncated JSON?): {bare}")
        }
        serde_json::error::Category::Syntax => format!("not valid JSON: {bare}"),
        serde_json::error::Category::Data if path != "." && !path.is_empty() => {
            format!("{path}: {bare}")
        }
        _ => bare.to_owned(),
    };
    SnapshotError::Parse {
        path: name.to_owned(),
        line,
        column,
        message,
    }
}

/// Writes a snapshot as pretty JSON, with container environment values redacted.
pub fn to_json_redacted(snapshot: &Snapshot) -> String {
    let mut copy = snapshot.clone();
    redact_estate(&mut copy);
    for estate in &mut copy.estates {
        redact_estate(estate);
    }
    serde_json::to_string_pretty(&copy).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn redact_estate(estate: &mut Snapshot) {
    if let Some(tds) = estate.ecs.task_definitions.as_mut() {
        for td in tds {
            redact_task_definition(td);
        }
    }
}

/// Replaces every container environment value with `REDACTED` (names are kept).
pub fn redact_task_definition(td: &mut TaskDefinition) {
    for c in &mut td.container_definitions {
        for kv in &mut c.environment {
            if kv.value.is_some() {
                kv.value = Some("REDACTED".to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        from_str(text, "snap.json").unwrap_err().to_string()
    }

    #[test]
    fn minimal_snapshot_loads_and_lists_are_not_collected() {
        let s = from_str(r#"{"efs_preflight_snapshot": 1}"#, "x").unwrap();
        assert!(s.ec2.subnets.is_none());
        assert!(s.efs.file_systems.is_none());
        let s = from_str(
            r#"{"efs_preflight_snapshot": 1, "ec2": {"Subnets": []}}"#,
            "x",
        )
        .unwrap();
        assert_eq!(s.ec2.subnets.map(|v| v.len()), Some(0));
    }

    #[test]
    fn whole_describe_task_definition_answers_are_unwrapped() {
        let s = from_str(
            r#"{"efs_preflight_snapshot": 1, "ecs": {"taskDefinitions": [
                {"taskDefinition": {"family": "web", "revision": 3}, "tags": []},
                {"family": "api", "revision": 1}]}}"#,
            "x",
        )
        .unwrap();
        let tds = s.ecs.task_definitions.unwrap();
        assert_eq!(tds[0].family, "web");
        assert_eq!(tds[0].revision, Some(3));
        assert_eq!(tds[1].family, "api");
    }

    #[test]
    fn unknown_keys_are_ignored() {
        let s = from_str(
            r#"{"efs_preflight_snapshot": 1, "extra": [1,2], "ec2": {"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "Tags": {"weird": true}, "MapPublicIpOnLaunch": "whatever"}]}}"#,
            "x",
        )
        .unwrap();
        assert_eq!(s.ec2.subnets.unwrap()[0].subnet_id, "subnet-1");
    }

    #[test]
    fn truncated_json_names_line_and_column() {
        let e = err("{\n  \"efs_preflight_snapshot\": 1,\n  \"ec2\": {");
        assert!(e.starts_with("snap.json:3:"), "{e}");
        assert!(e.contains("unexpected end of file"), "{e}");
    }

    #[test]
    fn not_json() {
        let e = err("hello");
        assert!(e.starts_with("snap.json:1:1: not valid JSON"), "{e}");
    }

    #[test]
    fn missing_and_newer_version() {
        assert!(err("{}").contains("missing field `efs_preflight_snapshot`"));
        let e = err(r#"{"efs_preflight_snapshot": 7}"#);
        assert!(e.contains("is 7") && e.contains("newer"), "{e}");
        let e = err(r#"{"efs_preflight_snapshot": "1"}"#);
        assert!(e.contains("\"1\""), "{e}");
    }

    #[test]
    fn wrong_type_names_path_and_expectation() {
        let text = "{\"efs_preflight_snapshot\": 1,\n \"ec2\": {\"Subnets\": [\n {\"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\", \"AvailabilityZoneId\": 5}]}}";
        let e = err(text);
        assert!(e.starts_with("snap.json:3:"), "{e}");
        assert!(e.contains("ec2.Subnets[0].AvailabilityZoneId"), "{e}");
        assert!(e.contains("expected a string"), "{e}");
    }

    #[test]
    fn newer_version_wins_over_type_errors() {
        let e = err(r#"{"efs_preflight_snapshot": 2, "ec2": {"Subnets": 5}}"#);
        assert!(e.contains("newer"), "{e}");
    }

    #[test]
    fn bad_policy_string_is_located() {
        let text = r#"{"efs_preflight_snapshot": 1, "efs": {"FileSystemPolicies": [{"FileSystemId": "fs-1", "Policy": "nope"}]}}"#;
        let e = err(text);
        assert!(e.contains("efs.FileSystemPolicies[0].Policy"), "{e}");
        assert!(e.contains("expected a policy document"), "{e}");
    }

    #[test]
    fn trailing_garbage_is_rejected() {
        let e = err(r#"{"efs_preflight_snapshot": 1} x"#);
        assert!(e.contains("snap.json:1:"), "{e}");
    }

    #[test]
    fn redaction_keeps_names() {
        let mut td = TaskDefinition {
            container_definitions: vec![ContainerDefinition {
                environment: vec![KeyValuePair {
                    name: Some("DB_PASSWORD".into()),
                    value: Some("hunter2".into()),
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        redact_task_definition(&mut td);
        let kv = &td.container_definitions[0].environment[0];
        assert_eq!(kv.name.as_deref(), Some("DB_PASSWORD"));
        assert_eq!(kv.value.as_deref(), Some("REDACTED"));
    }

    #[test]
    fn an_incomplete_snapshot_loads_and_its_pending_estates_are_not_read() {
        let text = r#"{"efs_preflight_snapshot": 1, "collected_at": "2026-12-05T10:00:00Z",
            "estates": [{"account_id": "111111111111", "region": "us-east-1",
                         "ecs": {"services": []}}],
            "incomplete": {"pending": [{"account_id": "222222222222", "region": "eu-west-1"}],
                           "role_name": "audit"}}"#;
        let mut snap = from_str(text, "org.json").expect("loads");
        let incomplete = snap.incomplete.clone().expect("incomplete");
        assert_eq!(incomplete.role_name.as_deref(), Some("audit"));
        assert_eq!(incomplete.pending[0].to_string(), "222222222222/eu-west-1");
        // Written back as read.
        let again = from_str(&to_json_redacted(&snap), "again.json").expect("round trip");
        assert_eq!(again.incomplete, snap.incomplete);

        snap.settle_pending();
        assert!(snap.incomplete.is_none());
        let labels: Vec<String> = snap.estates.iter().map(Snapshot::estate_label).collect();
        assert_eq!(labels, ["111111111111/us-east-1", "222222222222/eu-west-1"]);
        let pending = &snap.estates[1];
        assert!(pending.ecs.services.is_none() && pending.ec2.subnets.is_none());
        assert!(pending.gaps[0].error.contains("snapshot --resume"));
    }

    #[test]
    fn estates_are_redacted_too() {
        let text = r#"{"efs_preflight_snapshot": 1, "estates": [{"account_id": "111111111111",
            "region": "us-east-1", "ecs": {"taskDefinitions": [{"family": "app",
            "containerDefinitions": [{"name": "app", "environment":
            [{"name": "DB_PASSWORD", "value": "hunter2"}]}]}]}}]}"#;
        let snap = from_str(text, "org.json").expect("loads");
        let written = to_json_redacted(&snap);
        assert!(!written.contains("hunter2"), "{written}");
        assert!(written.contains("REDACTED"), "{written}");
    }
}
