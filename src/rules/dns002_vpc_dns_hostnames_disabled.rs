//! DNS002: the task VPC has `enableDnsHostnames` off; EFS requires both DNS attributes.
//!
//! "The VPC of the connecting EC2 instance must have both DNS Resolution and DNS Hostnames
//! enabled" (<https://docs.aws.amazon.com/efs/latest/ug/mounting-fs-mount-cmd-dns-name.html>).

use super::vpc_dns::check_attribute;
use super::{Context, Finding, Rule, Severity, Status};

pub(crate) static RULE: Rule = Rule {
    id: "DNS002",
    name: "vpc-dns-hostnames-disabled",
    severity: Severity::Error,
    summary: "The task VPC has DNS hostnames (enableDnsHostnames) disabled",
    doc: include_str!("../../rules/DNS002.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut findings = check_attribute(
        cx,
        &RULE,
        "enableDnsHostnames",
        "--enable-dns-hostnames",
        "EFS requires it, with enableDnsSupport, for file-system DNS names to resolve, so tasks can fail with 'Failed to resolve'",
        |a| a.enable_dns_hostnames.and_then(|b| b.value),
    );
    // "You can only enable DNS hostnames if you've enabled DNS support."
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpc.html)
    let support_off = cx.task_vpc_id().ok().is_some_and(|vpc| {
        cx.graph
            .vpc_attributes(vpc)
            .ok()
            .and_then(|a| a.enable_dns_support)
            .and_then(|b| b.value)
            == Some(false)
    });
    if support_off {
        for f in findings.iter_mut().filter(|f| f.status == Status::Fail) {
            if let Some(vpc) = f.resource.as_deref() {
                f.fix = Some(format!(
                    "Enable DNS support first (aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dns-support '{{\"Value\":true}}'), then DNS hostnames: aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dns-hostnames '{{\"Value\":true}}'"
                ));
            }
        }
    }
    findings
}
