//! Observed failures: the recent stopped tasks of a target that stopped before their containers
//! ran, each matched to the findings that explain it (SPEC §3, "Observed failures").
//!
//! A task that fails to start stops with `stopCode` `TaskFailedToStart`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html>); its
//! `stoppedReason` is the text a user looks at, such as `ResourceInitializationError: failed to
//! invoke EFS utils commands ...`. Snapshots assembled by hand, and some emulators, carry no
//! `stopCode`; the reason text then decides. `explained_by` lists the rules that have a non-pass
//! finding on the target *and* that [`crate::explain`] offers for the text: definite failures
//! first, then warnings, then the rules that could not decide, each group in the order `explain`
//! ranks them. Works on the snapshot only; no I/O.

use crate::explain;
use crate::graph::Graph;
use crate::rules::{Finding, Status};
use crate::snapshot::Task;
pub use crate::target::task_id;
use crate::target::{cluster_name, Target, TargetKind};

/// A stopped task that never ran its containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedFailure {
    /// Task ARN (or id, when the snapshot has no ARN).
    pub task: String,
    /// When it stopped, as the snapshot has it (RFC 3339 text or epoch seconds).
    pub stopped_at: Option<String>,
    /// Its `stoppedReason`.
    pub stopped_reason: String,
    /// Rules with a non-pass finding on the target that explain offers for the reason, best
    /// first.
    pub explained_by: Vec<&'static str>,
}

/// The `stopCode` of a task that could not start.
const FAILED_TO_START: &str = "TaskFailedToStart";

/// Reason fragments of a task that stopped while its resources (volumes, network, secrets) were
/// set up, before any container ran.
const NOT_STARTED_REASONS: [&str; 5] = [
    "resourceinitializationerror",
    "failed to invoke efs utils",
    "mount.nfs",
    "volumedriver.create",
    "cannotpullcontainererror",
];

/// Whether a stopped task stopped before its containers ran. With a `stopCode`, only
/// `TaskFailedToStart` counts; without one, the reason text decides.
pub fn failed_before_start(task: &Task) -> bool {
    let reason = task.stopped_reason.as_deref().unwrap_or_default();
    match task.stop_code.as_deref() {
        Some(code) => code == FAILED_TO_START,
        None => {
            let lower = reason.to_ascii_lowercase();
            NOT_STARTED_REASONS.iter().any(|r| lower.contains(r))
        }
    }
}

/// The rules among `findings` (one target's) that explain `reason`, best first.
pub fn explained_by(reason: &str, findings: &[&Finding]) -> Vec<&'static str> {
    let worst = |rule: &str| {
        findings
            .iter()
            .filter(|f| f.rule.id == rule && f.status != Status::Pass)
            .map(|f| f.status)
            .min()
    };
    let mut out: Vec<(Status, usize, &'static str)> = explain::explain(reason)
        .iter()
        .enumerate()
        .filter_map(|(rank, c)| worst(c.pattern.rule.id).map(|s| (s, rank, c.pattern.rule.id)))
        .collect();
    out.sort_unstable();
    out.into_iter().map(|(_, _, id)| id).collect()
}

/// Whether a stopped task belongs to a target: the named task itself, or a task its service
/// started (group `service:<name>`) in the target's cluster.
fn belongs_to(task: &Task, target: &Target<'_>) -> bool {
    let same_cluster = match (&target.cluster, &task.cluster_arn) {
        (Some(c), Some(arn)) => cluster_name(arn) == c,
        _ => true,
    };
    match target.kind {
        TargetKind::Service => {
            same_cluster
                && task
                    .group
                    .as_deref()
                    .and_then(|g| g.strip_prefix("service:"))
                    == Some(target.name.as_str())
        }
        TargetKind::Task => {
            same_cluster
                && (task.task_arn.as_deref() == target.arn.as_deref()
                    || task.task_arn.as_deref().map(task_id) == Some(target.name.as_str()))
        }
        TargetKind::TaskDefinition => false,
    }
}

