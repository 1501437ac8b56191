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
use crate::snapshot::EstateFilter;
use crate::source::{Source, SourceError};
use crate::target::Target;

/// One estate (account x Region) of a finished check: its joined state and its targets.
pub struct Estate<'a> {
    /// The joined estate.
    pub graph: Graph<'a>,
    /// Its targets.
    pub targets: Vec<Target<'a>>,
    /// Index of its first target in the report's target list.
    pub first_target: usize,
}

/// Everything a finished check holds: the report, and the estates and targets behind it (for
/// writers that draw the estate).
pub struct Checked<'a> {
    /// The estates, in state order (one for a single-estate state).
    pub estates: &'a [Estate<'a>],
    /// The report.
    pub report: &'a Report,
}

/// Runs a check: loads the source's state, joins each estate of it, selects the targets, runs
/// the rules and passes the result to `finish` (which renders it), returning what `finish`
/// returns.
pub fn check<T, E: From<SourceError>>(
    source: &mut dyn Source,
    selection: &Selection,
    finish: impl FnOnce(Checked<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let (snap, info) = source.load()?;
    let multi = snap.is_multi_estate();
    if multi && !source.spans_estates() {
        return Err(SourceError::Usage(
            "this input is placed in one estate; narrow the state with --accounts and --regions"
                .to_owned(),
        )
        .into());
    }
    // The snapshot and the report live until the process exits, which frees them at once;
    // dropping an account's worth of objects one by one costs a sixth of a large check.
    let states = std::mem::ManuallyDrop::new(snap.into_estates(&EstateFilter::default()));
    let mut estates: Vec<Estate<'_>> = Vec::with_capacity(states.len());
    let mut scope_error = None;
    let mut first_target = 0;
    for state in states.iter() {
        let graph = Graph::build(state);
        let targets = match source.targets(&graph) {
            Ok(t) => t,
            // A scope name needs to be found in one estate of several only.
            Err(SourceError::Scope(e)) if multi => {
                scope_error.get_or_insert(e);
                Vec::new()
            }
            Err(e) => return Err(e.into()),
        };
        let n = targets.len();
        estates.push(Estate {
            graph,
            targets,
            first_target,
        });
        first_target += n;
    }
    if let Some(e) = scope_error {
        if first_target == 0 {
            return Err(SourceError::Scope(e).into());
        }
    }
    let mut findings = Vec::new();
    let mut observed_notes: Vec<String> = Vec::new();
    let mut infos: Vec<TargetInfo> = Vec::with_capacity(first_target);
    for estate in &estates {
        let snapshot = estate.graph.snapshot();
        let mut estate_findings = rules::run(&estate.graph, &estate.targets, selection);
        let mut estate_infos: Vec<TargetInfo> = estate
            .targets
            .iter()
            .map(|t| TargetInfo {
                account: snapshot.account_id.clone(),
                region: snapshot.region.clone(),
                ..TargetInfo::from_target(t)
            })
            .collect();
        source.annotate(&estate.targets, &mut estate_findings, &mut estate_infos);
        let (observed, note) =
            crate::observed::for_targets(&estate.graph, &estate.targets, &estate_findings);
        for (info, observed) in estate_infos.iter_mut().zip(observed) {
            info.observed = observed;
        }
        // With several estates, a note names the estate it is about.
        observed_notes.extend(note.map(|n| {
            if estates.len() > 1 {
                format!("{}: {n}", snapshot.estate_label())
            } else {
                n
            }
        }));
        for f in &mut estate_findings {
            f.target += estate.first_target;
        }
        if findings.is_empty() {
            findings = estate_findings;
        } else {
            findings.append(&mut estate_findings);
        }
        infos.append(&mut estate_infos);
    }
    let all_targets: Vec<&Target<'_>> = estates.iter().flat_map(|e| &e.targets).collect();
    let checked = source.checked(&all_targets);
    let mut coverage = coverage(
        &estates,
        all_targets.len(),
        selection,
        checked,
        source.counts_other_services(),
    );
    coverage.not_checked.extend(observed_notes);
    coverage
        .not_checked
        .extend(source.not_checked(&all_targets));
    let report = std::mem::ManuallyDrop::new(Report {
        tool: report::tool_name(),
        source: info,
        targets: infos,
        findings,
        rules: selection.rules(),
        coverage,
        estates: estate_infos(&estates),
    });
    finish(Checked {
        estates: &estates,
        report: &report,
    })
}

/// What was and was not checked, for the coverage line.
fn coverage(
    estates: &[Estate<'_>],
    target_count: usize,
    selection: &Selection,
    checked: Option<String>,
    count_other_services: bool,
) -> Coverage {
    let mut c = Coverage::default();
    let targets = estates.iter().flat_map(|e| e.targets.iter());
    let volumes: usize = targets
        .clone()
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
        .clone()
        .filter_map(|t| t.cluster.as_deref())
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    if let Some(checked) = checked {
        c.checked.push(checked);
    } else {
        c.checked.push(format!(
            "{} service{} in {} cluster{}",
            target_count,
            plural(target_count),
            clusters.len(),
            plural(clusters.len())
        ));
    }
    if estates.len() > 1 {
        c.checked.push(format!("{} estates", estates.len()));
    }
    c.checked
        .push(format!("{volumes} EFS volume{}", plural(volumes)));
    let ran = selection.rules().len();
    c.checked
        .push(format!("{ran} of {} rules", rules::ALL.len()));
    if count_other_services {
        let skipped: usize = estates
            .iter()
            .map(|e| {
                let checked: HashSet<(&str, Option<&str>)> = e
                    .targets
                    .iter()
                    .map(|t| (t.name.as_str(), t.arn.as_deref()))
                    .collect();
                e.graph
                    .services()
                    .filter(|s| {
                        !checked.contains(&(s.service_name.as_str(), s.service_arn.as_deref()))
                    })
                    .count()
            })
            .sum();
        if skipped > 0 {
            c.not_checked.push(format!(
                "{skipped} service{} out of scope or without EFS volumes",
                plural(skipped)
            ));
        }
    }
    let several = estates.len() > 1;
    for estate in estates {
        let graph = &estate.graph;
        // With several estates, each line names the estate it is about.
        let prefix = if several {
            format!("{}: ", graph.snapshot().estate_label())
        } else {
            String::new()
        };
        if let Some(why) = nothing_read(graph).filter(|_| several) {
            c.not_checked.push(format!("{prefix}nothing read ({why})"));
            continue;
        }
        let mut explained = Vec::new();
        for list in List::ALL {
            if list == List::Services || graph.require(list).is_ok() {
                continue;
            }
            let gaps = graph.gaps_for(list, None);
            explained.extend(gaps.iter().map(|g| std::ptr::from_ref(*g)));
            c.not_checked.push(format!(
                "{prefix}{} (not collected{})",
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
                "{prefix}{}{} ({})",
                gap.call,
                gap.resource
                    .as_deref()
                    .map(|r| format!(" on {r}"))
                    .unwrap_or_default(),
                gap.error
            ));
        }
    }
    c.not_checked.push(
        "service control policies, resource control policies and session policies (not visible from the account)".to_owned(),
    );
    c.not_checked
        .push("whether rootDirectory paths exist (needs a mount)".to_owned());
    c
}

/// Why nothing of an estate could be read (a role that cannot be assumed, a Region that is not
/// enabled): its gaps, `call error; call error`; `None` when any list was read.
fn nothing_read(graph: &Graph<'_>) -> Option<String> {
    if List::ALL.iter().any(|l| graph.require(*l).is_ok()) {
        return None;
    }
    let why: Vec<String> = graph
        .snapshot()
        .gaps
        .iter()
        .map(|g| format!("{} {}", g.call, g.error))
        .collect();
    Some(if why.is_empty() {
        "no list collected".to_owned()
    } else {
        why.join("; ")
    })
}

/// The estates as reports show them; none for a run over one estate.
fn estate_infos(estates: &[Estate<'_>]) -> Vec<report::EstateInfo> {
    if estates.len() < 2 {
        return Vec::new();
    }
    estates
        .iter()
        .map(|e| {
            let snapshot = e.graph.snapshot();
            report::EstateInfo {
                account: snapshot.account_id.clone(),
                region: snapshot.region.clone(),
                targets: e.first_target..e.first_target + e.targets.len(),
                nothing_read: nothing_read(&e.graph),
            }
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
