//! SARIF 2.1.0 (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>) for code
//! scanning: one `rules[]` entry per rule that ran (its page as `help.markdown`), one result per
//! non-passing finding with a logical location naming the AWS resource and a physical location:
//! the input file (snapshot, task definition, plan or template) when there is one, else (live)
//! a stable pseudo-path naming the target, `aws/ACCOUNT/REGION/service/CLUSTER/NAME`, because
//! GitHub code scanning rejects a result without `physicalLocation.artifactLocation.uri`.
//!
//! Each result carries a `partialFingerprints` entry unique within the run: rule, target,
//! volume, resource, and the AWS ids the message names (two NET005 results of one service differ
//! by mount target and subnet), so that code scanning neither merges two findings nor opens a
//! new alert for an unchanged one.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Value};

use super::json::{string, string_contents};
use super::{Report, TargetInfo};
use crate::rules::{Finding, Status};

fn level(status: Status) -> &'static str {
    match status {
        Status::Fail => "error",
        Status::Warn => "warning",
        Status::Unknown => "note",
        Status::Pass => "none",
    }
}

/// Splits an origin `path#address` or `path:line#address` into the file and a start line.
fn split_origin(origin: &str) -> (&str, u64) {
    let file = origin.split('#').next().unwrap_or(origin);
    if let Some((path, line)) = file.rsplit_once(':') {
        if let Ok(n) = line.parse::<u64>() {
            return (path, n.max(1));
        }
    }
    (file, 1)
}

