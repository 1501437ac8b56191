//! The snapshot model: the AWS state the rules read, in the shapes the AWS CLI prints.
//!
//! Key names and casing follow the AWS CLI exactly (PascalCase for EC2, EFS and IAM, camelCase
//! for ECS) so that a snapshot can be assembled by hand from `aws ... describe-*` output.
//! Every list is an `Option`: `None` means "not collected" (the rules that need it say
//! `unknown`), `Some(vec![])` means "collected, none exist". Unknown keys are ignored.
//! Only the fields the rules, the collector or the reports use are modelled; anything else in
//! the input is skipped without being type-checked.
//!
//! An optional field (`Option`) missing from the input reads as `None`, and a `None` is left out
//! of the JSON written: every struct says so once with `#[skip_serializing_none]`, placed before
//! its `derive`, instead of a serde attribute on each field.
//!
//! This module depends on nothing but serde (and serde_with for that attribute); it must not
//! know about rules or AWS SDK types.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::policy::PolicyDocument;

/// Current snapshot format version written by this tool.
pub const SNAPSHOT_VERSION: u64 = 1;

/// One saved view of an account and region.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version; a missing or newer version is rejected by the loader.
    pub efs_preflight_snapshot: Option<u64>,
    /// RFC 3339 time of collection.
    pub collected_at: Option<String>,
    /// AWS Region the state was read from.
    pub region: Option<String>,
    /// Account id the state was read from.
    pub account_id: Option<String>,
    /// Tool and version that wrote the snapshot.
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
    /// KMS state.
    #[serde(default)]
    pub kms: KmsState,
    /// Route 53 state (private hosted zones).
    #[serde(default)]
    pub route53: Route53State,
    /// Route 53 Resolver state (rules and their VPC associations).
    #[serde(default)]
    pub route53resolver: Route53ResolverState,
    /// Several estates (accounts x Regions) in one file, each with its own `account_id`,
    /// `region`, `gaps` and sections, instead of the top-level sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub estates: Vec<Snapshot>,
    /// (ext) Set while a multi-estate snapshot is being written, or when its collection was
    /// interrupted: the estates still to read and how to read them. `snapshot --resume FILE`
    /// reads those and removes it; `check --snapshot` reports each pending estate as not read.
    pub incomplete: Option<Incomplete>,
    /// Ids of the file systems an infrastructure-as-code input creates: their mount targets and
    /// policy are exactly the input's, so those lists count as collected for them. Not saved.
    #[serde(skip)]
    pub created_file_systems: Vec<String>,
}

/// What an interrupted multi-estate collection still has to read, and the options it ran
/// with, so that resuming reads the missing estates exactly as the first run would have.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incomplete {
    /// The estates not read yet, sorted by account and Region.
    #[serde(default)]
    pub pending: Vec<EstateId>,
    /// The role assumed in every account other than the caller's (`--role-name`).
    pub role_name: Option<String>,
    /// The clusters in scope (`--cluster`); empty means every cluster.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clusters: Vec<String>,
    /// The services in scope (`--service`); empty means every service with an EFS volume.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
}

/// One estate: an account and a Region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EstateId {
    /// The 12-digit account id.
    pub account_id: String,
    /// The Region code (`eu-west-1`).
    pub region: String,
}

impl std::fmt::Display for EstateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.account_id, self.region)
    }
}

/// A call the collector could not make; dependent rules report `unknown`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// The API call, as `service:Action` (`iam:GetRole`).
    pub call: String,
    /// The resource the call was about, when there was one.
    pub resource: Option<String>,
    /// The error code or message AWS returned.
    pub error: String,
}

