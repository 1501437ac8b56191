//! EC2 network resources of a template: VPCs, subnets, security groups and their rules,
//! network ACLs, route tables and routes.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{Convert, Res, Template};
use crate::iac::common::{self, Peers};
use crate::iac::overlay::{Builder, SgRule};
use crate::iac::shared::network::{self as net, NewSubnet, NewVpc};
use crate::iac::shared::Targets;
use crate::iac::value::{Got, Val};
use crate::iac::IacError;
use crate::snapshot::{IpPermission, SecurityGroup};

/// The network resource types a template may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("AWS::EC2::VPC", vpc),
    ("AWS::EC2::Subnet", subnet),
    ("AWS::EC2::SecurityGroup", security_group),
    ("AWS::EC2::SecurityGroupIngress", security_group_rule),
    ("AWS::EC2::SecurityGroupEgress", security_group_rule),
    ("AWS::EC2::NetworkAcl", network_acl),
    ("AWS::EC2::NetworkAclEntry", network_acl_entry),
    (
        "AWS::EC2::SubnetNetworkAclAssociation",
        network_acl_association,
    ),
    ("AWS::EC2::RouteTable", route_table),
    ("AWS::EC2::Route", route),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        route_table_association,
    ),
];

fn vpc(t: &Template<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let lid = r.lid;
    // Defaults: EnableDnsSupport true, EnableDnsHostnames false
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpc.html).
    net::vpc(
        b,
        NewVpc {
            id: lid,
            address: lid,
            cidr: r.p("CidrBlock").str().known(),
            dhcp_options_id: None,
            owner: t.owner(),
            dns_support: r.p("EnableDnsSupport").bool(),
            dns_hostnames: r.p("EnableDnsHostnames").bool(),
            dns_attributes: "EnableDnsSupport / EnableDnsHostnames",
            defaults: Some([
                format!("{lid}.DefaultSecurityGroup"),
                format!("{lid}.DefaultNetworkAcl"),
                format!("{lid}.MainRouteTable"),
            ]),
        },
    );
    Ok(())
}

fn subnet(t: &Template<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let lid = r.lid;
    let vpc = b.id(r.p("VpcId").str(), "VpcId", lid).unwrap_or_default();
    let az = r.p("AvailabilityZone").str();
    let az_id_prop = r.p("AvailabilityZoneId").str();
    let az_id = match (&az_id_prop, &az) {
        (Got::Known(id), _) => Ok(id.clone()),
        (_, Got::Known(name)) => {
            t.az_ids.get(name).cloned().ok_or_else(|| {
                format!("{name} has no subnet in the base state to map it to an AZ id")
            })
        }
        // `!Select [i, !GetAZs ""]` beyond the AZs the base state shows: the expression stands
        // for the AZ id, equal only to the same expression (a gap says it is unresolved).
        (Got::Absent, Got::Unknown(c)) if get_azs_select(c).is_some() => {
            let expr = get_azs_select(c).unwrap_or_default().to_owned();
            b.gap(&expr, "AvailabilityZone", lid, c);
            Ok(expr)
        }
        (Got::Unknown(c), _) | (_, Got::Unknown(c)) => Err(c.clone()),
        // CloudFormation picks an AZ when neither is given.
        (Got::Absent, Got::Absent) => Err("no AvailabilityZone is set: AWS picks one".to_owned()),
    };
    net::subnet(
        b,
        NewSubnet {
            id: lid,
            address: lid,
            vpc,
            az: az.known(),
            az_id,
            az_id_attr: "AvailabilityZoneId",
            cidr: r.p("CidrBlock").str(),
            cidr_attr: "CidrBlock",
            ipv6_cidr: r.p("Ipv6CidrBlock").str().known(),
            dns64: r.p("EnableDns64").bool().known(),
            assign_ipv6: r.p("AssignIpv6AddressOnCreation").bool().known(),
            ipv6_native: r.p("Ipv6Native").bool().known(),
            owner: t.owner(),
        },
    );
    Ok(())
}

/// `Fn::Select [i, Fn::GetAZs REGION]` from the cause of an AZ name that selection left
/// unresolved.
fn get_azs_select(cause: &str) -> Option<&str> {
    let (expr, _) = cause.split_once("]: ")?;
    (expr.starts_with("Fn::Select [") && expr.contains(", Fn::GetAZs"))
        .then(|| cause.get(..=expr.len()))
        .flatten()
}

