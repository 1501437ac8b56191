//! NET003: the file system has mount targets, but none in the task's VPC.
//!
//! File-system DNS names resolve only inside the VPC of the mount targets, and Fargate has no
//! botocore fallback to reach another VPC's mount target
//! (<https://docs.aws.amazon.com/efs/latest/ug/troubleshooting-efs-mounting.html>).

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "NET003",
    name: "mount-targets-in-other-vpc",
    severity: Severity::Error,
    summary: "The file system's mount targets are all in another VPC",
    doc: include_str!("../../rules/NET003.md"),
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
        let vpc_id = match cx.task_vpc_id() {
            Ok(id) => id,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name));
                continue;
            }
        };
        let mount_targets = match cx.graph.mount_targets_of(fs_id) {
            Ok(m) => m,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(fs_id));
                continue;
            }
        };
        if mount_targets.is_empty() {
            // No mount target anywhere: NET001 reports each uncovered AZ.
            continue;
        }
        let vpcs: Vec<&str> = mount_targets
            .iter()
            .filter_map(|mt| cx.graph.mount_target_vpc(mt))
            .collect();
        if vpcs.contains(&vpc_id) {
            out.push(
                cx.pass(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message_with(|| {
                        format!("File system {fs_id} has mount targets in the task VPC {vpc_id}.")
                    }),
            );
        } else if let Some(mt) = mount_targets
            .iter()
            .find(|mt| cx.graph.mount_target_vpc(mt).is_none())
        {
            // That mount target may be in the task VPC.
            out.push(
                cx.unknown(
                    &RULE,
                    &crate::graph::Missing::new(format!(
                        "the VPC of mount target {} of {fs_id} is not in the collected state (no VpcId, and its subnet {} is not in ec2.Subnets)",
                        super::mount_target_name(mt), mt.subnet_id
                    )),
                )
                .volume(v.name)
                .resource(fs_id),
            );
        } else {
            let mut others = vpcs.clone();
            others.sort_unstable();
            others.dedup();
            out.push(
                cx.broken(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message_with(|| format!(
                        "File system {fs_id} has mount targets only in {} but the task runs in {vpc_id}; its DNS name does not resolve there and Fargate cannot mount across VPCs.",
                        others.join(", ")
                    ))
                    .fix(format!(
                        "Run the service in subnets of {}, or move the mount targets of {fs_id} into {vpc_id} (aws efs delete-mount-target, then aws efs create-mount-target --file-system-id {fs_id} --subnet-id <subnet of {vpc_id}>).",
                        others.join(", ")
                    )),
            );
        }
    }
    out
}
