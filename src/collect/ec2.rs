//! EC2 / VPC collection: the network around the task subnets and the mount targets.
//!
//! Reads, for the task subnets: the subnets, their VPCs and the VPCs' DNS attributes and DHCP
//! options, the security groups that matter (task groups, each task VPC's `default` group,
//! mount-target groups, and the groups those reference, one level deep), the network ACLs and
//! route tables of the task VPCs, and every managed prefix list referenced by a rule or a route,
//! with its entries. Converts each SDK answer into the snapshot model at once.
//!
//! Lookups by id use `Filters` (`subnet-id`, `group-id` ...) rather than the id parameters: an
//! unknown id in `SubnetIds` fails the whole call with `InvalidSubnetID.NotFound`, while a filter
//! simply returns what exists, which is what "not found" means to the rules.
//! <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html>

use std::collections::{BTreeMap, BTreeSet};

use std::error::Error as StdError;

use aws_sdk_ec2::operation::describe_dhcp_options::DescribeDhcpOptionsOutput;
use aws_sdk_ec2::operation::describe_managed_prefix_lists::DescribeManagedPrefixListsOutput;
use aws_sdk_ec2::operation::describe_network_acls::DescribeNetworkAclsOutput;
use aws_sdk_ec2::operation::describe_route_tables::DescribeRouteTablesOutput;
use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::operation::get_managed_prefix_list_entries::GetManagedPrefixListEntriesOutput;
use aws_sdk_ec2::types::{self as sdk, Filter, VpcAttributeName};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::stream::{self, StreamExt};

use super::record::{Answer, ListBuilder};
use super::{owned, Ctx};
use crate::snapshot as model;

/// EC2 accepts at most 200 values in one filter.
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Using_Filtering.html>
const FILTER_VALUES: usize = 200;

fn filter(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

/// One EC2 `Describe*` list: the call, filtered by `Filter` `name` with the values `ids`.
struct ByFilter<'a> {
    /// The call as its IAM action.
    call: &'static str,
    /// The filter's name (`subnet-id`, `vpc-id` ...).
    name: &'a str,
    /// The filter's values.
    ids: &'a [String],
    /// Said before the ids in the call's resource (`default group of `), usually nothing.
    about: &'a str,
}

impl<'a> ByFilter<'a> {
    fn new(call: &'static str, name: &'a str, ids: &'a [String]) -> Self {
        Self {
            call,
            name,
            ids,
            about: "",
        }
    }
}

/// Reads a [`ByFilter`] list: one paginated call per [`FILTER_VALUES`] ids, every page of each,
/// the items of a page picked by `items` and converted by `convert` (one without its id is
/// dropped). `request` makes the paginated request for one filter.
async fn describe<P, I, T, E>(
    cx: &Ctx,
    by: ByFilter<'_>,
    request: impl Fn(Filter) -> PaginationStream<Result<P, SdkError<E, HttpResponse>>>,
    items: impl for<'p> Fn(&'p P) -> &'p [I] + Copy,
    convert: impl Fn(&I) -> Option<T> + Copy,
) -> ListBuilder<T>
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    let mut list = ListBuilder::default();
    for chunk in by.ids.chunks(FILTER_VALUES) {
        let resource = format!("{}{}", by.about, chunk.join(","));
        let pages = request(filter(by.name, chunk));
        let answer = cx
            .rec
            .items(by.call, Some(resource), &[], pages, items, convert)
            .await;
        list.take(answer);
    }
    list
}

/// `DescribeSubnets` for the task subnets.
pub(crate) async fn subnets(cx: &Ctx, ids: &BTreeSet<String>) -> Option<Vec<model::Subnet>> {
    let ids: Vec<String> = ids.iter().cloned().collect();
    let by = ByFilter::new("ec2:DescribeSubnets", "subnet-id", &ids);
    let request = |f| cx.ec2.describe_subnets().filters(f).into_paginator().send();
    describe(cx, by, request, DescribeSubnetsOutput::subnets, subnet)
        .await
        .finish()
}