fn stopped_at_text(task: &Task) -> Option<String> {
    match task.stopped_at.as_ref()? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Sort key for newest first: RFC 3339 text compares in time order within one format, epoch
/// seconds compare as numbers; tasks without a time keep their snapshot order, last.
fn stopped_at_key(task: &Task) -> (u8, f64, String) {
    match task.stopped_at.as_ref() {
        Some(serde_json::Value::Number(n)) => (2, n.as_f64().unwrap_or_default(), String::new()),
        Some(serde_json::Value::String(s)) => (1, 0.0, s.clone()),
        _ => (0, 0.0, String::new()),
    }
}

/// The observed failures of one target, newest first; `None` when the snapshot holds no stopped
/// tasks at all (`ecs.tasks` not collected) or the target is not a deployed service or task.
pub fn of_target(
    graph: &Graph<'_>,
    target: &Target<'_>,
    findings: &[&Finding],
) -> Option<Vec<ObservedFailure>> {
    let tasks: Vec<&Task> = graph.snapshot().ecs.tasks.as_ref()?.iter().collect();
    of_target_among(graph, &tasks, target, || findings.to_vec())
}

/// [`of_target`] with the stopped tasks that may belong to the target (in snapshot order) and
/// its findings given when needed.
fn of_target_among<'f>(
    graph: &Graph<'_>,
    candidates: &[&Task],
    target: &Target<'_>,
    findings: impl FnOnce() -> Vec<&'f Finding>,
) -> Option<Vec<ObservedFailure>> {
    if target.kind == TargetKind::TaskDefinition {
        return None;
    }
    graph.snapshot().ecs.tasks.as_ref()?;
    let mut mine: Vec<&Task> = candidates
        .iter()
        .copied()
        .filter(|t| belongs_to(t, target) && failed_before_start(t))
        .collect();
    if mine.is_empty() {
        return Some(Vec::new());
    }
    let findings = findings();
    // Stable: equal keys keep the snapshot's order (newest first as ECS lists them).
    mine.sort_by(|a, b| {
        let (ka, kb) = (stopped_at_key(a), stopped_at_key(b));
        kb.0.cmp(&ka.0)
            .then(kb.1.total_cmp(&ka.1))
            .then_with(|| kb.2.cmp(&ka.2))
    });
    Some(
        mine.into_iter()
            .map(|t| {
                let reason = t.stopped_reason.clone().unwrap_or_default();
                ObservedFailure {
                    task: t.task_arn.clone().unwrap_or_default(),
                    stopped_at: stopped_at_text(t),
                    explained_by: explained_by(&reason, &findings),
                    stopped_reason: reason,
                }
            })
            .collect(),
    )
}

/// Observed failures for every target (indexed like `targets`), and the coverage note: which
/// targets had no stopped task to look at.
pub fn for_targets(
    graph: &Graph<'_>,
    targets: &[Target<'_>],
    findings: &[Finding],
) -> (Vec<Option<Vec<ObservedFailure>>>, Option<String>) {
    // A service's tasks are those of its group: each service looks at its own, not at every
    // stopped task of the estate; other targets look at all.
    let all: Vec<&Task> = graph.snapshot().ecs.tasks.iter().flatten().collect();
    let mut of_service: std::collections::HashMap<&str, Vec<&Task>> =
        std::collections::HashMap::new();
    for t in &all {
        if let Some(name) = t.group.as_deref().and_then(|g| g.strip_prefix("service:")) {
            of_service.entry(name).or_default().push(t);
        }
    }
    // The findings of a target with observed failures (few): found by a binary search in
    // findings in target order, as the rules give them.
    let sorted = findings.is_sorted_by_key(|f| f.target);
    let of_target = |index: usize| -> Vec<&Finding> {
        if sorted {
            let start = findings.partition_point(|f| f.target < index);
            let end = start + findings[start..].partition_point(|f| f.target <= index);
            findings[start..end].iter().collect()
        } else {
            findings.iter().filter(|f| f.target == index).collect()
        }
    };
    let observed: Vec<Option<Vec<ObservedFailure>>> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let candidates = match t.kind {
                TargetKind::Service => of_service
                    .get(t.name.as_str())
                    .map_or(&[][..], Vec::as_slice),
                _ => all.as_slice(),
            };
            of_target_among(graph, candidates, t, || of_target(i))
        })
        .collect();
    let deployed = targets
        .iter()
        .filter(|t| t.kind != TargetKind::TaskDefinition)
        .count();
    if deployed == 0 {
        return (observed, None);
    }
    let collected = graph.snapshot().ecs.tasks.is_some();
    let note = if collected {
        let none: Vec<String> = targets
            .iter()
            .zip(&observed)
            .filter(|(_, o)| o.as_ref().is_some_and(Vec::is_empty))
            .map(|(t, _)| t.label())
            .collect();
        let which = if none.len() > 5 {
            format!("{} targets", none.len())
        } else {
            none.join(", ")
        };
        (!none.is_empty()).then(|| {
            format!(
                "observed failures: no recent stopped task that failed to start for {which} (ECS returns stopped tasks for about an hour after they stop)"
            )
        })
    } else {
        Some("observed failures (ecs.tasks not collected)".to_owned())
    };
    (observed, note)
}

