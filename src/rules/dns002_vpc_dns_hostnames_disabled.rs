//! DNS002: the task VPC has `enableDnsHostnames` off; EFS requires both DNS attributes.
//!
//! "The VPC of the connecting EC2 instance must have both DNS Resolution and DNS Hostnames
//! enabled" (<https://docs.aws.amazon.com/efs/latest/ug/mounting-fs-mount-cmd-dns-name.html>).

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::snapshot::VpcAttributes;

pub(crate) static RULE: Rule = Rule {
    id: "DNS002",
    name: "vpc-dns-hostnames-disabled",
    severity: Severity::Error,
    summary: "The task VPC has DNS hostnames (enableDnsHostnames) disabled",
    doc: include_str!("../../rules/DNS002.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    check_attribute(
        cx,
        &RULE,
        "enableDnsHostnames",
        "--enable-dns-hostnames",
        |a| a.enable_dns_hostnames.and_then(|b| b.value),
    )
}

/// Shared by DNS001 and DNS002: one boolean VPC attribute that must be true.
pub(crate) fn check_attribute(
    cx: &Context<'_>,
    rule: &'static Rule,
    attribute: &str,
    flag: &str,
    read: fn(&VpcAttributes) -> Option<bool>,
) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(rule) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    if volumes.is_empty() {
        return Vec::new();
    }
    let vpc_id = match cx.task_vpc_id() {
        Ok(id) => id,
        Err(m) => return vec![cx.unknown(rule, &m)],
    };
    let value = match cx.graph.vpc_attributes(vpc_id) {
        Ok(a) => read(a),
        Err(m) => return vec![cx.unknown(rule, &m).resource(vpc_id)],
    };
    match value {
        Some(true) => vec![cx
            .pass(rule)
            .resource(vpc_id)
            .message(format!("VPC {vpc_id} has {attribute} enabled."))],
        Some(false) => vec![cx
            .broken(rule)
            .resource(vpc_id)
            .message(format!(
                "VPC {vpc_id} has {attribute} disabled; EFS file-system DNS names do not resolve, and tasks fail with 'Failed to resolve'."
            ))
            .fix(format!(
                "aws ec2 modify-vpc-attribute --vpc-id {vpc_id} {flag} '{{\"Value\":true}}'"
            ))],
        None => vec![cx
            .unknown(rule, &Missing::new(format!("{attribute} of {vpc_id} is not in ec2.VpcAttributes")))
            .resource(vpc_id)],
    }
}
