//! JSON report, schema 1 (SPEC §3). Stable: fields may be added, never removed or renamed.

use serde_json::{json, Value};

use super::Report;

/// Renders the report as pretty JSON (every finding, passing ones included).
pub fn render(report: &Report) -> String {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let target = report.target_of(f);
            let mut t = json!({
                "kind": target.map(|t| t.kind.as_str()),
                "cluster": target.and_then(|t| t.cluster.clone()),
                "name": target.map(|t| t.name.clone()),
                "arn": target.and_then(|t| t.arn.clone()),
            });
            if let Some(origin) = target.and_then(|t| t.origin.clone()) {
                t["origin"] = Value::String(origin);
            }
            json!({
                "rule": f.rule.id,
                "name": f.rule.name,
                "severity": f.rule.severity.as_str(),
                "status": f.status.as_str(),
                "target": t,
                "volume": f.volume,
                "resource": f.resource,
                "message": f.message,
                "fix": f.fix,
            })
        })
        .collect();
    let s = report.summary();
    let mut source = json!({
        "kind": report.source.kind,
        "region": report.source.region,
        "account_id": report.source.account_id,
    });
    if let Some(file) = &report.source.file {
        source["file"] = Value::String(file.clone());
    }
    let doc = json!({
        "schema": 1,
        "tool": report.tool,
        "source": source,
        "findings": findings,
        "summary": {
            "targets": s.targets,
            "fail": s.fail,
            "warn": s.warn,
            "unknown": s.unknown,
            "pass": s.pass,
        },
        "coverage": {
            "checked": report.coverage.checked,
            "not_checked": report.coverage.not_checked,
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
