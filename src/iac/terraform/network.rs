//! EC2 network resources of a plan: VPCs, subnets, security groups and their rules, network
//! ACLs, route tables and routes.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{Convert, Plan, Res};
use crate::iac::common::{self, Peers};
use crate::iac::overlay::{Builder, SgRule};
use crate::iac::shared::network::{self as net, NewSubnet, NewVpc};
use crate::iac::shared::Targets;
use crate::iac::value::{Got, Val};
use crate::iac::IacError;
use crate::snapshot::{IpPermission, NetworkAclEntry, Route, SecurityGroup};

/// The network resource types a plan may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("aws_vpc", vpc),
    ("aws_subnet", subnet),
    ("aws_security_group", security_group),
    ("aws_security_group_rule", security_group_rule),
    (
        "aws_vpc_security_group_ingress_rule",
        vpc_security_group_rule,
    ),
    (
        "aws_vpc_security_group_egress_rule",
        vpc_security_group_rule,
    ),
    ("aws_network_acl", network_acl),
    ("aws_network_acl_rule", network_acl_rule),
    ("aws_network_acl_association", network_acl_association),
    ("aws_route_table", route_table),
    ("aws_route", route),
    ("aws_route_table_association", route_table_association),
];

fn vpc(plan: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let dopt = if matches!(v.field("dhcp_options_id"), Val::Unknown(_)) {
        b.id(Got::Unknown(String::new()), "dhcp_options_id", addr)
    } else {
        v.field("dhcp_options_id").str().known()
    };
    net::vpc(
        b,
        NewVpc {
            id: &r.s.id,
            address: addr,
            cidr: v.field("cidr_block").str().known(),
            dhcp_options_id: dopt,
            owner: plan.owner(),
            dns_support: v.field("enable_dns_support").bool(),
            dns_hostnames: v.field("enable_dns_hostnames").bool(),
            dns_attributes: "enable_dns_support / enable_dns_hostnames",
            // A VPC the plan creates (its id is unknown) comes with its defaults.
            defaults: matches!(v.field("id"), Val::Unknown(_)).then(|| {
                [
                    format!("{addr}.default_security_group_id"),
                    format!("{addr}.default_network_acl_id"),
                    format!("{addr}.main_route_table_id"),
                ]
            }),
        },
    );
    Ok(())
}

fn subnet(plan: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let vpc = b
        .id(v.field("vpc_id").str(), "vpc_id", addr)
        .unwrap_or_default();
    let az = v.field("availability_zone").str().known();
    let az_id = match v.field("availability_zone_id").str() {
        Got::Known(id) => Some(id),
        _ => az.as_ref().and_then(|n| plan.az_ids.get(n).cloned()),
    };
    let az_id = az_id.ok_or_else(|| {
        az.as_ref()
            .map(|n| format!("{n} has no subnet in the base state to map it to an AZ id"))
            .unwrap_or_default()
    });
    net::subnet(
        b,
        NewSubnet {
            id: &r.s.id,
            address: addr,
            vpc,
            az,
            az_id,
            az_id_attr: "availability_zone_id",
            cidr: v.field("cidr_block").str(),
            cidr_attr: "cidr_block",
            ipv6_cidr: v
                .field("ipv6_cidr_block")
                .str()
                .known()
                .filter(|c| !c.is_empty()),
            dns64: v.field("enable_dns64").bool().known(),
            assign_ipv6: v.field("assign_ipv6_address_on_creation").bool().known(),
            ipv6_native: v.field("ipv6_native").bool().known(),
            owner: plan.owner(),
        },
    );
    Ok(())
}

fn security_group(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let sg = SecurityGroup {
        group_id: r.s.id.clone(),
        group_name: v.field("name").str().known(),
        vpc_id: b.id(v.field("vpc_id").str(), "vpc_id", addr),
        owner_id: plan.owner(),
        ..SecurityGroup::default()
    };
    let blocks = [
        ("ingress", false, v.field("ingress").items()),
        ("egress", true, v.field("egress").items()),
    ];
    net::security_group(b, sg, addr, blocks, false, |rule, _| {
        sg_block(rule, &r.s.id)
    });
    Ok(())
}

