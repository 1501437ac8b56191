//! The check pipeline, the same for every way in:
//!
//! ```text
//! source -> snapshot -> graph -> rules -> report
//! ```
//!
//! [`check`] takes a [`Source`] (which reads the state and names the targets), joins the state
//! into a [`Graph`], runs the selected rules on every target and hands the finished [`Report`]
//! (with the graph and targets it came from) to the caller, which renders it. Nothing here knows
//! the command line or prints.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::graph::{Graph, List};
use crate::report::{self, Coverage, Report, TargetInfo};
use crate::rules::{self, Selection};
use crate::source::{Source, SourceError};
use crate::target::Target;

/// Everything a finished check holds: the report, and the estate and targets behind it (for
/// writers that draw the estate).
pub struct Checked<'a> {
    /// The joined estate.
    pub graph: &'a Graph<'a>,
    /// The targets, indexed like `report.targets`.
    pub targets: &'a [Target<'a>],
    /// The report.
    pub report: &'a Report,
}

/// Runs a check: loads the source's state, joins it, selects the targets, runs the rules and
/// passes the result to `finish` (which renders it), returning what `finish` returns.
pub fn check<T, E: From<SourceError>>(
    source: &mut dyn Source,
    selection: &Selection,
    finish: impl FnOnce(Checked<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let (snap, info) = source.load()?;
    // The snapshot and the report live until the process exits, which frees them at once;
    // dropping an account's worth of objects one by one costs a sixth of a large check.
    let snap = std::mem::ManuallyDrop::new(snap);
    let graph = Graph::build(&snap);
    let targets = source.targets(&graph)?;
    let mut findings = rules::run(&graph, &targets, selection);
    let mut infos: Vec<TargetInfo> = targets.iter().map(TargetInfo::from_target).collect();
    source.annotate(&targets, &mut findings, &mut infos);
    let checked = source.checked(&targets);
    let coverage = coverage(
        &graph,
        &targets,
        selection,
        checked,
        source.counts_other_services(),
    );
    let report = std::mem::ManuallyDrop::new(Report {
        tool: report::tool_name(),
        source: info,
        targets: infos,
        findings,
        rules: selection.rules(),
        coverage,
    });
    finish(Checked {
        graph: &graph,
        targets: &targets,
        report: &report,
    })
}

/// What was and was not checked, for the coverage line.
fn coverage(
    graph: &Graph<'_>,
    targets: &[Target<'_>],
    selection: &Selection,
    checked: Option<String>,
    count_other_services: bool,
) -> Coverage {
    let mut c = Coverage::default();
    let volumes: usize = targets
        .iter()
        .map(|t| match &t.task_definition {
            Ok(td) => td
                .volumes
                .iter()
                .filter(|v| v.efs_volume_configuration.is_some())
                .count(),
            Err(_) => 0,
        })
        .sum();
    let mut clusters: Vec<&str> = targets
        .iter()
        .filter_map(|t| t.cluster.as_deref())
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    if let Some(checked) = checked {
        c.checked.push(checked);
    } else {
        c.checked.push(format!(
            "{} service{} in {} cluster{}",
            targets.len(),
            plural(targets.len()),
            clusters.len(),
            plural(clusters.len())
        ));
    }
    c.checked
        .push(format!("{volumes} EFS volume{}", plural(volumes)));
    let ran = selection.rules().len();
    c.checked
        .push(format!("{ran} of {} rules", rules::ALL.len()));
    if count_other_services {
        let checked: HashSet<(&str, Option<&str>)> = targets
            .iter()
            .map(|t| (t.name.as_str(), t.arn.as_deref()))
            .collect();
        let skipped = graph
            .services()
            .filter(|s| !checked.contains(&(s.service_name.as_str(), s.service_arn.as_deref())))
            .count();
        if skipped > 0 {
            c.not_checked.push(format!(
                "{skipped} service{} out of scope or without EFS volumes",
                plural(skipped)
            ));
        }
    }
    let mut explained = Vec::new();
    for list in List::ALL {
        if list == List::Services || graph.require(list).is_ok() {
            continue;
        }
        let gaps = graph.gaps_for(list, None);
        explained.extend(gaps.iter().map(|g| std::ptr::from_ref(*g)));
        c.not_checked.push(format!(
            "{} (not collected{})",
            list.path(),
            gaps.iter().fold(String::new(), |mut acc, g| {
                let _ = write!(acc, ": {} {}", g.call, g.error);
                acc
            })
        ));
    }
    for gap in &graph.snapshot().gaps {
        if explained.contains(&std::ptr::from_ref(gap)) {
            continue;
        }
        c.not_checked.push(format!(
            "{}{} ({})",
            gap.call,
            gap.resource
                .as_deref()
                .map(|r| format!(" on {r}"))
                .unwrap_or_default(),
            gap.error
        ));
    }
    c.not_checked.push(
        "service control policies, resource control policies and session policies (not visible from the account)".to_owned(),
    );
    c.not_checked
        .push("whether rootDirectory paths exist (needs a mount)".to_owned());
    c.not_checked
        .push("KMS key state of encrypted file systems".to_owned());
    c
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
