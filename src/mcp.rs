//! `efs-preflight mcp`: a Model Context Protocol server on stdio (feature `mcp`, SDK `rmcp`), so
//! that an assistant troubleshooting an ECS task can run the same checks a user would.
//!
//! Three tools, each returning JSON (`structuredContent`, and the same text as content):
//! - `check`: a `check` on a snapshot, a pre-deploy input (task definition, Terraform plan,
//!   CloudFormation template) or, in builds with the `live` feature, live AWS; the result is the
//!   JSON report of SPEC §3, with the config file and a baseline applied as on the command line.
//! - `explain`: the rules that can cause an error text, as `explain --format json` prints them.
//! - `rules`: the rule list, or one rule's page.
//!
//! Read-only like the rest of the tool: a check runs the same pipeline as `efs-preflight check`
//! and returns the report in the reply, so nothing but protocol messages reaches stdout and no
//! tool writes a file.

use std::path::{Path, PathBuf};

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::config::{self, Date};
use crate::explain;
use crate::pipeline;
use crate::predeploy::PlacementFlags;
use crate::report::{self, FailOn};
use crate::rules::{self, Selection};
use crate::snapshot::EstateFilter;
use crate::source::{self, Input, LiveOptions, Request, SourceError, State};
use crate::suppress;
use crate::target::Scope;

/// Exit code of bad input, as on the command line.
const EXIT_USAGE: u8 = 2;
/// Exit code when AWS cannot be read at all.
const EXIT_AWS: u8 = 3;

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum McpServeError {
    /// The async runtime could not start.
    #[error("cannot start the MCP server: {0}")]
    Runtime(#[from] std::io::Error),
    /// The session failed (the client sent something that is not MCP, or the pipe broke).
    #[error("MCP session failed: {0}")]
    Session(String),
}

/// `check` parameters: the command-line options of `efs-preflight check` that select what to
/// read and which rules run.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// A saved snapshot file to check offline (no AWS call, no credentials).
    pub snapshot: Option<String>,
    /// ECS cluster names or ARNs (alone: every service with an EFS volume in them).
    #[serde(default)]
    pub clusters: Vec<String>,
    /// ECS service names or ARNs (with clusters).
    #[serde(default)]
    pub services: Vec<String>,
    /// Account ids: the estates of a multi-estate snapshot to check (empty: all).
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Regions: the estates of a multi-estate snapshot to check (empty: all).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Pre-deploy: a task definition JSON file not registered yet.
    pub task_definition: Option<String>,
    /// Pre-deploy: the task subnets.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Pre-deploy: the task security groups (none: the VPC default group).
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Pre-deploy: the Fargate platform version (default LATEST).
    pub platform_version: Option<String>,
    /// Pre-deploy: a Terraform plan as JSON (`terraform show -json PLAN`).
    pub terraform_plan: Option<String>,
    /// Pre-deploy: a CloudFormation template (JSON or YAML).
    pub cloudformation: Option<String>,
    /// CloudFormation parameters: a JSON file or KEY=VALUE pairs.
    #[serde(default)]
    pub parameters: Vec<String>,
    /// Run only these rules (ids or names).
    #[serde(default)]
    pub rules: Vec<String>,
    /// Skip these rules.
    #[serde(default)]
    pub skip_rules: Vec<String>,
    /// A baseline file whose findings are reported as suppressed.
    pub baseline: Option<String>,
    /// A config file (default: .efs-preflight.toml in the server's working directory).
    pub config: Option<String>,
    /// Live: the AWS Region.
    #[cfg(feature = "live")]
    pub region: Option<String>,
    /// Live: a named profile of the AWS config files.
    #[cfg(feature = "live")]
    pub profile: Option<String>,
    /// Live: an endpoint URL for every AWS service (moto, LocalStack).
    #[cfg(feature = "live")]
    pub endpoint_url: Option<String>,
}

impl CheckParams {
    /// Whether a live option was given (a configured snapshot then does not apply).
    #[cfg_attr(not(feature = "live"), allow(clippy::unused_self))]
    fn live_flags(&self) -> bool {
        #[cfg(feature = "live")]
        {
            self.profile.is_some() || self.endpoint_url.is_some()
        }
        #[cfg(not(feature = "live"))]
        {
            false
        }
    }

    #[cfg_attr(not(feature = "live"), allow(clippy::unused_self))]
    fn live_options(&self) -> LiveOptions {
        LiveOptions {
            #[cfg(feature = "live")]
            region: self.region.clone(),
            #[cfg(feature = "live")]
            profile: self.profile.clone(),
            #[cfg(feature = "live")]
            endpoint_url: self.endpoint_url.clone(),
            quiet: true,
            ..LiveOptions::default()
        }
    }
}

