//! JSON report, schema 1 (SPEC §3). Stable: fields may be added, never removed or renamed.
//!
//! The report is written straight from the [`Report`], in the layout `serde_json`'s pretty
//! printer gives (two-space indents, `null` for absent values), with strings escaped by
//! `serde_json`. An audit of a whole account has hundreds of thousands of findings, mostly
//! passing ones: building a `serde_json::Value` tree of them cost several times the text, and
//! even streaming them through the serializer spent most of its time re-escaping the same keys,
//! rule ids and target blocks. Each target's block is escaped once and copied into its findings.
//! The unit tests hold the output byte for byte to the serializer's.

use std::io::{self, Write};

use super::{Report, TargetInfo};

/// Renders the report as pretty JSON (every finding, passing ones included).
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and the writer emits valid UTF-8.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as pretty JSON, followed by a newline, to `out`.
pub fn write(report: &Report, out: impl Write) -> io::Result<()> {
    // Many small writes per finding: buffered here, they stay calls the compiler can inline
    // even when `out` is a `dyn Write`.
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let w = &mut out;
    let source = &report.source;
    w.write_all(b"{\n  \"schema\": 1,\n  \"tool\": ")?;
    string(w, &report.tool)?;
    w.write_all(b",\n  \"source\": {\n    \"kind\": ")?;
    string(w, &source.kind)?;
    w.write_all(b",\n    \"region\": ")?;
    optional(w, source.region.as_deref())?;
    w.write_all(b",\n    \"account_id\": ")?;
    optional(w, source.account_id.as_deref())?;
    if let Some(file) = &source.file {
        w.write_all(b",\n    \"file\": ")?;
        string(w, file)?;
    }
    w.write_all(b"\n  },\n  \"findings\": ")?;
    findings(w, report)?;
    let s = report.summary();
    write!(
        w,
        ",\n  \"summary\": {{\n    \"targets\": {},\n    \"fail\": {},\n    \"warn\": {},\n    \"unknown\": {},\n    \"pass\": {},\n    \"suppressed\": {}",
        s.targets, s.fail, s.warn, s.unknown, s.pass, s.suppressed
    )?;
    if !report.estates.is_empty() {
        w.write_all(b",\n    \"estates\": ")?;
        estates(w, report)?;
    }
    w.write_all(b"\n  },\n  \"coverage\": {\n    \"checked\": ")?;
    strings(w, &report.coverage.checked)?;
    w.write_all(b",\n    \"not_checked\": ")?;
    strings(w, &report.coverage.not_checked)?;
    w.write_all(b"\n  }\n}\n")?;
    out.flush()
}

/// The `findings` array, at depth 1.
fn findings(w: &mut impl Write, report: &Report) -> io::Result<()> {
    if report.findings.is_empty() {
        return w.write_all(b"[]");
    }
    let blocks = report
        .targets
        .iter()
        .map(|t| target_block(Some(t)))
        .collect::<io::Result<Vec<_>>>()?;
    let no_target = target_block(None)?;
    w.write_all(b"[")?;
    for (i, f) in report.findings.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        w.write_all(b"    {\n      \"rule\": ")?;
        string(w, f.rule.id)?;
        w.write_all(b",\n      \"name\": ")?;
        string(w, f.rule.name)?;
        w.write_all(b",\n      \"severity\": ")?;
        string(w, f.rule.severity.as_str())?;
        w.write_all(b",\n      \"status\": ")?;
        string(w, f.status.as_str())?;
        w.write_all(b",\n      \"target\": ")?;
        w.write_all(blocks.get(f.target).unwrap_or(&no_target))?;
        w.write_all(b",\n      \"volume\": ")?;
        optional(w, f.volume.as_deref())?;
        w.write_all(b",\n      \"resource\": ")?;
        optional(w, f.resource.as_deref())?;
        w.write_all(b",\n      \"message\": ")?;
        string(w, &f.message)?;
        w.write_all(b",\n      \"fix\": ")?;
        optional(w, f.fix.as_deref())?;
        if let Some(s) = &f.suppressed {
            w.write_all(b",\n      \"suppressed\": {\n        \"by\": ")?;
            string(w, s.by.as_str())?;
            w.write_all(b",\n        \"reason\": ")?;
            string(w, &s.reason)?;
            w.write_all(b"\n      }")?;
        }
        w.write_all(b"\n    }")?;
    }
    w.write_all(b"\n  ]")
}

