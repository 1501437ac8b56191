//! EC2 network resources: VPCs, subnets, security groups, network ACLs and route tables.

use super::super::common::{self, Peers};
use super::super::overlay::Builder;
use super::super::value::{Got, Val};
use crate::snapshot::{
    AttributeBool, IpPermission, NetworkAcl, NetworkAclEntry, Route, RouteTable, SecurityGroup,
    Snapshot, Subnet, SubnetIpv6CidrAssociation, Vpc, VpcAttributes,
};

/// A VPC the input creates or changes.
#[derive(Debug)]
pub struct NewVpc<'a> {
    /// Its (synthetic) id.
    pub id: &'a str,
    /// The resource's address or logical id, for messages.
    pub address: &'a str,
    /// The IPv4 CIDR.
    pub cidr: Option<String>,
    /// The DHCP options set.
    pub dhcp_options_id: Option<String>,
    /// The owning account.
    pub owner: Option<String>,
    /// `enableDnsSupport`.
    pub dns_support: Got<bool>,
    /// `enableDnsHostnames`.
    pub dns_hostnames: Got<bool>,
    /// How the input names the two DNS attributes, for messages.
    pub dns_attributes: &'a str,
    /// Ids for the default security group, network ACL and main route table when the VPC is
    /// new (AWS creates them with it).
    pub defaults: Option<[String; 3]>,
}

/// Adds a VPC, its DNS attributes (a gap when unknown) and, for a new VPC, the resources AWS
/// creates with it. Unset DNS attributes take the AWS defaults: support on, hostnames off
/// (<https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support>).
pub fn vpc(b: &mut Builder, v: NewVpc<'_>) {
    b.overlay.vpcs.push(Vpc {
        vpc_id: v.id.to_owned(),
        cidr_block: v.cidr.clone(),
        dhcp_options_id: v.dhcp_options_id,
        owner_id: v.owner.clone(),
        ..Vpc::default()
    });
    match (&v.dns_support, &v.dns_hostnames) {
        (Got::Unknown(c), _) | (_, Got::Unknown(c)) => {
            b.gap(v.id, v.dns_attributes, v.address, c);
        }
        _ => b.overlay.vpc_attributes.push(VpcAttributes {
            vpc_id: v.id.to_owned(),
            enable_dns_support: Some(AttributeBool {
                value: Some(v.dns_support.known().unwrap_or(true)),
            }),
            enable_dns_hostnames: Some(AttributeBool {
                value: Some(v.dns_hostnames.known().unwrap_or(false)),
            }),
        }),
    }
    if let Some(ids) = v.defaults {
        b.overlay.created_vpcs.push(v.id.to_owned());
        let (sg, acl, rt) =
            common::new_vpc_defaults(v.id, v.cidr.as_deref(), v.owner.as_deref(), ids);
        b.overlay.security_groups.push(sg);
        b.overlay.network_acls.push(acl);
        b.overlay.route_tables.push(rt);
    }
}

/// A subnet the input creates or changes.
#[derive(Debug)]
pub struct NewSubnet<'a> {
    /// Its (synthetic) id.
    pub id: &'a str,
    /// The resource's address or logical id, for messages.
    pub address: &'a str,
    /// The VPC.
    pub vpc: String,
    /// The AZ name.
    pub az: Option<String>,
    /// The AZ id, or why it is not known.
    pub az_id: Result<String, String>,
    /// How the input names the AZ id, for messages.
    pub az_id_attr: &'a str,
    /// The IPv4 CIDR (unknown: a gap keyed `cidr:ID` names the expression).
    pub cidr: Got<String>,
    /// How the input names the IPv4 CIDR, for messages.
    pub cidr_attr: &'a str,
    /// The IPv6 CIDR.
    pub ipv6_cidr: Option<String>,
    /// `EnableDns64`.
    pub dns64: Option<bool>,
    /// `AssignIpv6AddressOnCreation`.
    pub assign_ipv6: Option<bool>,
    /// `Ipv6Native`.
    pub ipv6_native: Option<bool>,
    /// The owning account.
    pub owner: Option<String>,
}

/// Adds a subnet; without its AZ id no AZ question about it has an answer, so it is left out.
pub fn subnet(b: &mut Builder, s: NewSubnet<'_>) {
    let az_id = match s.az_id {
        Ok(id) => id,
        Err(cause) => {
            b.omit(s.id, s.az_id_attr, s.address, &cause);
            return;
        }
    };
    if let Got::Unknown(cause) = &s.cidr {
        b.gap(&format!("cidr:{}", s.id), s.cidr_attr, s.address, cause);
    }
    b.overlay.subnets.push(Subnet {
        subnet_id: s.id.to_owned(),
        vpc_id: s.vpc,
        availability_zone: s.az,
        availability_zone_id: Some(az_id),
        cidr_block: s.cidr.known(),
        ipv6_cidr_block_association_set: s
            .ipv6_cidr
            .map(|c| {
                vec![SubnetIpv6CidrAssociation {
                    ipv6_cidr_block: Some(c),
                    ipv6_cidr_block_state: None,
                }]
            })
            .unwrap_or_default(),
        enable_dns64: s.dns64,
        assign_ipv6_address_on_creation: s.assign_ipv6,
        ipv6_native: s.ipv6_native,
        owner_id: s.owner,
    });
}

