//! The snapshot model: the AWS state the rules read, in the shapes the AWS CLI prints.
//!
//! Key names and casing follow the AWS CLI exactly (PascalCase for EC2, EFS and IAM, camelCase
//! for ECS) so that a snapshot can be assembled by hand from `aws ... describe-*` output.
//! Every list is an `Option`: `None` means "not collected" (the rules that need it say
//! `unknown`), `Some(vec![])` means "collected, none exist". Unknown keys are ignored.
//! Only the fields the rules, the collector or the reports use are modelled; anything else in
//! the input is skipped without being type-checked.
//!
//! This module depends on nothing but serde; it must not know about rules or AWS SDK types.

use serde::{Deserialize, Serialize};

use super::policy::PolicyDocument;

/// Current snapshot format version written by this tool.
pub const SNAPSHOT_VERSION: u64 = 1;

/// One saved view of an account and region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version; a missing or newer version is rejected by the loader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efs_preflight_snapshot: Option<u64>,
    /// RFC 3339 time of collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    /// AWS Region the state was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Account id the state was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Tool and version that wrote the snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Calls that failed during collection (access denied, throttled ...).
    #[serde(default)]
    pub gaps: Vec<Gap>,
    /// EC2 / VPC state.
    #[serde(default)]
    pub ec2: Ec2State,
    /// EFS state.
    #[serde(default)]
    pub efs: EfsState,
    /// ECS state.
    #[serde(default)]
    pub ecs: EcsState,
    /// IAM state.
    #[serde(default)]
    pub iam: IamState,
    /// Ids of the file systems an infrastructure-as-code input creates: their mount targets and
    /// policy are exactly the input's, so those lists count as collected for them. Not saved.
    #[serde(skip)]
    pub created_file_systems: Vec<String>,
}

/// A call the collector could not make; dependent rules report `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// The API call, as `service:Action` (`iam:GetRole`).
    pub call: String,
    /// The resource the call was about, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The error code or message AWS returned.
    pub error: String,
}

/// EC2 / VPC lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ec2State {
    /// `describe-vpcs` `.Vpcs[]`.
    #[serde(rename = "Vpcs", default, skip_serializing_if = "Option::is_none")]
    pub vpcs: Option<Vec<Vpc>>,
    /// (ext) one per VPC, the two `describe-vpc-attribute` answers merged.
    #[serde(
        rename = "VpcAttributes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc_attributes: Option<Vec<VpcAttributes>>,
    /// `describe-dhcp-options` `.DhcpOptions[]`.
    #[serde(
        rename = "DhcpOptions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub dhcp_options: Option<Vec<DhcpOptions>>,
    /// `describe-subnets` `.Subnets[]`.
    #[serde(rename = "Subnets", default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<Subnet>>,
    /// `describe-security-groups` `.SecurityGroups[]`.
    #[serde(
        rename = "SecurityGroups",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub security_groups: Option<Vec<SecurityGroup>>,
    /// `describe-network-acls` `.NetworkAcls[]`.
    #[serde(
        rename = "NetworkAcls",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub network_acls: Option<Vec<NetworkAcl>>,
    /// `describe-route-tables` `.RouteTables[]`.
    #[serde(
        rename = "RouteTables",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub route_tables: Option<Vec<RouteTable>>,
    /// `describe-managed-prefix-lists` `.PrefixLists[]`, each with (ext) `Entries`.
    #[serde(
        rename = "ManagedPrefixLists",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_prefix_lists: Option<Vec<ManagedPrefixList>>,
}

/// A VPC (`describe-vpcs`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// `vpc-...`
    pub vpc_id: String,
    /// Primary IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// All IPv4 CIDRs, primary included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidr_block_association_set: Vec<VpcCidrAssociation>,
    /// IPv6 CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_block_association_set: Vec<VpcIpv6CidrAssociation>,
    /// `dopt-...`, or `default` for the AWS-provided set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp_options_id: Option<String>,
    /// Whether this is the Region's default VPC.
    #[serde(default)]
    pub is_default: bool,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
}

/// An IPv4 CIDR of a VPC.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcCidrAssociation {
    /// The CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// Association state (`associated` ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block_state: Option<CidrBlockState>,
}

/// An IPv6 CIDR of a VPC.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcIpv6CidrAssociation {
    /// The CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<String>,
    /// Association state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block_state: Option<CidrBlockState>,
}

/// State of a CIDR association.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrBlockState {
    /// `associated`, `disassociated` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// (ext) The DNS attributes of one VPC.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcAttributes {
    /// The VPC.
    pub vpc_id: String,
    /// `enableDnsSupport`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_dns_support: Option<AttributeBool>,
    /// `enableDnsHostnames`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_dns_hostnames: Option<AttributeBool>,
}

