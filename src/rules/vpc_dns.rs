//! The DNS attributes of the task VPC, shared by DNS001 and DNS002: one boolean attribute
//! (`enableDnsSupport`, `enableDnsHostnames`) that must be true for file-system DNS names to
//! resolve.
//!
//! Depends on the rule context and the snapshot model; no rule module.

use super::{Context, Finding, Rule};
use crate::graph::Missing;
use crate::snapshot::VpcAttributes;

/// The findings of one boolean VPC attribute that must be true.
pub(crate) fn check_attribute(
    cx: &Context<'_>,
    rule: &'static Rule,
    attribute: &str,
    flag: &str,
    consequence: &str,
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
            .message_with(|| format!("VPC {vpc_id} has {attribute} enabled."))],
        Some(false) => vec![cx
            .broken(rule)
            .resource(vpc_id)
            .message_with(|| format!("VPC {vpc_id} has {attribute} disabled; {consequence}."))
            .fix(format!(
                "aws ec2 modify-vpc-attribute --vpc-id {vpc_id} {flag} '{{\"Value\":true}}'"
            ))],
        None => vec![cx
            .unknown(
                rule,
                &Missing::new(format!(
                    "{attribute} of {vpc_id} is not in ec2.VpcAttributes"
                )),
            )
            .resource(vpc_id)],
    }
}
