//! Amazon ECS resources of a template: task definitions and services, and the targets they
//! make.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{Convert, Res, Template};
use crate::iac::common;
use crate::iac::overlay::Builder;
use crate::iac::shared::ecs::{self, EfsVolumeNames};
use crate::iac::shared::Targets;
use crate::iac::value::{Got, Val};
use crate::iac::IacError;
use crate::snapshot::{ContainerDefinition, MountPoint, Service, TaskDefinition, Volume};

/// The ECS resource types a template may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("AWS::ECS::Cluster", cluster),
    ("AWS::ECS::TaskDefinition", task_definition),
    ("AWS::ECS::Service", service),
    ("AWS::ECS::TaskSet", task_set),
];

const EFS_VOLUME: EfsVolumeNames = EfsVolumeNames {
    volume: [
        "FilesystemId",
        "RootDirectory",
        "TransitEncryption",
        "TransitEncryptionPort",
    ],
    auth: ["AuthorizationConfig", "AccessPointId", "IAM"],
};

/// A cluster contributes nothing but its name (`Ref` gives `ClusterName`).
fn cluster(
    _: &Template<'_>,
    _: &Res<'_>,
    _: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    Ok(())
}

fn task_definition(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    // Without Family, CloudFormation names the family after the stack and logical id.
    let family = r
        .p("Family")
        .str()
        .known()
        .unwrap_or_else(|| lid.to_owned());
    let mut containers = Vec::new();
    for c in r
        .p("ContainerDefinitions")
        .items()
        .known()
        .unwrap_or_default()
    {
        containers.push(ContainerDefinition {
            name: c.field("Name").str().known().unwrap_or_default(),
            image: c.field("Image").str().known(),
            user: c.field("User").str().known(),
            mount_points: c
                .field("MountPoints")
                .items()
                .known()
                .unwrap_or_default()
                .iter()
                .map(|m| MountPoint {
                    source_volume: m.field("SourceVolume").str().known(),
                    container_path: m.field("ContainerPath").str().known(),
                    read_only: m.field("ReadOnly").bool().known(),
                })
                .collect(),
            ..ContainerDefinition::default()
        });
    }
    if let Got::Unknown(c) = r.p("ContainerDefinitions").items() {
        b.gap(lid, "ContainerDefinitions", lid, &c);
    }
    let mut volumes = Vec::new();
    for (i, v) in r
        .p("Volumes")
        .items()
        .known()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let efs = v.field("EFSVolumeConfiguration");
        let cfg = if matches!(efs, Val::Null) {
            None
        } else {
            Some(ecs::efs_volume(
                b,
                &efs,
                &EFS_VOLUME,
                lid,
                |k| format!("Volumes[{i}].EFSVolumeConfiguration.{k}"),
                efs.field("TransitEncryptionPort").int().known(),
                |auth| matches!(auth, Val::Null),
            ))
        };
        volumes.push(Volume {
            name: v.field("Name").str().known().unwrap_or_default(),
            efs_volume_configuration: cfg,
        });
    }
    let rp = r.p("RuntimePlatform");
    let td = TaskDefinition {
        wrapped: None,
        task_definition_arn: Some(lid.to_owned()),
        revision: Some(common::base_max_revision(t.base, &family) + 1),
        family,
        task_role_arn: b.id(r.p("TaskRoleArn").str(), "TaskRoleArn", lid),
        execution_role_arn: b.id(r.p("ExecutionRoleArn").str(), "ExecutionRoleArn", lid),
        network_mode: r.p("NetworkMode").str().known(),
        requires_compatibilities: ecs::known_strs(&r.p("RequiresCompatibilities")),
        runtime_platform: ecs::runtime_platform(
            rp.field("OperatingSystemFamily").str().known(),
            rp.field("CpuArchitecture").str().known(),
        ),
        volumes,
        container_definitions: containers,
        status: Some("ACTIVE".into()),
    };
    b.overlay.task_definitions.push(td);
    Ok(())
}