fn security_group_rule(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let Some(group) = b.id(
        v.field("security_group_id").str(),
        "security_group_id",
        addr,
    ) else {
        return Ok(());
    };
    let egress = v.field("type").str().known().as_deref() == Some("egress");
    let mut peers = Peers::default();
    let mut unknown = None;
    collect_strs(v, "cidr_blocks", &mut peers.cidrs, &mut unknown);
    collect_strs(v, "ipv6_cidr_blocks", &mut peers.cidrs_v6, &mut unknown);
    collect_strs(v, "prefix_list_ids", &mut peers.prefix_lists, &mut unknown);
    match v.field("source_security_group_id").str() {
        Got::Known(g) if !g.is_empty() => peers.groups.push(g),
        Got::Unknown(c) => {
            unknown = Some(("source_security_group_id".to_owned(), c));
        }
        _ => {}
    }
    if v.field("self").bool().known() == Some(true) {
        peers.groups.push(group.clone());
    }
    if let Some((attr, cause)) = unknown {
        // The group's rules are incomplete: its verdicts would be guesses.
        b.omit(&group, &attr, addr, &cause);
        return Ok(());
    }
    b.overlay.sg_rules.push(SgRule {
        group_id: group,
        egress,
        permission: permission(v, "protocol", peers),
    });
    Ok(())
}

fn vpc_security_group_rule(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let Some(group) = b.id(
        v.field("security_group_id").str(),
        "security_group_id",
        addr,
    ) else {
        return Ok(());
    };
    let mut peers = Peers::default();
    let mut unknown = None;
    for (key, into) in [
        ("cidr_ipv4", &mut peers.cidrs),
        ("cidr_ipv6", &mut peers.cidrs_v6),
        ("prefix_list_id", &mut peers.prefix_lists),
        ("referenced_security_group_id", &mut peers.groups),
    ] {
        match v.field(key).str() {
            Got::Known(x) if !x.is_empty() => into.push(x),
            Got::Unknown(c) => unknown = Some((key.to_owned(), c)),
            _ => {}
        }
    }
    if let Some((attr, cause)) = unknown {
        b.omit(&group, &attr, addr, &cause);
        return Ok(());
    }
    b.overlay.sg_rules.push(SgRule {
        group_id: group,
        egress: r.inst.rtype.ends_with("egress_rule"),
        permission: permission(v, "ip_protocol", peers),
    });
    Ok(())
}

fn network_acl(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let vpc = b.id(v.field("vpc_id").str(), "vpc_id", addr);
    let mut entries = Vec::new();
    let mut unknown = None;
    for (key, egress) in [("ingress", false), ("egress", true)] {
        match v.field(key).items() {
            Got::Unknown(c) => unknown = Some((key.to_owned(), c)),
            Got::Absent => {}
            Got::Known(rules) => {
                entries.extend(
                    rules
                        .iter()
                        .map(|r| acl_entry(r, "rule_no", "action", egress)),
                );
            }
        }
    }
    if let Some((attr, cause)) = unknown {
        b.omit(&r.s.id, &attr, addr, &cause);
        return Ok(());
    }
    let subnets = b.ids(v.field("subnet_ids").strs(), "subnet_ids", addr);
    net::network_acl(b, &r.s.id, vpc, entries, subnets);
    Ok(())
}

fn network_acl_rule(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let Some(acl) = b.id(v.field("network_acl_id").str(), "network_acl_id", addr) else {
        return Ok(());
    };
    let egress = v.field("egress").bool().known().unwrap_or(false);
    b.overlay
        .acl_entries
        .push((acl, acl_entry(v, "rule_number", "rule_action", egress)));
    Ok(())
}

fn network_acl_association(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let acl = b.id(v.field("network_acl_id").str(), "network_acl_id", addr);
    let subnet = b.id(v.field("subnet_id").str(), "subnet_id", addr);
    if let (Some(acl), Some(subnet)) = (acl, subnet) {
        b.overlay.acl_associations.push((acl, subnet));
    }
    Ok(())
}

fn route_table(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let vpc = b.id(v.field("vpc_id").str(), "vpc_id", addr);
    let mut rt = net::route_table(b, plan.base, &r.s.id, vpc);
    match v.field("route").items() {
        Got::Unknown(c) => {
            b.omit(&r.s.id, "route", addr, &c);
            return Ok(());
        }
        Got::Absent => {}
        Got::Known(routes) => rt.routes.extend(routes.iter().map(inline_route)),
    }
    b.overlay.route_tables.push(rt);
    Ok(())
}

fn route(_: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    if let Some(rt) = b.id(v.field("route_table_id").str(), "route_table_id", addr) {
        let mut route = inline_route(v);
        route.destination_cidr_block = non_empty(v, "destination_cidr_block");
        route.destination_ipv6_cidr_block = non_empty(v, "destination_ipv6_cidr_block");
        b.overlay.routes.push((rt, route));
    }
    Ok(())
}

