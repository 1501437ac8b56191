//! Ways in: where the state and the targets of a `check` come from.
//!
//! A [`Source`] reads the state once (a snapshot file, or live AWS) and lays over it what its
//! way in adds (a pre-deploy task definition, a Terraform plan, a CloudFormation template).
//! Once the estate is joined into a [`Graph`], it names the [`Target`]s to check, each with its
//! origin. The pipeline (`crate::pipeline`) runs every source the same way:
//!
//! ```text
//! Source::load -> Snapshot -> Graph::build -> Source::targets -> rules::run -> Report
//! ```
//!
//! Adding a way in is one new type here that implements [`Source`]; the rules and the report
//! writers do not change. Depends on `snapshot`, `graph`, `target`, `predeploy`, `iac` and
//! (feature `live`) `collect`; never on the command line.

mod iac;
pub mod live;
mod services;
mod task_definition;
pub mod tasks;
pub mod typed_ids;

use std::path::PathBuf;

use crate::graph::Graph;
use crate::iac::IacError;
use crate::predeploy::{PlacementFlags, PreDeployError};
use crate::report::{SourceInfo, TargetInfo};
use crate::rules::Finding;
use crate::snapshot::{self, EstateFilter, Snapshot, SnapshotError};
use crate::target::{Scope, ScopeError, Target};

pub use iac::IacSource;
pub use live::LiveOptions;
pub use services::ServicesSource;
pub use task_definition::TaskDefinitionSource;
pub use tasks::TasksSource;