/// EC2 / VPC lists.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ec2State {
    /// `describe-vpcs` `.Vpcs[]`.
    pub vpcs: Option<Vec<Vpc>>,
    /// (ext) one per VPC, the two `describe-vpc-attribute` answers merged.
    pub vpc_attributes: Option<Vec<VpcAttributes>>,
    /// `describe-dhcp-options` `.DhcpOptions[]`.
    pub dhcp_options: Option<Vec<DhcpOptions>>,
    /// `describe-subnets` `.Subnets[]`.
    pub subnets: Option<Vec<Subnet>>,
    /// `describe-security-groups` `.SecurityGroups[]`.
    pub security_groups: Option<Vec<SecurityGroup>>,
    /// `describe-network-acls` `.NetworkAcls[]`.
    pub network_acls: Option<Vec<NetworkAcl>>,
    /// `describe-route-tables` `.RouteTables[]`.
    pub route_tables: Option<Vec<RouteTable>>,
    /// `describe-managed-prefix-lists` `.PrefixLists[]`, each with (ext) `Entries`.
    pub managed_prefix_lists: Option<Vec<ManagedPrefixList>>,
}

/// A VPC (`describe-vpcs`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// `vpc-...`
    pub vpc_id: String,
    /// Primary IPv4 CIDR.
    pub cidr_block: Option<String>,
    /// All IPv4 CIDRs, primary included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidr_block_association_set: Vec<VpcCidrAssociation>,
    /// IPv6 CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_block_association_set: Vec<VpcIpv6CidrAssociation>,
    /// `dopt-...`, or `default` for the AWS-provided set.
    pub dhcp_options_id: Option<String>,
    /// Whether this is the Region's default VPC.
    #[serde(default)]
    pub is_default: bool,
    /// Owner account.
    pub owner_id: Option<String>,
}

/// An IPv4 CIDR of a VPC.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcCidrAssociation {
    /// The CIDR.
    pub cidr_block: Option<String>,
    /// Association state (`associated` ...).
    pub cidr_block_state: Option<CidrBlockState>,
}

/// An IPv6 CIDR of a VPC.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcIpv6CidrAssociation {
    /// The CIDR.
    pub ipv6_cidr_block: Option<String>,
    /// Association state.
    pub ipv6_cidr_block_state: Option<CidrBlockState>,
}

/// State of a CIDR association.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrBlockState {
    /// `associated`, `disassociated` ...
    pub state: Option<String>,
}

/// (ext) The DNS attributes of one VPC.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcAttributes {
    /// The VPC.
    pub vpc_id: String,
    /// `enableDnsSupport`.
    pub enable_dns_support: Option<AttributeBool>,
    /// `enableDnsHostnames`.
    pub enable_dns_hostnames: Option<AttributeBool>,
}

/// `{"Value": true}` as `describe-vpc-attribute` prints it.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeBool {
    /// The value; absent means unknown.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeValue {
    /// The value.
    pub value: Option<String>,
}

/// A subnet (`describe-subnets`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    /// `subnet-...`
    pub subnet_id: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// AZ name; differs between accounts for the same location.
    pub availability_zone: Option<String>,
    /// AZ id (`use1-az1`); the same location in every account.
    pub availability_zone_id: Option<String>,
    /// IPv4 CIDR (absent for IPv6-only subnets).
    pub cidr_block: Option<String>,
    /// IPv6 CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidr_block_association_set: Vec<SubnetIpv6CidrAssociation>,
    /// Whether DNS64 is on.
    pub enable_dns64: Option<bool>,
    /// Whether new ENIs get an IPv6 address.
    pub assign_ipv6_address_on_creation: Option<bool>,
    /// IPv6-only subnet.
    pub ipv6_native: Option<bool>,
    /// Owner account.
    pub owner_id: Option<String>,
}

/// An IPv6 CIDR of a subnet.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubnetIpv6CidrAssociation {
    /// The CIDR.
    pub ipv6_cidr_block: Option<String>,
    /// Association state.
    pub ipv6_cidr_block_state: Option<CidrBlockState>,
}

/// A security group (`describe-security-groups`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    /// `sg-...`
    pub group_id: String,
    /// Name (`default` for the VPC default group).
    pub group_name: Option<String>,
    /// The VPC.
    pub vpc_id: Option<String>,
    /// Owner account.
    pub owner_id: Option<String>,
    /// Inbound rules.
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    /// Outbound rules.
    #[serde(default)]
    pub ip_permissions_egress: Vec<IpPermission>,
}

