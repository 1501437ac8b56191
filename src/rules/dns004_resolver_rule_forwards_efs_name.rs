//! DNS004: a Route 53 Resolver FORWARD rule of the task VPC takes the file system's DNS name
//! away from the VPC resolver (precedence in [`super::dns_resolution`]).

use super::dns_resolution::{self, Answer};
use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "DNS004",
    name: "resolver-rule-forwards-efs-name",
    severity: Severity::Error,
    summary: "A Resolver forwarding rule of the task VPC sends the file system's name to other DNS servers",
    doc: include_str!("../../rules/DNS004.md"),
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
    volumes
        .iter()
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            let (name, efs_domain) = dns_resolution::file_system_name(cx, fs_id);
            match dns_resolution::answer(cx, vpc_id, &name, &efs_domain) {
                Err(m) | Ok(Answer::Undecided(m)) => {
                    cx.unknown(&RULE, &m).volume(v.name).resource(vpc_id)
                }
                Ok(Answer::Forwarded { rule, domain }) => {
                    let targets: Vec<String> = rule
                        .target_ips
                        .iter()
                        .filter_map(|t| t.ip.clone().or_else(|| t.ipv6.clone()))
                        .collect();
                    // A SYSTEM rule can only take back a name below the forwarded domain; for
                    // the same domain the association itself has to go.
                    let fix = if domain.split('.').count() < efs_domain.split('.').count() {
                        format!(
                            "aws route53resolver create-resolver-rule --rule-type SYSTEM --domain-name {efs_domain} --name efs-local --creator-request-id efs-local-{vpc_id}, then aws route53resolver associate-resolver-rule --resolver-rule-id <the new rule's id> --vpc-id {vpc_id}"
                        )
                    } else {
                        format!(
                            "aws route53resolver disassociate-resolver-rule --resolver-rule-id {} --vpc-id {vpc_id}",
                            rule.id
                        )
                    };
                    cx.broken(&RULE)
                        .volume(v.name)
                        .resource(rule.id.clone())
                        .message_with(|| format!(
                            "Resolver FORWARD rule {} for `{}` is associated with {vpc_id} and is the most specific match for {name}, so the VPC resolver sends the query to {} instead of answering it with the mount target's address: the mount fails with 'Failed to resolve'.",
                            rule.id,
                            dns_resolution::display(&domain),
                            if targets.is_empty() {
                                "the rule's target servers".to_owned()
                            } else {
                                targets.join(", ")
                            }
                        ))
                        .fix(fix)
                }
                Ok(Answer::UserZone { zone, .. }) => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(vpc_id)
                    .message_with(|| format!(
                        "No Resolver FORWARD rule takes {name}: private hosted zone {} answers it (DNS005 checks the zone).",
                        zone.short_id()
                    )),
                Ok(Answer::Efs(why)) => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(vpc_id)
                    .message_with(|| format!("No Resolver FORWARD rule takes {name}: {why}.")),
            }
        })
        .collect()
}