/// The coverage phrase for task targets ("task 0a1b in cluster prod"), `None` without any.
pub fn tasks_checked(targets: &[&Target<'_>]) -> Option<String> {
    let tasks: Vec<String> = targets
        .iter()
        .filter(|t| t.kind == TargetKind::Task)
        .map(|t| match &t.cluster {
            Some(c) => format!("task {} in cluster {c}", t.name),
            None => format!("task {}", t.name),
        })
        .collect();
    (!tasks.is_empty()).then(|| tasks.join(", "))
}

/// The status of each explaining rule's worst finding on one target, for display.
pub fn statuses(failure: &ObservedFailure, findings: &[&Finding]) -> Vec<(&'static str, Status)> {
    failure
        .explained_by
        .iter()
        .map(|id| {
            let worst = findings
                .iter()
                .filter(|f| f.rule.id == *id)
                .map(|f| f.status)
                .min()
                .unwrap_or(Status::Unknown);
            (*id, worst)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(code: Option<&str>, reason: &str) -> Task {
        Task {
            stop_code: code.map(str::to_owned),
            stopped_reason: Some(reason.to_owned()),
            ..Task::default()
        }
    }

    #[test]
    fn stop_code_decides_when_present() {
        assert!(failed_before_start(&task(
            Some("TaskFailedToStart"),
            "CannotPullContainerError: pull image manifest has been retried 5 time(s)"
        )));
        assert!(!failed_before_start(&task(
            Some("EssentialContainerExited"),
            "Essential container in task exited"
        )));
        assert!(!failed_before_start(&task(
            Some("UserInitiated"),
            "ResourceInitializationError: scaled in"
        )));
    }

    #[test]
    fn reason_decides_without_stop_code() {
        assert!(failed_before_start(&task(
            None,
            "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-1.efs.us-east-1.amazonaws.com\""
        )));
        assert!(!failed_before_start(&task(
            None,
            "Scaling activity initiated by (deployment ecs-svc/1)"
        )));
        assert!(!failed_before_start(&task(None, "Task stopped by user")));
    }

    fn finding(rule: &str, status: Status) -> Finding {
        Finding {
            rule: crate::rules::find(rule).expect("a rule"),
            status,
            target: 0,
            volume: None,
            resource: None,
            message: String::new(),
            fix: None,
            suppressed: None,
        }
    }

    #[test]
    fn explained_by_keeps_failures_first_and_drops_passes() {
        let reason = "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-1.efs.us-east-1.amazonaws.com\" - check that your file system ID is correct.";
        let findings = [
            finding("NET001", Status::Pass),
            finding("DNS001", Status::Unknown),
            finding("DNS002", Status::Fail),
            finding("NET005", Status::Fail),
        ];
        let refs: Vec<&Finding> = findings.iter().collect();
        // NET005 fails but says nothing about a name that does not resolve.
        assert_eq!(explained_by(reason, &refs), ["DNS002", "DNS001"]);
        assert!(explained_by("CannotPullContainerError: no such image", &refs).is_empty());
    }

    #[test]
    fn task_ids_come_from_arns() {
        assert_eq!(
            task_id("arn:aws:ecs:us-east-1:1:task/prod/0123abcd"),
            "0123abcd"
        );
        assert_eq!(task_id("0123abcd"), "0123abcd");
    }
}