/// A relative path stays relative to the source root (code scanning resolves it in the
/// repository); an absolute path becomes a `file://` URI, as SARIF requires (§3.10).
fn artifact_location(path: &str) -> ArtifactLocation {
    let slashed = path.replace('\\', "/");
    if slashed.starts_with('/') {
        let encoded: String = slashed
            .split('/')
            .map(|seg| {
                percent_encoding::utf8_percent_encode(seg, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("/");
        let encoded = encoded
            .replace("%2E", ".")
            .replace("%2D", "-")
            .replace("%5F", "_");
        ArtifactLocation {
            uri: format!("file://{encoded}"),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: slashed.trim_start_matches("./").to_owned(),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// AWS resource ids in a message (`subnet-0a1b`, `fsmt-...`, `sg-...`).
static AWS_ID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:subnet|sg|fsmt|fsap|fs|vpc|vpce|acl|rtb|pl|eni|dopt|igw|nat|tgw|pcx)-[0-9A-Za-z][0-9A-Za-z-]*").ok()
});

/// The fingerprint of each shown finding, in order: `rule|target|volume|resource|ids`, with
/// `|#n` added to the second and later of findings that would still share one.
#[cfg(test)]
fn fingerprints(report: &Report, shown: &[&crate::rules::Finding]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    shown
        .iter()
        .map(|f| {
            let target = report.target_of(f).map_or_else(String::new, |t| {
                t.arn
                    .clone()
                    .or_else(|| t.origin.clone())
                    .unwrap_or_else(|| format!("{}/{}", t.kind.as_str(), t.label()))
            });
            let mut ids: Vec<&str> = AWS_ID
                .as_ref()
                .map(|re| re.find_iter(&f.message).map(|m| m.as_str()).collect())
                .unwrap_or_default();
            ids.sort_unstable();
            ids.dedup();
            let base = format!(
                "{}|{}|{}|{}|{}",
                f.rule.id,
                target,
                f.volume.as_deref().unwrap_or(""),
                f.resource.as_deref().unwrap_or(""),
                ids.join(",")
            );
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}|#{n}")
            }
        })
        .collect()
}

/// The stable pseudo-path of a target read live: `aws/ACCOUNT/REGION/service/CLUSTER/NAME`.
fn live_artifact(report: &Report, target: Option<&super::TargetInfo>) -> String {
    let segment = |s: &str| s.replace(['/', '\\', ':', ' '], "_");
    let mut path = format!(
        "aws/{}/{}",
        segment(
            target
                .and_then(|t| t.account.as_deref())
                .or(report.source.account_id.as_deref())
                .unwrap_or("account")
        ),
        segment(
            target
                .and_then(|t| t.region.as_deref())
                .or(report.source.region.as_deref())
                .unwrap_or("region")
        )
    );
    if let Some(t) = target {
        path.push('/');
        path.push_str(t.kind.as_str());
        if let Some(c) = &t.cluster {
            path.push('/');
            path.push_str(&segment(c));
        }
        path.push('/');
        path.push_str(&segment(&t.name));
    }
    path
}

/// Where a result's artifact is: its URI (and base), and the line.
struct ArtifactLocation {
    uri: String,
    uri_base_id: Option<&'static str>,
}

/// What every result of one target shares, worked out once per target: its label, the
/// identity its fingerprints start with, its physical location and its observed failures.
struct TargetPart {
    label: String,
    identity: String,
    artifact: ArtifactLocation,
    start_line: u64,
    observed: Vec<String>,
}

impl TargetPart {
    fn of(report: &Report, index: usize) -> Self {
        let target = report.targets.get(index);
        let identity = target.map_or_else(String::new, |t| {
            t.arn
                .clone()
                .or_else(|| t.origin.clone())
                .unwrap_or_else(|| format!("{}/{}", t.kind.as_str(), t.label()))
        });
        let (artifact, start_line) = match target
            .and_then(|t| t.origin.as_deref())
            .or(report.source.file.as_deref())
        {
            Some(uri) => {
                // An IaC origin may carry a `#address` suffix; the artifact is the file itself.
                let (path, line) = split_origin(uri);
                let line = target
                    .and_then(|t| t.origin_line)
                    .and_then(|l| u64::try_from(l).ok())
                    .unwrap_or(line);
                (artifact_location(path), line)
            }
            None => (
                ArtifactLocation {
                    uri: live_artifact(report, target),
                    uri_base_id: Some("%SRCROOT%"),
                },
                1,
            ),
        };
        Self {
            label: target.map(TargetInfo::label).unwrap_or_default(),
            identity,
            artifact,
            start_line,
            observed: super::observed::lines(report, index),
        }
    }
}

/// Makes each result's fingerprint unique within the run: `rule|target|volume|resource|ids`,
/// with `|#n` added to the second and later of findings that would still share one.
#[derive(Default)]
struct Fingerprints {
    seen: HashMap<String, usize>,
    base: String,
}

impl Fingerprints {
    /// The fingerprint of the next shown finding, of a target with this identity.
    fn next(&mut self, f: &Finding, identity: &str) -> &str {
        use std::fmt::Write as _;
        let mut ids: Vec<&str> = AWS_ID
            .as_ref()
            .map(|re| re.find_iter(&f.message).map(|m| m.as_str()).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        ids.dedup();
        let base = &mut self.base;
        base.clear();
        base.push_str(f.rule.id);
        base.push('|');
        base.push_str(identity);
        base.push('|');
        base.push_str(f.volume.as_deref().unwrap_or(""));
        base.push('|');
        base.push_str(f.resource.as_deref().unwrap_or(""));
        base.push('|');
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                base.push(',');
            }
            base.push_str(id);
        }
        match self.seen.get_mut(base.as_str()) {
            Some(n) => {
                *n += 1;
                let _ = write!(base, "|#{n}");
            }
            None => {
                self.seen.insert(base.clone(), 1);
            }
        }
        &self.base
    }
}