/// `explain` parameters.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplainParams {
    /// The error text: a task's stoppedReason, an ECS service event, or a mount.nfs4 / efs-utils
    /// message.
    pub text: String,
    /// Cluster to put in the suggested check commands.
    pub cluster: Option<String>,
    /// Service to put in the suggested check commands.
    pub service: Option<String>,
}

/// `rules` parameters.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesParams {
    /// A rule id (NET001) or name: return its page. Absent: list every rule.
    pub id: Option<String>,
}

/// The server: stateless, each tool call stands alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct Server;

// The tool router calls every tool as a method returning a `Result`, stateless or not.
#[allow(
    clippy::unused_self,
    clippy::trivially_copy_pass_by_ref,
    clippy::unnecessary_wraps
)]
#[tool_router]
impl Server {
    #[tool(
        description = "Check whether ECS tasks on AWS Fargate can mount their Amazon EFS volumes: runs every rule (ECS, EFS, network, DNS, IAM) on a saved snapshot, a pre-deploy task definition / Terraform plan / CloudFormation template, or live AWS state, and returns the JSON report (schema 1): findings with status pass/fail/warn/unknown, the resource to blame and a pasteable fix, a summary and what could not be checked. Read-only.",
        annotations(
            title = "Check EFS mounts",
            read_only_hint = true,
            open_world_hint = true
        )
    )]
    async fn check(
        &self,
        Parameters(params): Parameters<CheckParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let result = tokio::task::spawn_blocking(move || run_check(&params))
            .await
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        Ok(match result {
            Ok(report) => CallToolResult::structured(report),
            Err(error) => CallToolResult::structured_error(error),
        })
    }

    #[tool(
        description = "Map an ECS error text (a task's stoppedReason such as 'ResourceInitializationError: failed to invoke EFS utils commands', a service event, or a mount.nfs4 / efs-utils message) to the efs-preflight rules that can cause it, most likely first, each with why and the check command that confirms it.",
        annotations(
            title = "Explain an EFS mount error",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    fn explain(
        &self,
        Parameters(params): Parameters<ExplainParams>,
    ) -> Result<CallToolResult, ErrorData> {
        if params.text.trim().is_empty() {
            return Ok(CallToolResult::structured_error(
                json!({"error": "the error text is empty"}),
            ));
        }
        Ok(CallToolResult::structured(explain_json(&params)))
    }

    #[tool(
        description = "List the efs-preflight rules (id, name, severity, summary), or return one rule's page (what it checks, why the mount fails, the error users see, how to fix) when an id or name is given.",
        annotations(
            title = "efs-preflight rules",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    fn rules(
        &self,
        Parameters(params): Parameters<RulesParams>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(match params.id.as_deref() {
            Some(id) => match rules::find(id) {
                Some(r) => CallToolResult::structured(json!({
                    "id": r.id,
                    "name": r.name,
                    "severity": r.severity.as_str(),
                    "summary": r.summary,
                    "page": r.doc,
                })),
                None => CallToolResult::structured_error(
                    json!({"error": format!("unknown rule `{id}`")}),
                ),
            },
            None => CallToolResult::structured(json!({
                "rules": rules::ALL.iter().map(|r| json!({
                    "id": r.id,
                    "name": r.name,
                    "severity": r.severity.as_str(),
                    "summary": r.summary,
                })).collect::<Vec<_>>(),
            })),
        })
    }
}

#[tool_handler]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "efs-preflight",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(
                "efs-preflight predicts and explains Amazon EFS mount failures of ECS tasks on \
                 Fargate (ResourceInitializationError ... failed to invoke EFS utils commands). \
                 Use `explain` on a stoppedReason, then `check` on a snapshot file, a pre-deploy \
                 input, or live AWS to find every cause with a fix; `rules` gives a rule's page."
                    .to_owned(),
            )
    }
}

