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
    /// Read several estates (accounts x Regions) into one multi-estate snapshot.
    pub fan_out: Option<FanOut>,
}

/// A run over several estates: every account x every Region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FanOut {
    /// Which accounts.
    pub accounts: AccountSet,
    /// Which Regions of each account.
    pub regions: RegionSet,
    /// The role to assume in every account other than the caller's.
    pub role_name: Option<String>,
    /// How many estates may be read at once.
    pub concurrency: usize,
    /// `--discover config:AGGREGATOR`: read the estates this AWS Config aggregator points at
    /// (narrowed by listed accounts and Regions) instead of every account x Region.
    pub discover: Option<String>,
}

/// Which accounts a fan-out reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountSet {
    /// The caller's.
    Caller,
    /// These ids.
    Listed(Vec<String>),
    /// Every ACTIVE account of the Organization.
    Organization,
}

/// Which Regions a fan-out reads in each account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionSet {
    /// The configured Region.
    Home,
    /// These Regions.
    Listed(Vec<String>),
    /// Those enabled for the account.
    Enabled,
}

/// How a multi-estate collection ended.
#[derive(Debug)]
pub struct Estates {
    /// The snapshot (with `incomplete` set when interrupted).
    pub snapshot: Snapshot,
    /// The exit code of the signal that interrupted it (130 for SIGINT, 143 for SIGTERM).
    pub interrupted: Option<u8>,
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
    /// Whether any resource is named.
    pub fn any(&self) -> bool {
        !(self.subnets.is_empty()
            && self.security_groups.is_empty()
            && self.file_systems.is_empty()
            && self.access_points.is_empty()
            && self.roles.is_empty()
            && self.tasks.is_empty())
    }

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

/// The aggregator a `--discover` value names: `config:AGGREGATOR`.
pub fn discover_aggregator(value: &str) -> Result<String, SourceError> {
    let value = value.trim();
    match value.strip_prefix("config:").map(str::trim) {
        Some(name) if !name.is_empty() => Ok(name.to_owned()),
        _ => Err(SourceError::Usage(format!(
            "--discover takes `config:AGGREGATOR` (the name of an AWS Config configuration aggregator), not `{value}`"
        ))),
    }
}

/// Collects what the scope (and the seeds) reference: one estate, or with
/// [`LiveOptions::fan_out`] every estate of it in one multi-estate snapshot.
pub fn collect(
    options: &LiveOptions,
    scope: &Scope,
    seeds: &Seeds,
) -> Result<Snapshot, SourceError> {
    if options.fan_out.is_some() {
        if seeds.any() {
            return Err(SourceError::Usage("a pre-deploy input, --task, a Terraform plan or a CloudFormation template is placed in one account and Region; drop --accounts/--regions/--role-name (or give one --regions value)".to_owned()));
        }
        return imp::collect_estates(options, scope, None, false, &mut |_| Ok(()))
            .map(|e| e.snapshot);
    }
    imp::collect(options, scope, seeds)
}

/// Collects every estate of [`LiveOptions::fan_out`] (or, with `resume`, the estates an
/// interrupted snapshot lists as pending, with the role and scope it names), handing the
/// snapshot so far to `save` as estates finish and at the end. SIGINT and SIGTERM stop it:
/// what was read is saved and [`Estates::interrupted`] says which signal it was.
pub fn collect_estates(
    options: &LiveOptions,
    scope: &Scope,
    resume: Option<Snapshot>,
    save: &mut dyn FnMut(&Snapshot) -> std::io::Result<()>,
) -> Result<Estates, SourceError> {
    imp::collect_estates(options, scope, resume, true, save)
}

#[cfg(feature = "live")]
mod imp {
    use super::{AccountSet, Estates, LiveOptions, RegionSet, Scope, Seeds, Snapshot, SourceError};
    use crate::collect::fanout::{self, Accounts, FanOutOptions, Plan, Regions};
    use crate::collect::{self, CollectError, CollectOptions, Progress};

