//! DNS005: a private hosted zone the user associated with the task VPC wins for the file
//! system's DNS name and has no record for it (precedence in [`super::dns_resolution`]).

use super::dns_resolution::{self, Answer};
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "DNS005",
    name: "private-zone-shadows-efs-name",
    severity: Severity::Error,
    summary: "A private hosted zone of the task VPC answers the file system's name without a record for it",
    doc: include_str!("../../rules/DNS005.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let vpc_id = match cx.task_vpc_id() {
        Ok(v) => v,
        Err(m) => {
            return volumes
                .iter()
                .map(|v| cx.unknown(&RULE, &m).volume(v.name))
                .collect()
        }
    };
    let region = cx.graph.snapshot().region.as_deref().unwrap_or("REGION");
    volumes
        .iter()
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            let (name, efs_domain) = dns_resolution::file_system_name(cx, fs_id);
            match dns_resolution::answer(cx, vpc_id, &name, &efs_domain) {
                Err(m) | Ok(Answer::Undecided(m)) => {
                    cx.unknown(&RULE, &m).volume(v.name).resource(vpc_id)
                }
                Ok(Answer::UserZone { zone, domain }) => {
                    let zid = zone.short_id();
                    match dns_resolution::zone_answers(zone, &name) {
                        None => cx
                            .unknown(
                                &RULE,
                                &Missing::new(format!(
                                    "private hosted zone {zid} (`{}`) answers {name}, and its records were not collected",
                                    dns_resolution::display(&domain)
                                )),
                            )
                            .volume(v.name)
                            .resource(zid),
                        Some(true) => cx
                            .pass(&RULE)
                            .volume(v.name)
                            .resource(zid)
                            .message_with(|| format!(
                                "Private hosted zone {zid} (`{}`) answers {name} with a record of its own; it must hold the address of the mount target the tasks use.",
                                dns_resolution::display(&domain)
                            )),
                        Some(false) => cx
                            .broken(&RULE)
                            .volume(v.name)
                            .resource(zid)
                            .message_with(|| format!(
                                "Private hosted zone {zid} (`{}`) is associated with {vpc_id} and is the most specific match for {name} but has no record for it, so the VPC resolver answers NXDOMAIN: the mount fails with 'Failed to resolve'.",
                                dns_resolution::display(&domain)
                            ))
                            .fix(format!(
                                "aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id {zid} --vpc VPCRegion={region},VPCId={vpc_id} (for a cross-VPC mount, use one zone per file-system name instead, named like {name})"
                            )),
                    }
                }
                Ok(Answer::Forwarded { rule, .. }) => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(vpc_id)
                    .message_with(|| format!(
                        "No private hosted zone answers {name}: Resolver rule {} forwards it (DNS004 reports it).",
                        rule.id
                    )),
                Ok(Answer::Efs(why)) => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(vpc_id)
                    .message_with(|| format!("No private hosted zone of yours shadows {name}: {why}.")),
            }
        })
        .collect()
}