fn security_group(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    let sg = SecurityGroup {
        group_id: lid.to_owned(),
        group_name: r.p("GroupName").str().known(),
        vpc_id: b.id(r.p("VpcId").str(), "VpcId", lid),
        owner_id: t.owner(),
        ..SecurityGroup::default()
    };
    let blocks = [
        (
            "SecurityGroupIngress",
            false,
            r.p("SecurityGroupIngress").items(),
        ),
        (
            "SecurityGroupEgress",
            true,
            r.p("SecurityGroupEgress").items(),
        ),
    ];
    // Without egress rules EC2 keeps the default allow-all egress rule
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html).
    net::security_group(b, sg, lid, blocks, true, permission);
    Ok(())
}

fn security_group_rule(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let Some(group) = b.id(r.p("GroupId").str(), "GroupId", r.lid) else {
        return Ok(());
    };
    let egress = r.rtype.ends_with("Egress");
    match permission(&r.props, egress) {
        Ok(permission) => b.overlay.sg_rules.push(SgRule {
            group_id: group,
            egress,
            permission,
        }),
        Err(cause) => b.omit(&group, "peer", r.lid, &cause),
    }
    Ok(())
}

fn network_acl(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let vpc = b.id(r.p("VpcId").str(), "VpcId", r.lid);
    net::network_acl(b, r.lid, vpc, Vec::new(), Vec::new());
    Ok(())
}

fn network_acl_entry(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let Some(acl) = b.id(r.p("NetworkAclId").str(), "NetworkAclId", r.lid) else {
        return Ok(());
    };
    let ports = r.p("PortRange");
    b.overlay.acl_entries.push((
        acl,
        common::acl_entry(
            r.p("RuleNumber").int().known().unwrap_or(0),
            &r.p("Protocol").str().known().unwrap_or_else(|| "-1".into()),
            &r.p("RuleAction")
                .str()
                .known()
                .unwrap_or_else(|| "deny".into()),
            r.p("Egress").bool().known().unwrap_or(false),
            r.p("CidrBlock").str().known(),
            r.p("Ipv6CidrBlock").str().known(),
            ports.field("From").int().known(),
            ports.field("To").int().known(),
        ),
    ));
    Ok(())
}

fn network_acl_association(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let acl = b.id(r.p("NetworkAclId").str(), "NetworkAclId", r.lid);
    let subnet = b.id(r.p("SubnetId").str(), "SubnetId", r.lid);
    if let (Some(acl), Some(subnet)) = (acl, subnet) {
        b.overlay.acl_associations.push((acl, subnet));
    }
    Ok(())
}

fn route_table(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let vpc = b.id(r.p("VpcId").str(), "VpcId", r.lid);
    let rt = net::route_table(b, t.base, r.lid, vpc);
    b.overlay.route_tables.push(rt);
    Ok(())
}

fn route(_: &Template<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    if let Some(rt) = b.id(r.p("RouteTableId").str(), "RouteTableId", r.lid) {
        // The template's property names are the EC2 API's.
        let route = net::route(|key| r.p(key).str().known());
        b.overlay.routes.push((rt, route));
    }
    Ok(())
}

fn route_table_association(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let rt = b.id(r.p("RouteTableId").str(), "RouteTableId", r.lid);
    let subnet = b.id(r.p("SubnetId").str(), "SubnetId", r.lid);
    if let (Some(rt), Some(subnet)) = (rt, subnet) {
        b.overlay.route_associations.push((rt, subnet));
    }
    Ok(())
}

/// One `SecurityGroupIngress` / `SecurityGroupEgress` entry (or the standalone resource).
fn permission(r: &Val, egress: bool) -> Result<IpPermission, String> {
    let mut peers = Peers::default();
    let group_key = if egress {
        "DestinationSecurityGroupId"
    } else {
        "SourceSecurityGroupId"
    };
    let prefix_key = if egress {
        "DestinationPrefixListId"
    } else {
        "SourcePrefixListId"
    };
    for (key, into) in [
        ("CidrIp", &mut peers.cidrs),
        ("CidrIpv6", &mut peers.cidrs_v6),
        (prefix_key, &mut peers.prefix_lists),
        (group_key, &mut peers.groups),
    ] {
        match r.field(key).str() {
            Got::Known(s) if !s.is_empty() => into.push(s),
            Got::Unknown(c) => return Err(c),
            _ => {}
        }
    }
    let protocol = match r.field("IpProtocol").str() {
        Got::Known(p) => p,
        Got::Unknown(c) => return Err(c),
        Got::Absent => "-1".to_owned(),
    };
    Ok(common::permission(
        &protocol,
        r.field("FromPort").int().known(),
        r.field("ToPort").int().known(),
        peers,
    ))
}