/// Everything else EC2 holds for the task VPCs, once the subnets are known.
///
/// `subnets` is `None` when they could not be read: the VPCs are then unknown, and so every list
/// that hangs off them stays `None` (not collected), without a gap of its own.
pub(crate) async fn network(
    cx: &Ctx,
    subnets: Option<Vec<model::Subnet>>,
    task_groups: &BTreeSet<String>,
    mount_target_groups: &BTreeSet<String>,
) -> model::Ec2State {
    let vpc_ids: Option<Vec<String>> = subnets.as_ref().map(|subnets| {
        subnets
            .iter()
            .map(|s| s.vpc_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    });
    let mut direct_groups: BTreeSet<String> = task_groups.clone();
    direct_groups.extend(mount_target_groups.iter().cloned());

    let (vpcs, network_acls, route_tables, security_groups) = futures::join!(
        async {
            match &vpc_ids {
                Some(ids) => Some(vpcs_with_attributes(cx, ids).await),
                None => None,
            }
        },
        async {
            match &vpc_ids {
                Some(ids) => network_acls(cx, ids).await,
                None => None,
            }
        },
        async {
            match &vpc_ids {
                Some(ids) => route_tables(cx, ids).await,
                None => None,
            }
        },
        security_groups(cx, &direct_groups, vpc_ids.as_deref()),
    );
    let (vpcs, vpc_attributes, dhcp_ids) = match vpcs {
        Some((vpcs, attributes)) => {
            let dhcp_ids = vpcs.as_ref().map(|vpcs| {
                vpcs.iter()
                    .filter_map(|v| v.dhcp_options_id.clone())
                    // `default` means "no DHCP option set" (AWS's own DNS): nothing to describe.
                    .filter(|id| id != "default")
                    .collect::<BTreeSet<_>>()
            });
            (vpcs, attributes, dhcp_ids)
        }
        None => (None, None, None),
    };

    let mut prefix_list_ids = BTreeSet::new();
    for group in security_groups.iter().flatten() {
        for permission in group
            .ip_permissions
            .iter()
            .chain(&group.ip_permissions_egress)
        {
            prefix_list_ids.extend(
                permission
                    .prefix_list_ids
                    .iter()
                    .map(|p| p.prefix_list_id.clone()),
            );
        }
    }
    for table in route_tables.iter().flatten() {
        prefix_list_ids.extend(
            table
                .routes
                .iter()
                .filter_map(|r| r.destination_prefix_list_id.clone()),
        );
    }
    // Prefix lists referenced by rules we could not read stay unknown: a gap already says so.
    let (dhcp_options, managed_prefix_lists) = futures::join!(
        async {
            match &dhcp_ids {
                Some(ids) => dhcp_options(cx, ids).await,
                None => None,
            }
        },
        prefix_lists(cx, &prefix_list_ids),
    );

    model::Ec2State {
        vpcs,
        vpc_attributes,
        dhcp_options,
        subnets,
        security_groups,
        network_acls,
        route_tables,
        managed_prefix_lists,
    }
}

type VpcLists = (Option<Vec<model::Vpc>>, Option<Vec<model::VpcAttributes>>);

/// `DescribeVpcs` and, per VPC, `DescribeVpcAttribute` for `enableDnsSupport` and
/// `enableDnsHostnames` (one attribute per call, as the API allows).
async fn vpcs_with_attributes(cx: &Ctx, ids: &[String]) -> VpcLists {
    let by = ByFilter::new("ec2:DescribeVpcs", "vpc-id", ids);
    let vpcs = async {
        let request = |f| cx.ec2.describe_vpcs().filters(f).into_paginator().send();
        describe(cx, by, request, DescribeVpcsOutput::vpcs, vpc)
            .await
            .finish()
    };
    let attributes = async {
        let answers: Vec<(bool, Option<model::VpcAttributes>)> = stream::iter(ids)
            .map(|id| vpc_attributes(cx, id))
            .buffer_unordered(cx.concurrency)
            .collect()
            .await;
        let mut list = ListBuilder::default();
        for (failed, attributes) in answers {
            if failed {
                list.fail();
            }
            if let Some(attributes) = attributes {
                list.push(attributes);
            }
        }
        list.finish().map(|mut l| {
            l.sort_by(|a, b| a.vpc_id.cmp(&b.vpc_id));
            l
        })
    };
    futures::join!(vpcs, attributes)
}

/// Both DNS attributes of one VPC, merged into one (ext) `VpcAttributes`; an attribute whose
/// call failed is left out (unknown). Returns whether a call failed.
async fn vpc_attributes(cx: &Ctx, vpc_id: &str) -> (bool, Option<model::VpcAttributes>) {
    let one = |attribute: VpcAttributeName| {
        let request = cx
            .ec2
            .describe_vpc_attribute()
            .vpc_id(vpc_id)
            .attribute(attribute)
            .send();
        cx.rec.call(
            "ec2:DescribeVpcAttribute",
            Some(vpc_id.to_owned()),
            &[],
            request,
        )
    };
    let (support, hostnames) = futures::join!(
        one(VpcAttributeName::EnableDnsSupport),
        one(VpcAttributeName::EnableDnsHostnames)
    );
    let failed = matches!(support, Answer::Failed) || matches!(hostnames, Answer::Failed);
    let support = support.found();
    let hostnames = hostnames.found();
    if support.is_none() && hostnames.is_none() {
        return (failed, None);
    }
    let attributes = model::VpcAttributes {
        vpc_id: vpc_id.to_owned(),
        enable_dns_support: support
            .as_ref()
            .and_then(|o| o.enable_dns_support())
            .map(attribute_bool),
        enable_dns_hostnames: hostnames
            .as_ref()
            .and_then(|o| o.enable_dns_hostnames())
            .map(attribute_bool),
    };
    (failed, Some(attributes))
}

/// `DescribeDhcpOptions` for the option sets the VPCs use.
async fn dhcp_options(cx: &Ctx, ids: &BTreeSet<String>) -> Option<Vec<model::DhcpOptions>> {
    let ids: Vec<String> = ids.iter().cloned().collect();
    let by = ByFilter::new("ec2:DescribeDhcpOptions", "dhcp-options-id", &ids);
    let request = |f| {
        cx.ec2
            .describe_dhcp_options()
            .filters(f)
            .into_paginator()
            .send()
    };
    describe(
        cx,
        by,
        request,
        DescribeDhcpOptionsOutput::dhcp_options,
        dhcp,
    )
    .await
    .finish()
}

/// The security groups the rules need: `direct` (task and mount-target groups), each task VPC's
/// `default` group (what ECS uses when a service names none), then every group those reference
/// in a rule, one level deep.
async fn security_groups(
    cx: &Ctx,
    direct: &BTreeSet<String>,
    vpc_ids: Option<&[String]>,
) -> Option<Vec<model::SecurityGroup>> {
    let direct: Vec<String> = direct.iter().cloned().collect();
    let by_id = describe_groups(cx, &direct);
    let defaults = async {
        match vpc_ids {
            Some(ids) if !ids.is_empty() => {
                let by = ByFilter {
                    call: "ec2:DescribeSecurityGroups",
                    name: "vpc-id",
                    ids,
                    about: "default group of ",
                };
                // Filters are ANDed, values ORed: the `default` group of each of these VPCs.
                let request = |f| {
                    cx.ec2
                        .describe_security_groups()
                        .filters(f)
                        .filters(filter("group-name", &["default".to_owned()]))
                        .into_paginator()
                        .send()
                };
                describe(
                    cx,
                    by,
                    request,
                    DescribeSecurityGroupsOutput::security_groups,
                    security_group,
                )
                .await
            }
            _ => ListBuilder::default(),
        }
    };
    let (mut list, default_groups) = futures::join!(by_id, defaults);
    let (default_items, default_failed) = default_groups.into_parts();
    list.extend(default_items);
    if default_failed {
        list.fail();
    }

    let (items, failed) = list.into_parts();
    let mut groups: BTreeMap<String, model::SecurityGroup> =
        items.into_iter().map(|g| (g.group_id.clone(), g)).collect();
    let referenced: Vec<String> = groups
        .values()
        .flat_map(|g| g.ip_permissions.iter().chain(&g.ip_permissions_egress))
        .flat_map(|p| &p.user_id_group_pairs)
        .filter_map(|pair| pair.group_id.clone())
        .filter(|id| !groups.contains_key(id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut list = ListBuilder::default();
    if failed {
        list.fail();
    }
    if !referenced.is_empty() {
        let (items, failed) = describe_groups(cx, &referenced).await.into_parts();
        for g in items {
            groups.entry(g.group_id.clone()).or_insert(g);
        }
        if failed {
            list.fail();
        }
    }
    list.extend(groups.into_values());
    list.finish()
}

async fn describe_groups(cx: &Ctx, ids: &[String]) -> ListBuilder<model::SecurityGroup> {
    let by = ByFilter::new("ec2:DescribeSecurityGroups", "group-id", ids);
    let request = |f| {
        cx.ec2
            .describe_security_groups()
            .filters(f)
            .into_paginator()
            .send()
    };
    describe(
        cx,
        by,
        request,
        DescribeSecurityGroupsOutput::security_groups,
        security_group,
    )
    .await
}

/// `DescribeNetworkAcls` of the task VPCs (every ACL of the VPC, the default one included, so
/// the mount-target subnets' ACLs are there too).
async fn network_acls(cx: &Ctx, vpc_ids: &[String]) -> Option<Vec<model::NetworkAcl>> {
    let by = ByFilter::new("ec2:DescribeNetworkAcls", "vpc-id", vpc_ids);
    let request = |f| {
        cx.ec2
            .describe_network_acls()
            .filters(f)
            .into_paginator()
            .send()
    };
    describe(
        cx,
        by,
        request,
        DescribeNetworkAclsOutput::network_acls,
        network_acl,
    )
    .await
    .finish()
}

/// `DescribeRouteTables` of the task VPCs (the main table included).
async fn route_tables(cx: &Ctx, vpc_ids: &[String]) -> Option<Vec<model::RouteTable>> {
    let by = ByFilter::new("ec2:DescribeRouteTables", "vpc-id", vpc_ids);
    let request = |f| {
        cx.ec2
            .describe_route_tables()
            .filters(f)
            .into_paginator()
            .send()
    };
    describe(
        cx,
        by,
        request,
        DescribeRouteTablesOutput::route_tables,
        route_table,
    )
    .await
    .finish()
}

/// `DescribeManagedPrefixLists` for the referenced lists, then `GetManagedPrefixListEntries` for
/// each (the (ext) `Entries`; left absent when that call fails).
async fn prefix_lists(cx: &Ctx, ids: &BTreeSet<String>) -> Option<Vec<model::ManagedPrefixList>> {
    let ids: Vec<String> = ids.iter().cloned().collect();
    let by = ByFilter::new("ec2:DescribeManagedPrefixLists", "prefix-list-id", &ids);
    let request = |f| {
        cx.ec2
            .describe_managed_prefix_lists()
            .filters(f)
            .into_paginator()
            .send()
    };
    let (mut items, failed) = describe(
        cx,
        by,
        request,
        DescribeManagedPrefixListsOutput::prefix_lists,
        prefix_list,
    )
    .await
    .into_parts();
    let entries: Vec<Option<Vec<model::PrefixListEntry>>> = stream::iter(&items)
        .map(|pl| prefix_list_entries(cx, &pl.prefix_list_id))
        .buffered(cx.concurrency)
        .collect()
        .await;
    for (pl, entries) in items.iter_mut().zip(entries) {
        pl.entries = entries;
    }
    let mut list = ListBuilder::default();
    if failed {
        list.fail();
    }
    list.extend(items);
    list.finish()
}

async fn prefix_list_entries(cx: &Ctx, id: &str) -> Option<Vec<model::PrefixListEntry>> {
    let request = cx
        .ec2
        .get_managed_prefix_list_entries()
        .prefix_list_id(id)
        .into_paginator()
        .send();
    let entry = |e: &sdk::PrefixListEntry| {
        Some(model::PrefixListEntry {
            cidr: e.cidr()?.to_owned(),
            description: owned(e.description()),
        })
    };
    cx.rec
        .items(
            "ec2:GetManagedPrefixListEntries",
            Some(id.to_owned()),
            &[],
            request,
            GetManagedPrefixListEntriesOutput::entries,
            entry,
        )
        .await
        .found()
}

// ---- SDK -> snapshot model -------------------------------------------------------------------

fn attribute_bool(v: &sdk::AttributeBooleanValue) -> model::AttributeBool {
    model::AttributeBool { value: v.value() }
}

fn cidr_state(state: Option<&sdk::VpcCidrBlockState>) -> Option<model::CidrBlockState> {
    state.map(|s| model::CidrBlockState {
        state: s.state().map(|c| c.as_str().to_owned()),
    })
}

pub(crate) fn vpc(v: &sdk::Vpc) -> Option<model::Vpc> {
    Some(model::Vpc {
        vpc_id: v.vpc_id()?.to_owned(),
        cidr_block: owned(v.cidr_block()),
        cidr_block_association_set: v
            .cidr_block_association_set()
            .iter()
            .map(|a| model::VpcCidrAssociation {
                cidr_block: owned(a.cidr_block()),
                cidr_block_state: cidr_state(a.cidr_block_state()),
            })
            .collect(),
        ipv6_cidr_block_association_set: v
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| model::VpcIpv6CidrAssociation {
                ipv6_cidr_block: owned(a.ipv6_cidr_block()),
                ipv6_cidr_block_state: cidr_state(a.ipv6_cidr_block_state()),
            })
            .collect(),
        dhcp_options_id: owned(v.dhcp_options_id()),
        is_default: v.is_default().unwrap_or(false),
        owner_id: owned(v.owner_id()),
    })
}

fn dhcp(d: &sdk::DhcpOptions) -> Option<model::DhcpOptions> {
    Some(model::DhcpOptions {
        dhcp_options_id: d.dhcp_options_id()?.to_owned(),
        dhcp_configurations: d
            .dhcp_configurations()
            .iter()
            .filter_map(|c| {
                Some(model::DhcpConfiguration {
                    key: c.key()?.to_owned(),
                    values: c
                        .values()
                        .iter()
                        .map(|v| model::AttributeValue {
                            value: owned(v.value()),
                        })
                        .collect(),
                })
            })
            .collect(),
    })
}

pub(crate) fn subnet(s: &sdk::Subnet) -> Option<model::Subnet> {
    Some(model::Subnet {
        subnet_id: s.subnet_id()?.to_owned(),
        vpc_id: s.vpc_id()?.to_owned(),
        availability_zone: owned(s.availability_zone()),
        availability_zone_id: owned(s.availability_zone_id()),
        cidr_block: owned(s.cidr_block()),
        ipv6_cidr_block_association_set: s
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| model::SubnetIpv6CidrAssociation {
                ipv6_cidr_block: owned(a.ipv6_cidr_block()),
                ipv6_cidr_block_state: a.ipv6_cidr_block_state().map(|st| model::CidrBlockState {
                    state: st.state().map(|c| c.as_str().to_owned()),
                }),
            })
            .collect(),
        enable_dns64: s.enable_dns64(),
        assign_ipv6_address_on_creation: s.assign_ipv6_address_on_creation(),
        ipv6_native: s.ipv6_native(),
        owner_id: owned(s.owner_id()),
    })
}

pub(crate) fn security_group(g: &sdk::SecurityGroup) -> Option<model::SecurityGroup> {
    Some(model::SecurityGroup {
        group_id: g.group_id()?.to_owned(),
        group_name: owned(g.group_name()),
        vpc_id: owned(g.vpc_id()),
        owner_id: owned(g.owner_id()),
        ip_permissions: g.ip_permissions().iter().map(ip_permission).collect(),
        ip_permissions_egress: g
            .ip_permissions_egress()
            .iter()
            .map(ip_permission)
            .collect(),
    })
}

fn ip_permission(p: &sdk::IpPermission) -> model::IpPermission {
    model::IpPermission {
        // Absent only in malformed answers; "-1" (all traffic) would over-allow, so keep it
        // empty, which no protocol matches.
        ip_protocol: p.ip_protocol().unwrap_or_default().to_owned(),
        from_port: p.from_port().map(i64::from),
        to_port: p.to_port().map(i64::from),
        ip_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| {
                Some(model::IpRange {
                    cidr_ip: r.cidr_ip()?.to_owned(),
                })
            })
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| {
                Some(model::Ipv6Range {
                    cidr_ipv6: r.cidr_ipv6()?.to_owned(),
                })
            })
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .filter_map(|r| {
                Some(model::PrefixListId {
                    prefix_list_id: r.prefix_list_id()?.to_owned(),
                })
            })
            .collect(),
        user_id_group_pairs: p
            .user_id_group_pairs()
            .iter()
            .map(|pair| model::UserIdGroupPair {
                group_id: owned(pair.group_id()),
                user_id: owned(pair.user_id()),
                vpc_id: owned(pair.vpc_id()),
                vpc_peering_connection_id: owned(pair.vpc_peering_connection_id()),
            })
            .collect(),
    }
}

