//! Pre-deploy input: a task definition that is not registered yet, with its placement from the
//! command line (`--subnets`, `--security-groups`, `--platform-version`, `--launch-type`) or from
//! an existing service ("as if this service were updated to this task definition").
//!
//! The file is validated like `RegisterTaskDefinition` validates its input (required fields, enum
//! values); combinations AWS rejects at registration are left to the ECS rules so that they are
//! reported with everything else.
//!
//! Depends on the snapshot model, `graph` and `target`; knows nothing of the command line.

use std::path::Path;

use serde::Deserialize;

use crate::graph::{Graph, Missing};
use crate::snapshot::{self, AwsVpcConfiguration, SnapshotError, TaskDefinition};
use crate::target::{self, launch_of, Placement, Scope, ScopeError, Target, TargetKind};

/// Why a pre-deploy input cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PreDeployError {
    /// The file could not be read or is not JSON of the right shape.
    #[error(transparent)]
    Input(#[from] SnapshotError),
    /// The task definition breaks `RegisterTaskDefinition`'s validation.
    #[error("{file}: not a valid task definition: {}", .problems.join("; "))]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        problems: Vec<String>,
    },
    /// A placement option ECS does not accept.
    #[error("{0}")]
    Placement(String),
    /// The service that should place the task definition is not in the state.
    #[error(transparent)]
    Scope(#[from] ScopeError),
}

/// Where a pre-deploy task definition will run: `--subnets`, `--security-groups`,
/// `--platform-version`, `--launch-type`.
#[derive(Debug, Clone, Default)]
pub struct PlacementFlags {
    /// Task subnets.
    pub subnets: Vec<String>,
    /// Task security groups (none = the VPC's default group).
    pub security_groups: Vec<String>,
    /// Fargate platform version (none = `LATEST`).
    pub platform_version: Option<String>,
    /// Launch type (none = `FARGATE`).
    pub launch_type: Option<String>,
}

impl PlacementFlags {
    /// Whether any placement was given.
    pub fn any(&self) -> bool {
        !self.subnets.is_empty()
            || !self.security_groups.is_empty()
            || self.platform_version.is_some()
            || self.launch_type.is_some()
    }
}

/// A task definition to check before it is deployed.
#[derive(Debug, Clone)]
pub struct PreDeploy {
    /// The file it came from.
    pub file: String,
    /// The task definition.
    pub task_definition: TaskDefinition,
    /// `--subnets`.
    pub subnets: Vec<String>,
    /// `--security-groups`.
    pub security_groups: Vec<String>,
    /// `--platform-version`.
    pub platform_version: Option<String>,
    /// `--launch-type`.
    pub launch_type: Option<String>,
}

#[derive(Deserialize)]
struct Wrapped {
    #[serde(rename = "taskDefinition")]
    task_definition: TaskDefinition,
}

/// Parses a task definition file: `register-task-definition` input, or
/// `describe-task-definition` output (`{"taskDefinition": {...}}`).
pub fn parse_task_definition(text: &str, name: &str) -> Result<TaskDefinition, PreDeployError> {
    snapshot::expect_object(
        text,
        name,
        "a task definition: {\"family\": ..., \"containerDefinitions\": [...]}",
    )?;
    let wrapped = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .is_some_and(|v| v.get("taskDefinition").is_some());
    let td = if wrapped {
        snapshot::parse_typed::<Wrapped>(text, name)?.task_definition
    } else {
        snapshot::parse_typed::<TaskDefinition>(text, name)?
    };
    validate(&td, name)?;
    Ok(td)
}

