//! Named tasks: `check --cluster C --task ID`, each checked where it actually ran (its subnet,
//! platform version and task-definition revision; its service's security groups).
//!
//! Offline, a task the snapshot does not hold is an error; live, ECS may simply have forgotten
//! it (stopped tasks are returned for about an hour,
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html>), so it is a
//! gap in the coverage line.

use super::{live, Source, SourceError, State};
use crate::graph::Graph;
use crate::observed;
use crate::report::SourceInfo;
use crate::snapshot::{EstateFilter, Snapshot};
use crate::target::{self, Scope, Target};

/// Tasks in the state, named by id or ARN.
#[derive(Debug)]
pub struct TasksSource {
    state: State,
    scope: Scope,
    estates: EstateFilter,
    tasks: Vec<String>,
}

impl TasksSource {
    /// The named tasks of the scope's clusters.
    pub fn new(
        state: State,
        scope: Scope,
        estates: EstateFilter,
        tasks: Vec<String>,
    ) -> Result<Self, SourceError> {
        if scope.clusters.is_empty() {
            return Err(SourceError::Usage(
                "--task needs --cluster: name the cluster the task ran in".to_owned(),
            ));
        }
        if !scope.services.is_empty() {
            return Err(SourceError::Usage(
                "--task names the targets itself; give it without --service".to_owned(),
            ));
        }
        Ok(Self {
            state,
            scope,
            estates,
            tasks,
        })
    }

    fn missing(&self, targets: &[&Target<'_>]) -> Vec<&str> {
        self.tasks
            .iter()
            .filter(|name| {
                !targets
                    .iter()
                    .any(|t| t.name == **name || t.arn.as_deref() == Some(name.as_str()))
            })
            .map(String::as_str)
            .collect()
    }
}

impl Source for TasksSource {
    fn load(&mut self) -> Result<(Snapshot, SourceInfo), SourceError> {
        let seeds = live::Seeds {
            tasks: self.tasks.clone(),
            ..live::Seeds::default()
        };
        self.state.read_one(&self.scope, &seeds, &self.estates)
    }

    fn targets<'a>(&'a self, graph: &Graph<'a>) -> Result<Vec<Target<'a>>, SourceError> {
        let (found, missing) = target::select_tasks(graph, &self.scope.clusters, &self.tasks);
        if !missing.is_empty() && self.state.is_offline() {
            return Err(SourceError::Usage(format!(
                "task {} not found in cluster {} of the snapshot (ecs.tasks holds the recently stopped tasks it was taken with)",
                missing.join(", "),
                self.scope.clusters.join(", ")
            )));
        }
        Ok(found)
    }

    fn checked(&self, targets: &[&Target<'_>]) -> Option<String> {
        observed::tasks_checked(targets).or_else(|| Some("no task".to_owned()))
    }

    fn counts_other_services(&self) -> bool {
        false
    }

    fn not_checked(&self, targets: &[&Target<'_>]) -> Vec<String> {
        self.missing(targets)
            .into_iter()
            .map(|t| {
                format!(
                    "task {t} (not found: ECS returns stopped tasks for about an hour after they stop)"
                )
            })
            .collect()
    }
}

/// How a task ended, as `ecs:DescribeTasks` gives it (`explain --task ID --cluster C`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// The task's ARN.
    pub arn: String,
    /// Its `stoppedReason`.
    pub stopped_reason: String,
    /// Its `stopCode` (`TaskFailedToStart` ...), when ECS gave one.
    pub stop_code: Option<String>,
}

/// How one task ended, read live with a single `ecs:DescribeTasks` call: nothing else is read
/// (`explain` needs only the text).
pub fn stopped(
    options: &live::LiveOptions,
    cluster: &str,
    task: &str,
) -> Result<Stopped, SourceError> {
    let tasks = imp::describe(options, cluster, task)?;
    let found = tasks.into_iter().find(|t| {
        t.task_arn
            .as_deref()
            .is_some_and(|arn| arn == task || observed::task_id(arn) == task)
    });
    let Some(t) = found else {
        return Err(SourceError::Usage(format!(
            "task {task} not found in cluster {cluster} (ECS returns stopped tasks for about an hour after they stop)"
        )));
    };
    match t.stopped_reason {
        Some(reason) if !reason.trim().is_empty() => Ok(Stopped {
            arn: t.task_arn.unwrap_or_default(),
            stopped_reason: reason,
            stop_code: t.stop_code,
        }),
        _ => Err(SourceError::Usage(format!(
            "task {task} has no stoppedReason: it has not stopped (last status {})",
            t.last_status.as_deref().unwrap_or("unknown")
        ))),
    }
}

#[cfg(feature = "live")]
mod imp {
    use super::{live, SourceError};
    use crate::collect::{self, CollectError, CollectOptions, Progress};
    use crate::snapshot::Task;

    pub(super) fn describe(
        options: &live::LiveOptions,
        cluster: &str,
        task: &str,
    ) -> Result<Vec<Task>, SourceError> {
        let opts = CollectOptions {
            region: options.region.clone(),
            profile: options.profile.clone(),
            endpoint_url: options.endpoint_url.clone(),
            clusters: vec![cluster.to_owned()],
            tasks: vec![task.to_owned()],
            progress: if options.quiet {
                Progress::Quiet
            } else if options.verbose {
                Progress::Verbose
            } else {
                Progress::Normal
            },
            ..CollectOptions::default()
        };
        collect::describe_tasks(&opts).map_err(|e| match e {
            CollectError::Usage(m) => SourceError::Usage(m),
            e => SourceError::AwsUnreadable(e.to_string()),
        })
    }
}

#[cfg(not(feature = "live"))]
mod imp {
    use super::{live, SourceError};
    use crate::snapshot::Task;

    pub(super) fn describe(
        _: &live::LiveOptions,
        _: &str,
        _: &str,
    ) -> Result<Vec<Task>, SourceError> {
        Err(SourceError::AwsUnreadable(
            "this build has no live collection (built without the `live` feature); paste the stoppedReason instead".to_owned(),
        ))
    }
}