/// `{"Value": true}` as `describe-vpc-attribute` prints it.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeBool {
    /// The value; absent means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<bool>,
}

/// A DHCP option set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpOptions {
    /// `dopt-...`
    pub dhcp_options_id: String,
    /// Key/values, e.g. `domain-name-servers`.
    #[serde(default)]
    pub dhcp_configurations: Vec<DhcpConfiguration>,
}

/// One DHCP option.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpConfiguration {
    /// Option name (`domain-name-servers`).
    pub key: String,
    /// Option values.
    #[serde(default)]
    pub values: Vec<AttributeValue>,
}

/// `{"Value": "..."}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeValue {
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A subnet (`describe-subnets`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    /// `subnet-...`
    pub subnet_id: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// AZ name; differs between accounts for the same location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// AZ id (`use1-az1`); the same location in every account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_id: Option<String>,
    /// IPv4 CIDR (absent for IPv6-only subnets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// IPv6 CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_block_association_set: Vec<SubnetIpv6CidrAssociation>,
    /// Whether DNS64 is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_dns64: Option<bool>,
    /// Whether new ENIs get an IPv6 address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign_ipv6_address_on_creation: Option<bool>,
    /// IPv6-only subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_native: Option<bool>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
}

/// An IPv6 CIDR of a subnet.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubnetIpv6CidrAssociation {
    /// The CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<String>,
    /// Association state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block_state: Option<CidrBlockState>,
}

/// A security group (`describe-security-groups`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    /// `sg-...`
    pub group_id: String,
    /// Name (`default` for the VPC default group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// The VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Inbound rules.
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    /// Outbound rules.
    #[serde(default)]
    pub ip_permissions_egress: Vec<IpPermission>,
}

/// One security-group rule set (a protocol/port range and its peers).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    /// `tcp`, `udp`, `icmp`, `-1` (all) or a protocol number as a string.
    pub ip_protocol: String,
    /// First port (or ICMP type); absent or -1 for all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i64>,
    /// Last port (or ICMP code); absent or -1 for all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i64>,
    /// IPv4 peers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_ranges: Vec<IpRange>,
    /// IPv6 peers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_ranges: Vec<Ipv6Range>,
    /// Managed prefix-list peers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_list_ids: Vec<PrefixListId>,
    /// Security-group peers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
}

/// An IPv4 CIDR peer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpRange {
    /// The CIDR.
    pub cidr_ip: String,
}

/// An IPv6 CIDR peer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6Range {
    /// The CIDR.
    pub cidr_ipv6: String,
}

/// A managed prefix-list peer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListId {
    /// `pl-...`
    pub prefix_list_id: String,
}

/// A security-group peer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    /// `sg-...`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Owner of the referenced group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// VPC of the referenced group (peered references).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Peering connection for cross-VPC references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<String>,
}

/// A network ACL (`describe-network-acls`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    /// `acl-...`
    pub network_acl_id: String,
    /// The VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// The VPC's default ACL (used by subnets without an explicit association).
    #[serde(default)]
    pub is_default: bool,
    /// Subnet associations.
    #[serde(default)]
    pub associations: Vec<NetworkAclAssociation>,
    /// Rules, both directions.
    #[serde(default)]
    pub entries: Vec<NetworkAclEntry>,
}

/// A subnet associated with a network ACL.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclAssociation {
    /// The subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// `aclassoc-...`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_acl_association_id: Option<String>,
}

/// One network ACL rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclEntry {
    /// 1..=32766 for user rules, 32767 for the implicit deny.
    pub rule_number: i64,
    /// Protocol number as a string (`6`, `17`, `-1`); names are accepted too.
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    /// Outbound rule when true.
    #[serde(default)]
    pub egress: bool,
    /// IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// IPv6 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<String>,
    /// Port range for TCP/UDP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_range: Option<PortRange>,
}

/// A port range (`{"From": 1024, "To": 65535}`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    /// First port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    /// Last port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
}

/// A route table (`describe-route-tables`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    /// `rtb-...`
    pub route_table_id: String,
    /// The VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Subnet / gateway associations, and the `Main` marker.
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
    /// Routes.
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// A route-table association.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    /// The VPC's main route table.
    #[serde(default)]
    pub main: bool,
    /// Explicitly associated subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// Associated gateway (edge association).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
}

