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
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use serde_json::{json, Value};

use super::Report;
use crate::rules::Status;

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

// The log's parts, serialized in the order SARIF readers expect them (fields in declaration
// order, as the keys of the former `serde_json::Value` maps).

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Tool,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Value>,
}

#[derive(Serialize)]
struct RunProperties {
    summary: String,
    coverage: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<SarifSuppression<'a>>>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "efsPreflight/v2")]
    v2: String,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    logical_locations: Vec<LogicalLocation>,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: StartLine,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartLine {
    start_line: u64,
}

#[derive(Serialize)]
struct SarifSuppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    properties: SuppressedByProperty,
}

#[derive(Serialize)]
struct SuppressedByProperty {
    by: &'static str,
}

/// Renders the report as SARIF 2.1.0 JSON. Passing findings are included (as `kind: pass`)
/// only with `show_passed`.
pub fn render(report: &Report, show_passed: bool) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and the serializer emits valid UTF-8.
    let _ = write(report, show_passed, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the SARIF log, pretty-printed and followed by a newline, to `out`: serialized as it
/// is written rather than into a string first.
pub fn write(report: &Report, show_passed: bool, out: impl std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, &document(report, show_passed))?;
    std::io::Write::write_all(&mut out, b"\n")?;
    std::io::Write::flush(&mut out)
}

/// The SARIF log.
fn document(report: &Report, show_passed: bool) -> Log<'_> {
    let rules: Vec<Value> = report
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
        .collect();
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
                    artifact_location: artifact_location(path),
                    region: StartLine {
                        start_line: target
                            .and_then(|t| t.origin_line)
                            .and_then(|l| u64::try_from(l).ok())
                            .unwrap_or(line),
                    },
                }
            } else {
                PhysicalLocation {
                    artifact_location: ArtifactLocation {
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
            let observed = super::observed::lines(report, f.target);
            let suppressed = f.suppressed.as_deref();
            SarifResult {
                rule_id: f.rule.id,
                level: level(f.status),
                message: Message { text },
                locations: vec![location],
                partial_fingerprints: Fingerprints { v2: fingerprint },
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

#[cfg(test)]
mod tests {
    use super::*;
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
