//! IAM policy evaluation for EFS mounts: does the task's NFS client get
//! `elasticfilesystem:ClientMount` (and `ClientWrite`, `ClientRootAccess`) on its file system,
//! and may ECS assume the task role at all?
//!
//! The module reproduces AWS's documented evaluation logic offline, in three-valued logic: a
//! condition on a key that exists in the real request but cannot be known before it (the time, a
//! source IP, a principal tag) is *unknown*, and the decision is [`Decision::Unknown`] exactly
//! when the outcome hinges on such a key or on a policy that was not collected.
//!
//! Layers, bottom up:
//! - [`policy`]: the typed policy grammar, parsed from a JSON value ([`Policy::parse`]).
//! - [`pattern`]: IAM wildcards for actions, resources and ARNs.
//! - [`context`] and [`condition`]: the request context and condition operators.
//! - [`principal`]: the caller (task-role session, anonymous client, service) and how a
//!   `Principal` element names it.
//! - [`efs`]: the decision for one EFS client action ([`evaluate_efs`]).
//! - [`trust`]: whether `ecs-tasks.amazonaws.com` may assume a role ([`evaluate_trust`]).
//! - [`mount`]: one volume's mount ([`Mount`]): its decisions, why a denial happens, and fixes
//!   confirmed by evaluating the fixed policies.
//!
//! It depends on `serde_json` and the snapshot model only: no graph, no rules, no AWS calls.

pub mod condition;
pub mod context;
pub mod efs;
mod eval;
pub mod mount;
pub mod pattern;
pub mod policy;
pub mod principal;
pub mod tri;
pub mod trust;

pub use context::{KeyValue, RequestContext};
pub use efs::{
    attached_policy_name, evaluate_efs, AccessPointUse, EfsAction, EfsRequest, FileSystemPolicy,
    RolePolicies,
};
pub use eval::{capitalize, Decision, Evaluation, NamedPolicy, PolicyKind, StatementRef, Unmet};
pub use mount::Mount;
pub use policy::{Policy, PolicyError};
pub use principal::{Caller, RoleSession};
pub use tri::Tri;
pub use trust::{evaluate_trust, TrustContext, ECS_TASKS_SERVICE};

#[cfg(test)]
mod tests;