/// Renders the report as SARIF 2.1.0 JSON. Passing findings are included (as `kind: pass`)
/// only with `show_passed`.
pub fn render(report: &Report, show_passed: bool) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and the writer emits valid UTF-8.
    let _ = write(report, show_passed, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the SARIF log, followed by a newline, to `out`, result by result as the findings are
/// read, in the layout `serde_json`'s pretty printer gives (two-space indents, `null` for an
/// absent volume, resource or fix); the unit tests hold it to the serializer's output byte for
/// byte. What results of one target share is worked out once per target.
pub fn write(report: &Report, show_passed: bool, out: impl Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let w = &mut out;
    w.write_all(
        b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"name\": \"efs-preflight\",\n          \"version\": ",
    )?;
    string(w, env!("CARGO_PKG_VERSION"))?;
    w.write_all(b",\n          \"rules\": ")?;
    // The rules (a few dozen) through the serializer, indented to their depth.
    let rules = serde_json::to_string_pretty(&rules(report)).map_err(io::Error::from)?;
    w.write_all(rules.replace('\n', "\n          ").as_bytes())?;
    w.write_all(b"\n        }\n      },\n      \"results\": ")?;
    results(w, report, show_passed)?;
    w.write_all(b",\n      \"properties\": {\n        \"summary\": ")?;
    string(w, &report.summary_line())?;
    w.write_all(b",\n        \"coverage\": ")?;
    string(w, &report.coverage.line())?;
    w.write_all(b"\n      }\n    }\n  ]\n}\n")?;
    out.flush()
}

/// The `rules` of the tool's driver: one per rule that ran.
fn rules(report: &Report) -> Vec<Value> {
    report
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": format!("{}: {}.", r.name, r.summary)},
                "help": {
                    "text": format!("{} Run `efs-preflight rules {}` for the full page.", r.summary, r.id),
                    "markdown": r.doc,
                },
                "defaultConfiguration": {"level": r.severity.as_str()},
                "properties": {"tags": ["efs", "ecs", "fargate"]},
            })
        })
        .collect()
}

