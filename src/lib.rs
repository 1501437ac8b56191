//! efs-preflight: will this ECS task on Fargate be able to mount its Amazon EFS volumes?
//!
//! The crate is one pipeline, the same for every way in (docs/architecture.md):
//!
//! ```text
//! cli -> app -> source (snapshot file | live via collect | pre-deploy | IaC)
//!             -> snapshot -> graph -> rules -> report
//! ```
//!
//! - [`snapshot`]: the seam. The serde model of the snapshot format (AWS CLI shapes), loading
//!   with located errors, saving with redaction. Everything after it works offline.
//! - `collect` (feature `live`): the only module that talks to AWS; it writes the same model.
//! - [`source`]: the ways in. Each reads the state (a file or live AWS) and names the targets;
//!   [`predeploy`] and [`iac`] turn a task definition file, a Terraform plan or a CloudFormation
//!   template into targets plus resources laid over the state.
//! - [`pipeline`]: source -> snapshot -> graph -> rules -> report, for every source.
//! - [`graph`]: the joined estate (petgraph behind a domain API): subnets by AZ id, mount targets
//!   by file system, security groups, ACLs and route tables per subnet, roles and policies.
//! - [`target`]: what is checked: ECS services (and pre-deploy task definitions) with their
//!   placement (launch type, effective platform version, subnets, security groups).
//! - [`net`] and [`iam`]: the hard logic, reachability and policy evaluation, with AWS semantics.
//! - [`rules`]: the rule registry; each rule is a pure function from a context to findings.
//! - [`report`]: the finished result and its writers (table, JSON, SARIF, JUnit, Markdown).
//! - [`picture`]: each failing target's mount path drawn from the graph and the findings
//!   (Graphviz DOT, Mermaid), red where a finding blames a node or a flow.
//! - [`explain`]: error text to rules, from the patterns on the rule pages.
//! - [`observed`]: the stopped tasks that failed to start, matched to the findings.
//! - [`app`] and [`cli`]: the command line, at the edge: nothing below them imports `cli`.
//!
//! Only `collect` talks to AWS, only `graph` imports petgraph, and only the command layer
//! prints or chooses exit codes.

pub mod app;
pub mod cli;
#[cfg(feature = "live")]
pub mod collect;
pub mod explain;
pub mod graph;
pub mod iac;
pub mod iam;
pub mod net;
pub mod observed;
pub mod picture;
pub mod pipeline;
pub mod predeploy;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod source;
pub mod target;
