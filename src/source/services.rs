//! The deployed services of a scope: `check --cluster C --service S` (or the whole state).

use super::{live::Seeds, Source, SourceError, State};
use crate::graph::Graph;
use crate::report::SourceInfo;
use crate::snapshot::{EstateFilter, Snapshot};
use crate::target::{self, Scope, Target};

/// ECS services in the state, selected by cluster and service.
#[derive(Debug)]
pub struct ServicesSource {
    state: State,
    scope: Scope,
    estates: EstateFilter,
}

impl ServicesSource {
    /// The services of `scope` in `state`.
    pub fn new(state: State, scope: Scope, estates: EstateFilter) -> Self {
        Self {
            state,
            scope,
            estates,
        }
    }
}

impl Source for ServicesSource {
    fn load(&mut self) -> Result<(Snapshot, SourceInfo), SourceError> {
        self.state
            .read(&self.scope, &Seeds::default(), &self.estates)
    }

    fn targets<'a>(&'a self, graph: &Graph<'a>) -> Result<Vec<Target<'a>>, SourceError> {
        target::select_services(graph, &self.scope)
            .map_err(|e| super::typed_ids::explain_scope_error(e, graph, &self.scope, &self.state))
    }

    fn spans_estates(&self) -> bool {
        true
    }
}