fn service(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    out: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    // With the EXTERNAL or CODE_DEPLOY deployment controller the tasks run from a task set:
    // what the service leaves unset comes from the template's task set of this service.
    let set = task_set_of(t, lid);
    let prop = |key: &str| match (r.p(key), &set) {
        (Val::Null, Some(set)) => set.field(key),
        (v, _) => v,
    };
    let net = match (r.p("NetworkConfiguration"), &set) {
        (Val::Null, Some(set)) => set
            .field("NetworkConfiguration")
            .field("AwsVpcConfiguration"),
        (v, _) => v.field("AwsvpcConfiguration"),
    };
    let platform_version = match prop("PlatformVersion").str() {
        Got::Known(v) => Some(v),
        Got::Unknown(c) => {
            b.gap(lid, "PlatformVersion", lid, &c);
            None
        }
        Got::Absent => None,
    };
    // Without ServiceName, CloudFormation generates one; the logical id stands for it.
    let service_name = r
        .p("ServiceName")
        .str()
        .known()
        .unwrap_or_else(|| lid.to_owned());
    let cluster_arn = b.id(prop("Cluster").str(), "Cluster", lid);
    let task_definition = b.id(prop("TaskDefinition").str(), "TaskDefinition", lid);
    let network_configuration = if matches!(net, Val::Null) {
        None
    } else {
        Some(ecs::network_configuration(
            b,
            &net,
            ["Subnets", "SecurityGroups"],
            "NetworkConfiguration.AwsvpcConfiguration",
            lid,
            net.field("AssignPublicIp").str().known(),
        ))
    };
    let svc = Service {
        service_arn: None,
        service_name,
        cluster_arn,
        task_definition,
        launch_type: prop("LaunchType").str().known(),
        capacity_provider_strategy: ecs::capacity_provider_strategy(
            &prop("CapacityProviderStrategy"),
            ["CapacityProvider", "Weight", "Base"],
        ),
        platform_version,
        network_configuration,
        status: Some("ACTIVE".into()),
        ..Service::default()
    };
    let td_address = svc
        .task_definition
        .clone()
        .filter(|td| t.rtype(td) == Some("AWS::ECS::TaskDefinition"));
    // A template creates its services (or replaces them under a new name).
    out.service(&svc, lid, td_address, false);
    b.overlay.services.push(svc);
    Ok(())
}

/// The resolved properties of the first task set of the template that belongs to a service.
fn task_set_of(t: &Template<'_>, service: &str) -> Option<Val> {
    let name = t.get_att(service, "Name", 0);
    t.resources()
        .filter(|(_, res)| {
            res.get("Type").and_then(serde_json::Value::as_str) == Some("AWS::ECS::TaskSet")
        })
        .find(|(lid, _)| match t.prop(lid, "Service", 0) {
            Val::Str(s) => s == service || Val::Str(s) == name,
            _ => false,
        })
        .and_then(|(_, res)| res.get("Properties"))
        .and_then(|props| t.resolve(props, 0))
}

/// A task set of a service the template does not declare runs its own tasks: it is checked
/// as its own target (named by its logical id); a task set of the template's service fills
/// that service.
fn task_set(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    out: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    if let Val::Str(svc) = r.p("Service") {
        let of_template = t.resources().any(|(l, res)| {
            res.get("Type").and_then(serde_json::Value::as_str) == Some("AWS::ECS::Service")
                && (*l == svc || t.get_att(l, "Name", 0) == Val::Str(svc.clone()))
        });
        if of_template {
            return Ok(());
        }
    }
    let net = r.p("NetworkConfiguration").field("AwsVpcConfiguration");
    let platform_version = match r.p("PlatformVersion").str() {
        Got::Known(v) => Some(v),
        Got::Unknown(c) => {
            b.gap(lid, "PlatformVersion", lid, &c);
            None
        }
        Got::Absent => None,
    };
    let cluster_arn = b.id(r.p("Cluster").str(), "Cluster", lid);
    let task_definition = b.id(r.p("TaskDefinition").str(), "TaskDefinition", lid);
    let network_configuration = if matches!(net, Val::Null) {
        None
    } else {
        Some(ecs::network_configuration(
            b,
            &net,
            ["Subnets", "SecurityGroups"],
            "NetworkConfiguration.AwsVpcConfiguration",
            lid,
            net.field("AssignPublicIp").str().known(),
        ))
    };
    let svc = Service {
        service_arn: None,
        service_name: lid.to_owned(),
        cluster_arn,
        task_definition,
        launch_type: r.p("LaunchType").str().known(),
        capacity_provider_strategy: ecs::capacity_provider_strategy(
            &r.p("CapacityProviderStrategy"),
            ["CapacityProvider", "Weight", "Base"],
        ),
        platform_version,
        network_configuration,
        status: Some("ACTIVE".into()),
        ..Service::default()
    };
    let td_address = svc
        .task_definition
        .clone()
        .filter(|td| t.rtype(td) == Some("AWS::ECS::TaskDefinition"));
    out.service(&svc, lid, td_address, false);
    b.overlay.services.push(svc);
    Ok(())
}

/// Task definitions no service of the template runs are checked on their own (their
/// synthetic ARN is the logical id).
pub(super) fn lone_task_definitions(b: &Builder, out: &mut Targets) {
    let lone: Vec<String> = b
        .overlay
        .task_definitions
        .iter()
        .filter_map(|td| td.task_definition_arn.clone())
        .filter(|lid| !out.is_used(&[lid]))
        .collect();
    for lid in lone {
        out.lone_task_definition(lid.clone(), &lid);
    }
}
