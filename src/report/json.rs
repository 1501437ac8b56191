//! JSON report, schema 1 (SPEC §3). Stable: fields may be added, never removed or renamed.
//!
//! The report is streamed with serde straight from the [`Report`] (borrowed views, no
//! intermediate `serde_json::Value` tree): an audit of a whole account has hundreds of thousands
//! of findings, and a tree of them costs several times the text it renders to.

use std::io::{self, Write};

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use super::Report;
use crate::rules::Finding;

/// Renders the report as pretty JSON (every finding, passing ones included).
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes valid UTF-8.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as pretty JSON, followed by a newline, to `out`.
pub fn write(report: &Report, out: impl Write) -> io::Result<()> {
    // The serializer makes several small writes per line. Buffered here, they stay calls the
    // compiler can inline even when `out` is a `dyn Write`.
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let s = report.summary();
    let document = Document {
        schema: 1,
        tool: &report.tool,
        source: SourceView {
            kind: &report.source.kind,
            region: report.source.region.as_deref(),
            account_id: report.source.account_id.as_deref(),
            file: report.source.file.as_deref(),
        },
        findings: Findings(report),
        summary: SummaryView {
            targets: s.targets,
            fail: s.fail,
            warn: s.warn,
            unknown: s.unknown,
            pass: s.pass,
        },
        coverage: CoverageView {
            checked: &report.coverage.checked,
            not_checked: &report.coverage.not_checked,
        },
    };
    serde_json::to_writer_pretty(&mut out, &document)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    tool: &'a str,
    source: SourceView<'a>,
    findings: Findings<'a>,
    summary: SummaryView,
    coverage: CoverageView<'a>,
}

#[derive(Serialize)]
struct SourceView<'a> {
    kind: &'a str,
    region: Option<&'a str>,
    account_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
}

/// The findings array, serialized one finding at a time.
struct Findings<'a>(&'a Report);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut seq = serializer.serialize_seq(Some(report.findings.len()))?;
        for f in &report.findings {
            seq.serialize_element(&FindingView::new(report, f))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct FindingView<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'a str,
    status: &'a str,
    target: TargetView<'a>,
    volume: Option<&'a str>,
    resource: Option<&'a str>,
    message: &'a str,
    fix: Option<&'a str>,
}

impl<'a> FindingView<'a> {
    fn new(report: &'a Report, f: &'a Finding) -> Self {
        let target = report.target_of(f);
        Self {
            rule: f.rule.id,
            name: f.rule.name,
            severity: f.rule.severity.as_str(),
            status: f.status.as_str(),
            target: TargetView {
                kind: target.map(|t| t.kind.as_str()),
                cluster: target.and_then(|t| t.cluster.as_deref()),
                name: target.map(|t| t.name.as_str()),
                arn: target.and_then(|t| t.arn.as_deref()),
                origin: target.and_then(|t| t.origin.as_deref()),
            },
            volume: f.volume.as_deref(),
            resource: f.resource.as_deref(),
            message: &f.message,
            fix: f.fix.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct TargetView<'a> {
    kind: Option<&'a str>,
    cluster: Option<&'a str>,
    name: Option<&'a str>,
    arn: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
}

#[derive(Serialize)]
struct SummaryView {
    targets: usize,
    fail: usize,
    warn: usize,
    unknown: usize,
    pass: usize,
}

#[derive(Serialize)]
struct CoverageView<'a> {
    checked: &'a [String],
    not_checked: &'a [String],
}
