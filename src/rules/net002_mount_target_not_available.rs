//! NET002: the mount target in a task subnet's AZ exists but is not `available`.

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::snapshot::MountTarget;

pub(crate) static RULE: Rule = Rule {
    id: "NET002",
    name: "mount-target-not-available",
    severity: Severity::Error,
    summary: "The mount target in a task subnet's AZ is not available",
    doc: include_str!("../../rules/NET002.md"),
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
        let subnets = match cx.task_subnet_zones() {
            Ok(s) => s,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name));
                continue;
            }
        };
        for (subnet_id, zone) in subnets {
            let (subnet, az_id) = match zone {
                Ok(z) => z,
                Err(m) => {
                    out.push(cx.unknown(&RULE, &m).volume(v.name).resource(subnet_id));
                    continue;
                }
            };
            let mt = match cx.graph.mount_target_in_az(fs_id, &subnet.vpc_id, az_id) {
                Ok(Some(mt)) => mt,
                // No mount target in this AZ: NET001's finding, not this rule's.
                Ok(None) => continue,
                Err(m) => {
                    out.push(cx.unknown(&RULE, &m).volume(v.name).resource(subnet_id));
                    continue;
                }
            };
            let id = &super::mount_target_name(mt);
            out.push(match mt.life_cycle_state.as_deref() {
                Some("available") => cx.pass(&RULE).volume(v.name).resource(id).message_with(|| format!(
                    "Mount target {id} ({az_id}) of {fs_id} is available."
                )),
                // A change to a mount target that exists; like a file system's `updating`
                // (https://docs.aws.amazon.com/efs/latest/ug/file-system-state.html), not an outage.
                Some("updating") => cx.pass(&RULE).volume(v.name).resource(id).message_with(|| format!(
                    "Mount target {id} ({az_id}) of {fs_id} is updating: a change to a mount target that exists, which AWS does not describe as unavailable."
                )),
                Some(state) => {
                    let fix = match state {
                        "creating" => format!(
                            "Wait until mount target {id} is available (aws efs describe-mount-targets --mount-target-id {id}); DNS records can take up to 90 seconds more to propagate."
                        ),
                        "error" => format!(
                            "Delete mount target {id} (aws efs delete-mount-target --mount-target-id {id}) and, once it is gone, create it again: aws efs create-mount-target --file-system-id {fs_id} --subnet-id {}{}",
                            mt.subnet_id,
                            security_groups(mt)
                        ),
                        _ => format!(
                            "Wait until mount target {id} is deleted, then create a new one in its AZ: aws efs create-mount-target --file-system-id {fs_id} --subnet-id {}{}",
                            mt.subnet_id,
                            security_groups(mt)
                        ),
                    };
                    cx.broken(&RULE)
                        .volume(v.name)
                        .resource(id)
                        .message_with(|| format!(
                            "Mount target {id} of {fs_id} in {az_id} has LifeCycleState {state}, not available; tasks in {subnet_id} cannot resolve or reach it."
                        ))
                        .fix(fix)
                }
                None => cx
                    .unknown(&RULE, &Missing::new(format!("mount target {id} has no LifeCycleState in the collected state")))
                    .volume(v.name)
                    .resource(id),
            });
        }
    }
    out
}

/// ` --security-groups ...` with the mount target's own groups, so a re-created mount target
/// keeps them (empty when they were not collected).
fn security_groups(mt: &MountTarget) -> String {
    match mt.security_groups.as_deref() {
        Some(groups) if !groups.is_empty() => format!(" --security-groups {}", groups.join(" ")),
        _ => String::new(),
    }
}
