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

/// GitHub's limit on the body of a pull-request comment, in characters.
const COMMENT_LIMIT: usize = 65_536;

/// Mermaid's default `maxTextSize`: a longer diagram is not drawn.
const MERMAID_MAX_TEXT: usize = 50_000;

/// A flowchart longer than this many lines is collapsed under `<details>`.
const OPEN_FLOWCHART_LINES: usize = 40;

/// The report with a Mermaid flowchart of each failing target's path (`charts`: the labels of
/// the targets a chart draws, and the chart), placed before the coverage line. Charts that would
/// take the comment past GitHub's limit are left out, and the report says how many.
pub fn render_with_flowcharts(
    report: &Report,
    show_passed: bool,
    charts: &[(Vec<String>, String)],
) -> String {
    let mut out = render(report, show_passed);
    if charts.is_empty() {
        return out;
    }
    // Room for the note on charts left out.
    let budget = COMMENT_LIMIT
        .saturating_sub(out.chars().count())
        .saturating_sub(300);
    let mut section = String::from("\n### Paths\n\n");
    let mut left_out = 0;
    for (targets, chart) in charts {
        let names = targets
            .iter()
            .map(|t| format!("`{}`", escape(t)))
            .collect::<Vec<_>>()
            .join(", ");
        let block = if chart.lines().count() > OPEN_FLOWCHART_LINES {
            format!(
                "<details><summary>Path of {names} ({} lines of Mermaid)</summary>\n\n```mermaid\n{chart}```\n\n</details>\n\n",
                chart.lines().count()
            )
        } else {
            format!("Path of {names}:\n\n```mermaid\n{chart}```\n\n")
        };
        let size = block.chars().count();
        if chart.chars().count() > MERMAID_MAX_TEXT || size + section.chars().count() > budget {
            left_out += 1;
            continue;
        }
        section.push_str(&block);
    }
    if left_out > 0 {
        let _ = writeln!(
            section,
            "{left_out} path{} left out to stay within GitHub's 65,536-character comment limit; `--graph paths.mmd` writes every path.\n",
            if left_out == 1 { "" } else { "s" }
        );
    }
    let at = out.rfind("\n<sub>").unwrap_or(out.len());
    out.insert_str(at, &format!("{}\n", section.trim_end_matches('\n')));
    out
}