/// One security-group rule set (a protocol/port range and its peers).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    /// `tcp`, `udp`, `icmp`, `-1` (all) or a protocol number as a string.
    pub ip_protocol: String,
    /// First port (or ICMP type); absent or -1 for all.
    pub from_port: Option<i64>,
    /// Last port (or ICMP code); absent or -1 for all.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    /// `sg-...`
    pub group_id: Option<String>,
    /// Owner of the referenced group.
    pub user_id: Option<String>,
    /// VPC of the referenced group (peered references).
    pub vpc_id: Option<String>,
    /// Peering connection for cross-VPC references.
    pub vpc_peering_connection_id: Option<String>,
}

/// A network ACL (`describe-network-acls`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    /// `acl-...`
    pub network_acl_id: String,
    /// The VPC.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclAssociation {
    /// The subnet.
    pub subnet_id: Option<String>,
    /// `aclassoc-...`
    pub network_acl_association_id: Option<String>,
}

/// One network ACL rule.
#[skip_serializing_none]
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
    pub cidr_block: Option<String>,
    /// IPv6 CIDR.
    pub ipv6_cidr_block: Option<String>,
    /// Port range for TCP/UDP.
    pub port_range: Option<PortRange>,
}

/// A port range (`{"From": 1024, "To": 65535}`).
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    /// First port.
    pub from: Option<i64>,
    /// Last port.
    pub to: Option<i64>,
}

/// A route table (`describe-route-tables`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    /// `rtb-...`
    pub route_table_id: String,
    /// The VPC.
    pub vpc_id: Option<String>,
    /// Subnet / gateway associations, and the `Main` marker.
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
    /// Routes.
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// A route-table association.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    /// The VPC's main route table.
    #[serde(default)]
    pub main: bool,
    /// Explicitly associated subnet.
    pub subnet_id: Option<String>,
    /// Associated gateway (edge association).
    pub gateway_id: Option<String>,
}

/// One route. Exactly one destination and one target are set.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct Route {
    pub destination_cidr_block: Option<String>,
    pub destination_ipv6_cidr_block: Option<String>,
    pub destination_prefix_list_id: Option<String>,
    /// `local`, `igw-...`, `vgw-...`, or a gateway load balancer endpoint `vpce-...`.
    pub gateway_id: Option<String>,
    pub nat_gateway_id: Option<String>,
    pub transit_gateway_id: Option<String>,
    pub network_interface_id: Option<String>,
    pub instance_id: Option<String>,
    pub vpc_peering_connection_id: Option<String>,
    pub vpc_endpoint_id: Option<String>,
    pub local_gateway_id: Option<String>,
    pub carrier_gateway_id: Option<String>,
    pub core_network_arn: Option<String>,
    pub egress_only_internet_gateway_id: Option<String>,
    /// `active` or `blackhole`.
    pub state: Option<String>,
    /// `CreateRouteTable`, `CreateRoute`, `EnableVgwRoutePropagation`.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPrefixList {
    /// `pl-...`
    pub prefix_list_id: String,
    /// `IPv4` or `IPv6`.
    pub address_family: Option<String>,
    /// Name.
    pub prefix_list_name: Option<String>,
    /// `create-complete` ...
    pub state: Option<String>,
    /// Owner account (`AWS` for AWS-managed lists).
    pub owner_id: Option<String>,
    /// (ext) `get-managed-prefix-list-entries` `.Entries`; absent means not collected.
    pub entries: Option<Vec<PrefixListEntry>>,
}

/// One prefix-list entry.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListEntry {
    /// The CIDR.
    pub cidr: String,
    /// Free text.
    pub description: Option<String>,
}

/// EFS lists.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EfsState {
    /// `describe-file-systems` `.FileSystems[]`.
    pub file_systems: Option<Vec<FileSystem>>,
    /// `describe-mount-targets` `.MountTargets[]` with (ext) `SecurityGroups`.
    pub mount_targets: Option<Vec<MountTarget>>,
    /// `describe-access-points` `.AccessPoints[]`.
    pub access_points: Option<Vec<AccessPoint>>,
    /// `describe-file-system-policy` answers; a collected file system absent here has none.
    pub file_system_policies: Option<Vec<FileSystemPolicy>>,
}

