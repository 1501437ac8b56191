//! Live AWS as a state: the options that reach `collect` (the only module that links the AWS
//! SDK), and the mapping of its failures: AWS that cannot be read at all is
//! [`SourceError::AwsUnreadable`] (exit 3), options that do not fit together are
//! [`SourceError::Usage`].

use super::SourceError;
use crate::predeploy::PreDeploy;
use crate::snapshot::Snapshot;
use crate::target::Scope;

/// How to reach AWS.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    /// AWS Region (`None`: the standard chain).
    pub region: Option<String>,
    /// Named profile.
    pub profile: Option<String>,
    /// One endpoint for every service (moto, LocalStack).
    pub endpoint_url: Option<String>,
    /// Print nothing on stderr but errors.
    pub quiet: bool,
    /// Print each AWS call on stderr.
    pub verbose: bool,
}

/// Resources to read beyond what the scope references: what a pre-deploy task definition and
/// its placement name.
#[derive(Debug, Clone, Default)]
pub struct Seeds {
    /// Task subnets.
    pub subnets: Vec<String>,
    /// Task security groups.
    pub security_groups: Vec<String>,
    /// File systems.
    pub file_systems: Vec<String>,
    /// Access points.
    pub access_points: Vec<String>,
    /// Task role ARNs.
    pub roles: Vec<String>,
    /// Task ids or ARNs (`--task`): described, with the services that started them.
    pub tasks: Vec<String>,
}

impl Seeds {
    /// What a pre-deploy task definition names.
    pub fn of_pre_deploy(pre: &PreDeploy) -> Self {
        let td = &pre.task_definition;
        let efs: Vec<_> = td
            .volumes
            .iter()
            .filter_map(|v| v.efs_volume_configuration.as_ref())
            .collect();
        Self {
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
            tasks: Vec::new(),
        }
    }
}

/// Collects what the scope (and the seeds) reference.
pub fn collect(
    options: &LiveOptions,
    scope: &Scope,
    seeds: &Seeds,
) -> Result<Snapshot, SourceError> {
    imp::collect(options, scope, seeds)
}

#[cfg(feature = "live")]
mod imp {
    use super::{LiveOptions, Scope, Seeds, Snapshot, SourceError};
    use crate::collect::{self, CollectError, CollectOptions, Progress};

    pub(super) fn collect(
        options: &LiveOptions,
        scope: &Scope,
        seeds: &Seeds,
    ) -> Result<Snapshot, SourceError> {
        let opts = CollectOptions {
            region: options.region.clone(),
            profile: options.profile.clone(),
            endpoint_url: options.endpoint_url.clone(),
            clusters: scope.clusters.clone(),
            services: scope.services.clone(),
            tasks: seeds.tasks.clone(),
            seeds: collect::Seeds {
                subnets: seeds.subnets.clone(),
                security_groups: seeds.security_groups.clone(),
                file_systems: seeds.file_systems.clone(),
                access_points: seeds.access_points.clone(),
                roles: seeds.roles.clone(),
            },
            progress: if options.quiet {
                Progress::Quiet
            } else if options.verbose {
                Progress::Verbose
            } else {
                Progress::Normal
            },
            ..CollectOptions::default()
        };
        match collect::collect(&opts) {
            Ok(collected) => Ok(collected.snapshot),
            Err(CollectError::Usage(m)) => Err(SourceError::Usage(m)),
            Err(e) => Err(SourceError::AwsUnreadable(e.to_string())),
        }
    }
}

#[cfg(not(feature = "live"))]
mod imp {
    use super::{LiveOptions, Scope, Seeds, Snapshot, SourceError};

    pub(super) fn collect(_: &LiveOptions, _: &Scope, _: &Seeds) -> Result<Snapshot, SourceError> {
        Err(SourceError::AwsUnreadable(
            "this build has no live collection (built without the `live` feature); pass --snapshot FILE".to_owned(),
        ))
    }
}