/// A finding's `target` object, at depth 3 (every field `null` without a target).
fn target_block(target: Option<&TargetInfo>) -> io::Result<Vec<u8>> {
    let mut b = Vec::new();
    b.write_all(b"{\n        \"kind\": ")?;
    optional(&mut b, target.map(|t| t.kind.as_str()))?;
    b.write_all(b",\n        \"cluster\": ")?;
    optional(&mut b, target.and_then(|t| t.cluster.as_deref()))?;
    b.write_all(b",\n        \"name\": ")?;
    optional(&mut b, target.map(|t| t.name.as_str()))?;
    b.write_all(b",\n        \"arn\": ")?;
    optional(&mut b, target.and_then(|t| t.arn.as_deref()))?;
    b.write_all(b",\n        \"account\": ")?;
    optional(&mut b, target.and_then(|t| t.account.as_deref()))?;
    b.write_all(b",\n        \"region\": ")?;
    optional(&mut b, target.and_then(|t| t.region.as_deref()))?;
    if let Some(origin) = target.and_then(|t| t.origin.as_deref()) {
        b.write_all(b",\n        \"origin\": ")?;
        string(&mut b, origin)?;
    }
    if let Some(service) = target.and_then(|t| t.service.as_deref()) {
        b.write_all(b",\n        \"service\": ")?;
        string(&mut b, service)?;
    }
    if let Some(observed) = target.and_then(|t| t.observed.as_deref()) {
        // Pretty-printed on its own, then indented to its depth in the document.
        let value = super::observed::json_value(observed);
        let text = serde_json::to_string_pretty(&value).map_err(io::Error::from)?;
        b.write_all(b",\n        \"observed\": ")?;
        b.write_all(text.replace('\n', "\n        ").as_bytes())?;
    }
    b.write_all(b"\n      }")?;
    Ok(b)
}

/// `summary.estates` (a run over several estates): the counts of each, at depth 2, in state
/// order; `nothing_read` says why nothing of an estate could be read, else `null`.
fn estates(w: &mut impl Write, report: &Report) -> io::Result<()> {
    w.write_all(b"[")?;
    for (i, (e, s)) in report
        .estates
        .iter()
        .zip(report.estate_summaries())
        .enumerate()
    {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        w.write_all(b"      {\n        \"account\": ")?;
        optional(w, e.account.as_deref())?;
        w.write_all(b",\n        \"region\": ")?;
        optional(w, e.region.as_deref())?;
        write!(
            w,
            ",\n        \"targets\": {},\n        \"fail\": {},\n        \"warn\": {},\n        \"unknown\": {},\n        \"pass\": {},\n        \"suppressed\": {},\n        \"nothing_read\": ",
            s.targets, s.fail, s.warn, s.unknown, s.pass, s.suppressed
        )?;
        optional(w, e.nothing_read.as_deref())?;
        w.write_all(b"\n      }")?;
    }
    w.write_all(b"\n    ]")
}

/// An array of strings at depth 2.
fn strings(w: &mut impl Write, items: &[String]) -> io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for (i, item) in items.iter().enumerate() {
        w.write_all(if i == 0 { b"\n      " } else { b",\n      " })?;
        string(w, item)?;
    }
    w.write_all(b"\n    ]")
}

/// A JSON string, escaped by serde_json; a string with nothing to escape (nearly every one) is
/// copied as it is, which is what serde_json writes for it.
pub(super) fn string(w: &mut impl Write, text: &str) -> io::Result<()> {
    if needs_no_escape(text) {
        w.write_all(b"\"")?;
        w.write_all(text.as_bytes())?;
        return w.write_all(b"\"");
    }
    serde_json::to_writer(w, text).map_err(io::Error::from)
}

/// What [`string`] writes between the quotes: the pieces of one string can be written one
/// after the other (JSON escapes character by character).
pub(super) fn string_contents(w: &mut impl Write, text: &str) -> io::Result<()> {
    if needs_no_escape(text) {
        return w.write_all(text.as_bytes());
    }
    let quoted = serde_json::to_string(text).map_err(io::Error::from)?;
    let inner = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(&quoted);
    w.write_all(inner.as_bytes())
}