/// One route. Exactly one destination and one target are set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct Route {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_cidr_block: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_ipv6_cidr_block: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_prefix_list_id: Option<String>,
    /// `local`, `igw-...`, `vgw-...`, or a gateway load balancer endpoint `vpce-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_network_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_only_internet_gateway_id: Option<String>,
    /// `active` or `blackhole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `CreateRouteTable`, `CreateRoute`, `EnableVgwRoutePropagation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl Route {
    /// The route's target id, whichever field holds it.
    pub fn target(&self) -> Option<&str> {
        [
            &self.gateway_id,
            &self.nat_gateway_id,
            &self.transit_gateway_id,
            &self.network_interface_id,
            &self.instance_id,
            &self.vpc_peering_connection_id,
            &self.vpc_endpoint_id,
            &self.local_gateway_id,
            &self.carrier_gateway_id,
            &self.core_network_arn,
            &self.egress_only_internet_gateway_id,
        ]
        .into_iter()
        .find_map(|t| t.as_deref())
    }
}

/// A managed prefix list with its entries.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPrefixList {
    /// `pl-...`
    pub prefix_list_id: String,
    /// `IPv4` or `IPv6`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_family: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list_name: Option<String>,
    /// `create-complete` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Owner account (`AWS` for AWS-managed lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// (ext) `get-managed-prefix-list-entries` `.Entries`; absent means not collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<Vec<PrefixListEntry>>,
}

/// One prefix-list entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListEntry {
    /// The CIDR.
    pub cidr: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// EFS lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EfsState {
    /// `describe-file-systems` `.FileSystems[]`.
    #[serde(
        rename = "FileSystems",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub file_systems: Option<Vec<FileSystem>>,
    /// `describe-mount-targets` `.MountTargets[]` with (ext) `SecurityGroups`.
    #[serde(
        rename = "MountTargets",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mount_targets: Option<Vec<MountTarget>>,
    /// `describe-access-points` `.AccessPoints[]`.
    #[serde(
        rename = "AccessPoints",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub access_points: Option<Vec<AccessPoint>>,
    /// `describe-file-system-policy` answers; a collected file system absent here has none.
    #[serde(
        rename = "FileSystemPolicies",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub file_system_policies: Option<Vec<FileSystemPolicy>>,
}

/// An EFS file system.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileSystem {
    /// `fs-...`
    pub file_system_id: String,
    /// Its ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_system_arn: Option<String>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// `available`, `creating`, `updating`, `deleting`, `deleted`, `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_cycle_state: Option<String>,
    /// Name tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Count of mount targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_mount_targets: Option<i64>,
    /// One Zone file systems: the AZ name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_name: Option<String>,
    /// One Zone file systems: the AZ id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_id: Option<String>,
    /// Encrypted at rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// Replication overwrite protection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_system_protection: Option<FileSystemProtection>,
}

/// `FileSystemProtection`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileSystemProtection {
    /// `ENABLED` (writeable), `DISABLED` or `REPLICATING` (read-only replication destination).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_overwrite_protection: Option<String>,
}

/// An EFS mount target with its security groups.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MountTarget {
    /// `fsmt-...`
    pub mount_target_id: String,
    /// The file system.
    pub file_system_id: String,
    /// The subnet holding its ENI.
    pub subnet_id: String,
    /// `available` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_cycle_state: Option<String>,
    /// IPv4 address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// IPv6 address (dual-stack / IPv6-only mount targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_address: Option<String>,
    /// The ENI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    /// AZ id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_id: Option<String>,
    /// AZ name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_name: Option<String>,
    /// The VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// (ext) `describe-mount-target-security-groups` `.SecurityGroups`; absent = not collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
}

/// An EFS access point.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessPoint {
    /// `fsap-...`
    pub access_point_id: String,
    /// Its ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_point_arn: Option<String>,
    /// The file system it belongs to.
    pub file_system_id: String,
    /// `available` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_cycle_state: Option<String>,
    /// Name tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Enforced POSIX identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posix_user: Option<PosixUser>,
    /// Root directory exposed by the access point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<RootDirectory>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
}

/// The POSIX identity an access point enforces.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PosixUser {
    /// User id.
    pub uid: i64,
    /// Group id.
    pub gid: i64,
    /// Secondary groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_gids: Vec<i64>,
}

/// An access point's root directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RootDirectory {
    /// Path; `/` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Owner and mode EFS uses to create the path when it is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_info: Option<CreationInfo>,
}

/// `CreationInfo`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreationInfo {
    /// Owner uid.
    pub owner_uid: i64,
    /// Owner gid.
    pub owner_gid: i64,
    /// Octal mode, e.g. `0755`.
    pub permissions: String,
}