/// Runs a check through the pipeline, with the config file and baseline applied as on the
/// command line; the JSON report plus `exit_code` (at `fail_on` of the config file, else
/// `error`), or an error object with the exit code.
fn run_check(params: &CheckParams) -> Result<Value, Value> {
    let fail = |message: String, code: u8| json!({"error": message, "exit_code": code});
    let usage = |message: String| fail(message, EXIT_USAGE);
    let config = config::locate(params.config.as_deref().map(Path::new), Path::new("."))
        .map(|p| config::load(&p))
        .transpose()
        .map_err(|e| usage(e.to_string()))?;
    let defaults = config
        .as_ref()
        .map(|c| c.defaults.clone())
        .unwrap_or_default();
    let input = match (
        &params.task_definition,
        &params.terraform_plan,
        &params.cloudformation,
    ) {
        (None, None, None) => Input::Services,
        (Some(td), None, None) => Input::TaskDefinition(td.into()),
        (None, Some(plan), None) => Input::TerraformPlan(plan.into()),
        (None, None, Some(template)) => Input::CloudFormation {
            template: template.into(),
            parameters: params.parameters.clone(),
        },
        _ => {
            return Err(usage(
                "give at most one of task_definition, terraform_plan and cloudformation".into(),
            ))
        }
    };
    let snapshot = params.snapshot.as_ref().map(PathBuf::from).or_else(|| {
        if params.live_flags() {
            None
        } else {
            defaults.snapshot.clone()
        }
    });
    let state = match snapshot {
        Some(path) => State::File(path),
        None => State::Live(params.live_options()),
    };
    let pick = |given: &Vec<String>, default: &Vec<String>| {
        if given.is_empty() {
            default.clone()
        } else {
            given.clone()
        }
    };
    let selection = Selection::new(
        &pick(&params.rules, &defaults.rules),
        &pick(&params.skip_rules, &defaults.skip_rules),
    )
    .map_err(|e| usage(e.to_string()))?;
    let fail_on = match defaults.fail_on.as_deref() {
        Some("warning") => FailOn::Warning,
        Some("unknown") => FailOn::Unknown,
        _ => FailOn::Error,
    };
    let baseline = params
        .baseline
        .as_deref()
        .map(|p| suppress::load_baseline(Path::new(p)))
        .transpose()
        .map_err(|e| usage(e.to_string()))?;
    let request = Request {
        state,
        scope: Scope {
            clusters: params.clusters.clone(),
            services: params.services.clone(),
        },
        input,
        placement: PlacementFlags {
            subnets: params.subnets.clone(),
            security_groups: params.security_groups.clone(),
            platform_version: params.platform_version.clone(),
            launch_type: None,
        },
        estates: EstateFilter {
            accounts: params.accounts.clone(),
            regions: params.regions.clone(),
        },
    };
    let outcome = source::open(request).and_then(|mut source| {
        pipeline::check(source.as_mut(), &selection, |checked| {
            let mut report = checked.report.clone();
            let applied = suppress::apply(
                &mut report,
                config.as_ref(),
                baseline.as_ref(),
                Date::today(),
            );
            let mut doc: Value =
                serde_json::from_str(&report::json::render(&report)).unwrap_or_default();
            let gate = report
                .findings
                .iter()
                .any(|f| f.suppressed.is_none() && report::trips(f.status, fail_on));
            if let Some(obj) = doc.as_object_mut() {
                obj.insert("exit_code".into(), json!(u8::from(gate)));
                let expired: Vec<String> = applied
                    .expired
                    .iter()
                    .map(|e| {
                        format!(
                            "line {}: {} expired on {}",
                            e.line,
                            e.rule.id,
                            e.expires.map(|d| d.to_string()).unwrap_or_default()
                        )
                    })
                    .collect();
                if !expired.is_empty() {
                    obj.insert("expired_suppressions".into(), json!(expired));
                }
                if !applied.stale.is_empty() {
                    obj.insert("stale_baseline_entries".into(), json!(applied.stale));
                }
            }
            Ok::<Value, SourceError>(doc)
        })
    });
    outcome.map_err(|e| {
        let code = if matches!(e, SourceError::AwsUnreadable(_)) {
            EXIT_AWS
        } else {
            EXIT_USAGE
        };
        fail(e.to_string(), code)
    })
}

/// The `explain --format json` document for a text.
fn explain_json(params: &ExplainParams) -> Value {
    let patterns = explain::all_patterns();
    let found = explain::candidates(&patterns, &params.text);
    let candidates: Vec<Value> = found
        .iter()
        .map(|c| {
            json!({
                "rule": c.pattern.rule.id,
                "name": c.pattern.rule.name,
                "why": c.pattern.why,
                "pattern": c.pattern.source,
                "weight": c.pattern.weight,
                "check": format!(
                    "efs-preflight check --cluster {} --service {} --rule {}",
                    params.cluster.as_deref().unwrap_or("CLUSTER"),
                    params.service.as_deref().unwrap_or("SERVICE"),
                    c.pattern.rule.id
                ),
            })
        })
        .collect();
    json!({
        "schema": 1,
        "matched": found.first().map(|c| c.pattern.source.clone()),
        "candidates": candidates,
    })
}

/// Serves MCP on stdin/stdout until the client closes the session.
pub fn serve() -> Result<(), McpServeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let service = Server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| McpServeError::Session(e.to_string()))?;
        service
            .waiting()
            .await
            .map_err(|e| McpServeError::Session(e.to_string()))?;
        Ok(())
    })
}