/// The `results` array, at depth 3: one result per shown finding.
fn results(w: &mut impl Write, report: &Report, show_passed: bool) -> io::Result<()> {
    // The index of each rule id in the driver's rules (its first position).
    let mut rule_index: HashMap<&str, usize> = HashMap::with_capacity(report.rules.len());
    for (i, r) in report.rules.iter().enumerate() {
        rule_index.entry(r.id).or_insert(i);
    }
    let mut fingerprints = Fingerprints::default();
    let mut part: Option<(usize, TargetPart)> = None;
    let mut first = true;
    for f in report
        .findings
        .iter()
        .filter(|f| show_passed || f.status != Status::Pass)
    {
        w.write_all(if first { b"[\n" } else { b",\n" })?;
        first = false;
        let t = match &part {
            Some((index, t)) if *index == f.target => t,
            _ => &part.insert((f.target, TargetPart::of(report, f.target))).1,
        };
        let target = report.target_of(f);
        w.write_all(b"        {\n          \"ruleId\": ")?;
        string(w, f.rule.id)?;
        w.write_all(b",\n          \"level\": ")?;
        string(w, level(f.status))?;
        w.write_all(b",\n          \"message\": {\n            \"text\": \"")?;
        string_contents(w, &f.message)?;
        if let Some(fix) = &f.fix {
            w.write_all(b" Fix: ")?;
            string_contents(w, fix)?;
        }
        w.write_all(b"\"\n          },\n          \"locations\": [\n            {\n              \"logicalLocations\": [\n                {\n                  \"name\": ")?;
        string(w, f.resource.as_deref().unwrap_or(&t.label))?;
        w.write_all(b",\n                  \"fullyQualifiedName\": \"")?;
        string_contents(w, target.map_or("target", |t| t.kind.as_str()))?;
        w.write_all(b"/")?;
        string_contents(w, &t.label)?;
        if let Some(v) = &f.volume {
            w.write_all(b"/volume/")?;
            string_contents(w, v)?;
        }
        if let Some(r) = &f.resource {
            w.write_all(b"/")?;
            string_contents(w, r)?;
        }
        w.write_all(b"\",\n                  \"kind\": \"resource\"\n                }\n              ],\n              \"physicalLocation\": {\n                \"artifactLocation\": {\n                  \"uri\": ")?;
        string(w, &t.artifact.uri)?;
        if let Some(base) = t.artifact.uri_base_id {
            w.write_all(b",\n                  \"uriBaseId\": ")?;
            string(w, base)?;
        }
        write!(
            w,
            "\n                }},\n                \"region\": {{\n                  \"startLine\": {}\n                }}\n              }}\n            }}\n          ],\n          \"partialFingerprints\": {{\n            \"efsPreflight/v2\": ",
            t.start_line
        )?;
        string(w, fingerprints.next(f, &t.identity))?;
        w.write_all(b"\n          },\n          \"properties\": {\n            \"status\": ")?;
        string(w, f.status.as_str())?;
        w.write_all(b",\n            \"target\": ")?;
        string(w, &t.label)?;
        w.write_all(b",\n            \"volume\": ")?;
        optional(w, f.volume.as_deref())?;
        w.write_all(b",\n            \"resource\": ")?;
        optional(w, f.resource.as_deref())?;
        w.write_all(b",\n            \"fix\": ")?;
        optional(w, f.fix.as_deref())?;
        if !t.observed.is_empty() {
            w.write_all(b",\n            \"observed\": [")?;
            for (i, line) in t.observed.iter().enumerate() {
                w.write_all(if i == 0 {
                    b"\n              "
                } else {
                    b",\n              "
                })?;
                string(w, line)?;
            }
            w.write_all(b"\n            ]")?;
        }
        let suppressed = f.suppressed.as_deref();
        if let Some(s) = suppressed {
            w.write_all(b",\n            \"suppressed\": ")?;
            string(w, s.by.as_str())?;
        }
        w.write_all(b"\n          }")?;
        if let Some(i) = rule_index.get(f.rule.id) {
            write!(w, ",\n          \"ruleIndex\": {i}")?;
        }
        if f.status == Status::Pass {
            w.write_all(b",\n          \"kind\": \"pass\"")?;
        }
        // SARIF §3.35: accepted suppressions; dismissable from code scanning.
        if let Some(s) = suppressed {
            w.write_all(b",\n          \"suppressions\": [\n            {\n              \"kind\": \"external\",\n              \"status\": \"accepted\",\n              \"justification\": ")?;
            string(w, &s.reason)?;
            w.write_all(b",\n              \"properties\": {\n                \"by\": ")?;
            string(w, s.by.as_str())?;
            w.write_all(b"\n              }\n            }\n          ]")?;
        }
        w.write_all(b"\n        }")?;
    }
    w.write_all(if first { b"[]" } else { b"\n      ]" })
}