/// Inline rule lists of a security group: `(attribute, egress, rules)`.
pub type RuleBlocks<'a> = [(&'a str, bool, Got<Vec<Val>>); 2];

/// Adds a security group with its inline rules (`rule` converts one). A rule that cannot be
/// resolved leaves the whole group out: its verdicts would be guesses. With
/// `default_egress`, a group without egress rules keeps the allow-all egress rule EC2 gives
/// every new group
/// (<https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html>).
pub fn security_group(
    b: &mut Builder,
    mut sg: SecurityGroup,
    address: &str,
    blocks: RuleBlocks<'_>,
    default_egress: bool,
    rule: impl Fn(&Val, bool) -> Result<IpPermission, String>,
) {
    let mut unknown = None;
    let mut no_egress = false;
    for (key, egress, items) in blocks {
        if egress {
            no_egress = match &items {
                Got::Absent => true,
                Got::Known(rules) => rules.is_empty(),
                Got::Unknown(_) => false,
            };
        }
        match items {
            Got::Unknown(c) => unknown = Some((key.to_owned(), c)),
            Got::Absent => {}
            Got::Known(rules) => {
                for (i, r) in rules.iter().enumerate() {
                    match rule(r, egress) {
                        Ok(p) if egress => sg.ip_permissions_egress.push(p),
                        Ok(p) => sg.ip_permissions.push(p),
                        Err(c) => unknown = Some((format!("{key}[{i}]"), c)),
                    }
                }
            }
        }
    }
    if default_egress && no_egress {
        sg.ip_permissions_egress.push(common::permission(
            "-1",
            None,
            None,
            Peers {
                cidrs: vec!["0.0.0.0/0".to_owned()],
                ..Peers::default()
            },
        ));
    }
    if let Some((attr, cause)) = unknown {
        b.omit(&sg.group_id, &attr, address, &cause);
    } else {
        b.overlay.security_groups.push(sg);
    }
}

/// Adds a network ACL with its entries (the implicit denies appended) and the subnets it is
/// associated with.
pub fn network_acl(
    b: &mut Builder,
    id: &str,
    vpc: Option<String>,
    mut entries: Vec<NetworkAclEntry>,
    subnets: Vec<String>,
) {
    entries.extend(common::implicit_denies());
    for subnet in subnets {
        b.overlay.acl_associations.push((id.to_owned(), subnet));
    }
    b.overlay.network_acls.push(NetworkAcl {
        network_acl_id: id.to_owned(),
        vpc_id: vpc,
        is_default: false,
        associations: Vec::new(),
        entries,
    });
}

/// A new route table of a VPC, with the `local` route for the VPC's CIDR when it is known
/// (from the base state, or a VPC the input creates).
pub fn route_table(b: &Builder, base: &Snapshot, id: &str, vpc: Option<String>) -> RouteTable {
    let local = vpc.as_deref().and_then(|vpc| {
        common::base_vpc_cidr(base, vpc).or_else(|| {
            b.overlay
                .vpcs
                .iter()
                .find(|v| v.vpc_id == vpc)
                .and_then(|v| v.cidr_block.clone())
        })
    });
    RouteTable {
        route_table_id: id.to_owned(),
        vpc_id: vpc,
        associations: Vec::new(),
        routes: local
            .map(|c| {
                vec![Route {
                    destination_cidr_block: Some(c),
                    gateway_id: Some("local".into()),
                    state: Some("active".into()),
                    origin: Some("CreateRouteTable".into()),
                    ..Route::default()
                }]
            })
            .unwrap_or_default(),
    }
}

/// A route from its destination and target, read by EC2 API name (`DestinationCidrBlock`,
/// `GatewayId`, `NatGatewayId`, ...; a front end maps its own spelling).
pub fn route(get: impl Fn(&str) -> Option<String>) -> Route {
    Route {
        destination_cidr_block: get("DestinationCidrBlock"),
        destination_ipv6_cidr_block: get("DestinationIpv6CidrBlock"),
        destination_prefix_list_id: get("DestinationPrefixListId"),
        gateway_id: get("GatewayId"),
        nat_gateway_id: get("NatGatewayId"),
        transit_gateway_id: get("TransitGatewayId"),
        network_interface_id: get("NetworkInterfaceId"),
        instance_id: get("InstanceId"),
        vpc_peering_connection_id: get("VpcPeeringConnectionId"),
        vpc_endpoint_id: get("VpcEndpointId"),
        local_gateway_id: get("LocalGatewayId"),
        carrier_gateway_id: get("CarrierGatewayId"),
        core_network_arn: get("CoreNetworkArn"),
        egress_only_internet_gateway_id: get("EgressOnlyInternetGatewayId"),
        state: Some("active".into()),
        origin: Some("CreateRoute".into()),
    }
}
