//! A Terraform plan or CloudFormation template laid over the state (`check --terraform-plan`,
//! `check --cloudformation`): its services, and the task definitions no service of it runs,
//! placed by the command line.

use super::{live::Seeds, Input, Source, SourceError, State};
use crate::graph::Graph;
use crate::iac::{self, IacInput, IacTarget, PreDeployPlacement};
use crate::predeploy::{self, PlacementFlags, PreDeploy};
use crate::report::{SourceInfo, TargetInfo};
use crate::rules::Finding;
use crate::snapshot::{EstateFilter, Snapshot};
use crate::target::{Scope, Target, TargetKind};

/// An infrastructure-as-code input over the state.
#[derive(Debug)]
pub struct IacSource {
    state: State,
    scope: Scope,
    estates: EstateFilter,
    input: Input,
    placement: PlacementFlags,
    /// Set by `load`: the converted input and its lone task definitions.
    loaded: Option<Loaded>,
}

#[derive(Debug)]
struct Loaded {
    input: IacInput,
    lone: Vec<(IacTarget, PreDeploy)>,
}

impl IacSource {
    /// Checks the options that go with an IaC input.
    pub fn new(
        state: State,
        scope: Scope,
        estates: EstateFilter,
        input: Input,
        placement: PlacementFlags,
    ) -> Result<Self, SourceError> {
        predeploy::check_launch_type(placement.launch_type.as_deref())?;
        if scope.services.len() > 1 || scope.clusters.len() > 1 {
            return Err(SourceError::Usage("with --terraform-plan or --cloudformation, --cluster and --service place the task definitions no service runs: give at most one of each".to_owned()));
        }
        if !scope.services.is_empty() && scope.clusters.is_empty() {
            return Err(SourceError::Usage("--service needs --cluster".to_owned()));
        }
        Ok(Self {
            state,
            scope,
            estates,
            input,
            placement,
            loaded: None,
        })
    }

    fn loaded(&self) -> Result<&Loaded, SourceError> {
        self.loaded
            .as_ref()
            .ok_or_else(|| SourceError::Usage("the input was not loaded".to_owned()))
    }
}

impl Source for IacSource {
    fn load(&mut self) -> Result<(Snapshot, SourceInfo), SourceError> {
        let (mut snap, mut info) =
            self.state
                .read_one(&self.scope, &Seeds::default(), &self.estates)?;
        let mut input = match &self.input {
            Input::TerraformPlan(plan) => iac::load_terraform(plan, &snap)?,
            Input::CloudFormation {
                template,
                parameters,
            } => iac::load_cloudformation(template, parameters, &snap)?,
            Input::Services | Input::Tasks(_) | Input::TaskDefinition(_) => {
                return Err(SourceError::Usage(
                    "no --terraform-plan or --cloudformation given".to_owned(),
                ))
            }
        };
        match input.front {
            iac::Front::Terraform => "terraform-plan",
            iac::Front::CloudFormation => "cloudformation",
        }
        .clone_into(&mut info.kind);
        info.file = Some(input.file.clone());
        std::mem::take(&mut input.overlay).apply(&mut snap, input.front);
        let placement = PreDeployPlacement {
            subnets: self.placement.subnets.clone(),
            security_groups: self.placement.security_groups.clone(),
            platform_version: self.placement.platform_version.clone(),
            launch_type: self.placement.launch_type.clone(),
        };
        let lone = input.lone_task_definitions(&snap, &placement);
        let placed_by_flags = self.placement.any() || !self.scope.services.is_empty();
        if placed_by_flags && lone.is_empty() {
            return Err(SourceError::Usage(format!("--subnets, --security-groups, --platform-version, --launch-type, --cluster and --service place task definitions that no service runs; {} has none", input.file)));
        }
        self.loaded = Some(Loaded { input, lone });
        Ok((snap, info))
    }

    fn targets<'a>(&'a self, graph: &Graph<'a>) -> Result<Vec<Target<'a>>, SourceError> {
        let loaded = self.loaded()?;
        // Live, the base state is read without the placement's ids (the plan or template
        // names what to read), so only a snapshot can tell a typed id is wrong.
        if !loaded.lone.is_empty() && self.state.is_offline() {
            super::typed_ids::check_placement(
                graph,
                &self.state,
                &self.placement.subnets,
                &self.placement.security_groups,
            )?;
        }
        let services = loaded.input.service_targets(graph);
        let mut targets = Vec::new();
        for declared in &loaded.input.targets {
            if let Some((_, t)) = services.iter().find(|(d, _)| d == declared) {
                targets.push(t.clone());
            } else if let Some((_, pre)) = loaded.lone.iter().find(|(d, _)| d == declared) {
                targets.push(pre.target(graph, &self.scope)?);
            }
        }
        Ok(targets)
    }

    fn checked(&self, targets: &[&Target<'_>]) -> Option<String> {
        let file = self.loaded.as_ref().map_or("", |l| l.input.file.as_str());
        let services = targets
            .iter()
            .filter(|t| t.kind == TargetKind::Service)
            .count();
        let lone = targets.len() - services;
        Some(format!(
            "{services} service{} and {lone} task definition{} from {file}",
            plural(services),
            plural(lone),
        ))
    }

    fn counts_other_services(&self) -> bool {
        false
    }

    fn annotate(&self, targets: &[Target<'_>], findings: &mut [Finding], infos: &mut [TargetInfo]) {
        let Some(loaded) = &self.loaded else {
            return;
        };
        let origins: Vec<Option<String>> = targets.iter().map(|t| t.origin.clone()).collect();
        iac::fixes::annotate(&loaded.input, &origins, findings);
        for info in infos {
            info.origin_line = info
                .origin
                .as_deref()
                .and_then(|o| loaded.input.line_of_origin(o));
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
