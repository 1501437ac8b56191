//! The deployed services of a scope: `check --cluster C --service S` (or the whole state).

use super::{live::Seeds, Source, SourceError, State};
use crate::graph::Graph;
use crate::report::SourceInfo;
use crate::snapshot::Snapshot;
use crate::target::{self, Scope, Target};

/// ECS services in the state, selected by cluster and service.
#[derive(Debug)]
pub struct ServicesSource {
    state: State,
    scope: Scope,
}

impl ServicesSource {
    /// The services of `scope` in `state`.
    pub fn new(state: State, scope: Scope) -> Self {
        Self { state, scope }
    }
}

impl Source for ServicesSource {
    fn load(&mut self) -> Result<(Snapshot, SourceInfo), SourceError> {
        self.state.read(&self.scope, &Seeds::default())
    }

    fn targets<'a>(&'a self, graph: &Graph<'a>) -> Result<Vec<Target<'a>>, SourceError> {
        Ok(target::select_services(graph, &self.scope)?)
    }
}