    pub(super) fn collect_estates(
        options: &LiveOptions,
        scope: &Scope,
        resume: Option<Snapshot>,
        stop_on_signal: bool,
        save: &mut dyn FnMut(&Snapshot) -> std::io::Result<()>,
    ) -> Result<Estates, SourceError> {
        let fan_out = options.fan_out.clone().unwrap_or(super::FanOut {
            accounts: AccountSet::Caller,
            regions: RegionSet::Home,
            role_name: None,
            concurrency: 8,
            discover: None,
        });
        let mut collect = collect_options(options, scope, &Seeds::default());
        let (plan, role_name) = match (
            resume.as_ref().and_then(|r| r.incomplete.as_ref()),
            fan_out.discover,
        ) {
            (Some(incomplete), _) => {
                collect.clusters.clone_from(&incomplete.clusters);
                collect.services.clone_from(&incomplete.services);
                (
                    Plan::Estates(incomplete.pending.clone()),
                    incomplete.role_name.clone(),
                )
            }
            (None, Some(aggregator)) => (
                Plan::Discover {
                    aggregator,
                    accounts: match fan_out.accounts {
                        AccountSet::Listed(ids) => Some(ids),
                        AccountSet::Caller | AccountSet::Organization => None,
                    },
                    regions: match fan_out.regions {
                        RegionSet::Listed(r) => Some(r),
                        RegionSet::Home | RegionSet::Enabled => None,
                    },
                },
                fan_out.role_name,
            ),
            (None, None) => (
                Plan::Matrix {
                    accounts: match fan_out.accounts {
                        AccountSet::Caller => Accounts::Caller,
                        AccountSet::Listed(ids) => Accounts::Listed(ids),
                        AccountSet::Organization => Accounts::Organization,
                    },
                    regions: match fan_out.regions {
                        RegionSet::Home => Regions::Home,
                        RegionSet::Listed(r) => Regions::Listed(r),
                        RegionSet::Enabled => Regions::Enabled,
                    },
                },
                fan_out.role_name,
            ),
        };
        let opts = FanOutOptions {
            collect,
            plan,
            role_name,
            estates_in_flight: fan_out.concurrency,
            resume,
            stop_on_signal,
        };
        match fanout::collect_estates(&opts, save) {
            Ok(done) => Ok(Estates {
                snapshot: done.snapshot,
                interrupted: done.interrupted.map(fanout::Interrupt::exit_code),
            }),
            Err(CollectError::Usage(m) | CollectError::Output(m)) => Err(SourceError::Usage(m)),
            Err(e) => Err(SourceError::AwsUnreadable(e.to_string())),
        }
    }

    fn collect_options(options: &LiveOptions, scope: &Scope, seeds: &Seeds) -> CollectOptions {
        CollectOptions {
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
        }
    }

    pub(super) fn collect(
        options: &LiveOptions,
        scope: &Scope,
        seeds: &Seeds,
    ) -> Result<Snapshot, SourceError> {
        let opts = collect_options(options, scope, seeds);
        match collect::collect(&opts) {
            Ok(collected) => Ok(collected.snapshot),
            Err(CollectError::Usage(m)) => Err(SourceError::Usage(m)),
            Err(e) => Err(SourceError::AwsUnreadable(e.to_string())),
        }
    }
}

#[cfg(not(feature = "live"))]
mod imp {
    use super::{Estates, LiveOptions, Scope, Seeds, Snapshot, SourceError};

    fn unavailable() -> SourceError {
        SourceError::AwsUnreadable(
            "this build has no live collection (built without the `live` feature); pass --snapshot FILE".to_owned(),
        )
    }

    pub(super) fn collect(_: &LiveOptions, _: &Scope, _: &Seeds) -> Result<Snapshot, SourceError> {
        Err(unavailable())
    }

    pub(super) fn collect_estates(
        _: &LiveOptions,
        _: &Scope,
        _: Option<Snapshot>,
        _: bool,
        _: &mut dyn FnMut(&Snapshot) -> std::io::Result<()>,
    ) -> Result<Estates, SourceError> {
        Err(unavailable())
    }
}

#[cfg(test)]
mod tests {
    use super::discover_aggregator;

    #[test]
    fn discover_values_name_an_aggregator() {
        assert_eq!(
            discover_aggregator("config:org-aggregator").ok().as_deref(),
            Some("org-aggregator")
        );
        assert!(discover_aggregator("config:").is_err());
        assert!(discover_aggregator("org-aggregator").is_err());
    }
}
