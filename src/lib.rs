//! efs-preflight: will this ECS task on Fargate be able to mount its Amazon EFS volumes?
//!
//! The crate is a pipeline of layers, each with one job and a narrow contract:
//!
//! ```text
//! cli -> app -> collect (live AWS) | snapshot (load) -> graph -> rules -> report
//! ```
//!
//! - [`snapshot`]: the seam. The serde model of SPEC §5 (AWS CLI shapes), loading with located
//!   errors, saving with redaction. Everything after it works offline.
//! - `collect` (feature `live`): the only module that talks to AWS; it writes the same model.
//!   [`live`] turns command-line options into a collection request.
//! - [`predeploy`] and [`iac`]: pre-deploy inputs. A task definition file, a Terraform plan or a
//!   CloudFormation template becomes targets plus resources laid over the collected state.
//! - [`graph`]: the joined estate (petgraph behind a domain API): subnets by AZ id, mount targets
//!   by file system, security groups, ACLs and route tables per subnet, roles and policies.
//! - [`target`]: what is checked: ECS services (and pre-deploy task definitions) with their
//!   placement (launch type, effective platform version, subnets, security groups).
//! - [`net`] and [`iam`]: the hard logic, reachability and policy evaluation, with AWS semantics.
//! - [`rules`]: the rule registry; each rule is a pure function from a context to findings.
//! - [`report`]: table, JSON, SARIF, JUnit and Markdown writers.
//! - [`explain`]: error text to rules, from the patterns on the rule pages.
//! - [`config`] and [`suppress`]: the team's config file (accepted exceptions with reasons,
//!   flag defaults) and baselines; they mark findings as suppressed, never change their status.
//! - `mcp` (feature `mcp`): the Model Context Protocol server, whose tools run the same pipeline.
//! - [`app`] and [`cli`]: the command line and the pipeline that runs it.
//!
//! Only `collect` talks to AWS, only `graph` imports petgraph, and only the binary prints or
//! chooses exit codes.

pub mod app;
pub mod cli;
#[cfg(feature = "live")]
pub mod collect;
pub mod config;
pub mod explain;
pub mod graph;
pub mod iac;
pub mod iam;
pub mod live;
#[cfg(feature = "mcp")]
pub mod mcp;
pub mod net;
pub mod predeploy;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod suppress;
pub mod target;
