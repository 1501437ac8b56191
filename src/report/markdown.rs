//! Markdown for pull-request comments: a headline with the counts, a table of non-passing
//! findings (all findings with `--show-passed`), each fix in a code block, and the coverage line.

use std::fmt::Write as _;

use super::Report;
use crate::rules::Status;

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|").replace('\n', " ")
}

fn icon(status: Status) -> &'static str {
    match status {
        Status::Fail => "❌ fail",
        Status::Warn => "⚠️ warn",
        Status::Unknown => "❔ unknown",
        Status::Pass => "✅ pass",
    }
}

/// Renders the report as Markdown.
pub fn render(report: &Report, show_passed: bool) -> String {
    let s = report.summary();
    let mut out = String::new();
    let verdict = if s.fail > 0 {
        "EFS mounts will fail"
    } else if s.warn > 0 || s.unknown > 0 {
        "no blocking problem found, with warnings or unknowns"
    } else {
        "EFS mounts look good"
    };
    let _ = writeln!(out, "## efs-preflight: {verdict}\n");
    let _ = writeln!(out, "**{}**\n", report.summary_line());
    let mut rows: Vec<_> = report
        .findings
        .iter()
        .filter(|f| show_passed || f.status != Status::Pass)
        .filter(|f| f.suppressed.is_none())
        .collect();
    rows.sort_by_key(|f| f.status);
    if !rows.is_empty() {
        out.push_str("| status | rule | target | volume | resource | message |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for f in &rows {
            let target = report
                .target_of(f)
                .map(super::TargetInfo::label)
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | `{}` {} | {} | {} | {} | {} |",
                icon(f.status),
                f.rule.id,
                f.rule.name,
                escape(&target),
                escape(f.volume.as_deref().unwrap_or("-")),
                escape(f.resource.as_deref().unwrap_or("-")),
                escape(&f.message)
            );
        }
        let fixes: Vec<_> = rows
            .iter()
            .filter(|f| f.status != Status::Pass && f.fix.is_some())
            .collect();
        if !fixes.is_empty() {
            out.push_str("\n<details><summary>How to fix</summary>\n\n");
            for f in fixes {
                let target = report
                    .target_of(f)
                    .map(super::TargetInfo::label)
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "**{} {}** on `{}`{}:\n\n```sh\n{}\n```\n",
                    f.rule.id,
                    f.rule.name,
                    target,
                    f.resource
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default(),
                    f.fix.as_deref().unwrap_or_default()
                );
            }
            out.push_str("</details>\n");
        }
    }
    let _ = writeln!(out, "\n<sub>{}</sub>", escape(&report.coverage.line()));
    out
}
