//! NET004: a One Zone file system is used from a subnet in another AZ.
//!
//! One Zone file systems have one mount target, in their own AZ, and ECS tasks must use subnets
//! of that AZ (<https://docs.aws.amazon.com/efs/latest/ug/mounting-one-zone.html>).

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "NET004",
    name: "one-zone-az-mismatch",
    severity: Severity::Error,
    summary: "A One Zone file system is used from a subnet in another AZ",
    doc: include_str!("../../rules/NET004.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let mut out = Vec::new();
    for v in &volumes {
        let fs_id = v.config.file_system_id.as_str();
        let fs = match cx.graph.file_system(fs_id) {
            Ok(fs) => fs,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(fs_id));
                continue;
            }
        };
        if fs.availability_zone_id.is_none() && fs.availability_zone_name.is_none() {
            // Regional file system: the rule does not apply.
            continue;
        }
        let subnets = match cx.task_subnet_zones() {
            Ok(s) => s,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(fs_id));
                continue;
            }
        };
        let fs_zone = fs.availability_zone_id.clone().or_else(|| {
            // AZ names map to ids per account; a subnet of the same account with that name
            // gives the id.
            let name = fs.availability_zone_name.as_deref()?;
            subnets.iter().find_map(|(_, zone)| {
                let (s, az_id) = zone.as_ref().ok()?;
                let same_account = match (&s.owner_id, &fs.owner_id) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                (same_account && s.availability_zone.as_deref() == Some(name))
                    .then(|| (*az_id).to_owned())
            })
        });
        let Some(fs_zone) = fs_zone else {
            out.push(
                cx.unknown(&RULE, &Missing::new(format!(
                    "One Zone file system {fs_id} has no AvailabilityZoneId in the collected state and its AZ name cannot be mapped to an id"
                )))
                .volume(v.name)
                .resource(fs_id),
            );
            continue;
        };
        for (subnet_id, zone) in subnets {
            let az_id = match zone {
                Ok((_, az_id)) => az_id,
                Err(m) => {
                    out.push(cx.unknown(&RULE, &m).volume(v.name).resource(subnet_id));
                    continue;
                }
            };
            if let (false, Some(m)) = (az_id == fs_zone, cx.graph.iac_unknown(az_id)) {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(subnet_id));
            } else if az_id == fs_zone {
                out.push(
                    cx.pass(&RULE)
                        .volume(v.name)
                        .resource(subnet_id)
                        .message_with(|| {
                            format!(
                    "Subnet {subnet_id} is in {az_id}, the AZ of One Zone file system {fs_id}."
                )
                        }),
                );
            } else {
                out.push(
                    cx.broken(&RULE)
                        .volume(v.name)
                        .resource(subnet_id)
                        .message_with(|| format!(
                            "Subnet {subnet_id} is in {az_id} but {fs_id} is a One Zone file system in {fs_zone}; tasks placed there cannot resolve a mount target."
                        ))
                        .fix(format!(
                            "Remove {subnet_id} from the service's subnets and keep only subnets in {fs_zone} (or use a Regional file system)."
                        )),
                );
            }
        }
    }
    out
}