fn network_acl(a: &sdk::NetworkAcl) -> Option<model::NetworkAcl> {
    Some(model::NetworkAcl {
        network_acl_id: a.network_acl_id()?.to_owned(),
        vpc_id: owned(a.vpc_id()),
        is_default: a.is_default().unwrap_or(false),
        associations: a
            .associations()
            .iter()
            .map(|assoc| model::NetworkAclAssociation {
                subnet_id: owned(assoc.subnet_id()),
                network_acl_association_id: owned(assoc.network_acl_association_id()),
            })
            .collect(),
        entries: a
            .entries()
            .iter()
            .filter_map(|e| {
                Some(model::NetworkAclEntry {
                    rule_number: i64::from(e.rule_number()?),
                    protocol: e.protocol()?.to_owned(),
                    rule_action: e.rule_action()?.as_str().to_owned(),
                    egress: e.egress().unwrap_or(false),
                    cidr_block: owned(e.cidr_block()),
                    ipv6_cidr_block: owned(e.ipv6_cidr_block()),
                    port_range: e.port_range().map(|r| model::PortRange {
                        from: r.from().map(i64::from),
                        to: r.to().map(i64::from),
                    }),
                })
            })
            .collect(),
    })
}

fn route_table(t: &sdk::RouteTable) -> Option<model::RouteTable> {
    Some(model::RouteTable {
        route_table_id: t.route_table_id()?.to_owned(),
        vpc_id: owned(t.vpc_id()),
        associations: t
            .associations()
            .iter()
            .map(|a| model::RouteTableAssociation {
                main: a.main().unwrap_or(false),
                subnet_id: owned(a.subnet_id()),
                gateway_id: owned(a.gateway_id()),
            })
            .collect(),
        routes: t.routes().iter().map(route).collect(),
    })
}

