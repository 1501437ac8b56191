//! Infrastructure-as-code input: a Terraform plan (`terraform show -json PLAN`) or a
//! CloudFormation template (JSON or YAML, `cdk synth` output included) checked before it is
//! deployed.
//!
//! Each front end converts its file into an [`overlay::Overlay`] in snapshot-model shapes and
//! lists the ECS services and lone task definitions it declares ([`IacTarget`]). The overlay is
//! merged over the base state (a snapshot or live collection) so the graph and the rules see
//! the estate as it will be after deployment. Values that cannot be known before deployment
//! become gaps (`terraform:plan` / `cloudformation:template`) that make the dependent rules
//! `unknown`. Targets carry `FILE#ADDRESS` origins for JSON and SARIF, and [`fixes`] names the
//! Terraform argument or CloudFormation property to change.
//!
//! Depends on the snapshot model, `graph`, `target` and `predeploy`; never on the AWS SDK.

pub mod cloudformation;
pub mod common;
pub mod fixes;
pub mod overlay;
pub mod shared;
pub mod terraform;
pub mod value;

use std::path::Path;

use crate::graph::Graph;
use crate::predeploy::PreDeploy;
use crate::snapshot::{Snapshot, SnapshotError};
use crate::target::{self, Target};

pub use overlay::Front;

/// Why an infrastructure-as-code file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IacError {
    /// The file could not be read.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not valid JSON / YAML, or not a plan / template.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl From<SnapshotError> for IacError {
    fn from(e: SnapshotError) -> Self {
        match e {
            SnapshotError::Io { path, source } => IacError::Io { path, source },
            SnapshotError::Parse {
                path,
                line,
                column,
                message,
            } => IacError::Invalid {
                path,
                line,
                column,
                message,
            },
            other => IacError::Invalid {
                path: String::new(),
                line: 1,
                column: 1,
                message: other.to_string(),
            },
        }
    }
}

/// The 1-based line and column of the first occurrence of `needle` (1:1 when absent).
pub fn locate(text: &str, needle: &str) -> (usize, usize) {
    match text.find(needle) {
        Some(offset) => line_col(text, offset),
        None => (1, 1),
    }
}

/// The 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The line where a template declares a resource: its key inside `Resources` (an object in
/// JSON; in YAML a key at the indentation of the section's first resource), 1 when not found.
pub fn logical_id_line(text: &str, lid: &str) -> usize {
    logical_id_position(text, lid).map_or(1, |(line, _)| line)
}

/// Line and column of a resource's key inside `Resources`.
pub fn logical_id_position(text: &str, lid: &str) -> Option<(usize, usize)> {
    let escaped = regex::escape(lid);
    if text.trim_start().starts_with('{') {
        let start = text.find("\"Resources\"")?;
        let re = regex::Regex::new(&format!(r#""{escaped}"\s*:\s*\{{"#)).ok()?;
        let m = re.find(text.get(start..)?)?;
        return Some(line_col(text, start + m.start()));
    }
    let section = regex::Regex::new(r"(?m)^Resources[ \t]*:[ \t]*(#.*)?$").ok()?;
    let start = section.find(text)?.end();
    let rest = text.get(start..)?;
    // The indentation of the first resource key under `Resources:`.
    let indent: String = rest
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let re = regex::Regex::new(&format!(
        r#"(?m)^{}['"]?{escaped}['"]?[ \t]*:"#,
        regex::escape(&indent)
    ))
    .ok()?;
    let m = re.find(rest)?;
    Some(line_col(text, start + m.start()))
}

/// What an input declares to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IacTargetKind {
    /// An ECS service, found in the merged state by name and cluster.
    Service {
        /// Service name.
        name: String,
        /// Cluster name, when known.
        cluster: Option<String>,
    },
    /// A task definition no service of the input runs, found by its (synthetic) ARN.
    TaskDefinition {
        /// `taskDefinitionArn` in the merged state.
        reference: String,
    },
}

/// A target declared by an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IacTarget {
    /// Service or task definition.
    pub kind: IacTargetKind,
    /// Terraform address or CloudFormation logical id of the target.
    pub address: String,
    /// Address of its task definition, when the input declares it.
    pub task_definition_address: Option<String>,
    /// Address of its service, when it is one.
    pub service_address: Option<String>,
    /// Whether the service exists before deployment (an update rather than a creation), so
    /// AWS CLI commands on it can run.
    pub service_exists: bool,
}

/// A loaded infrastructure-as-code input.
#[derive(Debug)]
pub struct IacInput {
    /// Terraform or CloudFormation.
    pub front: Front,
    /// The file, as given on the command line.
    pub file: String,
    text: String,
    /// What it creates or changes.
    pub overlay: overlay::Overlay,
    /// What it declares to check.
    pub targets: Vec<IacTarget>,
    /// Every address / logical id the input declares (to tell new resources from existing).
    pub addresses: Vec<String>,
}

