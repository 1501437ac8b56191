//! NET007: a network ACL blocks NFS between the task subnet and the mount target's subnet.
//!
//! ACLs are stateless and apply where traffic leaves or enters a subnet, "not as it is routed
//! within a subnet" (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html>). When
//! the subnets differ, four flows must pass ([`NfsFlow`]): the request out of the task subnet and
//! into the mount-target subnet on TCP 2049, and the reply out of the one and into the other on
//! the client's ephemeral port (1024-65535 as AWS suggests,
//! <https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html>). Replies allowed
//! on 32768-60999, the ports Linux picks from by default, pass: the mount's client connection
//! comes from that range. One finding per flow that does not pass.

use super::nfs_path::{nfs_paths, Leg, NfsPath};
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::net::cidr;
use crate::net::nacl::{allow_command, AclVerdict, NfsFlow};

pub(crate) static RULE: Rule = Rule {
    id: "NET007",
    name: "nacl-blocks-nfs",
    severity: Severity::Error,
    summary: "A network ACL blocks TCP 2049 to the mount target or the replies to the task",
    doc: include_str!("../../rules/NET007.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    nfs_paths(cx, &RULE)
        .into_iter()
        .flat_map(|p| p.map_or_else(|f| vec![f], |p| judge(cx, &p)))
        .collect()
}

fn judge(cx: &Context<'_>, p: &NfsPath<'_>) -> Vec<Finding> {
    let (sid, mt_sid) = (&p.subnet.subnet_id, &p.mount_target.subnet_id);
    let mt = &super::mount_target_name(p.mount_target);
    if p.same_subnet() {
        return vec![cx.pass(&RULE).volume(p.volume).resource(sid).message_with(|| format!(
            "Tasks in {sid} and mount target {mt} share the subnet; network ACLs do not apply to traffic within a subnet."
        ))];
    }
    let unknown = |m: &Missing, at: &str| cx.unknown(&RULE, m).volume(p.volume).resource(at);
    let acls = cx.graph.subnet(mt_sid).and_then(|mt_subnet| {
        Ok((
            cx.graph.network_acl_of_subnet(p.subnet)?,
            cx.graph.network_acl_of_subnet(mt_subnet)?,
        ))
    });
    let (task_acl, mt_acl) = match acls {
        Ok(a) => a,
        Err(m) => return vec![unknown(&m, sid)],
    };
    let mut out = Vec::new();
    // Reply flows open on Linux's client ports only: they pass, and the message says so.
    let mut narrow = Vec::new();
    for leg in &p.legs {
        for flow in NfsFlow::ALL {
            let (acl, subnet) = if flow.in_task_subnet() {
                (task_acl, sid)
            } else {
                (mt_acl, mt_sid)
            };
            let id = acl.network_acl_id.as_str();
            let (evaluation, verdict) =
                match flow.check(&acl.entries, leg.task_range, leg.mount_target_block()) {
                    Ok(v) => v,
                    Err(bad) => {
                        out.push(unknown(
                            &Missing::new(format!("network ACL {id} has an unreadable {bad}")),
                            id,
                        ));
                        continue;
                    }
                };
            let what = describe(flow, p, leg);
            let ports = if flow.is_reply() {
                " on the client ports (1024-65535)"
            } else {
                ""
            };
            let finding = match verdict {
                AclVerdict::Allowed => continue,
                AclVerdict::Denied { blocking } => cx.broken(&RULE).message_with(|| format!(
                    "Network ACL {id} of {subnet} blocks {what}{ports} with {blocking}; the mount times out."
                )),
                AclVerdict::Partial { blocking, addresses, ports: refused } if addresses == [evaluation.peer] => cx.warn(&RULE).message_with(|| format!(
                    "Network ACL {id} of {subnet} blocks {what} on ports {refused} with {blocking}; mounts whose connection uses one of those ports time out."
                )),
                AclVerdict::Partial { blocking, addresses, .. } => cx.warn(&RULE).message_with(|| format!(
                    "Network ACL {id} of {subnet} blocks {what}{ports} for {} with {blocking}; tasks that get an address there time out.",
                    cidr::join(&addresses)
                )),
                AclVerdict::Narrow { blocking, ports: refused } => {
                    narrow.push(format!("{id} lets {what} through on the Linux client ports 32768-60999 ({blocking} refuses {refused})"));
                    continue;
                }
            };
            let fix = allow_command(id, &acl.entries, &evaluation).unwrap_or_else(|| {
                format!("Renumber the rules of {id} so that an allow rule for {what} comes before the rule that blocks it.")
            });
            out.push(finding.volume(p.volume).resource(id).fix(fix));
        }
    }
    if out.is_empty() {
        let message = if narrow.is_empty() {
            format!(
                "Network ACLs {} ({sid}) and {} ({mt_sid}) let NFS through to mount target {mt} and the replies back on 1024-65535.",
                task_acl.network_acl_id, mt_acl.network_acl_id
            )
        } else {
            format!(
                "Network ACLs {} ({sid}) and {} ({mt_sid}) let NFS through to mount target {mt}, and the replies back on the ports Linux clients pick from (32768-60999): {}.",
                task_acl.network_acl_id,
                mt_acl.network_acl_id,
                narrow.join("; ")
            )
        };
        out.push(
            cx.pass(&RULE)
                .volume(p.volume)
                .resource(sid)
                .message(message),
        );
    }
    out
}

/// The flow in words, for messages.
fn describe(flow: NfsFlow, p: &NfsPath<'_>, leg: &Leg) -> String {
    let mt = format!(
        "mount target {} ({})",
        super::mount_target_name(p.mount_target),
        leg.mount_target_label()
    );
    let tasks = format!("tasks in {} ({})", p.subnet.subnet_id, leg.task_cidr());
    let over = leg.over();
    match flow {
        NfsFlow::RequestOut => format!("outbound TCP 2049{over} to {mt}"),
        NfsFlow::RequestIn => format!("inbound TCP 2049{over} from {tasks}"),
        NfsFlow::ReplyOut => format!("outbound replies{over} to {tasks}"),
        NfsFlow::ReplyIn => format!("inbound replies{over} from {mt}"),
    }
}
