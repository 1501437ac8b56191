//! NET008: traffic between the task and the mount target does not take the VPC's `local` route.
//!
//! A route more specific than the local route (or a local route whose target was replaced) can
//! send traffic between subnets through a firewall or another appliance
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/intra-vpc-route.html>); the appliance must
//! then pass TCP 2049 and see the replies too. Both directions are checked: the task subnet's
//! table towards the mount target, the mount target subnet's table back to the task subnet.
//! A blackhole route drops the traffic outright; it is reported here with that message. Traffic
//! within one subnet is not routed. The evaluation is [`crate::net::route::route_to`].

use super::nfs_path::{nfs_paths, prefix_list_lookup, NfsPath};
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::net::cidr;
use crate::net::route::{route_to, RouteDestination, RouteVerdict};
use crate::net::PrefixListLookup;

pub(crate) static RULE: Rule = Rule {
    id: "NET008",
    name: "route-via-middlebox",
    severity: Severity::Warning,
    summary: "Traffic between the task and the mount target is routed through an appliance, not the local route",
    doc: include_str!("../../rules/NET008.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let lookup = prefix_list_lookup(cx);
    nfs_paths(cx, &RULE)
        .into_iter()
        .flat_map(|p| p.map_or_else(|f| vec![f], |p| judge(cx, &p, &lookup)))
        .collect()
}

fn judge(cx: &Context<'_>, p: &NfsPath<'_>, lookup: &PrefixListLookup<'_>) -> Vec<Finding> {
    let (sid, mt_sid) = (&p.subnet.subnet_id, &p.mount_target.subnet_id);
    let mt = &super::mount_target_name(p.mount_target);
    if p.same_subnet() {
        return vec![cx.pass(&RULE).volume(p.volume).resource(sid).message_with(|| format!(
            "Tasks in {sid} and mount target {mt} share the subnet; traffic between them is not routed."
        ))];
    }
    let unknown = |m: &Missing, at: &str| cx.unknown(&RULE, m).volume(p.volume).resource(at);
    let tables = cx.graph.subnet(mt_sid).and_then(|mt_subnet| {
        Ok((
            cx.graph.route_table_of_subnet(p.subnet)?,
            cx.graph.route_table_of_subnet(mt_subnet)?,
        ))
    });
    let (task_rt, mt_rt) = match tables {
        Ok(t) => t,
        Err(m) => return vec![unknown(&m, sid)],
    };
    let vpc_cidrs: Vec<ipnet::IpNet> = cx
        .graph
        .vpc(&p.subnet.vpc_id)
        .map(|v| {
            v.cidr_block
                .iter()
                .chain(
                    v.cidr_block_association_set
                        .iter()
                        .filter_map(|a| a.cidr_block.as_ref()),
                )
                .chain(
                    v.ipv6_cidr_block_association_set
                        .iter()
                        .filter_map(|a| a.ipv6_cidr_block.as_ref()),
                )
                .filter_map(|c| cidr::parse_net(c).ok())
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for leg in &p.legs {
        let there = (
            task_rt,
            sid,
            leg.mount_target_block(),
            format!(
                "traffic to mount target {mt} ({})",
                leg.mount_target_label()
            ),
        );
        let back = (
            mt_rt,
            mt_sid,
            leg.task_range,
            format!("replies to tasks in {sid} ({})", leg.task_cidr()),
        );
        for (table, subnet, destination, what) in [there, back] {
            let rtb = table.route_table_id.as_str();
            let head = format!("Route table {rtb} of {subnet} sends {what}");
            let finding = match route_to(table, destination, lookup) {
                RouteVerdict::Local(_) => continue,
                RouteVerdict::Middlebox(r) => {
                    // The local route itself may have had its target replaced (same destination as
                    // a VPC CIDR); it cannot be deleted, only pointed back at `local`.
                    // https://docs.aws.amazon.com/vpc/latest/userguide/replace-local-route-target.html
                    let replaced_local = matches!(&r.destination, RouteDestination::Cidr(d) if vpc_cidrs.contains(d));
                    let undo = if replaced_local {
                        format!("point the local route back at local: aws ec2 replace-route --route-table-id {rtb} {} --local-target", r.destination.cli_args())
                    } else {
                        format!("remove the route: aws ec2 delete-route --route-table-id {rtb} {}", r.destination.cli_args())
                    };
                    cx.broken(&RULE).message_with(|| format!(
                        "{head} to {} (route {}), not the local route; the appliance must pass TCP 2049 both ways or the mount times out.",
                        r.target_or_unknown(), r.destination
                    )).fix(format!(
                        "Allow TCP 2049 both ways on the appliance behind {} and route the replies through it too, or {undo}",
                        r.target_or_unknown()
                    ))
                }
                // A blackhole drops the traffic: the mount fails, whatever the rule's severity.
                RouteVerdict::Blackhole(r) => cx.fail(&RULE).message_with(|| format!(
                    "{head} into blackhole route {} (target {} no longer exists): the traffic is dropped and the mount times out.",
                    r.destination, r.target_or_unknown()
                )).fix(format!("aws ec2 delete-route --route-table-id {rtb} {}", r.destination.cli_args())),
                RouteVerdict::NoRoute => unknown(&Missing::new(format!("route table {rtb} has no route for {}, not even the local route", cidr::Cidr(&destination))), rtb),
                RouteVerdict::Unknown(why) => unknown(&Missing::new(format!("the route of {rtb} for {} cannot be chosen: {}", cidr::Cidr(&destination), why.join("; "))), rtb),
            };
            out.push(finding.volume(p.volume).resource(rtb));
        }
    }
    if out.is_empty() {
        let tables = if task_rt.route_table_id == mt_rt.route_table_id {
            task_rt.route_table_id.clone()
        } else {
            format!("{} and {}", task_rt.route_table_id, mt_rt.route_table_id)
        };
        out.push(cx.pass(&RULE).volume(p.volume).resource(sid).message_with(|| format!(
            "Traffic between {sid} and mount target {mt} in {mt_sid} takes the local route both ways ({tables})."
        )));
    }
    out
}