fn route_table_association(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let rt = b.id(v.field("route_table_id").str(), "route_table_id", addr);
    let subnet = v.field("subnet_id").str();
    if matches!(subnet, Got::Absent) {
        return Ok(());
    }
    let subnet = b.id(subnet, "subnet_id", addr);
    if let (Some(rt), Some(subnet)) = (rt, subnet) {
        b.overlay.route_associations.push((rt, subnet));
    }
    Ok(())
}

fn non_empty(v: &Val, key: &str) -> Option<String> {
    v.field(key).str().known().filter(|x| !x.is_empty())
}

fn collect_strs(
    v: &Val,
    key: &str,
    into: &mut Vec<String>,
    unknown: &mut Option<(String, String)>,
) {
    match v.field(key).strs() {
        Got::Known(items) => {
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Got::Known(s) if !s.is_empty() => into.push(s),
                    Got::Unknown(c) => *unknown = Some((format!("{key}[{i}]"), c)),
                    _ => {}
                }
            }
        }
        Got::Unknown(c) => *unknown = Some((key.to_owned(), c)),
        Got::Absent => {}
    }
}

/// A rule's protocol (`-1` when unset) and port range with its peers.
fn permission(v: &Val, protocol_key: &str, peers: Peers) -> IpPermission {
    let protocol = v
        .field(protocol_key)
        .str()
        .known()
        .unwrap_or_else(|| "-1".into());
    common::permission(
        &protocol,
        v.field("from_port").int().known(),
        v.field("to_port").int().known(),
        peers,
    )
}

/// One inline `ingress` / `egress` block of an `aws_security_group`.
fn sg_block(rule: &Val, own_id: &str) -> Result<IpPermission, String> {
    let mut peers = Peers::default();
    let mut unknown = None;
    collect_strs(rule, "cidr_blocks", &mut peers.cidrs, &mut unknown);
    collect_strs(rule, "ipv6_cidr_blocks", &mut peers.cidrs_v6, &mut unknown);
    collect_strs(
        rule,
        "prefix_list_ids",
        &mut peers.prefix_lists,
        &mut unknown,
    );
    collect_strs(rule, "security_groups", &mut peers.groups, &mut unknown);
    if let Some((_, cause)) = unknown {
        return Err(cause);
    }
    if rule.field("self").bool().known() == Some(true) {
        peers.groups.push(own_id.to_owned());
    }
    Ok(permission(rule, "protocol", peers))
}

/// A network ACL entry: an inline block of `aws_network_acl` or an `aws_network_acl_rule`.
fn acl_entry(v: &Val, number_key: &str, action_key: &str, egress: bool) -> NetworkAclEntry {
    common::acl_entry(
        v.field(number_key).int().known().unwrap_or(0),
        &v.field("protocol")
            .str()
            .known()
            .unwrap_or_else(|| "-1".into()),
        &v.field(action_key)
            .str()
            .known()
            .unwrap_or_else(|| "deny".into()),
        egress,
        non_empty(v, "cidr_block"),
        non_empty(v, "ipv6_cidr_block"),
        v.field("from_port").int().known(),
        v.field("to_port").int().known(),
    )
}

/// The provider's spelling of route fields (an inline `route` block of `aws_route_table`).
const ROUTE: &[(&str, &str)] = &[
    ("DestinationCidrBlock", "cidr_block"),
    ("DestinationIpv6CidrBlock", "ipv6_cidr_block"),
    ("DestinationPrefixListId", "destination_prefix_list_id"),
    ("GatewayId", "gateway_id"),
    ("NatGatewayId", "nat_gateway_id"),
    ("TransitGatewayId", "transit_gateway_id"),
    ("NetworkInterfaceId", "network_interface_id"),
    ("VpcPeeringConnectionId", "vpc_peering_connection_id"),
    ("VpcEndpointId", "vpc_endpoint_id"),
    ("LocalGatewayId", "local_gateway_id"),
    ("CarrierGatewayId", "carrier_gateway_id"),
    ("CoreNetworkArn", "core_network_arn"),
    ("EgressOnlyInternetGatewayId", "egress_only_gateway_id"),
];

fn inline_route(r: &Val) -> Route {
    net::route(|field| {
        ROUTE
            .iter()
            .find(|(api, _)| *api == field)
            .and_then(|(_, key)| non_empty(r, key))
    })
}