/// An EFS file system.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileSystem {
    /// `fs-...`
    pub file_system_id: String,
    /// Its ARN.
    pub file_system_arn: Option<String>,
    /// Owner account.
    pub owner_id: Option<String>,
    /// `available`, `creating`, `updating`, `deleting`, `deleted`, `error`.
    pub life_cycle_state: Option<String>,
    /// Name tag.
    pub name: Option<String>,
    /// Count of mount targets.
    pub number_of_mount_targets: Option<i64>,
    /// One Zone file systems: the AZ name.
    pub availability_zone_name: Option<String>,
    /// One Zone file systems: the AZ id.
    pub availability_zone_id: Option<String>,
    /// Encrypted at rest.
    pub encrypted: Option<bool>,
    /// Replication overwrite protection.
    pub file_system_protection: Option<FileSystemProtection>,
    /// The KMS key of an encrypted file system (key ARN, as `describe-file-systems` prints it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// `FileSystemProtection`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileSystemProtection {
    /// `ENABLED` (writeable), `DISABLED` or `REPLICATING` (read-only replication destination).
    pub replication_overwrite_protection: Option<String>,
}

/// An EFS mount target with its security groups.
#[skip_serializing_none]
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
    pub life_cycle_state: Option<String>,
    /// IPv4 address.
    pub ip_address: Option<String>,
    /// IPv6 address (dual-stack / IPv6-only mount targets).
    pub ipv6_address: Option<String>,
    /// The ENI.
    pub network_interface_id: Option<String>,
    /// AZ id.
    pub availability_zone_id: Option<String>,
    /// AZ name.
    pub availability_zone_name: Option<String>,
    /// The VPC.
    pub vpc_id: Option<String>,
    /// Owner account.
    pub owner_id: Option<String>,
    /// (ext) `describe-mount-target-security-groups` `.SecurityGroups`; absent = not collected.
    pub security_groups: Option<Vec<String>>,
}

/// An EFS access point.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessPoint {
    /// `fsap-...`
    pub access_point_id: String,
    /// Its ARN.
    pub access_point_arn: Option<String>,
    /// The file system it belongs to.
    pub file_system_id: String,
    /// `available` ...
    pub life_cycle_state: Option<String>,
    /// Name tag.
    pub name: Option<String>,
    /// Enforced POSIX identity.
    pub posix_user: Option<PosixUser>,
    /// Root directory exposed by the access point.
    pub root_directory: Option<RootDirectory>,
    /// Owner account.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RootDirectory {
    /// Path; `/` when absent.
    pub path: Option<String>,
    /// Owner and mode EFS uses to create the path when it is missing.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EcsState {
    /// `describe-services` `.services[]`.
    pub services: Option<Vec<Service>>,
    /// `describe-task-definition` `.taskDefinition`.
    pub task_definitions: Option<Vec<TaskDefinition>>,
    /// `describe-tasks` `.tasks[]` (recent stopped tasks).
    pub tasks: Option<Vec<Task>>,
    /// `list-account-settings --effective-settings` `.settings[]`.
    #[serde(
        rename = "accountSettings",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub account_settings: Option<Vec<AccountSetting>>,
}

/// An ECS service.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// Its ARN.
    pub service_arn: Option<String>,
    /// Its name.
    pub service_name: String,
    /// Cluster ARN.
    pub cluster_arn: Option<String>,
    /// Task definition ARN of the current (PRIMARY) deployment.
    pub task_definition: Option<String>,
    /// `FARGATE`, `EC2`, `EXTERNAL`; absent with a capacity-provider strategy.
    pub launch_type: Option<String>,
    /// Capacity providers (`FARGATE`, `FARGATE_SPOT`, or ASG providers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// Requested platform version (`LATEST`, `1.4.0` ...).
    pub platform_version: Option<String>,
    /// `Linux`, `WINDOWS_SERVER_2019_CORE` ...
    pub platform_family: Option<String>,
    /// awsvpc network configuration.
    pub network_configuration: Option<NetworkConfiguration>,
    /// Deployments; the PRIMARY one is what new tasks get.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<Deployment>,
    /// `ACTIVE`, `DRAINING`, `INACTIVE`.
    pub status: Option<String>,
    /// Desired task count.
    pub desired_count: Option<i64>,
    /// Running task count.
    pub running_count: Option<i64>,
    /// Recent service events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<ServiceEvent>,
}