fn read(path: &Path) -> Result<(String, String), IacError> {
    let name = path.display().to_string();
    let text = crate::snapshot::read_text(path).map_err(IacError::from)?;
    Ok((name, text))
}

/// Reads a Terraform plan JSON file and converts it against the base state.
pub fn load_terraform(path: &Path, base: &Snapshot) -> Result<IacInput, IacError> {
    let (file, text) = read(path)?;
    let converted = terraform::convert(&text, &file, base)?;
    let addresses = terraform_addresses(&text);
    Ok(IacInput {
        front: Front::Terraform,
        file,
        text,
        overlay: converted.overlay,
        targets: converted.targets,
        addresses,
    })
}

/// Reads a CloudFormation template (JSON or YAML) with its parameters and converts it
/// against the base state.
pub fn load_cloudformation(
    path: &Path,
    parameters: &[String],
    base: &Snapshot,
) -> Result<IacInput, IacError> {
    let (file, text) = read(path)?;
    let params = cloudformation::read_parameters(parameters)?;
    let converted = cloudformation::convert(&text, &file, &params, base)?;
    Ok(IacInput {
        front: Front::CloudFormation,
        file,
        text,
        overlay: converted.overlay,
        targets: converted.targets,
        addresses: converted.logical_ids,
    })
}

fn terraform_addresses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) {
        for c in doc
            .get("resource_changes")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(a) = c.get("address").and_then(serde_json::Value::as_str) {
                out.push(a.to_owned());
            }
        }
    }
    out
}

impl IacInput {
    /// `FILE#ADDRESS`, the target origin shown in JSON and used by SARIF.
    pub fn origin(&self, t: &IacTarget) -> String {
        format!("{}#{}", self.file, t.address)
    }

    /// The 1-based line where an address or logical id is declared (1 when not found).
    pub fn line_of(&self, address: &str) -> usize {
        match self.front {
            Front::Terraform => locate(&self.text, &format!("\"address\": \"{address}\"")).0,
            Front::CloudFormation => logical_id_line(&self.text, address),
        }
    }

    /// The line of the target an origin names.
    pub fn line_of_origin(&self, origin: &str) -> Option<usize> {
        let address = origin.strip_prefix(&format!("{}#", self.file))?;
        Some(self.line_of(address))
    }

    /// The task definitions to place from the command line (no service of the input runs
    /// them), as pre-deploy inputs whose `file` is the target origin.
    pub fn lone_task_definitions(
        &self,
        merged: &Snapshot,
        placement: &PreDeployPlacement,
    ) -> Vec<(IacTarget, PreDeploy)> {
        self.targets
            .iter()
            .filter_map(|t| {
                let IacTargetKind::TaskDefinition { reference } = &t.kind else {
                    return None;
                };
                let td = merged
                    .ecs
                    .task_definitions
                    .iter()
                    .flatten()
                    .find(|td| td.task_definition_arn.as_deref() == Some(reference.as_str()))?;
                Some((
                    t.clone(),
                    PreDeploy {
                        file: self.origin(t),
                        task_definition: td.clone(),
                        subnets: placement.subnets.clone(),
                        security_groups: placement.security_groups.clone(),
                        platform_version: placement.platform_version.clone(),
                        launch_type: placement.launch_type.clone(),
                    },
                ))
            })
            .collect()
    }

    /// The service targets of the input, found in the merged graph, with their origins.
    pub fn service_targets<'s>(&self, graph: &Graph<'s>) -> Vec<(IacTarget, Target<'s>)> {
        let mut out = Vec::new();
        for t in &self.targets {
            let IacTargetKind::Service { name, cluster } = &t.kind else {
                continue;
            };
            let found = graph.services().find(|s| {
                &s.service_name == name && target::service_cluster(s).as_ref() == cluster.as_ref()
            });
            if let Some(svc) = found {
                let mut target = target::service_target(graph, svc);
                target.origin = Some(self.origin(t));
                out.push((t.clone(), target));
            }
        }
        out
    }
}

/// Placement flags for task definitions no service runs (`--subnets` ...).
#[derive(Debug, Clone, Default)]
pub struct PreDeployPlacement {
    /// `--subnets`.
    pub subnets: Vec<String>,
    /// `--security-groups`.
    pub security_groups: Vec<String>,
    /// `--platform-version`.
    pub platform_version: Option<String>,
    /// `--launch-type`.
    pub launch_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        assert_eq!(locate("a\nbc\n  x", "x"), (3, 3));
        assert_eq!(locate("abc", "zz"), (1, 1));
    }
}
