//! SARIF 2.1.0 (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>) for code
//! scanning: one `rules[]` entry per rule that ran (its page as `help.markdown`), one result per
//! non-passing finding with a logical location naming the AWS resource, and a physical location
//! when the input was a file (snapshot, task definition, plan or template).

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
fn artifact_location(path: &str) -> Value {
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
        json!({"uri": format!("file://{encoded}")})
    } else {
        json!({"uri": slashed.trim_start_matches("./"), "uriBaseId": "%SRCROOT%"})
    }
}

/// Renders the report as SARIF 2.1.0 JSON. Passing findings are included (as `kind: pass`)
/// only with `show_passed`.
pub fn render(report: &Report, show_passed: bool) -> String {
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
    let file = report.source.file.clone();
    let results: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| show_passed || f.status != Status::Pass)
        .map(|f| {
            let target = report.target_of(f);
            let label = target.map(super::TargetInfo::label).unwrap_or_default();
            let qualified = format!(
                "{}/{}{}{}",
                target.map_or("target", |t| t.kind.as_str()),
                label,
                f.volume.as_deref().map(|v| format!("/volume/{v}")).unwrap_or_default(),
                f.resource.as_deref().map(|r| format!("/{r}")).unwrap_or_default()
            );
            let mut location = json!({
                "logicalLocations": [{
                    "name": f.resource.clone().unwrap_or_else(|| label.clone()),
                    "fullyQualifiedName": qualified,
                    "kind": "resource",
                }],
            });
            let artifact = target.and_then(|t| t.origin.clone()).or_else(|| file.clone());
            if let Some(uri) = artifact {
                // An IaC origin may carry a `#address` suffix; the artifact is the file itself.
                let (path, line) = split_origin(&uri);
                location["physicalLocation"] = json!({
                    "artifactLocation": artifact_location(path),
                    "region": {"startLine": target.and_then(|t| t.origin_line).and_then(|l| u64::try_from(l).ok()).unwrap_or(line)},
                });
            }
            let rule_index = report.rules.iter().position(|r| r.id == f.rule.id);
            let mut text = f.message.clone();
            if let Some(fix) = &f.fix {
                text.push_str(" Fix: ");
                text.push_str(fix);
            }
            let mut result = json!({
                "ruleId": f.rule.id,
                "level": level(f.status),
                "message": {"text": text},
                "locations": [location],
                "partialFingerprints": {
                    "efsPreflight/v1": format!("{}|{}|{}", f.rule.id, label, f.resource.as_deref().unwrap_or("")),
                },
                "properties": {
                    "status": f.status.as_str(),
                    "target": label,
                    "volume": f.volume,
                    "resource": f.resource,
                    "fix": f.fix,
                },
            });
            if let Some(i) = rule_index {
                result["ruleIndex"] = json!(i);
            }
            if f.status == Status::Pass {
                result["kind"] = json!("pass");
            }
            if let Some(s) = &f.suppressed {
                // SARIF §3.35: accepted suppressions; code scanning shows the alert as dismissed.
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": s.reason,
                    "properties": {"by": s.by.as_str()},
                }]);
                result["properties"]["suppressed"] = json!(s.by.as_str());
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "efs-preflight",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
            "properties": {
                "summary": report.summary_line(),
                "coverage": report.coverage.line(),
            },
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