/// A capacity-provider strategy item.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProviderStrategyItem {
    /// Provider name.
    pub capacity_provider: String,
    /// Weight.
    pub weight: Option<i64>,
    /// Base.
    pub base: Option<i64>,
}

/// `networkConfiguration`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// The awsvpc part.
    pub awsvpc_configuration: Option<AwsVpcConfiguration>,
}

/// `awsvpcConfiguration`.
#[skip_serializing_none]
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
    pub assign_public_ip: Option<String>,
}

/// A service deployment.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `ecs-svc/...`
    pub id: Option<String>,
    /// `PRIMARY`, `ACTIVE`, `INACTIVE`.
    pub status: Option<String>,
    /// Task definition ARN.
    pub task_definition: Option<String>,
    /// Launch type.
    pub launch_type: Option<String>,
    /// Capacity providers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// Resolved platform version (never `LATEST` on a real deployment).
    pub platform_version: Option<String>,
    /// Platform family.
    pub platform_family: Option<String>,
    /// Network configuration of this deployment.
    pub network_configuration: Option<NetworkConfiguration>,
    /// `COMPLETED`, `FAILED`, `IN_PROGRESS`.
    pub rollout_state: Option<String>,
}

/// A service event.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEvent {
    /// The message.
    #[serde(default)]
    pub message: String,
    /// When (as printed: ISO string or epoch).
    pub created_at: Option<serde_json::Value>,
}

/// An ECS task definition.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    /// Its ARN (absent in a not-yet-registered definition).
    pub task_definition_arn: Option<String>,
    /// Family.
    #[serde(default)]
    pub family: String,
    /// Revision.
    pub revision: Option<i64>,
    /// Task role: the identity EFS sees when `iam` is ENABLED.
    pub task_role_arn: Option<String>,
    /// Execution role: pulls images and writes logs, never the EFS identity.
    pub execution_role_arn: Option<String>,
    /// `awsvpc`, `bridge`, `host`, `none`.
    pub network_mode: Option<String>,
    /// `FARGATE`, `EC2`, `EXTERNAL`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// OS and CPU architecture.
    pub runtime_platform: Option<RuntimePlatform>,
    /// Volumes.
    #[serde(default)]
    pub volumes: Vec<Volume>,
    /// Containers.
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    /// `ACTIVE` / `INACTIVE` / `DELETE_IN_PROGRESS`.
    pub status: Option<String>,
    /// A whole `describe-task-definition` answer given in place of its `taskDefinition`; the
    /// loader unwraps it.
    #[serde(rename = "taskDefinition", skip_serializing)]
    pub wrapped: Option<Box<TaskDefinition>>,
}

/// `runtimePlatform`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimePlatform {
    /// `LINUX`, `WINDOWS_SERVER_2019_CORE` ...
    pub operating_system_family: Option<String>,
    /// `X86_64`, `ARM64`.
    pub cpu_architecture: Option<String>,
}

/// A task-definition volume.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    /// Name referenced by `mountPoints[].sourceVolume`.
    #[serde(default)]
    pub name: String,
    /// EFS configuration; the only kind these rules look at.
    pub efs_volume_configuration: Option<EfsVolumeConfiguration>,
}

/// `efsVolumeConfiguration`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsVolumeConfiguration {
    /// `fs-...`
    #[serde(default)]
    pub file_system_id: String,
    /// Directory to mount as the root; ECS never creates it.
    pub root_directory: Option<String>,
    /// `ENABLED` / `DISABLED`.
    pub transit_encryption: Option<String>,
    /// Local stunnel port (not a security-group port).
    pub transit_encryption_port: Option<i64>,
    /// Access point and IAM switch.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsAuthorizationConfig {
    /// `fsap-...`
    pub access_point_id: Option<String>,
    /// `ENABLED` / `DISABLED`.
    pub iam: Option<String>,
}