fn validate(td: &TaskDefinition, name: &str) -> Result<(), PreDeployError> {
    let mut problems = Vec::new();
    if td.family.trim().is_empty() {
        problems.push("`family` is required".to_owned());
    }
    if td.container_definitions.is_empty() {
        problems.push("`containerDefinitions` must hold at least one container".to_owned());
    }
    for (i, v) in td.volumes.iter().enumerate() {
        let Some(efs) = &v.efs_volume_configuration else {
            continue;
        };
        if v.name.trim().is_empty() {
            problems.push(format!(
                "volumes[{i}].name is required when efsVolumeConfiguration is used"
            ));
        }
        if efs.file_system_id.trim().is_empty() {
            problems.push(format!(
                "volumes[{i}].efsVolumeConfiguration.fileSystemId is required"
            ));
        }
        for (field, value) in [
            ("transitEncryption", efs.transit_encryption.as_deref()),
            (
                "authorizationConfig.iam",
                efs.authorization_config
                    .as_ref()
                    .and_then(|a| a.iam.as_deref()),
            ),
        ] {
            if let Some(value) = value {
                if value != "ENABLED" && value != "DISABLED" {
                    problems.push(format!(
                        "volumes[{i}].efsVolumeConfiguration.{field} is \"{value}\"; expected \"ENABLED\" or \"DISABLED\""
                    ));
                }
            }
        }
        if let Some(port) = efs.transit_encryption_port {
            if !(0..=65535).contains(&port) {
                problems.push(format!(
                    "volumes[{i}].efsVolumeConfiguration.transitEncryptionPort {port} is not a port number"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(PreDeployError::Invalid {
            file: name.to_owned(),
            problems,
        })
    }
}

/// Rejects a `--launch-type` that ECS does not know.
pub fn check_launch_type(launch_type: Option<&str>) -> Result<(), PreDeployError> {
    if let Some(lt) = launch_type {
        if !["FARGATE", "EC2", "EXTERNAL"].contains(&lt.to_ascii_uppercase().as_str()) {
            return Err(PreDeployError::Placement(format!(
                "--launch-type {lt}: expected FARGATE, EC2 or EXTERNAL"
            )));
        }
    }
    Ok(())
}

/// Reads a task definition file and its placement; at most one cluster and one service may
/// name the service that places it.
pub fn load(
    path: &Path,
    placement: &PlacementFlags,
    scope: &Scope,
) -> Result<PreDeploy, PreDeployError> {
    let name = path.display().to_string();
    let text = snapshot::read_text(path)?;
    let task_definition = parse_task_definition(&text, &name)?;
    if scope.services.len() > 1 || scope.clusters.len() > 1 {
        return Err(PreDeployError::Placement(
            "--task-definition takes at most one --cluster and one --service".to_owned(),
        ));
    }
    if !scope.services.is_empty() && scope.clusters.is_empty() {
        return Err(PreDeployError::Placement(
            "--service needs --cluster with --task-definition".to_owned(),
        ));
    }
    check_launch_type(placement.launch_type.as_deref())?;
    Ok(PreDeploy {
        file: name,
        task_definition,
        subnets: placement.subnets.clone(),
        security_groups: placement.security_groups.clone(),
        platform_version: placement.platform_version.clone(),
        launch_type: placement.launch_type.clone(),
    })
}

impl PreDeploy {
    /// The target: placed by the flags, or by the named service.
    pub fn target<'a>(
        &'a self,
        graph: &Graph<'a>,
        scope: &Scope,
    ) -> Result<Target<'a>, PreDeployError> {
        let td = &self.task_definition;
        let mut t = if scope.services.is_empty() {
            let network = if self.subnets.is_empty() {
                Err(Missing::new(
                    "no --subnets were given for the task definition (pass --subnets, or --cluster and --service)",
                ))
            } else {
                Ok(AwsVpcConfiguration {
                    subnets: self.subnets.clone(),
                    security_groups: self.security_groups.clone(),
                    assign_public_ip: None,
                })
            };
            Target {
                kind: TargetKind::TaskDefinition,
                cluster: scope
                    .clusters
                    .first()
                    .map(|c| target::cluster_name(c).to_owned()),
                name: td.family.clone(),
                arn: None,
                task_definition: Ok(td),
                task_definition_ref: Some(td.family.clone()),
                placement: Placement {
                    launch: launch_of(Some(self.launch_type.as_deref().unwrap_or("FARGATE")), &[]),
                    requested_platform_version: Some(
                        self.platform_version
                            .clone()
                            .unwrap_or_else(|| "LATEST".to_owned()),
                    ),
                    deployed_platform_version: None,
                    network,
                },
                origin: None,
                service: None,
            }
        } else {
            let mut found = target::select_services(graph, scope)?;
            let Some(service) = found.pop() else {
                return Err(ScopeError::ServiceNotFound {
                    service: scope.services.join(", "),
                    clusters: Vec::new(),
                    hint: String::new(),
                }
                .into());
            };
            let mut t = service;
            t.kind = TargetKind::TaskDefinition;
            t.name.clone_from(&td.family);
            t.arn = None;
            t.task_definition = Ok(td);
            t.task_definition_ref = Some(td.family.clone());
            if !self.subnets.is_empty() || !self.security_groups.is_empty() {
                let mut net = t.placement.network.clone().unwrap_or_default();
                if !self.subnets.is_empty() {
                    net.subnets.clone_from(&self.subnets);
                }
                if !self.security_groups.is_empty() {
                    net.security_groups.clone_from(&self.security_groups);
                }
                t.placement.network = Ok(net);
            }
            // update-service with a new task definition starts a new deployment, which resolves
            // the service's platform version again (LATEST is 1.4.0 today): the version the old
            // PRIMARY deployment runs no longer applies.
            t.placement.deployed_platform_version = None;
            if let Some(pv) = &self.platform_version {
                t.placement.requested_platform_version = Some(pv.clone());
            }
            if let Some(lt) = &self.launch_type {
                t.placement.launch = launch_of(Some(lt), &[]);
            }
            t
        };
        t.origin = Some(self.file.clone());
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_parse() {
        let a = parse_task_definition(
            r#"{"family":"web","containerDefinitions":[{"name":"app"}],"volumes":[{"name":"d","efsVolumeConfiguration":{"fileSystemId":"fs-1"}}]}"#,
            "td.json",
        )
        .unwrap();
        let b = parse_task_definition(
            r#"{"taskDefinition":{"family":"web","containerDefinitions":[{"name":"app"}]}}"#,
            "td.json",
        )
        .unwrap();
        assert_eq!(a.family, "web");
        assert_eq!(b.family, "web");
    }

    #[test]
    fn invalid_files_are_rejected() {
        let e = parse_task_definition(r#"{"containerDefinitions":[]}"#, "td.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`family` is required"), "{e}");
        let e = parse_task_definition(
            r#"{"family":"x","containerDefinitions":[{"name":"a"}],"volumes":[{"name":"d","efsVolumeConfiguration":{"fileSystemId":"fs-1","transitEncryption":"YES"}}]}"#,
            "td.json",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("expected \"ENABLED\" or \"DISABLED\""), "{e}");
        let e = parse_task_definition("{\"family\": 3}", "td.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("td.json:1:"), "{e}");
    }
}