fn optional(w: &mut impl Write, text: Option<&str>) -> io::Result<()> {
    match text {
        Some(t) => string(w, t),
        None => w.write_all(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    // --- The reference: the log as typed structs, serialized by serde_json ---

    // The log's parts, serialized in the order SARIF readers expect them (fields in declaration
    // order, as the keys of the former `serde_json::Value` maps).

    #[derive(serde::Serialize)]
    struct Log<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: Vec<Run<'a>>,
    }

    #[derive(serde::Serialize)]
    struct Run<'a> {
        tool: Tool,
        results: Vec<SarifResult<'a>>,
        properties: RunProperties,
    }

    #[derive(serde::Serialize)]
    struct Tool {
        driver: Driver,
    }

    #[derive(serde::Serialize)]
    struct Driver {
        name: &'static str,
        version: &'static str,
        rules: Vec<Value>,
    }

    #[derive(serde::Serialize)]
    struct RunProperties {
        summary: String,
        coverage: String,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct SarifResult<'a> {
        rule_id: &'static str,
        level: &'static str,
        message: Message,
        locations: Vec<Location>,
        partial_fingerprints: RefFingerprints,
        properties: ResultProperties<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        rule_index: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        kind: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        suppressions: Option<Vec<SarifSuppression<'a>>>,
    }

    #[derive(serde::Serialize)]
    struct Message {
        text: String,
    }

    #[derive(serde::Serialize)]
    struct RefFingerprints {
        #[serde(rename = "efsPreflight/v2")]
        v2: String,
    }

    #[derive(serde::Serialize)]
    struct ResultProperties<'a> {
        status: &'static str,
        target: String,
        volume: Option<&'a str>,
        resource: Option<&'a str>,
        fix: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        observed: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        suppressed: Option<&'static str>,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Location {
        logical_locations: Vec<LogicalLocation>,
        physical_location: PhysicalLocation,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct LogicalLocation {
        name: String,
        fully_qualified_name: String,
        kind: &'static str,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PhysicalLocation {
        artifact_location: RefArtifact,
        region: StartLine,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct StartLine {
        start_line: u64,
    }

    #[derive(serde::Serialize)]
    struct SarifSuppression<'a> {
        kind: &'static str,
        status: &'static str,
        justification: &'a str,
        properties: SuppressedByProperty,
    }

    #[derive(serde::Serialize)]
    struct SuppressedByProperty {
        by: &'static str,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct RefArtifact {
        uri: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        uri_base_id: Option<&'static str>,
    }

    impl From<ArtifactLocation> for RefArtifact {
        fn from(a: ArtifactLocation) -> Self {
            Self {
                uri: a.uri,
                uri_base_id: a.uri_base_id,
            }
        }
    }

    /// The SARIF log as the serializer prints it from typed structs: the reference for [`write`].
    fn by_serializer(report: &Report, show_passed: bool) -> String {
        let mut text = serde_json::to_string_pretty(&document(report, show_passed)).unwrap();
        text.push('\n');
        text
    }

    /// The SARIF log.
    fn document(report: &Report, show_passed: bool) -> Log<'_> {
        // The driver's rules are written by the same function; the results are the reference.
        let rules = super::rules(report);
        let file = report.source.file.as_deref();
        let shown: Vec<&crate::rules::Finding> = report
            .findings
            .iter()
            .filter(|f| show_passed || f.status != Status::Pass)
            .collect();
        let prints = fingerprints(report, &shown);
        let results: Vec<SarifResult<'_>> = shown
            .iter()
            .zip(prints)
            .map(|(f, fingerprint)| {
                let target = report.target_of(f);
                let label = target.map(super::TargetInfo::label).unwrap_or_default();
                let qualified = format!(
                    "{}/{}{}{}",
                    target.map_or("target", |t| t.kind.as_str()),
                    label,
                    f.volume
                        .as_deref()
                        .map(|v| format!("/volume/{v}"))
                        .unwrap_or_default(),
                    f.resource
                        .as_deref()
                        .map(|r| format!("/{r}"))
                        .unwrap_or_default()
                );
                let artifact = target.and_then(|t| t.origin.as_deref()).or(file);
                let physical_location = if let Some(uri) = artifact {
                    // An IaC origin may carry a `#address` suffix; the artifact is the file itself.
                    let (path, line) = split_origin(uri);
                    PhysicalLocation {
                        artifact_location: artifact_location(path).into(),
                        region: StartLine {
                            start_line: target
                                .and_then(|t| t.origin_line)
                                .and_then(|l| u64::try_from(l).ok())
                                .unwrap_or(line),
                        },
                    }
                } else {
                    PhysicalLocation {
                        artifact_location: RefArtifact {
                            uri: live_artifact(report, target),
                            uri_base_id: Some("%SRCROOT%"),
                        },
                        region: StartLine { start_line: 1 },
                    }
                };
                let location = Location {
                    logical_locations: vec![LogicalLocation {
                        name: f.resource.clone().unwrap_or_else(|| label.clone()),
                        fully_qualified_name: qualified,
                        kind: "resource",
                    }],
                    physical_location,
                };
                let rule_index = report.rules.iter().position(|r| r.id == f.rule.id);
                let mut text = f.message.clone();
                if let Some(fix) = &f.fix {
                    text.push_str(" Fix: ");
                    text.push_str(fix);
                }
                let observed = crate::report::observed::lines(report, f.target);
                let suppressed = f.suppressed.as_deref();
                SarifResult {
                    rule_id: f.rule.id,
                    level: level(f.status),
                    message: Message { text },
                    locations: vec![location],
                    partial_fingerprints: RefFingerprints { v2: fingerprint },
                    properties: ResultProperties {
                        status: f.status.as_str(),
                        target: label,
                        volume: f.volume.as_deref(),
                        resource: f.resource.as_deref(),
                        fix: f.fix.as_deref(),
                        observed: (!observed.is_empty()).then_some(observed),
                        suppressed: suppressed.map(|s| s.by.as_str()),
                    },
                    rule_index,
                    kind: (f.status == Status::Pass).then_some("pass"),
                    // SARIF §3.35: accepted suppressions; dismissable from code scanning.
                    suppressions: suppressed.map(|s| {
                        vec![SarifSuppression {
                            kind: "external",
                            status: "accepted",
                            justification: &s.reason,
                            properties: SuppressedByProperty { by: s.by.as_str() },
                        }]
                    }),
                }
            })
            .collect();
        Log {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "efs-preflight",
                        version: env!("CARGO_PKG_VERSION"),
                        rules,
                    },
                },
                results,
                properties: RunProperties {
                    summary: report.summary_line(),
                    coverage: report.coverage.line(),
                },
            }],
        }
    }

    // --- Tests ---
    use crate::report::{Coverage, SourceInfo, TargetInfo};
    use crate::rules::{self, Finding};
    use crate::target::TargetKind;

    fn net005(mt: &str, subnet: &str) -> Finding {
        Finding {
            rule: rules::find("NET005").unwrap(),
            status: Status::Fail,
            target: 0,
            volume: Some("data".into()),
            resource: Some("sg-0efs".into()),
            message: format!("Mount target {mt} of fs-1 admits no NFS from tasks in {subnet}."),
            fix: Some("aws ec2 authorize-security-group-ingress --group-id sg-0efs".into()),
            suppressed: None,
        }
    }

    fn live_report(findings: Vec<Finding>) -> Report {
        Report {
            tool: crate::report::tool_name(),
            source: SourceInfo {
                kind: "live".into(),
                region: Some("us-east-1".into()),
                account_id: Some("123456789012".into()),
                file: None,
            },
            targets: vec![TargetInfo {
                kind: TargetKind::Service,
                cluster: Some("prod".into()),
                name: "web".into(),
                arn: Some("arn:aws:ecs:us-east-1:123456789012:service/prod/web".into()),
                origin: None,
                origin_line: None,
                account: Some("123456789012".into()),
                region: Some("us-east-1".into()),
                observed: None,
                service: None,
            }],
            findings,
            rules: vec![rules::find("NET005").unwrap()],
            coverage: Coverage::default(),
            estates: Vec::new(),
        }
    }

    fn demo_report() -> Report {
        crate::report::demo_report("/work/fixtures/scenarios/demo snapshot #1.json")
    }

    #[test]
    fn output_matches_the_serializer_byte_for_byte() {
        let mut report = demo_report();
        assert!(report.findings.len() > 50);
        for show_passed in [false, true] {
            assert_eq!(
                render(&report, show_passed),
                by_serializer(&report, show_passed)
            );
        }
        // Origins (relative, with a line, absolute), a task without an ARN, observed failures,
        // suppressions, a finding whose target is not in the list, and escapes everywhere.
        report.targets[0].origin = Some("./infra/main.tf:12#aws_ecs_service.\"web\"".into());
        report.targets[1].cluster = None;
        report.targets[1].arn = None;
        report.targets[1].origin = Some("C:\\work\\stack.yaml#Service".into());
        report.targets[1].origin_line = Some(7);
        report.targets[2].kind = TargetKind::TaskDefinition;
        report.targets[2].arn = None;
        report.targets[3].observed = Some(vec![crate::observed::ObservedFailure {
            task: "arn:aws:ecs:us-east-1:1:task/prod/0a1b".into(),
            stopped_at: Some("2026-11-23T09:58:00Z".into()),
            stopped_reason: "ResourceInitializationError: \"quoted\"\nnext".into(),
            explained_by: vec!["NET001", "DNS002"],
        }]);
        report.targets[4].observed = Some(Vec::new());
        report.targets[3].kind = TargetKind::Task;
        report.targets[3].service = Some("web".into());
        report.targets[5].origin = Some("/abs/dir with space/ünï.json".into());
        let mut orphan: Finding = report.findings[0].clone();
        orphan.target = 999;
        orphan.status = Status::Unknown;
        orphan.message = "line\nbreak \\ \"quote\" \u{7f} \u{2028} subnet-0a1b sg-x".into();
        orphan.fix = Some("aws iam put-role-policy --policy-document '{\"a\":1}'\t".into());
        orphan.volume = None;
        orphan.resource = None;
        orphan.suppressed = Some(Box::new(crate::rules::Suppression {
            by: crate::rules::SuppressedBy::Config,
            reason: "exception \"NET-142\"\n".into(),
        }));
        report.findings.push(orphan.clone());
        report.findings.push(orphan);
        report.findings[1].suppressed = Some(Box::new(crate::rules::Suppression {
            by: crate::rules::SuppressedBy::Baseline,
            reason: "accepted in the baseline".into(),
        }));
        report.findings[2].volume = Some("vol\u{1}\"x\"".into());
        for show_passed in [false, true] {
            assert_eq!(
                render(&report, show_passed),
                by_serializer(&report, show_passed)
            );
        }
        // Read live: pseudo-paths; a rule that did not run has no index.
        report.source.file = None;
        report.source.region = None;
        report.rules.retain(|r| r.id != "NET005");
        for show_passed in [false, true] {
            assert_eq!(
                render(&report, show_passed),
                by_serializer(&report, show_passed)
            );
        }
        // Nothing at all.
        report.findings.clear();
        report.targets.clear();
        report.rules.clear();
        report.coverage = Coverage::default();
        assert_eq!(render(&report, false), by_serializer(&report, false));
    }

    #[test]
    fn findings_of_one_rule_target_and_resource_keep_distinct_fingerprints() {
        let report = live_report(vec![
            net005("fsmt-1", "subnet-a"),
            net005("fsmt-2", "subnet-b"),
            net005("fsmt-2", "subnet-b"),
        ]);
        let doc: Value = serde_json::from_str(&render(&report, false)).unwrap();
        let prints: Vec<&str> = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["efsPreflight/v2"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(prints.len(), 3);
        assert!(prints[0].ends_with("|fs-1,fsmt-1,subnet-a"), "{prints:?}");
        assert_ne!(prints[0], prints[1]);
        assert_ne!(prints[1], prints[2]);
        assert!(prints[0].starts_with(
            "NET005|arn:aws:ecs:us-east-1:123456789012:service/prod/web|data|sg-0efs|"
        ));
    }

    #[test]
    fn live_results_have_a_physical_and_a_logical_location() {
        let report = live_report(vec![net005("fsmt-1", "subnet-a")]);
        let doc: Value = serde_json::from_str(&render(&report, false)).unwrap();
        let location = &doc["runs"][0]["results"][0]["locations"][0];
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            "aws/123456789012/us-east-1/service/prod/web"
        );
        assert_eq!(location["physicalLocation"]["region"]["startLine"], 1);
        assert_eq!(location["logicalLocations"][0]["name"], "sg-0efs");
    }
}
