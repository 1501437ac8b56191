//! Amazon ECS resources of a plan: task definitions and services, and the targets they make.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{bad_value, Convert, Plan, Res};
use crate::iac::common;
use crate::iac::overlay::Builder;
use crate::iac::shared::ecs::{self, EfsVolumeNames};
use crate::iac::shared::Targets;
use crate::iac::value::{Got, Val};
use crate::iac::IacError;
use crate::snapshot::{ContainerDefinition, Service, TaskDefinition, Volume};

/// The ECS resource types a plan may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("aws_ecs_task_definition", task_definition),
    ("aws_ecs_service", service),
];

const EFS_VOLUME: EfsVolumeNames = EfsVolumeNames {
    volume: [
        "file_system_id",
        "root_directory",
        "transit_encryption",
        "transit_encryption_port",
    ],
    auth: ["authorization_config", "access_point_id", "iam"],
};

fn task_definition(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let family = v
        .field("family")
        .str()
        .known()
        .unwrap_or_else(|| addr.to_owned());
    let containers = match v.field("container_definitions").str() {
        Got::Known(json) => {
            serde_json::from_str::<Vec<ContainerDefinition>>(&json).map_err(|e| {
                bad_value(
                    r,
                    "container_definitions",
                    &format!("is not a JSON list of container definitions: {e}"),
                )
            })?
        }
        Got::Unknown(c) => {
            // Mount points are unknown: ECS008 and the read-write checks see no containers.
            b.gap(&r.s.id, "container_definitions", addr, &c);
            Vec::new()
        }
        Got::Absent => Vec::new(),
    };
    let mut volumes = Vec::new();
    for (i, vol) in v
        .field("volume")
        .items()
        .known()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let name = vol.field("name").str().known().unwrap_or_default();
        let efs = vol.field("efs_volume_configuration");
        let efs_cfg = match efs.items() {
            Got::Known(items) if !items.is_empty() => Some(ecs::efs_volume(
                b,
                &efs,
                &EFS_VOLUME,
                addr,
                |k| format!("volume[{i}].efs_volume_configuration.{k}"),
                efs.field("transit_encryption_port")
                    .int()
                    .known()
                    .filter(|p| *p != 0),
                |auth| {
                    matches!(auth, Val::Null) || auth.items().known().is_some_and(|a| a.is_empty())
                },
            )),
            _ => None,
        };
        volumes.push(Volume {
            name,
            efs_volume_configuration: efs_cfg,
        });
    }
    let revision = v
        .field("revision")
        .int()
        .known()
        .unwrap_or_else(|| common::base_max_revision(plan.base, &family) + 1);
    let rp = v.field("runtime_platform");
    let td = TaskDefinition {
        wrapped: None,
        task_definition_arn: Some(r.s.arn.clone()),
        family,
        revision: Some(revision),
        task_role_arn: b.id(v.field("task_role_arn").str(), "task_role_arn", addr),
        execution_role_arn: b.id(
            v.field("execution_role_arn").str(),
            "execution_role_arn",
            addr,
        ),
        network_mode: v.field("network_mode").str().known(),
        requires_compatibilities: ecs::known_strs(&v.field("requires_compatibilities")),
        runtime_platform: ecs::runtime_platform(
            rp.field("operating_system_family").str().known(),
            rp.field("cpu_architecture").str().known(),
        ),
        volumes,
        container_definitions: containers,
        status: Some("ACTIVE".into()),
    };
    b.overlay.task_definitions.push(td);
    Ok(())
}

fn service(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    out: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let name = v
        .field("name")
        .str()
        .known()
        .unwrap_or_else(|| addr.to_owned());
    let cluster = b.id(v.field("cluster").str(), "cluster", addr);
    let platform_version = match v.field("platform_version").str() {
        Got::Known(p) if !p.is_empty() => Some(p),
        Got::Unknown(c) if plan.has_config(r.inst, "platform_version") => {
            b.gap(addr, "platform_version", addr, &c);
            None
        }
        // Not set: ECS uses LATEST.
        _ => None,
    };
    let net = v.field("network_configuration");
    let network_configuration = match net.items() {
        Got::Known(items) if !items.is_empty() => Some(ecs::network_configuration(
            b,
            &net,
            ["subnets", "security_groups"],
            "network_configuration",
            addr,
            net.field("assign_public_ip")
                .bool()
                .known()
                .map(|p| if p { "ENABLED" } else { "DISABLED" }.to_owned()),
        )),
        _ => None,
    };
    let svc = Service {
        service_arn: v
            .field("id")
            .str()
            .known()
            .filter(|id| id.starts_with("arn:")),
        service_name: name,
        cluster_arn: cluster,
        task_definition: b.id(v.field("task_definition").str(), "task_definition", addr),
        launch_type: v
            .field("launch_type")
            .str()
            .known()
            .filter(|l| !l.is_empty()),
        capacity_provider_strategy: ecs::capacity_provider_strategy(
            &v.field("capacity_provider_strategy"),
            ["capacity_provider", "weight", "base"],
        ),
        platform_version,
        network_configuration,
        status: Some("ACTIVE".into()),
        ..Service::default()
    };
    let td_address = svc
        .task_definition
        .as_deref()
        .and_then(|td| plan.address_of_synthetic(td));
    out.service(&svc, addr, td_address, svc.service_arn.is_some());
    b.overlay.services.push(svc);
    Ok(())
}

/// Task definitions no service of the plan runs are checked on their own.
pub(super) fn lone_task_definitions(plan: &Plan<'_>, out: &mut Targets) {
    for inst in plan
        .instances
        .iter()
        .filter(|i| i.managed && i.rtype == "aws_ecs_task_definition")
    {
        let s = plan.synth_of(inst);
        let family = inst.str(&["family"]).known().unwrap_or_default();
        if !out.is_used(&[&s.arn, &s.id, &family]) {
            out.lone_task_definition(s.arn.clone(), &inst.address);
        }
    }
}
