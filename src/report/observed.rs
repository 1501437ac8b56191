//! The observed failures of each target (recent stopped tasks that failed to start) as table,
//! Markdown and JSON show them: the `stoppedReason`, then which findings explain it, or that
//! nothing checked does and what could not be checked on that target.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::{Report, TargetInfo};
use crate::observed::{statuses, task_id, ObservedFailure};
use crate::rules::{Finding, Status};
use crate::target::TargetKind;

/// A target's findings. Findings are in target order (see [`Report::findings`]): a binary
/// search finds them without a scan of every finding for each observed failure.
fn findings_of(report: &Report, index: usize) -> Vec<&Finding> {
    let all = &report.findings;
    debug_assert!(all.is_sorted_by_key(|f| f.target));
    let start = all.partition_point(|f| f.target < index);
    let end = start + all[start..].partition_point(|f| f.target <= index);
    all[start..end].iter().collect()
}

/// "explained by NET001 (fail), DNS002 (unknown)", or "not explained by anything checked" with
/// the rules that could not decide on this target.
pub fn verdict(report: &Report, index: usize, failure: &ObservedFailure) -> String {
    let findings = findings_of(report, index);
    let found = statuses(failure, &findings);
    if !found.is_empty() {
        let rules: Vec<String> = found
            .iter()
            .map(|(id, status)| format!("{id} ({status})"))
            .collect();
        return format!("explained by {}", rules.join(", "));
    }
    let mut undecided: Vec<&str> = findings
        .iter()
        .filter(|f| f.status == Status::Unknown)
        .map(|f| f.rule.id)
        .collect();
    undecided.dedup();
    let mut s = "not explained by anything checked".to_owned();
    if undecided.is_empty() {
        s.push_str("; see the coverage line for what was not checked");
    } else {
        let _ = write!(
            s,
            "; could not be checked here: {} (unknown), and what the coverage line lists",
            undecided.join(", ")
        );
    }
    s
}

fn heading(target: &TargetInfo, failure: &ObservedFailure) -> String {
    let mut s = match (target.kind, &target.service) {
        (TargetKind::Task, Some(service)) => {
            format!("task {} of service {service}", target.label())
        }
        (TargetKind::Task, None) => format!("task {}", target.label()),
        _ => format!("{}: task {}", target.label(), task_id(&failure.task)),
    };
    if let Some(at) = &failure.stopped_at {
        let _ = write!(s, " stopped {at}");
    }
    s
}

fn observed(report: &Report) -> impl Iterator<Item = (usize, &TargetInfo, &ObservedFailure)> {
    report.targets.iter().enumerate().flat_map(|(i, t)| {
        t.observed
            .iter()
            .flatten()
            .map(move |failure| (i, t, failure))
    })
}

/// The plain-text block printed above the table; empty when no target has an observed failure.
pub fn text_block(report: &Report) -> String {
    let mut out = String::new();
    for (i, target, failure) in observed(report) {
        if out.is_empty() {
            out.push_str(
                "Observed failures (recent tasks that stopped before their containers ran):\n",
            );
        }
        let _ = writeln!(out, "- {}", heading(target, failure));
        let _ = writeln!(out, "    {}", failure.stopped_reason.trim());
        let _ = writeln!(out, "    {}", verdict(report, i, failure));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The Markdown block printed above the findings; empty when there is nothing to show.
pub fn markdown_block(report: &Report) -> String {
    let mut out = String::new();
    for (i, target, failure) in observed(report) {
        if out.is_empty() {
            out.push_str("### Observed failures\n\n");
        }
        let _ = writeln!(
            out,
            "- **{}**: {}\n\n  ```text\n  {}\n  ```\n",
            heading(target, failure),
            verdict(report, i, failure),
            failure.stopped_reason.trim().replace('\n', "\n  ")
        );
    }
    out
}

/// `target.observed` in JSON.
pub fn json_value(failures: &[ObservedFailure]) -> Value {
    Value::Array(
        failures
            .iter()
            .map(|f| {
                json!({
                    "task": f.task,
                    "stopped_at": f.stopped_at,
                    "stopped_reason": f.stopped_reason,
                    "explained_by": f.explained_by,
                })
            })
            .collect(),
    )
}

/// One line per observed failure of a target, for JUnit's suite output and SARIF notes.
pub fn lines(report: &Report, index: usize) -> Vec<String> {
    let Some(target) = report.targets.get(index) else {
        return Vec::new();
    };
    target
        .observed
        .iter()
        .flatten()
        .map(|f| {
            format!(
                "Observed: {}: {} ({})",
                heading(target, f),
                f.stopped_reason.trim(),
                verdict(report, index, f)
            )
        })
        .collect()
}
