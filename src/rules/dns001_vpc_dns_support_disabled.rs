//! DNS001: the task VPC has `enableDnsSupport` off, so the file-system DNS name never resolves.

use super::vpc_dns::check_attribute;
use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "DNS001",
    name: "vpc-dns-support-disabled",
    severity: Severity::Error,
    summary: "The task VPC has DNS resolution (enableDnsSupport) disabled",
    doc: include_str!("../../rules/DNS001.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    check_attribute(
        cx,
        &RULE,
        "enableDnsSupport",
        "--enable-dns-support",
        "the Amazon DNS server does not answer in this VPC, so EFS file-system DNS names do not resolve and tasks fail with 'Failed to resolve'",
        |a| a.enable_dns_support.and_then(|b| b.value),
    )
}