/// A file-system policy.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileSystemPolicy {
    /// The file system.
    pub file_system_id: String,
    /// The policy (object, JSON string or URL-encoded JSON string on input; written as a JSON
    /// string, as the AWS CLI prints it).
    #[serde(serialize_with = "super::policy::serialize_as_json_string")]
    pub policy: PolicyDocument,
}

/// ECS lists (camelCase, as the ECS CLI prints).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EcsState {
    /// `describe-services` `.services[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<Service>>,
    /// `describe-task-definition` `.taskDefinition`.
    #[serde(
        rename = "taskDefinitions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub task_definitions: Option<Vec<TaskDefinition>>,
    /// `describe-tasks` `.tasks[]` (recent stopped tasks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
}

/// An ECS service.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// Its ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    /// Its name.
    pub service_name: String,
    /// Cluster ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    /// Task definition ARN of the current (PRIMARY) deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    /// `FARGATE`, `EC2`, `EXTERNAL`; absent with a capacity-provider strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    /// Capacity providers (`FARGATE`, `FARGATE_SPOT`, or ASG providers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// Requested platform version (`LATEST`, `1.4.0` ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// `Linux`, `WINDOWS_SERVER_2019_CORE` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    /// awsvpc network configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    /// Deployments; the PRIMARY one is what new tasks get.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<Deployment>,
    /// `ACTIVE`, `DRAINING`, `INACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Desired task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i64>,
    /// Running task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i64>,
    /// Recent service events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<ServiceEvent>,
}

/// A capacity-provider strategy item.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProviderStrategyItem {
    /// Provider name.
    pub capacity_provider: String,
    /// Weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// Base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<i64>,
}

/// `networkConfiguration`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// The awsvpc part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awsvpc_configuration: Option<AwsVpcConfiguration>,
}

/// `awsvpcConfiguration`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsVpcConfiguration {
    /// Task subnets.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Task security groups; empty means the VPC default group.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// `ENABLED` / `DISABLED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign_public_ip: Option<String>,
}

/// A service deployment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `ecs-svc/...`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `PRIMARY`, `ACTIVE`, `INACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Task definition ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    /// Launch type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    /// Capacity providers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// Resolved platform version (never `LATEST` on a real deployment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// Platform family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    /// Network configuration of this deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    /// `COMPLETED`, `FAILED`, `IN_PROGRESS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout_state: Option<String>,
}

/// A service event.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEvent {
    /// The message.
    #[serde(default)]
    pub message: String,
    /// When (as printed: ISO string or epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<serde_json::Value>,
}

/// An ECS task definition.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    /// Its ARN (absent in a not-yet-registered definition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    /// Family.
    #[serde(default)]
    pub family: String,
    /// Revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    /// Task role: the identity EFS sees when `iam` is ENABLED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    /// Execution role: pulls images and writes logs, never the EFS identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    /// `awsvpc`, `bridge`, `host`, `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    /// `FARGATE`, `EC2`, `EXTERNAL`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// OS and CPU architecture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    /// Volumes.
    #[serde(default)]
    pub volumes: Vec<Volume>,
    /// Containers.
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    /// `ACTIVE` / `INACTIVE` / `DELETE_IN_PROGRESS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A whole `describe-task-definition` answer given in place of its `taskDefinition`; the
    /// loader unwraps it.
    #[serde(rename = "taskDefinition", default, skip_serializing)]
    pub wrapped: Option<Box<TaskDefinition>>,
}

/// `runtimePlatform`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimePlatform {
    /// `LINUX`, `WINDOWS_SERVER_2019_CORE` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_family: Option<String>,
    /// `X86_64`, `ARM64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
}

/// A task-definition volume.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    /// Name referenced by `mountPoints[].sourceVolume`.
    #[serde(default)]
    pub name: String,
    /// EFS configuration; the only kind these rules look at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efs_volume_configuration: Option<EfsVolumeConfiguration>,
}

/// `efsVolumeConfiguration`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsVolumeConfiguration {
    /// `fs-...`
    #[serde(default)]
    pub file_system_id: String,
    /// Directory to mount as the root; ECS never creates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    /// `ENABLED` / `DISABLED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_encryption: Option<String>,
    /// Local stunnel port (not a security-group port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_encryption_port: Option<i64>,
    /// Access point and IAM switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_config: Option<EfsAuthorizationConfig>,
}