/// A container definition (only what the rules need, plus names for redaction).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    /// Container name.
    #[serde(default)]
    pub name: String,
    /// Image.
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
    /// `user`: `uid`, `uid:gid`, `user`, `user:group` ...; absent means the image's user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// A container mount point.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MountPoint {
    /// Volume name.
    pub source_volume: Option<String>,
    /// Path in the container.
    pub container_path: Option<String>,
    /// Read-only mount; absent means read-write.
    pub read_only: Option<bool>,
}

/// `{"name": ..., "value": ...}`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValuePair {
    /// Name.
    pub name: Option<String>,
    /// Value.
    pub value: Option<String>,
}

/// An ECS task (recent stopped tasks, for diagnosis).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// Its ARN.
    pub task_arn: Option<String>,
    /// Cluster ARN.
    pub cluster_arn: Option<String>,
    /// Task definition ARN.
    pub task_definition_arn: Option<String>,
    /// `service:<name>` for service tasks.
    pub group: Option<String>,
    /// `STOPPED` ...
    pub last_status: Option<String>,
    /// Why it stopped.
    pub stopped_reason: Option<String>,
    /// `TaskFailedToStart` ...
    pub stop_code: Option<String>,
    /// Resolved platform version.
    pub platform_version: Option<String>,
    /// AZ name.
    pub availability_zone: Option<String>,
    /// When it stopped.
    pub stopped_at: Option<serde_json::Value>,
    /// `FARGATE`, `EC2` or `EXTERNAL`; absent with a capacity provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    /// The capacity provider it ran on (`FARGATE`, `FARGATE_SPOT`, an Auto Scaling group's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_name: Option<String>,
    /// Its network interface (awsvpc), with `subnetId` and `networkInterfaceId` among the
    /// details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<TaskAttachment>,
    /// Who started it: for a service's task, the id of the deployment that started it
    /// (`ecs-svc/...`), which `DescribeServices` lists with its network configuration.
    pub started_by: Option<String>,
    /// The security groups of its network interface, from `ec2:DescribeNetworkInterfaces` while
    /// the interface still existed (ECS deletes it after the task stops; `DescribeTasks` does
    /// not return a task's security groups). Not part of `describe-tasks` output.
    pub security_groups: Option<Vec<String>>,
}

impl Task {
    /// A detail of the task's `ElasticNetworkInterface` attachment (`subnetId`,
    /// `networkInterfaceId`, `privateIPv4Address`).
    pub fn eni_detail(&self, name: &str) -> Option<&str> {
        self.attachments
            .iter()
            .filter(|a| a.kind.as_deref() == Some("ElasticNetworkInterface"))
            .flat_map(|a| &a.details)
            .find(|d| d.name.as_deref() == Some(name))
            .and_then(|d| d.value.as_deref())
    }
}

/// A task attachment, as `describe-tasks` prints it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskAttachment {
    /// Attachment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `ElasticNetworkInterface` ...
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `ATTACHED`, `DELETED` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Name/value pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<KeyValuePair>,
}

/// IAM lists, as `get-account-authorization-details` prints them.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IamState {
    /// `.RoleDetailList[]`.
    #[serde(rename = "RoleDetailList")]
    pub roles: Option<Vec<RoleDetail>>,
    /// `.Policies[]` (managed policies with their versions).
    #[serde(rename = "Policies")]
    pub policies: Option<Vec<ManagedPolicyDetail>>,
}

/// An IAM role with its policies.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleDetail {
    /// Path.
    pub path: Option<String>,
    /// Name.
    #[serde(default)]
    pub role_name: String,
    /// `AROA...` unique id.
    pub role_id: Option<String>,
    /// ARN.
    pub arn: String,
    /// Trust policy.
    pub assume_role_policy_document: Option<PolicyDocument>,
    /// Inline policies.
    #[serde(default)]
    pub role_policy_list: Vec<InlinePolicy>,
    /// Attached managed policies.
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
    /// Permissions boundary.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachedPolicy {
    /// Name.
    pub policy_name: Option<String>,
    /// ARN.
    pub policy_arn: String,
}