fn route(r: &sdk::Route) -> model::Route {
    model::Route {
        destination_cidr_block: owned(r.destination_cidr_block()),
        destination_ipv6_cidr_block: owned(r.destination_ipv6_cidr_block()),
        destination_prefix_list_id: owned(r.destination_prefix_list_id()),
        gateway_id: owned(r.gateway_id()),
        nat_gateway_id: owned(r.nat_gateway_id()),
        transit_gateway_id: owned(r.transit_gateway_id()),
        network_interface_id: owned(r.network_interface_id()),
        instance_id: owned(r.instance_id()),
        vpc_peering_connection_id: owned(r.vpc_peering_connection_id()),
        // Gateway Load Balancer endpoints appear as `GatewayId: vpce-...`; there is no separate
        // field in the EC2 API's Route.
        vpc_endpoint_id: None,
        local_gateway_id: owned(r.local_gateway_id()),
        carrier_gateway_id: owned(r.carrier_gateway_id()),
        core_network_arn: owned(r.core_network_arn()),
        egress_only_internet_gateway_id: owned(r.egress_only_internet_gateway_id()),
        state: r.state().map(|s| s.as_str().to_owned()),
        origin: r.origin().map(|o| o.as_str().to_owned()),
    }
}

fn prefix_list(p: &sdk::ManagedPrefixList) -> Option<model::ManagedPrefixList> {
    Some(model::ManagedPrefixList {
        prefix_list_id: p.prefix_list_id()?.to_owned(),
        address_family: owned(p.address_family()),
        prefix_list_name: owned(p.prefix_list_name()),
        state: p.state().map(|s| s.as_str().to_owned()),
        owner_id: owned(p.owner_id()),
        entries: None,
    })
}