impl EfsVolumeConfiguration {
    /// `transitEncryption` is `ENABLED`.
    pub fn tls(&self) -> bool {
        self.transit_encryption
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case("ENABLED"))
    }
    /// `authorizationConfig.iam` is `ENABLED`.
    pub fn iam(&self) -> bool {
        self.authorization_config
            .as_ref()
            .and_then(|a| a.iam.as_deref())
            .is_some_and(|v| v.eq_ignore_ascii_case("ENABLED"))
    }
    /// `authorizationConfig.accessPointId`, when set and non-empty.
    pub fn access_point_id(&self) -> Option<&str> {
        self.authorization_config
            .as_ref()
            .and_then(|a| a.access_point_id.as_deref())
            .filter(|s| !s.is_empty())
    }
    /// `rootDirectory` unless absent, empty or `/`.
    pub fn non_root_directory(&self) -> Option<&str> {
        self.root_directory
            .as_deref()
            .filter(|p| !p.is_empty() && *p != "/")
    }
}

/// `authorizationConfig`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsAuthorizationConfig {
    /// `fsap-...`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_point_id: Option<String>,
    /// `ENABLED` / `DISABLED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<String>,
}

/// A container definition (only what the rules need, plus names for redaction).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    /// Container name.
    #[serde(default)]
    pub name: String,
    /// Image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Volume mounts.
    #[serde(default)]
    pub mount_points: Vec<MountPoint>,
    /// Environment (values are redacted by the snapshot writer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<KeyValuePair>,
    /// Entry point.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_point: Vec<String>,
    /// Command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
}

/// A container mount point.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MountPoint {
    /// Volume name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_volume: Option<String>,
    /// Path in the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_path: Option<String>,
    /// Read-only mount; absent means read-write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

/// `{"name": ..., "value": ...}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValuePair {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// An ECS task (recent stopped tasks, for diagnosis).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// Its ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    /// Cluster ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    /// Task definition ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    /// `service:<name>` for service tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// `STOPPED` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    /// Why it stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    /// `TaskFailedToStart` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<String>,
    /// Resolved platform version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// AZ name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// When it stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<serde_json::Value>,
}

/// IAM lists, as `get-account-authorization-details` prints them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IamState {
    /// `.RoleDetailList[]`.
    #[serde(
        rename = "RoleDetailList",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub roles: Option<Vec<RoleDetail>>,
    /// `.Policies[]` (managed policies with their versions).
    #[serde(rename = "Policies", default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Vec<ManagedPolicyDetail>>,
}

/// An IAM role with its policies.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleDetail {
    /// Path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Name.
    #[serde(default)]
    pub role_name: String,
    /// `AROA...` unique id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    /// ARN.
    pub arn: String,
    /// Trust policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assume_role_policy_document: Option<PolicyDocument>,
    /// Inline policies.
    #[serde(default)]
    pub role_policy_list: Vec<InlinePolicy>,
    /// Attached managed policies.
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
    /// Permissions boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<PermissionsBoundary>,
}

/// An inline policy.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    /// Name.
    #[serde(default)]
    pub policy_name: String,
    /// Document.
    pub policy_document: PolicyDocument,
}

/// A managed policy attachment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachedPolicy {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// ARN.
    pub policy_arn: String,
}

/// A permissions boundary.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PermissionsBoundary {
    /// `Policy`.
    #[serde(default, alias = "Type", skip_serializing_if = "Option::is_none")]
    pub permissions_boundary_type: Option<String>,
    /// The boundary policy ARN.
    #[serde(alias = "Arn")]
    pub permissions_boundary_arn: String,
}

/// A managed policy with its versions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicyDetail {
    /// Name (moto omits it; key policies by ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// ARN.
    pub arn: String,
    /// The version in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_version_id: Option<String>,
    /// Versions.
    #[serde(default)]
    pub policy_version_list: Vec<PolicyVersion>,
}

impl ManagedPolicyDetail {
    /// The default version's document.
    pub fn default_document(&self) -> Option<&PolicyDocument> {
        let by_flag = self
            .policy_version_list
            .iter()
            .find(|v| v.is_default_version);
        let by_id = self.default_version_id.as_deref().and_then(|id| {
            self.policy_version_list
                .iter()
                .find(|v| v.version_id.as_deref() == Some(id))
        });
        by_flag
            .or(by_id)
            .or_else(|| {
                if self.policy_version_list.len() == 1 {
                    self.policy_version_list.first()
                } else {
                    None
                }
            })
            .and_then(|v| v.document.as_ref())
    }
}

/// A managed policy version.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyVersion {
    /// The document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<PolicyDocument>,
    /// `v1` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// Whether this is the default version.
    #[serde(default)]
    pub is_default_version: bool,
}