/// A permissions boundary.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PermissionsBoundary {
    /// `Policy`.
    #[serde(alias = "Type")]
    pub permissions_boundary_type: Option<String>,
    /// The boundary policy ARN.
    #[serde(alias = "Arn")]
    pub permissions_boundary_arn: String,
}

/// A managed policy with its versions.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicyDetail {
    /// Name (moto omits it; key policies by ARN).
    pub policy_name: Option<String>,
    /// ARN.
    pub arn: String,
    /// The version in effect.
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyVersion {
    /// The document.
    pub document: Option<PolicyDocument>,
    /// `v1` ...
    pub version_id: Option<String>,
    /// Whether this is the default version.
    #[serde(default)]
    pub is_default_version: bool,
}

// ---- KMS, Route 53, Route 53 Resolver and ECS account settings ----

/// KMS lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KmsState {
    /// `describe-key` `.KeyMetadata`, one per key of an encrypted file system.
    #[serde(rename = "Keys", default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<KeyMetadata>>,
}

/// A KMS key (`describe-key` `.KeyMetadata`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    /// Key id (a UUID, or `mrk-...` for multi-Region keys).
    pub key_id: String,
    /// Key ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, `PendingReplicaDeletion`,
    /// `Unavailable`, `Updating`, `Creating`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_state: Option<String>,
    /// Whether the key is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `AWS` or `CUSTOMER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_manager: Option<String>,
    /// When a key pending deletion is deleted (as printed: ISO string or epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<serde_json::Value>,
    /// Owner account.
    #[serde(
        rename = "AWSAccountId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aws_account_id: Option<String>,
}

/// Route 53 lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Route53State {
    /// Private hosted zones associated with a task VPC (`get-hosted-zone` `.HostedZone` with
    /// (ext) `VPCs`, `Owner` and `ResourceRecordSets`).
    #[serde(
        rename = "HostedZones",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hosted_zones: Option<Vec<HostedZone>>,
    /// (ext) The VPCs whose private hosted zones were read (`list-hosted-zones-by-vpc` was
    /// called for each): a VPC not in this list has zones nobody looked at. Absent (a snapshot
    /// assembled from AWS CLI output, or an older one): `HostedZones` holds every VPC's zones.
    #[serde(rename = "VpcsRead", default, skip_serializing_if = "Option::is_none")]
    pub vpcs_read: Option<Vec<String>>,
}

/// A private hosted zone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZone {
    /// `/hostedzone/Z...` or `Z...`.
    pub id: String,
    /// Domain name, with or without the final dot.
    pub name: String,
    /// Private or public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<HostedZoneConfig>,
    /// (ext) `get-hosted-zone` `.VPCs`: the VPCs the zone is associated with.
    #[serde(rename = "VPCs", default, skip_serializing_if = "Option::is_none")]
    pub vpcs: Option<Vec<HostedZoneVpc>>,
    /// (ext) `list-hosted-zones-by-vpc` `.HostedZoneSummaries[].Owner`: who owns the zone (an
    /// account, or an AWS service such as `efs.amazonaws.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<HostedZoneOwner>,
    /// (ext) `list-resource-record-sets` `.ResourceRecordSets`; absent means not collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_record_sets: Option<Vec<ResourceRecordSet>>,
}

impl HostedZone {
    /// The zone id without the `/hostedzone/` prefix.
    pub fn short_id(&self) -> &str {
        self.id.rsplit('/').next().unwrap_or(&self.id)
    }

    /// Whether the zone is private (absent `Config` counts as private: only private zones are
    /// collected).
    pub fn is_private(&self) -> bool {
        self.config
            .as_ref()
            .and_then(|c| c.private_zone)
            .unwrap_or(true)
    }

