//! NET005: the mount target's security groups admit no NFS (TCP 2049) from the task.
//!
//! "The security groups you associate with a mount target must allow inbound access for the TCP
//! protocol on the NFS port from all EC2 instances on which you want to mount the file system"
//! (<https://docs.aws.amazon.com/efs/latest/ug/accessing-fs-create-security-groups.html>). A
//! block that holds only part of the task subnet is a warning: tasks placed on the other
//! addresses time out. The evaluation is [`crate::net::sg::inbound_nfs`].

use super::nfs_path::{mount_target_groups, nfs_paths, prefix_list_lookup, worst, NfsPath};
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::net::sg::{self, describe, Endpoint, SgVerdict};
use crate::net::{cidr, PrefixListLookup};

pub(crate) static RULE: Rule = Rule {
    id: "NET005",
    name: "nfs-ingress-missing",
    severity: Severity::Error,
    summary: "The mount target's security groups allow no inbound TCP 2049 from the task",
    doc: include_str!("../../rules/NET005.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let lookup = prefix_list_lookup(cx);
    nfs_paths(cx, &RULE)
        .into_iter()
        .map(|p| p.and_then(|p| judge(cx, &p, &lookup)).unwrap_or_else(|f| f))
        .collect()
}

fn judge(
    cx: &Context<'_>,
    p: &NfsPath<'_>,
    lookup: &PrefixListLookup<'_>,
) -> Result<Finding, Finding> {
    let mt = &super::mount_target_name(p.mount_target);
    let unknown = |m: &Missing| cx.unknown(&RULE, m).volume(p.volume).resource(mt);
    let guards = mount_target_groups(cx, p.mount_target).map_err(|m| unknown(&m))?;
    // Without the task's groups, only address rules can decide.
    let task_groups = cx.task_security_groups();
    let task_ids: Vec<&str> = task_groups
        .iter()
        .flatten()
        .map(|g| g.group_id.as_str())
        .collect();
    let guard_ids: Vec<&str> = guards.iter().map(|g| g.group_id.as_str()).collect();
    let (leg, verdict) = worst(
        p.legs.iter().map(|leg| {
            let task = Endpoint {
                groups: &task_ids,
                addresses: leg.task_range,
            };
            (leg, sg::inbound_nfs(&guards, &task, lookup))
        }),
        |(_, v)| v.rank(),
    )
    .ok_or_else(|| unknown(&Missing::new("no address family to check")))?;
    if let (Err(m), false) = (&task_groups, matches!(verdict, SgVerdict::Allowed(_))) {
        return Err(unknown(&Missing::new(format!(
            "no inbound rule of {} admits TCP 2049 from a block holding {}, and {m}",
            guard_ids.join(", "),
            leg.task_cidr()
        ))));
    }
    let sid = &p.subnet.subnet_id;
    let blame = guard_ids.first().copied().unwrap_or(mt.as_str());
    // Built only for the findings that print them (most paths pass).
    let fix = || {
        match (guard_ids.first(), task_ids.first()) {
        (Some(mt_sg), Some(task_sg)) => format!(
            "aws ec2 authorize-security-group-ingress --group-id {mt_sg} --ip-permissions 'IpProtocol=tcp,FromPort=2049,ToPort=2049,UserIdGroupPairs=[{{GroupId={task_sg}}}]'"
        ),
        _ => format!(
            "Attach a security group that allows inbound TCP 2049 from the task's security group to mount target {mt} (aws efs modify-mount-target-security-groups)."
        ),
    }
    };
    let who = || {
        if task_ids.is_empty() {
            format!("tasks in {sid} ({})", leg.task_cidr())
        } else {
            format!(
                "tasks in {sid} ({}, security groups {})",
                leg.task_cidr(),
                task_ids.join(", ")
            )
        }
    };
    let head = || {
        format!(
            "Mount target {mt} of {} ({}, security groups {})",
            p.fs_id,
            p.az_id,
            guard_ids.join(", ")
        )
    };
    Ok(match verdict {
        SgVerdict::Allowed(grants) => cx.pass(&RULE).volume(p.volume).resource(blame).message_with(|| format!(
            "{} admits NFS{} from {}: {}.",
            head(),
            leg.over(),
            who(),
            describe(&grants)
        )),
        SgVerdict::Partial { grants, uncovered } => cx.warn(&RULE).volume(p.volume).resource(blame).message_with(|| format!(
            "{} admits NFS{} from only part of {sid} ({}): {}. Tasks that get an address in {} time out.",
            head(),
            leg.over(),
            leg.task_cidr(),
            describe(&grants),
            cidr::join(&uncovered)
        )).fix(fix()),
        SgVerdict::Unknown(why) => unknown(&Missing::new(format!(
            "no inbound rule of {} admits TCP 2049 from {} by group or by a block holding the subnet, and {}",
            guard_ids.join(", "),
            who(),
            why.join("; ")
        ))),
        SgVerdict::Denied { open_to_others } => {
            let others = if open_to_others.is_empty() {
                String::new()
            } else {
                format!(" Its NFS rules name other sources: {}.", describe(&open_to_others))
            };
            cx.broken(&RULE).volume(p.volume).resource(blame).message_with(|| format!(
                "{} admits no NFS{} from {}; their mounts time out.{others}",
                head(),
                leg.over(),
                who()
            )).fix(fix())
        }
    })
}
