//! DNS003: the VPC's DHCP options send DNS queries to servers other than the Amazon resolver.
//!
//! EFS file-system names are answered only by the Amazon-provided resolver inside the VPC
//! (<https://docs.aws.amazon.com/efs/latest/ug/troubleshooting-efs-mounting.html>). The resolver
//! is reachable as `AmazonProvidedDNS`, the VPC's primary CIDR base + 2, `169.254.169.253` or
//! `fd00:ec2::253` (<https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html>).
//! A client asks the first listed server and does not retry the next one on a "no such name"
//! answer, so a custom server listed before the Amazon resolver is flagged too. A VPC with no
//! DHCP option set gets `169.254.169.253` on Nitro-based hosts; AWS documents no such fallback
//! for an option set that lists no `domain-name-servers`
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html>).

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
    s.eq_ignore_ascii_case("AmazonProvidedDNS")
        || s == "169.254.169.253"
        || s.eq_ignore_ascii_case("fd00:ec2::253")
        || s.parse::<Ipv4Addr>()
            .ok()
            .is_some_and(|ip| vpc_resolver(vpc) == Some(ip))
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
                &Missing::new(format!(
                    "VPC {vpc_id} has no DhcpOptionsId in the collected state"
                )),
            )
            .resource(vpc_id)];
    };
    if dopt_id == "default" {
        // "If your VPC has no DHCP option set configured: For EC2 instances built on the Nitro
        // System, AWS will configure 169.254.169.253 as the default domain name server."
        // (https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html)
        return vec![cx.pass(&RULE).resource(vpc_id).message_with(|| format!(
            "VPC {vpc_id} has no DHCP option set (DhcpOptionsId default); AWS documents that Nitro-based hosts then use the Amazon DNS server 169.254.169.253."
        ))];
    }
    let dopt = match cx.graph.dhcp_options(dopt_id) {
        Ok(d) => d,
        Err(m) => return vec![cx.unknown(&RULE, &m).resource(dopt_id)],
    };
    let values = |key: &str| -> Vec<&str> {
        dopt.dhcp_configurations
            .iter()
            .filter(|c| c.key.eq_ignore_ascii_case(key))
            .flat_map(|c| c.values.iter().filter_map(|v| v.value.as_deref()))
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    };
    let servers = values("domain-name-servers");
    let region = cx.graph.snapshot().region.as_deref().unwrap_or("REGION");
    let resolver =
        vpc_resolver(vpc).map_or_else(|| "169.254.169.253".to_owned(), |ip| ip.to_string());
    // Keep the option set's domain name when the shorthand syntax can carry it.
    let domain = values("domain-name")
        .first()
        .filter(|d| !d.contains([' ', ',', '\'']))
        .map(|d| format!(" 'Key=domain-name,Values={d}'"))
        .unwrap_or_default();
    let associate = format!(
        "Associate {vpc_id} with a DHCP option set whose DNS server is AmazonProvidedDNS (aws ec2 create-dhcp-options --dhcp-configurations 'Key=domain-name-servers,Values=AmazonProvidedDNS'{domain}, then aws ec2 associate-dhcp-options --dhcp-options-id <new set> --vpc-id {vpc_id})"
    );
    match servers.first() {
        None => vec![cx
            .broken(&RULE)
            .resource(dopt_id)
            .message_with(|| format!(
                "DHCP option set {dopt_id} of {vpc_id} lists no domain-name-servers; AWS documents the Amazon DNS server as the fallback only for a VPC with no DHCP option set at all, so tasks may get no DNS server and fail with 'Failed to resolve'."
            ))
            .fix(format!("{associate}."))],
        Some(first) if is_amazon_resolver(first, vpc) => vec![cx.pass(&RULE).resource(dopt_id).message_with(|| format!(
            "DHCP option set {dopt_id} of {vpc_id} lists the Amazon DNS server ({first}) first."
        ))],
        Some(first) => {
            let later = servers.iter().any(|s| is_amazon_resolver(s, vpc));
            vec![cx
                .broken(&RULE)
                .resource(dopt_id)
                .message_with(|| format!(
                    "DHCP option set {dopt_id} of {vpc_id} sends DNS queries to {}{}; EFS file-system names resolve only through the Amazon DNS server of the VPC, so mounts fail with 'Failed to resolve' unless {first} forwards them to it.",
                    servers.join(", "),
                    if later {
                        " (the Amazon DNS server is listed, but not first: clients ask the first server and take its 'no such name' answer)"
                    } else {
                        ""
                    }
                ))
                .fix(if in_vpc(first, vpc) {
                    format!(
                        "{associate}, or make {first} forward efs.{region}.amazonaws.com to the VPC resolver {resolver}."
                    )
                } else {
                    // "Forwarding private DNS queries to any VPC CIDR + 2 address from
                    // on-premises or other VPC DNS servers is not supported [...] we recommend
                    // that you use a Resolver inbound endpoint."
                    // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-DSN-queries-to-vpc.html)
                    format!(
                        "{associate}, or create a Route 53 Resolver inbound endpoint in {vpc_id} (aws route53resolver create-resolver-endpoint --name efs-dns --direction INBOUND --creator-request-id efs-dns-{vpc_id} --security-group-ids <a group of {vpc_id} that allows TCP and UDP 53 from {first}> --ip-addresses SubnetId=<subnet of {vpc_id}> SubnetId=<subnet in another AZ>) and make {first} forward efs.{region}.amazonaws.com to its two addresses; Route 53 does not support forwarding to the VPC resolver {resolver} from a DNS server outside the VPC."
                    )
                })]
        }
    }
}

/// Whether a `domain-name-servers` value is an IPv4 address inside one of the VPC's IPv4 CIDR
/// blocks (a DNS server of the VPC itself, which may use the VPC resolver).
fn in_vpc(server: &str, vpc: &Vpc) -> bool {
    let Ok(ip) = server.trim().parse::<Ipv4Addr>() else {
        return false;
    };
    vpc.cidr_block
        .iter()
        .chain(
            vpc.cidr_block_association_set
                .iter()
                .filter_map(|a| a.cidr_block.as_ref()),
        )
        .filter_map(|c| c.parse::<ipnet::Ipv4Net>().ok())
        .any(|net| net.contains(&ip))
}

/// The VPC resolver's address: the primary IPv4 CIDR's base plus two.
fn vpc_resolver(vpc: &Vpc) -> Option<Ipv4Addr> {
    let net = vpc.cidr_block.as_deref()?.parse::<ipnet::Ipv4Net>().ok()?;
    u32::from(net.network()).checked_add(2).map(Ipv4Addr::from)
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
        assert_eq!(vpc_resolver(&vpc), Some(Ipv4Addr::new(10, 1, 0, 2)));
    }
}
