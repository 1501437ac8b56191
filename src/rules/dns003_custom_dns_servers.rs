//! DNS003: the VPC's DHCP options send DNS queries to servers other than the Amazon resolver.
//!
//! EFS file-system names are answered only by the Amazon-provided resolver inside the VPC
//! (<https://docs.aws.amazon.com/efs/latest/ug/troubleshooting-efs-mounting.html>). The resolver
//! is reachable as `AmazonProvidedDNS`, the VPC's primary CIDR base + 2, 169.254.169.253 or
//! fd00:ec2::253 (<https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html>).
//! A client asks the first listed server and does not retry the next one on NXDOMAIN, so a custom
//! server listed before the Amazon resolver is flagged too.

use std::net::Ipv4Addr;

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::snapshot::Vpc;

pub(crate) static RULE: Rule = Rule {
    id: "DNS003",
    name: "custom-dns-servers",
    severity: Severity::Warning,
    summary: "The VPC's DHCP options use DNS servers other than AmazonProvidedDNS",
    doc: include_str!("../../rules/DNS003.md"),
    check,
};

/// Whether a `domain-name-servers` value is the Amazon resolver of this VPC.
fn is_amazon_resolver(server: &str, vpc: &Vpc) -> bool {
    let s = server.trim();
    if s.eq_ignore_ascii_case("AmazonProvidedDNS")
        || s == "169.254.169.253"
        || s.eq_ignore_ascii_case("fd00:ec2::253")
    {
        return true;
    }
    let Ok(ip) = s.parse::<Ipv4Addr>() else {
        return false;
    };
    vpc.cidr_block
        .as_deref()
        .and_then(|c| c.parse::<ipnet::Ipv4Net>().ok())
        .is_some_and(|net| u32::from(net.network()).checked_add(2) == Some(u32::from(ip)))
}

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    if volumes.is_empty() {
        return Vec::new();
    }
    let vpc = match cx.task_vpc_id().and_then(|id| cx.graph.vpc(id)) {
        Ok(v) => v,
        Err(m) => return vec![cx.unknown(&RULE, &m)],
    };
    let vpc_id = vpc.vpc_id.as_str();
    let Some(dopt_id) = vpc.dhcp_options_id.as_deref() else {
        return vec![cx
            .unknown(
                &RULE,
                &Missing::new(format!("VPC {vpc_id} has no DhcpOptionsId in the snapshot")),
            )
            .resource(vpc_id)];
    };
    if dopt_id == "default" {
        return vec![cx.pass(&RULE).resource(vpc_id).message(format!(
            "VPC {vpc_id} has no DHCP option set, so it uses AmazonProvidedDNS."
        ))];
    }
    let dopt = match cx.graph.dhcp_options(dopt_id) {
        Ok(d) => d,
        Err(m) => return vec![cx.unknown(&RULE, &m).resource(dopt_id)],
    };
    let servers: Vec<&str> = dopt
        .dhcp_configurations
        .iter()
        .filter(|c| c.key == "domain-name-servers")
        .flat_map(|c| c.values.iter().filter_map(|v| v.value.as_deref()))
        .collect();
    let fix = format!(
        "aws ec2 create-dhcp-options --dhcp-configurations 'Key=domain-name-servers,Values=AmazonProvidedDNS'  (then: aws ec2 associate-dhcp-options --vpc-id {vpc_id} --dhcp-options-id <new dopt id>), or forward efs.{}.amazonaws.com from your DNS servers to the VPC resolver",
        cx.graph.snapshot().region.as_deref().unwrap_or("REGION")
    );
    match servers.first() {
        None => vec![cx
            .broken(&RULE)
            .resource(dopt_id)
            .message(format!(
                "DHCP option set {dopt_id} of {vpc_id} has no domain-name-servers, so tasks get no Amazon-provided DNS server and EFS names may not resolve."
            ))
            .fix(fix)],
        Some(first) if is_amazon_resolver(first, vpc) => vec![cx.pass(&RULE).resource(dopt_id).message(format!(
            "DHCP option set {dopt_id} of {vpc_id} lists the Amazon resolver ({first}) first."
        ))],
        Some(first) => {
            let later = servers.iter().any(|s| is_amazon_resolver(s, vpc));
            vec![cx
                .broken(&RULE)
                .resource(dopt_id)
                .message(format!(
                    "DHCP option set {dopt_id} of {vpc_id} sends DNS queries to {}{}; EFS names resolve only through the Amazon resolver, so mounts fail with 'Failed to resolve' unless {first} forwards efs.*.amazonaws.com to it.",
                    servers.join(", "),
                    if later { " (the Amazon resolver is listed, but not first)" } else { "" }
                ))
                .fix(fix)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amazon_resolver_addresses() {
        let vpc = Vpc {
            vpc_id: "vpc-1".into(),
            cidr_block: Some("10.1.0.0/16".into()),
            ..Default::default()
        };
        assert!(is_amazon_resolver("AmazonProvidedDNS", &vpc));
        assert!(is_amazon_resolver("10.1.0.2", &vpc));
        assert!(is_amazon_resolver("169.254.169.253", &vpc));
        assert!(!is_amazon_resolver("10.1.0.3", &vpc));
        assert!(!is_amazon_resolver("8.8.8.8", &vpc));
    }
}
