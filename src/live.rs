//! Live collection glue: turns command-line options into a collection request for `collect`
//! (the only module that links the AWS SDK) and maps its failures to exit codes: AWS that cannot
//! be read at all is [`AwsUnreadable`] (exit 3), a bad combination of options is a usage error.

use anyhow::Result;

use crate::app::AwsUnreadable;
use crate::cli::{AwsArgs, CheckArgs, ScopeArgs, SnapshotArgs};
use crate::predeploy::PreDeploy;
use crate::snapshot::Snapshot;

/// Collects what a live `check` needs: the scope's services, plus the resources a pre-deploy
/// task definition names.
pub fn collect_for_check(args: &CheckArgs, pre: Option<&PreDeploy>) -> Result<Snapshot> {
    imp::collect(&args.scope, &args.aws, pre)
}

/// The `stoppedReason` of one task, read live (`explain --task ID --cluster C`).
pub fn task_stopped_reason(cluster: &str, task: &str, aws: &AwsArgs) -> Result<String> {
    let scope = ScopeArgs {
        clusters: vec![cluster.to_owned()],
        services: Vec::new(),
        tasks: vec![task.to_owned()],
    };
    let snap = imp::collect(&scope, aws, None)?;
    let found = snap.ecs.tasks.iter().flatten().find(|t| {
        t.task_arn
            .as_deref()
            .is_some_and(|arn| arn == task || crate::observed::task_id(arn) == task)
    });
    match found.and_then(|t| t.stopped_reason.clone()) {
        Some(reason) => Ok(reason),
        None if found.is_some() => {
            anyhow::bail!("task {task} has no stoppedReason: it has not stopped")
        }
        None => anyhow::bail!(
            "task {task} not found in cluster {cluster} (ECS returns stopped tasks for about an hour after they stop)"
        ),
    }
}

/// Collects a snapshot for `efs-preflight snapshot`.
pub fn collect_for_snapshot(args: &SnapshotArgs) -> Result<Snapshot> {
    imp::collect(&args.scope, &args.aws, None)
}

#[cfg(feature = "live")]
mod imp {
    use anyhow::{anyhow, Result};

    use super::{AwsArgs, AwsUnreadable, PreDeploy, ScopeArgs, Snapshot};
    use crate::collect::{self, CollectError, CollectOptions, Progress, Seeds};

    fn seeds(pre: Option<&PreDeploy>) -> Seeds {
        let Some(pre) = pre else {
            return Seeds::default();
        };
        let td = &pre.task_definition;
        let efs: Vec<_> = td
            .volumes
            .iter()
            .filter_map(|v| v.efs_volume_configuration.as_ref())
            .collect();
        Seeds {
            subnets: pre.subnets.clone(),
            security_groups: pre.security_groups.clone(),
            file_systems: efs
                .iter()
                .map(|c| c.file_system_id.clone())
                .filter(|id| !id.is_empty())
                .collect(),
            access_points: efs
                .iter()
                .filter_map(|c| c.access_point_id().map(str::to_owned))
                .collect(),
            roles: td.task_role_arn.iter().cloned().collect(),
        }
    }

    pub(super) fn collect(
        scope: &ScopeArgs,
        aws: &AwsArgs,
        pre: Option<&PreDeploy>,
    ) -> Result<Snapshot> {
        let opts = CollectOptions {
            region: aws.region.clone(),
            profile: aws.profile.clone(),
            endpoint_url: aws.endpoint_url.clone(),
            clusters: scope.clusters.clone(),
            services: scope.services.clone(),
            tasks: scope.tasks.clone(),
            seeds: seeds(pre),
            progress: if aws.quiet {
                Progress::Quiet
            } else if aws.verbose {
                Progress::Verbose
            } else {
                Progress::Normal
            },
            ..CollectOptions::default()
        };
        match collect::collect(&opts) {
            Ok(collected) => Ok(collected.snapshot),
            Err(CollectError::Usage(m)) => Err(anyhow!(m)),
            Err(e) => Err(AwsUnreadable(e.to_string()).into()),
        }
    }
}

#[cfg(not(feature = "live"))]
mod imp {
    use anyhow::Result;

    use super::{AwsArgs, AwsUnreadable, PreDeploy, ScopeArgs, Snapshot};

    pub(super) fn collect(_: &ScopeArgs, _: &AwsArgs, _: Option<&PreDeploy>) -> Result<Snapshot> {
        Err(AwsUnreadable(
            "this build has no live collection (built without the `live` feature); pass --snapshot FILE".to_owned(),
        )
        .into())
    }
}
