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
//! Read-only like the rest of the tool: a check runs the command-line pipeline with a JSON report
//! written to a temporary file, so nothing but protocol messages reaches stdout, and no tool writes
//! a user's file.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::Parser;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::cli::Cli;
use crate::explain;
use crate::rules;

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
    /// The `efs-preflight check` command line, writing a JSON report to `output`.
    fn argv(&self, output: &str) -> Vec<String> {
        let mut argv: Vec<String> = vec!["efs-preflight".into(), "check".into()];
        let mut one = |flag: &str, value: Option<&String>| {
            if let Some(v) = value {
                argv.push(format!("--{flag}"));
                argv.push(v.clone());
            }
        };
        one("snapshot", self.snapshot.as_ref());
        one("task-definition", self.task_definition.as_ref());
        one("platform-version", self.platform_version.as_ref());
        one("terraform-plan", self.terraform_plan.as_ref());
        one("cloudformation", self.cloudformation.as_ref());
        one("baseline", self.baseline.as_ref());
        one("config", self.config.as_ref());
        #[cfg(feature = "live")]
        {
            one("region", self.region.as_ref());
            one("profile", self.profile.as_ref());
            one("endpoint-url", self.endpoint_url.as_ref());
        }
        let lists: [(&str, &Vec<String>); 5] = [
            ("cluster", &self.clusters),
            ("service", &self.services),
            ("parameters", &self.parameters),
            ("rule", &self.rules),
            ("skip-rule", &self.skip_rules),
        ];
        for (flag, values) in lists {
            for v in values {
                argv.push(format!("--{flag}"));
                argv.push(v.clone());
            }
        }
        for (flag, values) in [
            ("subnets", &self.subnets),
            ("security-groups", &self.security_groups),
        ] {
            if !values.is_empty() {
                argv.push(format!("--{flag}"));
                argv.push(values.join(","));
            }
        }
        argv.extend(
            ["--quiet", "--format", "json", "--output", output]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        argv
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

/// Runs a check through the command-line pipeline; the JSON report, or an error object with the
/// exit code.
fn run_check(params: &CheckParams) -> Result<Value, Value> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let output: PathBuf = std::env::temp_dir().join(format!(
        "efs-preflight-mcp-{}-{}.json",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let argv = params.argv(&output.display().to_string());
    let cli = Cli::try_parse_from(&argv)
        .map_err(|e| json!({"error": e.to_string().trim(), "exit_code": crate::app::EXIT_USAGE}))?;
    let outcome = crate::app::run(cli);
    let text = std::fs::read_to_string(&output);
    let _ = std::fs::remove_file(&output);
    match outcome {
        Ok(code) => {
            let text = text.map_err(|e| json!({"error": e.to_string(), "exit_code": code}))?;
            let mut report: Value = serde_json::from_str(&text)
                .map_err(|e| json!({"error": e.to_string(), "exit_code": code}))?;
            if let Some(obj) = report.as_object_mut() {
                obj.insert("exit_code".to_owned(), json!(code));
            }
            Ok(report)
        }
        Err(e) => {
            let code = if e
                .chain()
                .any(|c| c.downcast_ref::<crate::app::AwsUnreadable>().is_some())
            {
                crate::app::EXIT_AWS
            } else {
                crate::app::EXIT_USAGE
            };
            Err(json!({"error": format!("{e:#}"), "exit_code": code}))
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_parameters_become_flags_the_command_line_accepts() {
        let params = CheckParams {
            snapshot: Some("s.json".into()),
            clusters: vec!["prod".into()],
            services: vec!["web".into(), "api".into()],
            subnets: vec!["subnet-1".into(), "subnet-2".into()],
            rules: vec!["NET001".into()],
            ..CheckParams::default()
        };
        let argv = params.argv("/tmp/out.json");
        assert!(Cli::try_parse_from(&argv).is_ok(), "{argv:?}");
        assert_eq!(
            argv.join(" "),
            "efs-preflight check --snapshot s.json --cluster prod --service web --service api --rule NET001 --subnets subnet-1,subnet-2 --quiet --format json --output /tmp/out.json"
        );
    }
}