/// Whether serde_json writes the text unchanged between quotes: no `"`, no `\\` and no control
/// character below 0x20 (what its escape table marks). Checked 32 bytes at a time (the last
/// block padded with spaces), which the compiler vectorizes.
fn needs_no_escape(text: &str) -> bool {
    // Without short-circuits, so that the compiler vectorizes the block.
    #[allow(clippy::needless_bitwise_bool)]
    fn clean(block: &[u8; 32]) -> bool {
        !block.iter().fold(false, |any, &b| {
            any | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    }
    let (blocks, rest) = text.as_bytes().as_chunks::<32>();
    let mut last = [b' '; 32];
    last[..rest.len()].copy_from_slice(rest);
    blocks.iter().all(clean) && clean(&last)
}

fn optional(w: &mut impl Write, text: Option<&str>) -> io::Result<()> {
    match text {
        Some(t) => string(w, t),
        None => w.write_all(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::report::Coverage;
    use crate::rules::{Finding, Status};
    use crate::target::TargetKind;

    /// The report as `serde_json` prints it from a `Value` tree: the reference layout.
    fn by_serializer(report: &Report) -> String {
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
                    "account": target.and_then(|t| t.account.clone()),
                    "region": target.and_then(|t| t.region.clone()),
                });
                if let Some(origin) = target.and_then(|t| t.origin.clone()) {
                    t["origin"] = Value::String(origin);
                }
                if let Some(service) = target.and_then(|t| t.service.clone()) {
                    t["service"] = Value::String(service);
                }
                if let Some(observed) = target.and_then(|t| t.observed.as_deref()) {
                    t["observed"] = crate::report::observed::json_value(observed);
                }
                let mut finding = json!({
                    "rule": f.rule.id,
                    "name": f.rule.name,
                    "severity": f.rule.severity.as_str(),
                    "status": f.status.as_str(),
                    "target": t,
                    "volume": f.volume,
                    "resource": f.resource,
                    "message": f.message,
                    "fix": f.fix,
                });
                if let Some(s) = &f.suppressed {
                    finding["suppressed"] = json!({"by": s.by.as_str(), "reason": s.reason});
                }
                finding
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
        let mut summary = json!({
            "targets": s.targets,
            "fail": s.fail,
            "warn": s.warn,
            "unknown": s.unknown,
            "pass": s.pass,
            "suppressed": s.suppressed,
        });
        if !report.estates.is_empty() {
            summary["estates"] = report
                .estates
                .iter()
                .zip(report.estate_summaries())
                .map(|(e, s)| {
                    json!({
                        "account": e.account,
                        "region": e.region,
                        "targets": s.targets,
                        "fail": s.fail,
                        "warn": s.warn,
                        "unknown": s.unknown,
                        "pass": s.pass,
                        "suppressed": s.suppressed,
                        "nothing_read": e.nothing_read,
                    })
                })
                .collect();
        }
        let doc = json!({
            "schema": 1,
            "tool": report.tool,
            "source": source,
            "findings": findings,
            "summary": summary,
            "coverage": {
                "checked": report.coverage.checked,
                "not_checked": report.coverage.not_checked,
            },
        });
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    }

    fn demo_report() -> Report {
        crate::report::demo_report("demo.json")
    }

    #[test]
    fn strings_are_written_as_the_serializer_writes_them() {
        let mut samples: Vec<char> = (0..0x800).filter_map(char::from_u32).collect();
        samples.extend(['\u{2028}', '\u{fffd}', '\u{1f600}']);
        for c in samples {
            for pad in [0, 31, 32, 33] {
                let text = format!("{}{c}z", "a".repeat(pad));
                let mut ours = Vec::new();
                string(&mut ours, &text).unwrap();
                assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{c:?}");
            }
        }
    }

    #[test]
    fn demo_report_matches_the_serializer_byte_for_byte() {
        let report = demo_report();
        assert!(report.findings.len() > 50);
        assert_eq!(render(&report), by_serializer(&report));
    }

    #[test]
    fn edge_cases_match_the_serializer() {
        let mut report = demo_report();
        // An origin, a finding whose target is not in the list, and escapes everywhere.
        report.targets[0].origin = Some("main.tf:12 aws_ecs_service.\"web\"".into());
        report.targets[1].cluster = None;
        report.targets[1].arn = None;
        report.targets[2].kind = TargetKind::TaskDefinition;
        report.targets[3].observed = Some(vec![crate::observed::ObservedFailure {
            task: "arn:aws:ecs:us-east-1:1:task/prod/0a1b".into(),
            stopped_at: Some("2026-11-23T09:58:00Z".into()),
            stopped_reason: "ResourceInitializationError: \"quoted\"\nnext".into(),
            explained_by: vec!["NET001", "DNS002"],
        }]);
        report.targets[4].observed = Some(Vec::new());
        report.targets[3].kind = TargetKind::Task;
        report.targets[3].service = Some("web".into());
        let mut orphan: Finding = report.findings[0].clone();
        orphan.target = 999;
        orphan.status = Status::Unknown;
        orphan.message = "line\nbreak \\ \"quote\" \u{7f} \u{2028}".into();
        orphan.fix = Some("aws iam put-role-policy --policy-document '{\"a\":1}'".into());
        orphan.volume = None;
        orphan.resource = None;
        orphan.suppressed = Some(Box::new(crate::rules::Suppression {
            by: crate::rules::SuppressedBy::Config,
            reason: "exception \"NET-142\"\n".into(),
        }));
        report.findings.push(orphan);
        report.findings[1].suppressed = Some(Box::new(crate::rules::Suppression {
            by: crate::rules::SuppressedBy::Baseline,
            reason: "accepted in the baseline".into(),
        }));
        report.source.file = None;
        report.source.region = None;
        assert_eq!(render(&report), by_serializer(&report));
        // Several estates: counts of each in the summary, one of them not read.
        let n = report.targets.len();
        report.estates = vec![
            crate::report::EstateInfo {
                account: Some("123456789012".into()),
                region: Some("us-east-1".into()),
                targets: 0..n - 1,
                nothing_read: None,
            },
            crate::report::EstateInfo {
                account: Some("210987654321".into()),
                region: None,
                targets: n - 1..n,
                nothing_read: None,
            },
            crate::report::EstateInfo {
                account: Some("333333333333".into()),
                region: Some("eu-west-1".into()),
                targets: n..n,
                nothing_read: Some("sts:AssumeRole AccessDenied: \"denied\"".into()),
            },
        ];
        assert_eq!(render(&report), by_serializer(&report));
        report.estates.clear();
        // Nothing at all.
        report.findings.clear();
        report.targets.clear();
        report.coverage = Coverage::default();
        assert_eq!(render(&report), by_serializer(&report));
    }
}
