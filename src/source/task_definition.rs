//! A task definition about to be deployed (`check --task-definition FILE`), placed by the
//! command line or by the service it will update.

use std::path::Path;

use super::{live::Seeds, Source, SourceError, State};
use crate::graph::Graph;
use crate::predeploy::{self, PlacementFlags, PreDeploy};
use crate::report::SourceInfo;
use crate::snapshot::{EstateFilter, Snapshot};
use crate::target::{Scope, Target};

/// One pre-deploy task definition over the state.
#[derive(Debug)]
pub struct TaskDefinitionSource {
    state: State,
    scope: Scope,
    estates: EstateFilter,
    pre: PreDeploy,
}

impl TaskDefinitionSource {
    /// Reads and validates the task definition file.
    pub fn new(
        state: State,
        scope: Scope,
        estates: EstateFilter,
        path: &Path,
        placement: &PlacementFlags,
    ) -> Result<Self, SourceError> {
        let pre = predeploy::load(path, placement, &scope)?;
        Ok(Self {
            state,
            scope,
            estates,
            pre,
        })
    }
}

impl Source for TaskDefinitionSource {
    fn load(&mut self) -> Result<(Snapshot, SourceInfo), SourceError> {
        let (snap, mut info) =
            self.state
                .read_one(&self.scope, &Seeds::of_pre_deploy(&self.pre), &self.estates)?;
        info.file = Some(self.pre.file.clone());
        Ok((snap, info))
    }

    fn targets<'a>(&'a self, graph: &Graph<'a>) -> Result<Vec<Target<'a>>, SourceError> {
        super::typed_ids::check_placement(
            graph,
            &self.state,
            &self.pre.subnets,
            &self.pre.security_groups,
        )?;
        match self.pre.target(graph, &self.scope) {
            Ok(t) => Ok(vec![t]),
            Err(crate::predeploy::PreDeployError::Scope(e)) => Err(
                super::typed_ids::explain_scope_error(e, graph, &self.scope, &self.state),
            ),
            Err(e) => Err(e.into()),
        }
    }

    fn checked(&self, targets: &[&Target<'_>]) -> Option<String> {
        Some(format!(
            "task definition {}",
            targets.first().map_or("", |t| t.name.as_str())
        ))
    }

    fn counts_other_services(&self) -> bool {
        false
    }
}
