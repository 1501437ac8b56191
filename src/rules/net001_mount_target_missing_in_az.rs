//! NET001: a task subnet's Availability Zone (by AZ id) has no mount target of the file system.
//!
//! The file-system DNS name resolves only to the mount target in the client's own AZ, and on
//! Fargate there is no fallback (<https://docs.aws.amazon.com/efs/latest/ug/mounting-fs-mount-cmd-dns-name.html>).
//! The mount target may sit in any subnet of that AZ in the task VPC
//! (<https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html>).

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "NET001",
    name: "mount-target-missing-in-az",
    severity: Severity::Error,
    summary: "A task subnet's Availability Zone has no mount target of the file system",
    doc: include_str!("../../rules/NET001.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let region = cx.graph.snapshot().region.as_deref().unwrap_or("REGION");
    let mut out = Vec::new();
    for v in &volumes {
        let fs_id = v.config.file_system_id.as_str();
        let subnets = match cx.task_subnet_zones() {
            Ok(s) => s,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name));
                continue;
            }
        };
        if cx.graph.file_system_known_absent(fs_id) {
            out.push(
                cx.unknown(
                    &RULE,
                    &Missing::new(format!("file system {fs_id} does not exist (see EFS001)")),
                )
                .volume(v.name)
                .resource(fs_id),
            );
            continue;
        }
        let mount_targets = match cx.graph.mount_targets_of(fs_id) {
            Ok(m) => m,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(fs_id));
                continue;
            }
        };
        // One Zone file systems: (AZ id, AZ name); either may be missing in a hand-made snapshot.
        let one_zone = cx
            .graph
            .file_system(fs_id)
            .ok()
            .filter(|fs| fs.availability_zone_id.is_some() || fs.availability_zone_name.is_some())
            .map(|fs| {
                (
                    fs.availability_zone_id.as_deref(),
                    fs.availability_zone_name.as_deref(),
                )
            });
        // A mount target whose VPC or AZ id cannot be told (no field, subnet not in the snapshot)
        // might be the one this AZ needs.
        let undetermined = mount_targets.iter().find(|mt| {
            cx.graph.mount_target_vpc(mt).is_none() || cx.graph.mount_target_az_id(mt).is_none()
        });
        let mut mount_target_vpcs: Vec<&str> = mount_targets
            .iter()
            .filter_map(|mt| cx.graph.mount_target_vpc(mt))
            .collect();
        mount_target_vpcs.sort_unstable();
        mount_target_vpcs.dedup();
        let sg_hint: Vec<String> = mount_targets
            .iter()
            .find_map(|mt| mt.security_groups.clone().filter(|s| !s.is_empty()))
            .unwrap_or_default();
        for (subnet_id, zone) in subnets {
            let (subnet, az_id) = match zone {
                Ok(z) => z,
                Err(m) => {
                    // A subnet in the snapshot without an AZ id: say why its AZ name is not used.
                    let m = if cx.graph.subnet(subnet_id).is_ok() {
                        Missing::new(format!(
                            "{m} (AZ names differ between accounts, so they are not compared)"
                        ))
                    } else {
                        m
                    };
                    out.push(cx.unknown(&RULE, &m).volume(v.name).resource(subnet_id));
                    continue;
                }
            };
            let vpc_id = subnet.vpc_id.as_str();
            let here = mount_targets.iter().find(|mt| {
                cx.graph.mount_target_vpc(mt) == Some(vpc_id)
                    && cx.graph.mount_target_az_id(mt) == Some(az_id)
            });
            if let Some(mt) = here {
                let where_ = if mt.subnet_id == subnet_id {
                    "in the same subnet".to_owned()
                } else {
                    format!("in {} of the same AZ", mt.subnet_id)
                };
                out.push(
                    cx.pass(&RULE)
                        .volume(v.name)
                        .resource(subnet_id)
                        .message_with(|| {
                            format!(
                            "Subnet {subnet_id} ({az_id}) has mount target {} of {fs_id} {where_}.",
                            super::mount_target_name(mt)
                        )
                        }),
                );
                continue;
            }
            if let Some(m) = cx.graph.unresolved_az(az_id, &mount_targets) {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(subnet_id));
                continue;
            }
            if let Some(mt) = undetermined {
                out.push(
                    cx.unknown(
                        &RULE,
                        &Missing::new(format!(
                            "the VPC or AZ id of mount target {} of {fs_id} is not in the collected state (no VpcId or AvailabilityZoneId, and its subnet {} is not in ec2.Subnets)",
                            super::mount_target_name(mt), mt.subnet_id
                        )),
                    )
                    .volume(v.name)
                    .resource(subnet_id),
                );
                continue;
            }
            let in_vpc = mount_target_vpcs.contains(&vpc_id);
            let mut finding = cx.broken(&RULE).volume(v.name).resource(subnet_id).message_with(|| format!(
                "Subnet {subnet_id} ({az_id}) has no mount target of {fs_id} in its AZ{}; tasks placed there fail with 'Failed to resolve \"{fs_id}.efs.{region}.amazonaws.com\"'.",
                if in_vpc || mount_targets.is_empty() {
                    String::new()
                } else {
                    format!(" (the file system's mount targets are all outside {vpc_id}, see NET003)")
                }
            ));
            finding = match one_zone {
                // A One Zone file system can only have a mount target in its own AZ.
                Some((Some(zone), _)) if zone != az_id => finding.fix(format!(
                    "Remove {subnet_id} from the service's subnets: {fs_id} is a One Zone file system in {zone} and cannot have a mount target in {az_id} (see NET004)."
                )),
                Some((None, Some(name))) => finding.fix(format!(
                    "Keep only subnets of {name}, the AZ of One Zone file system {fs_id}, and give it a mount target there (see NET004)."
                )),
                _ if !in_vpc && !mount_targets.is_empty() => finding.fix(format!(
                    "Run the service in subnets of {}, which holds the mount targets of {fs_id}, or delete those mount targets and create them in {vpc_id} (a file system has mount targets in one VPC at a time).",
                    mount_target_vpcs.join(", ")
                )),
                _ => {
                    let sgs = if sg_hint.is_empty() {
                        String::new()
                    } else {
                        format!(" --security-groups {}", sg_hint.join(" "))
                    };
                    finding.fix(format!(
                        "aws efs create-mount-target --file-system-id {fs_id} --subnet-id {subnet_id}{sgs}"
                    ))
                }
            };
            out.push(finding);
        }
    }
    out
}