/// Why a source could not produce its state or targets.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The options do not fit together (exit 2).
    #[error("{0}")]
    Usage(String),
    /// An input file cannot be read or is not valid (exit 2).
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// A pre-deploy task definition or its placement is not valid (exit 2).
    #[error(transparent)]
    PreDeploy(#[from] PreDeployError),
    /// A Terraform plan or CloudFormation template is not valid (exit 2).
    #[error(transparent)]
    Iac(#[from] IacError),
    /// The scope names something the state does not hold (exit 2).
    #[error(transparent)]
    Scope(#[from] ScopeError),
    /// AWS could not be read at all: no credentials, no Region, endpoint unreachable (exit 3).
    #[error("{0}")]
    AwsUnreadable(String),
}

/// Where the state comes from.
#[derive(Debug, Clone)]
pub enum State {
    /// A snapshot file (`--snapshot`): offline, no AWS call.
    File(PathBuf),
    /// Live AWS.
    Live(LiveOptions),
}

impl State {
    /// Reads the state, keeping only the estates `filter` selects; `seeds` names resources a
    /// pre-deploy input needs beyond the scope (live collection reads them too).
    pub fn read(
        &self,
        scope: &Scope,
        seeds: &live::Seeds,
        filter: &EstateFilter,
    ) -> Result<(Snapshot, SourceInfo), SourceError> {
        let (mut snap, info) = match self {
            State::File(path) => {
                let mut snap = snapshot::load(path)?;
                snap.settle_pending();
                let info = SourceInfo {
                    kind: "snapshot".to_owned(),
                    region: snap.region.clone(),
                    account_id: snap.account_id.clone(),
                    file: Some(path.display().to_string()),
                };
                (snap, info)
            }
            State::Live(options) => {
                let snap = live::collect(options, scope, seeds)?;
                let info = SourceInfo {
                    kind: "live".to_owned(),
                    region: snap.region.clone(),
                    account_id: snap.account_id.clone(),
                    file: None,
                };
                (snap, info)
            }
        };
        if !filter.is_empty() {
            let held: Vec<String> = if snap.is_multi_estate() {
                snap.estates.iter().map(Snapshot::estate_label).collect()
            } else {
                vec![snap.estate_label()]
            };
            let selected = if snap.is_multi_estate() {
                snap.estates
                    .retain(|e| filter.selects(e.account_id.as_deref(), e.region.as_deref()));
                !snap.estates.is_empty()
            } else {
                filter.selects(snap.account_id.as_deref(), snap.region.as_deref())
            };
            if !selected {
                return Err(SourceError::Usage(format!(
                    "no estate matches --accounts/--regions ({}); the state holds {}",
                    describe_filter(filter),
                    held.join(", ")
                )));
            }
        }
        Ok((snap, info))
    }

    /// Reads the state as one estate: pre-deploy and IaC inputs are placed in one account and
    /// Region, so a multi-estate file must be narrowed to one with `--accounts`/`--regions`.
    pub fn read_one(
        &self,
        scope: &Scope,
        seeds: &live::Seeds,
        filter: &EstateFilter,
    ) -> Result<(Snapshot, SourceInfo), SourceError> {
        let (snap, mut info) = self.read(scope, seeds, filter)?;
        if !snap.is_multi_estate() {
            return Ok((snap, info));
        }
        if snap.estates.len() > 1 {
            let held: Vec<String> = snap.estates.iter().map(Snapshot::estate_label).collect();
            return Err(SourceError::Usage(format!(
                "the state holds {} estates ({}); a pre-deploy input is placed in one: name it with --accounts ID --regions REGION",
                held.len(),
                held.join(", ")
            )));
        }
        // The one estate, with what it inherits from the file (version, time, tool).
        let one = snap
            .into_estates(&EstateFilter::default())
            .pop()
            .ok_or_else(|| SourceError::Usage("the state holds no estate".to_owned()))?;
        info.region.clone_from(&one.region);
        info.account_id.clone_from(&one.account_id);
        Ok((one, info))
    }

    /// Whether the state is read offline.
    pub fn is_offline(&self) -> bool {
        matches!(self, State::File(_))
    }
}

fn describe_filter(filter: &EstateFilter) -> String {
    let mut parts = Vec::new();
    if !filter.accounts.is_empty() {
        parts.push(format!("accounts {}", filter.accounts.join(",")));
    }
    if !filter.regions.is_empty() {
        parts.push(format!("regions {}", filter.regions.join(",")));
    }
    parts.join("; ")
}

/// What a `check` reads its targets from, beyond the state.
#[derive(Debug, Clone, Default)]
pub enum Input {
    /// The deployed services of the scope.
    #[default]
    Services,
    /// Named tasks of the scope's clusters (`--task`), placed where they ran.
    Tasks(Vec<String>),
    /// A task definition about to be deployed (`--task-definition`).
    TaskDefinition(PathBuf),
    /// A Terraform plan as JSON (`--terraform-plan`).
    TerraformPlan(PathBuf),
    /// A CloudFormation template (`--cloudformation`) with its parameters.
    CloudFormation {
        /// The template.
        template: PathBuf,
        /// `--parameters`: files or `Key=Value` pairs.
        parameters: Vec<String>,
    },
}

/// Everything a `check` needs to know about where to look: a plain value the command line
/// is parsed into.
#[derive(Debug, Clone)]
pub struct Request {
    /// The state.
    pub state: State,
    /// Clusters and services.
    pub scope: Scope,
    /// Pre-deploy or IaC input, if any.
    pub input: Input,
    /// Placement of a pre-deploy task definition (or of an IaC task definition no service
    /// runs).
    pub placement: PlacementFlags,
    /// Which estates (accounts x Regions) of the state to check.
    pub estates: EstateFilter,
}

/// A way in: reads the state once, then names the targets in the joined estate.
pub trait Source {
    /// Reads the state (and lays over it what this way in adds). Called once, first.
    fn load(&mut self) -> Result<(Snapshot, SourceInfo), SourceError>;

    /// The targets to check in the joined estate, each with its origin.
    fn targets<'a>(&'a self, graph: &Graph<'a>) -> Result<Vec<Target<'a>>, SourceError>;

    /// What the coverage line says was checked, when it is not "N services in M clusters".
    fn checked(&self, _targets: &[&Target<'_>]) -> Option<String> {
        None
    }

    /// Whether services outside the targets are worth counting as "out of scope".
    fn counts_other_services(&self) -> bool {
        true
    }

    /// Whether the source's targets may come from several estates (accounts x Regions) of one
    /// state: `targets` is then called once per estate, and a scope name needs to be found in
    /// one estate only.
    fn spans_estates(&self) -> bool {
        false
    }

    /// What the coverage line lists as not checked because of this way in.
    fn not_checked(&self, _targets: &[&Target<'_>]) -> Vec<String> {
        Vec::new()
    }

    /// Adds what only this way in knows to the findings and targets (IaC: the property to
    /// change in the fix, the line of each target's declaration).
    fn annotate(
        &self,
        _targets: &[Target<'_>],
        _findings: &mut [Finding],
        _infos: &mut [TargetInfo],
    ) {
    }
}

/// Picks the source for a request.
pub fn open(request: Request) -> Result<Box<dyn Source>, SourceError> {
    let Request {
        state,
        scope,
        input,
        placement,
        estates,
    } = request;
    Ok(match input {
        Input::Services => {
            if placement.any() {
                return Err(SourceError::Usage("--subnets, --security-groups, --platform-version and --launch-type describe the placement of --task-definition; give the task definition file too".to_owned()));
            }
            Box::new(ServicesSource::new(state, scope, estates))
        }
        Input::Tasks(tasks) => {
            if placement.any() {
                return Err(SourceError::Usage("--task checks where a task actually ran; it cannot be combined with --subnets, --security-groups, --platform-version or --launch-type".to_owned()));
            }
            Box::new(TasksSource::new(state, scope, estates, tasks)?)
        }
        Input::TaskDefinition(path) => Box::new(TaskDefinitionSource::new(
            state, scope, estates, &path, &placement,
        )?),
        Input::TerraformPlan(_) | Input::CloudFormation { .. } => {
            Box::new(IacSource::new(state, scope, estates, input, placement)?)
        }
    })
}
