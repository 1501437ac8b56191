//! NET006: the task's security groups allow no outbound NFS (TCP 2049) to the mount target in
//! its AZ.
//!
//! "Each EC2 instance that mounts the file system must have a security group that allows
//! outbound access to the mount target on the NFS port"
//! (<https://docs.aws.amazon.com/efs/latest/ug/accessing-fs-create-security-groups.html>). Each
//! task subnet is checked against the mount target of its own AZ: egress opened to one AZ's
//! mount-target address fails the tasks placed in the other AZs. The evaluation is
//! [`crate::net::sg::outbound_nfs`].

use super::nfs_path::{mount_target_group_ids, nfs_paths, prefix_list_lookup, worst, NfsPath};
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::net::cidr::Cidr;
use crate::net::sg::{self, describe, Endpoint, SgVerdict};
use crate::net::PrefixListLookup;

pub(crate) static RULE: Rule = Rule {
    id: "NET006",
    name: "nfs-egress-missing",
    severity: Severity::Error,
    summary: "The task's security groups allow no outbound TCP 2049 to the mount target",
    doc: include_str!("../../rules/NET006.md"),
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
    let task_groups = cx.task_security_groups().map_err(|m| unknown(&m))?;
    let task_ids: Vec<&str> = task_groups.iter().map(|g| g.group_id.as_str()).collect();
    // Without the mount target's groups, only address rules can decide.
    let mt_groups = mount_target_group_ids(cx, p.mount_target);
    let mt_ids: Vec<&str> = mt_groups
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .collect();
    let (leg, verdict) = worst(
        p.legs.iter().map(|leg| {
            let to = Endpoint {
                groups: &mt_ids,
                addresses: leg.mount_target_block(),
            };
            (leg, sg::outbound_nfs(&task_groups, &to, lookup))
        }),
        |(_, v)| v.rank(),
    )
    .ok_or_else(|| unknown(&Missing::new("no address family to check")))?;
    // Built only for the findings that print it (most paths pass).
    let target = || {
        format!(
            "mount target {mt} ({}, {})",
            leg.mount_target_label(),
            p.az_id
        )
    };
    let blame = task_ids.first().copied().unwrap_or(mt.as_str());
    if let SgVerdict::Allowed(grants) = &verdict {
        return Ok(cx
            .pass(&RULE)
            .volume(p.volume)
            .resource(blame)
            .message_with(|| {
                format!(
                    "Tasks in {} may open NFS{} to {}: {}.",
                    p.subnet.subnet_id,
                    leg.over(),
                    target(),
                    describe(grants)
                )
            }));
    }
    if let Err(m) = &mt_groups {
        return Err(unknown(&Missing::new(format!(
            "no outbound rule of {} opens TCP 2049 to {} by address, and {m}",
            task_ids.join(", "),
            leg.mount_target_label()
        ))));
    }
    let peer = match mt_ids.first() {
        Some(mt_sg) => format!("UserIdGroupPairs=[{{GroupId={mt_sg}}}]"),
        None if leg.is_ipv6() => {
            format!("Ipv6Ranges=[{{CidrIpv6={}}}]", leg.mount_target_cidr())
        }
        None => format!("IpRanges=[{{CidrIp={}}}]", leg.mount_target_cidr()),
    };
    let fix = format!(
        "aws ec2 authorize-security-group-egress --group-id {blame} --ip-permissions 'IpProtocol=tcp,FromPort=2049,ToPort=2049,{peer}'"
    );
    let denied = |others: String| {
        cx.broken(&RULE).volume(p.volume).resource(blame).message_with(|| format!(
            "The task's security groups ({}) allow no outbound TCP 2049{} to {}, which tasks in {} use; their mounts time out.{others}",
            task_ids.join(", "),
            leg.over(),
            target(),
            p.subnet.subnet_id
        )).fix(fix.clone())
    };
    Ok(match verdict {
        SgVerdict::Unknown(why) => unknown(&Missing::new(format!(
            "no outbound rule of {} opens TCP 2049 to {} by group or address, and {}",
            task_ids.join(", "),
            target(),
            why.join("; ")
        ))),
        SgVerdict::Denied { open_to_others } if !open_to_others.is_empty() => denied(format!(
            " Their NFS rules name other destinations: {}.",
            describe(&open_to_others)
        )),
        // Only a mount target whose address is not assigned yet is a range: its rules cover
        // some addresses of its subnet, and which one it gets is not known.
        SgVerdict::Partial { .. } => unknown(&Missing::new(format!(
            "the outbound rules of {} open TCP 2049 to only part of {}, and which address the mount target gets is not known yet",
            task_ids.join(", "),
            Cidr(&leg.mount_target_block())
        ))),
        _ => denied(String::new()),
    })
}