    /// The AWS service that owns the zone (`efs.amazonaws.com`), if a service does.
    pub fn owning_service(&self) -> Option<&str> {
        self.owner
            .as_ref()
            .and_then(|o| o.owning_service.as_deref())
    }
}

/// `HostedZone.Config`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZoneConfig {
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Private zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_zone: Option<bool>,
}

/// A VPC associated with a private hosted zone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HostedZoneVpc {
    /// Region.
    #[serde(rename = "VPCRegion", default, skip_serializing_if = "Option::is_none")]
    pub vpc_region: Option<String>,
    /// `vpc-...`
    #[serde(rename = "VPCId")]
    pub vpc_id: String,
}

/// `HostedZoneOwner`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZoneOwner {
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owning_account: Option<String>,
    /// Owner service (`efs.amazonaws.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owning_service: Option<String>,
}

/// A record set (only what name resolution needs).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceRecordSet {
    /// Record name, with or without the final dot; `\052` or `*` for wildcards.
    pub name: String,
    /// `A`, `AAAA`, `CNAME` ...
    #[serde(rename = "Type")]
    pub record_type: String,
}

/// Route 53 Resolver lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Route53ResolverState {
    /// `list-resolver-rules` `.ResolverRules[]`.
    #[serde(
        rename = "ResolverRules",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolver_rules: Option<Vec<ResolverRule>>,
    /// `list-resolver-rule-associations` `.ResolverRuleAssociations[]`.
    #[serde(
        rename = "ResolverRuleAssociations",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolver_rule_associations: Option<Vec<ResolverRuleAssociation>>,
    /// (ext) The VPCs whose rule associations were read (`list-resolver-rule-associations`
    /// filtered by `VPCId` for each): a VPC not in this list has associations nobody looked
    /// at. Absent (a snapshot assembled from AWS CLI output, or an older one):
    /// `ResolverRuleAssociations` holds every VPC's associations.
    #[serde(rename = "VpcsRead", default, skip_serializing_if = "Option::is_none")]
    pub vpcs_read: Option<Vec<String>>,
}

/// A Resolver rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRule {
    /// `rslvr-rr-...` (or `rslvr-autodefined-rr-...`).
    pub id: String,
    /// Domain name, with or without the final dot; `.` for every name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// `FORWARD`, `SYSTEM` or `RECURSIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_type: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `COMPLETE`, `DELETING`, `UPDATING`, `FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The DNS servers a FORWARD rule sends queries to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_ips: Vec<TargetAddress>,
}

/// A target of a FORWARD rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetAddress {
    /// IPv4 address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// IPv6 address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
    /// Port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
}

/// The association of a Resolver rule with a VPC.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRuleAssociation {
    /// `rslvr-rrassoc-...`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The rule.
    pub resolver_rule_id: String,
    /// The VPC (`VPCId`, as the API spells it).
    #[serde(rename = "VPCId", alias = "VpcId")]
    pub vpc_id: String,
    /// `CREATING`, `COMPLETE`, `DELETING`, `FAILED`, `OVERRIDDEN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// An ECS account setting (`list-account-settings --effective-settings` `.settings[]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSetting {
    /// `dualStackIPv6`, `awsvpcTrunking` ...
    pub name: String,
    /// `enabled` / `disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The principal the setting is for (the account root, or a role / user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    /// `user` or `aws_managed`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub setting_type: Option<String>,
}

impl Subnet {
    /// Whether the subnet has an associated IPv6 CIDR.
    pub fn has_ipv6_cidr(&self) -> bool {
        self.ipv6_cidr_block_association_set.iter().any(|a| {
            a.ipv6_cidr_block.is_some()
                && a.ipv6_cidr_block_state
                    .as_ref()
                    .and_then(|s| s.state.as_deref())
                    .is_none_or(|s| s.eq_ignore_ascii_case("associated"))
        })
    }

    /// Whether the subnet is IPv6-only: `Ipv6Native`, or an IPv6 CIDR and no IPv4 CIDR.
    pub fn is_ipv6_only(&self) -> bool {
        self.ipv6_native == Some(true) || (self.cidr_block.is_none() && self.has_ipv6_cidr())
    }
}
