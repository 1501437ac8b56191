//! The joined estate: every resource of a snapshot as a node, every reference as an edge, and
//! queries that read like the domain ("mount targets of this file system", "the network ACL of
//! this subnet", "the VPC default security group").
//!
//! Only this module imports petgraph. Lookups that cannot be answered return [`Missing`], which
//! says whether the list was not collected (and which collection gap explains it) or the resource
//! is absent from a collected list. Rules turn `Missing` into `unknown` findings.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::snapshot::{
    AccessPoint, DhcpOptions, FileSystem, Gap, ManagedPolicyDetail, ManagedPrefixList, MountTarget,
    NetworkAcl, PolicyDocument, RoleDetail, RouteTable, SecurityGroup, Service, Snapshot, Subnet,
    TaskDefinition, Vpc, VpcAttributes,
};
use crate::snapshot::{HostedZone, KeyMetadata, ResolverRule};

/// Why a question about the estate cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    reason: String,
}

impl Missing {
    /// A free-form reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }

    /// The reason, as a sentence fragment.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// A snapshot list, for messages and for matching collection gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    /// `ec2.Vpcs`
    Vpcs,
    /// `ec2.VpcAttributes`
    VpcAttributes,
    /// `ec2.DhcpOptions`
    DhcpOptions,
    /// `ec2.Subnets`
    Subnets,
    /// `ec2.SecurityGroups`
    SecurityGroups,
    /// `ec2.NetworkAcls`
    NetworkAcls,
    /// `ec2.RouteTables`
    RouteTables,
    /// `ec2.ManagedPrefixLists`
    PrefixLists,
    /// `efs.FileSystems`
    FileSystems,
    /// `efs.MountTargets`
    MountTargets,
    /// `efs.AccessPoints`
    AccessPoints,
    /// `efs.FileSystemPolicies`
    FileSystemPolicies,
    /// `ecs.services`
    Services,
    /// `ecs.taskDefinitions`
    TaskDefinitions,
    /// `iam.RoleDetailList`
    Roles,
    /// `iam.Policies`
    Policies,
    /// `kms.Keys`
    KmsKeys,
    /// `route53.HostedZones`
    HostedZones,
    /// `route53resolver.ResolverRules`
    ResolverRules,
    /// `route53resolver.ResolverRuleAssociations`
    ResolverRuleAssociations,
    /// `ecs.accountSettings`
    AccountSettings,
}

impl List {
    /// Every list, in snapshot order.
    pub const ALL: [List; 21] = [
        List::Vpcs,
        List::VpcAttributes,
        List::DhcpOptions,
        List::Subnets,
        List::SecurityGroups,
        List::NetworkAcls,
        List::RouteTables,
        List::PrefixLists,
        List::FileSystems,
        List::MountTargets,
        List::AccessPoints,
        List::FileSystemPolicies,
        List::Services,
        List::TaskDefinitions,
        List::Roles,
        List::Policies,
        List::KmsKeys,
        List::HostedZones,
        List::ResolverRules,
        List::ResolverRuleAssociations,
        List::AccountSettings,
    ];

    /// The list's key path in the snapshot.
    pub fn path(self) -> &'static str {
        match self {
            List::Vpcs => "ec2.Vpcs",
            List::VpcAttributes => "ec2.VpcAttributes",
            List::DhcpOptions => "ec2.DhcpOptions",
            List::Subnets => "ec2.Subnets",
            List::SecurityGroups => "ec2.SecurityGroups",
            List::NetworkAcls => "ec2.NetworkAcls",
            List::RouteTables => "ec2.RouteTables",
            List::PrefixLists => "ec2.ManagedPrefixLists",
            List::FileSystems => "efs.FileSystems",
            List::MountTargets => "efs.MountTargets",
            List::AccessPoints => "efs.AccessPoints",
            List::FileSystemPolicies => "efs.FileSystemPolicies",
            List::Services => "ecs.services",
            List::TaskDefinitions => "ecs.taskDefinitions",
            List::Roles => "iam.RoleDetailList",
            List::Policies => "iam.Policies",
            List::KmsKeys => "kms.Keys",
            List::HostedZones => "route53.HostedZones",
            List::ResolverRules => "route53resolver.ResolverRules",
            List::ResolverRuleAssociations => "route53resolver.ResolverRuleAssociations",
            List::AccountSettings => "ecs.accountSettings",
        }
    }

    /// The API actions whose failure leaves this list incomplete.
    pub fn calls(self) -> &'static [&'static str] {
        match self {
            List::Vpcs => &["ec2:DescribeVpcs"],
            List::VpcAttributes => &["ec2:DescribeVpcAttribute"],
            List::DhcpOptions => &["ec2:DescribeDhcpOptions"],
            List::Subnets => &["ec2:DescribeSubnets"],
            List::SecurityGroups => &["ec2:DescribeSecurityGroups"],
            List::NetworkAcls => &["ec2:DescribeNetworkAcls"],
            List::RouteTables => &["ec2:DescribeRouteTables"],
            List::PrefixLists => &[
                "ec2:DescribeManagedPrefixLists",
                "ec2:GetManagedPrefixListEntries",
            ],
            List::FileSystems => &["elasticfilesystem:DescribeFileSystems"],
            List::MountTargets => &[
                "elasticfilesystem:DescribeMountTargets",
                "elasticfilesystem:DescribeMountTargetSecurityGroups",
            ],
            List::AccessPoints => &["elasticfilesystem:DescribeAccessPoints"],
            List::FileSystemPolicies => &["elasticfilesystem:DescribeFileSystemPolicy"],
            List::Services => &[
                "ecs:DescribeServices",
                "ecs:ListServices",
                "ecs:ListClusters",
            ],
            List::TaskDefinitions => &["ecs:DescribeTaskDefinition"],
            List::Roles => &[
                "iam:GetRole",
                "iam:ListRolePolicies",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:GetAccountAuthorizationDetails",
            ],
            List::Policies => &[
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
                "iam:GetAccountAuthorizationDetails",
            ],
            List::KmsKeys => &["kms:DescribeKey"],
            List::HostedZones => &[
                "route53:ListHostedZonesByVPC",
                "route53:GetHostedZone",
                "route53:ListResourceRecordSets",
            ],
            List::ResolverRules => &["route53resolver:GetResolverRule"],
            List::ResolverRuleAssociations => &["route53resolver:ListResolverRuleAssociations"],
            List::AccountSettings => &["ecs:ListAccountSettings"],
        }
    }
}

/// What a node holds: a resource of the snapshot, or an id that something references but the
/// snapshot does not contain.
#[derive(Debug, Clone, Copy)]
enum Node<'s> {
    Vpc(&'s Vpc),
    Subnet(&'s Subnet),
    SecurityGroup(&'s SecurityGroup),
    NetworkAcl(&'s NetworkAcl),
    RouteTable(&'s RouteTable),
    PrefixList(&'s ManagedPrefixList),
    DhcpOptions(&'s DhcpOptions),
    FileSystem(&'s FileSystem),
    MountTarget(&'s MountTarget),
    AccessPoint(&'s AccessPoint),
    Role(&'s RoleDetail),
    ManagedPolicy(&'s ManagedPolicyDetail),
    Service,
    TaskDefinition(&'s TaskDefinition),
    Referenced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Vpc,
    Subnet,
    SecurityGroup,
    NetworkAcl,
    RouteTable,
    PrefixList,
    DhcpOptions,
    FileSystem,
    MountTarget,
    AccessPoint,
    Role,
    ManagedPolicy,
    Service,
    TaskDefinition,
}

/// Relations between resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// subnet / security group / ACL / route table -> VPC
    InVpc,
    /// mount target -> subnet
    InSubnet,
    /// mount target -> file system
    MountTargetOf,
    /// access point -> file system
    AccessPointOf,
    /// mount target / service -> security group
    GuardedBy,
    /// network ACL -> subnet (explicit association)
    AclFor,
    /// route table -> subnet (explicit association)
    RoutesFor,
    /// service -> task definition
    Runs,
    /// role -> managed policy
    Attaches,
}

/// A map keyed by resource ids. Every reference of the snapshot is resolved through one, and
/// rules look resources up by id over and over: [`IdHasher`] is several times faster than the
/// default SipHash on such short keys, which come from the snapshot being checked, not from an
/// adversary that could choose colliding ones.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// The multiply-rotate hash rustc uses for its own tables ("FxHash"), eight bytes a step.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.add(u64::from_le_bytes(w));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The joined estate.
pub struct Graph<'s> {
    snapshot: &'s Snapshot,
    g: DiGraph<Node<'s>, Edge>,
    index: IdMap<(Kind, &'s str), NodeIndex>,
    default_sg: IdMap<&'s str, &'s SecurityGroup>,
    default_acl: IdMap<&'s str, &'s NetworkAcl>,
    main_route_table: IdMap<&'s str, &'s RouteTable>,
    vpc_attributes: IdMap<&'s str, &'s VpcAttributes>,
    role_by_name: IdMap<&'s str, &'s RoleDetail>,
    task_definition_by_family_revision: IdMap<(&'s str, i64), &'s TaskDefinition>,
    latest_task_definition: IdMap<&'s str, &'s TaskDefinition>,
    fs_policy: IdMap<&'s str, &'s PolicyDocument>,
    /// The collection gaps of each list: a snapshot of a large account can hold thousands, and
    /// rules ask about one list and resource at a time.
    gaps_by_list: IdMap<List, ListGaps>,
    /// The first infrastructure-as-code gap of each resource: rules ask about every subnet and
    /// mount target of every NFS path.
    iac_gaps: IdMap<&'s str, &'s crate::snapshot::Gap>,
}

/// The collection gaps of one list, as positions in `snapshot.gaps`.
#[derive(Default)]
struct ListGaps {
    /// Every gap of the list, in snapshot order.
    all: Vec<usize>,
    /// Gaps without a resource: they may explain any resource of the list.
    unscoped: Vec<usize>,
    /// Gaps with a resource, sorted by the resource's bytes reversed: the gaps whose resource
    /// ends with a given text (an id at the end of an ARN) then form one range.
    by_reversed_resource: Vec<(Vec<u8>, usize)>,
}

impl ListGaps {
    /// The gaps that may explain `resource` (`None`: every gap), in snapshot order.
    fn positions(&self, resource: Option<&str>) -> Vec<usize> {
        let Some(want) = resource else {
            return self.all.clone();
        };
        let key: Vec<u8> = want.bytes().rev().collect();
        let start = self
            .by_reversed_resource
            .partition_point(|(reversed, _)| reversed.as_slice() < key.as_slice());
        let mut positions: Vec<usize> = self
            .by_reversed_resource
            .iter()
            .skip(start)
            .take_while(|(reversed, _)| reversed.starts_with(&key))
            .map(|(_, i)| *i)
            .chain(self.unscoped.iter().copied())
            .collect();
        positions.sort_unstable();
        positions
    }
}

impl<'s> Graph<'s> {
    /// Joins a snapshot. Linear in its size: every reference is resolved through a hash index.
    pub fn build(snapshot: &'s Snapshot) -> Self {
        let mut graph = Graph {
            snapshot,
            g: DiGraph::new(),
            index: IdMap::default(),
            default_sg: IdMap::default(),
            default_acl: IdMap::default(),
            main_route_table: IdMap::default(),
            vpc_attributes: IdMap::default(),
            role_by_name: IdMap::default(),
            task_definition_by_family_revision: IdMap::default(),
            latest_task_definition: IdMap::default(),
            fs_policy: IdMap::default(),
            gaps_by_list: IdMap::default(),
            iac_gaps: IdMap::default(),
        };
        graph.index_gaps();
        graph.add_nodes();
        graph.add_edges();
        graph
    }

    fn index_gaps(&mut self) {
        let list_calls: Vec<(List, Vec<String>)> = List::ALL
            .iter()
            .map(|list| {
                (
                    *list,
                    list.calls().iter().map(|c| normalize_call(c)).collect(),
                )
            })
            .collect();
        for (i, gap) in self.snapshot.gaps.iter().enumerate() {
            if gap.is_iac() {
                if let Some(resource) = gap.resource.as_deref() {
                    self.iac_gaps.entry(resource).or_insert(gap);
                }
            }
            let call = normalize_call(&gap.call);
            for (list, calls) in &list_calls {
                if !calls.contains(&call) {
                    continue;
                }
                let gaps = self.gaps_by_list.entry(*list).or_default();
                gaps.all.push(i);
                match gap.resource.as_deref() {
                    Some(r) => gaps
                        .by_reversed_resource
                        .push((r.bytes().rev().collect(), i)),
                    None => gaps.unscoped.push(i),
                }
            }
        }
        for gaps in self.gaps_by_list.values_mut() {
            gaps.by_reversed_resource.sort();
        }
    }

    fn add(&mut self, kind: Kind, id: &'s str, node: Node<'s>) {
        // First one wins on duplicate ids; later copies are ignored.
        if !self.index.contains_key(&(kind, id)) {
            let ix = self.g.add_node(node);
            self.index.insert((kind, id), ix);
        }
    }

    fn node(&mut self, kind: Kind, id: &'s str) -> NodeIndex {
        if let Some(ix) = self.index.get(&(kind, id)) {
            return *ix;
        }
        let ix = self.g.add_node(Node::Referenced);
        self.index.insert((kind, id), ix);
        ix
    }

    fn link(&mut self, from: (Kind, &'s str), to: (Kind, &'s str), edge: Edge) {
        let a = self.node(from.0, from.1);
        let b = self.node(to.0, to.1);
        self.g.add_edge(a, b, edge);
    }

    fn add_nodes(&mut self) {
        let s = self.snapshot;
        for v in s.ec2.vpcs.iter().flatten() {
            self.add(Kind::Vpc, &v.vpc_id, Node::Vpc(v));
        }
        for a in s.ec2.vpc_attributes.iter().flatten() {
            self.vpc_attributes.entry(&a.vpc_id).or_insert(a);
        }
        for d in s.ec2.dhcp_options.iter().flatten() {
            self.add(Kind::DhcpOptions, &d.dhcp_options_id, Node::DhcpOptions(d));
        }
        for sn in s.ec2.subnets.iter().flatten() {
            self.add(Kind::Subnet, &sn.subnet_id, Node::Subnet(sn));
        }
        for sg in s.ec2.security_groups.iter().flatten() {
            self.add(Kind::SecurityGroup, &sg.group_id, Node::SecurityGroup(sg));
            if sg.group_name.as_deref() == Some("default") {
                if let Some(vpc) = sg.vpc_id.as_deref() {
                    self.default_sg.entry(vpc).or_insert(sg);
                }
            }
        }
        for acl in s.ec2.network_acls.iter().flatten() {
            self.add(Kind::NetworkAcl, &acl.network_acl_id, Node::NetworkAcl(acl));
            if acl.is_default {
                if let Some(vpc) = acl.vpc_id.as_deref() {
                    self.default_acl.entry(vpc).or_insert(acl);
                }
            }
        }
        for rt in s.ec2.route_tables.iter().flatten() {
            self.add(Kind::RouteTable, &rt.route_table_id, Node::RouteTable(rt));
            if rt.associations.iter().any(|a| a.main) {
                if let Some(vpc) = rt.vpc_id.as_deref() {
                    self.main_route_table.entry(vpc).or_insert(rt);
                }
            }
        }
        for pl in s.ec2.managed_prefix_lists.iter().flatten() {
            self.add(Kind::PrefixList, &pl.prefix_list_id, Node::PrefixList(pl));
        }
        for fs in s.efs.file_systems.iter().flatten() {
            self.add(Kind::FileSystem, &fs.file_system_id, Node::FileSystem(fs));
        }
        for mt in s.efs.mount_targets.iter().flatten() {
            self.add(
                Kind::MountTarget,
                &mt.mount_target_id,
                Node::MountTarget(mt),
            );
        }
        for ap in s.efs.access_points.iter().flatten() {
            self.add(
                Kind::AccessPoint,
                &ap.access_point_id,
                Node::AccessPoint(ap),
            );
        }
        for p in s.efs.file_system_policies.iter().flatten() {
            self.fs_policy.entry(&p.file_system_id).or_insert(&p.policy);
        }
        for r in s.iam.roles.iter().flatten() {
            self.add(Kind::Role, &r.arn, Node::Role(r));
            self.role_by_name.entry(&r.role_name).or_insert(r);
        }
        for p in s.iam.policies.iter().flatten() {
            self.add(Kind::ManagedPolicy, &p.arn, Node::ManagedPolicy(p));
        }
        for svc in s.ecs.services.iter().flatten() {
            let id = svc.service_arn.as_deref().unwrap_or(&svc.service_name);
            self.add(Kind::Service, id, Node::Service);
        }
        for td in s.ecs.task_definitions.iter().flatten() {
            if let Some(arn) = td.task_definition_arn.as_deref() {
                self.add(Kind::TaskDefinition, arn, Node::TaskDefinition(td));
            }
            if let Some(rev) = td.revision {
                self.task_definition_by_family_revision
                    .entry((&td.family, rev))
                    .or_insert(td);
            }
            let newer = self
                .latest_task_definition
                .get(td.family.as_str())
                .is_none_or(|cur| cur.revision < td.revision);
            if newer && !td.family.is_empty() {
                self.latest_task_definition.insert(&td.family, td);
            }
        }
    }

    fn add_edges(&mut self) {
        let s = self.snapshot;
        for sn in s.ec2.subnets.iter().flatten() {
            self.link(
                (Kind::Subnet, &sn.subnet_id),
                (Kind::Vpc, &sn.vpc_id),
                Edge::InVpc,
            );
        }
        for acl in s.ec2.network_acls.iter().flatten() {
            for a in &acl.associations {
                if let Some(sub) = a.subnet_id.as_deref() {
                    self.link(
                        (Kind::NetworkAcl, &acl.network_acl_id),
                        (Kind::Subnet, sub),
                        Edge::AclFor,
                    );
                }
            }
        }
        for rt in s.ec2.route_tables.iter().flatten() {
            for a in &rt.associations {
                if let Some(sub) = a.subnet_id.as_deref() {
                    self.link(
                        (Kind::RouteTable, &rt.route_table_id),
                        (Kind::Subnet, sub),
                        Edge::RoutesFor,
                    );
                }
            }
        }
        for mt in s.efs.mount_targets.iter().flatten() {
            let me = (Kind::MountTarget, mt.mount_target_id.as_str());
            self.link(
                me,
                (Kind::FileSystem, &mt.file_system_id),
                Edge::MountTargetOf,
            );
            self.link(me, (Kind::Subnet, &mt.subnet_id), Edge::InSubnet);
            for sg in mt.security_groups.iter().flatten() {
                self.link(me, (Kind::SecurityGroup, sg), Edge::GuardedBy);
            }
        }
        for ap in s.efs.access_points.iter().flatten() {
            self.link(
                (Kind::AccessPoint, &ap.access_point_id),
                (Kind::FileSystem, &ap.file_system_id),
                Edge::AccessPointOf,
            );
        }
        for r in s.iam.roles.iter().flatten() {
            for p in &r.attached_managed_policies {
                self.link(
                    (Kind::Role, &r.arn),
                    (Kind::ManagedPolicy, &p.policy_arn),
                    Edge::Attaches,
                );
            }
        }
        for svc in s.ecs.services.iter().flatten() {
            let id = svc.service_arn.as_deref().unwrap_or(&svc.service_name);
            if let Some(td) = svc.task_definition.as_deref() {
                self.link((Kind::Service, id), (Kind::TaskDefinition, td), Edge::Runs);
            }
            let sgs = svc
                .network_configuration
                .as_ref()
                .and_then(|n| n.awsvpc_configuration.as_ref())
                .map(|a| a.security_groups.as_slice())
                .unwrap_or_default();
            for sg in sgs {
                self.link(
                    (Kind::Service, id),
                    (Kind::SecurityGroup, sg),
                    Edge::GuardedBy,
                );
            }
        }
    }

    /// The snapshot behind the graph.
    pub fn snapshot(&self) -> &'s Snapshot {
        self.snapshot
    }

    /// Collection gaps that explain a missing list (or a missing resource of it).
    pub fn gaps_for(&self, list: List, resource: Option<&str>) -> Vec<&'s Gap> {
        // A gap explains a resource when its own resource ends with it (an ARN ending in an
        // id), or when it names none.
        self.gaps_by_list
            .get(&list)
            .map(|gaps| gaps.positions(resource))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| self.snapshot.gaps.get(i))
            .collect()
    }

    /// Why an id from an infrastructure-as-code input cannot be looked up: its value (or an
    /// attribute of the resource it names) is known only after deployment. Such ids are
    /// recorded as gaps with the call `terraform:plan` or `cloudformation:template`
    /// ([`crate::snapshot::Gap::is_iac`]).
    pub fn iac_unknown(&self, id: &str) -> Option<Missing> {
        self.iac_gaps.get(id).map(|g| Missing::new(g.error.clone()))
    }

    /// Whether a list was collected, no collection gap explains the absence of `id`, and no
    /// infrastructure-as-code value leaves it open: only then is an absent id known absent.
    fn known_absent(&self, list: List, kind: Kind, id: &str) -> bool {
        self.collected(list)
            && !self.holds(kind, id)
            && self.gaps_for(list, Some(id)).is_empty()
            && self.iac_unknown(id).is_none()
    }

    fn collected(&self, list: List) -> bool {
        let s = self.snapshot;
        match list {
            List::Vpcs => s.ec2.vpcs.is_some(),
            List::VpcAttributes => s.ec2.vpc_attributes.is_some(),
            List::DhcpOptions => s.ec2.dhcp_options.is_some(),
            List::Subnets => s.ec2.subnets.is_some(),
            List::SecurityGroups => s.ec2.security_groups.is_some(),
            List::NetworkAcls => s.ec2.network_acls.is_some(),
            List::RouteTables => s.ec2.route_tables.is_some(),
            List::PrefixLists => s.ec2.managed_prefix_lists.is_some(),
            List::FileSystems => s.efs.file_systems.is_some(),
            List::MountTargets => s.efs.mount_targets.is_some(),
            List::AccessPoints => s.efs.access_points.is_some(),
            List::FileSystemPolicies => s.efs.file_system_policies.is_some(),
            List::Services => s.ecs.services.is_some(),
            List::TaskDefinitions => s.ecs.task_definitions.is_some(),
            List::Roles => s.iam.roles.is_some(),
            List::Policies => s.iam.policies.is_some(),
            List::KmsKeys => s.kms.keys.is_some(),
            List::HostedZones => s.route53.hosted_zones.is_some(),
            List::ResolverRules => s.route53resolver.resolver_rules.is_some(),
            List::ResolverRuleAssociations => {
                s.route53resolver.resolver_rule_associations.is_some()
            }
            List::AccountSettings => s.ecs.account_settings.is_some(),
        }
    }

    /// `Missing` for a list that was not collected, naming the gap that explains it.
    pub fn not_collected(&self, list: List) -> Missing {
        let gaps = self.gaps_for(list, None);
        Missing::new(format!(
            "{} was not collected{}",
            list.path(),
            describe_gaps(&gaps)
        ))
    }

    /// `Missing` for a resource absent from a list (or the list not collected).
    pub fn absent(&self, list: List, what: &str) -> Missing {
        if let Some(m) = self.iac_unknown(what) {
            return m;
        }
        if !self.collected(list) {
            return self.not_collected(list);
        }
        let gaps = self.gaps_for(list, Some(what));
        Missing::new(format!(
            "{what} is not in {}{}",
            list.path(),
            describe_gaps(&gaps)
        ))
    }

    /// Fails with `Missing` when the list was not collected.
    pub fn require(&self, list: List) -> Result<(), Missing> {
        if self.collected(list) {
            Ok(())
        } else {
            Err(self.not_collected(list))
        }
    }

    fn lookup(&self, kind: Kind, id: &str) -> Option<Node<'s>> {
        self.index.get(&(kind, id)).map(|ix| self.g[*ix])
    }

    /// Whether the snapshot holds the resource (not merely a reference to it).
    fn holds(&self, kind: Kind, id: &str) -> bool {
        !matches!(self.lookup(kind, id), None | Some(Node::Referenced))
    }

    /// A VPC by id.
    pub fn vpc(&self, id: &str) -> Result<&'s Vpc, Missing> {
        match self.lookup(Kind::Vpc, id) {
            Some(Node::Vpc(v)) => Ok(v),
            _ => Err(self.absent(List::Vpcs, id)),
        }
    }

    /// The DNS attributes of a VPC.
    pub fn vpc_attributes(&self, vpc_id: &str) -> Result<&'s VpcAttributes, Missing> {
        self.vpc_attributes
            .get(vpc_id)
            .copied()
            .ok_or_else(|| self.absent(List::VpcAttributes, vpc_id))
    }

    /// A DHCP option set by id.
    pub fn dhcp_options(&self, id: &str) -> Result<&'s DhcpOptions, Missing> {
        match self.lookup(Kind::DhcpOptions, id) {
            Some(Node::DhcpOptions(d)) => Ok(d),
            _ => Err(self.absent(List::DhcpOptions, id)),
        }
    }

    /// A subnet by id.
    pub fn subnet(&self, id: &str) -> Result<&'s Subnet, Missing> {
        match self.lookup(Kind::Subnet, id) {
            Some(Node::Subnet(s)) => Ok(s),
            _ => Err(self.absent(List::Subnets, id)),
        }
    }

    /// A security group by id.
    pub fn security_group(&self, id: &str) -> Result<&'s SecurityGroup, Missing> {
        match self.lookup(Kind::SecurityGroup, id) {
            Some(Node::SecurityGroup(s)) => Ok(s),
            _ => Err(self.absent(List::SecurityGroups, id)),
        }
    }

    /// The VPC's `default` security group (what ECS uses when a service names none).
    pub fn default_security_group(&self, vpc_id: &str) -> Result<&'s SecurityGroup, Missing> {
        self.default_sg.get(vpc_id).copied().ok_or_else(|| {
            self.absent(
                List::SecurityGroups,
                &format!("the default security group of {vpc_id}"),
            )
        })
    }

    /// A managed prefix list by id.
    pub fn prefix_list(&self, id: &str) -> Result<&'s ManagedPrefixList, Missing> {
        match self.lookup(Kind::PrefixList, id) {
            Some(Node::PrefixList(p)) => Ok(p),
            _ => Err(self.absent(List::PrefixLists, id)),
        }
    }

    /// The network ACL of a subnet: its explicit association, else the VPC's default ACL.
    pub fn network_acl_of_subnet(&self, subnet: &Subnet) -> Result<&'s NetworkAcl, Missing> {
        self.require(List::NetworkAcls)?;
        if let Some(ix) = self.index.get(&(Kind::Subnet, subnet.subnet_id.as_str())) {
            for e in self.g.edges_directed(*ix, Direction::Incoming) {
                if *e.weight() == Edge::AclFor {
                    if let Node::NetworkAcl(acl) = self.g[e.source()] {
                        return Ok(acl);
                    }
                }
            }
        }
        self.default_acl
            .get(subnet.vpc_id.as_str())
            .copied()
            .ok_or_else(|| {
                self.absent(
                    List::NetworkAcls,
                    &format!(
                        "the network ACL of {} (no association and no default ACL of {})",
                        subnet.subnet_id, subnet.vpc_id
                    ),
                )
            })
    }

    /// The route table of a subnet: its explicit association, else the VPC's main table.
    pub fn route_table_of_subnet(&self, subnet: &Subnet) -> Result<&'s RouteTable, Missing> {
        self.require(List::RouteTables)?;
        if let Some(ix) = self.index.get(&(Kind::Subnet, subnet.subnet_id.as_str())) {
            for e in self.g.edges_directed(*ix, Direction::Incoming) {
                if *e.weight() == Edge::RoutesFor {
                    if let Node::RouteTable(rt) = self.g[e.source()] {
                        return Ok(rt);
                    }
                }
            }
        }
        self.main_route_table
            .get(subnet.vpc_id.as_str())
            .copied()
            .ok_or_else(|| {
                self.absent(
                    List::RouteTables,
                    &format!(
                        "the route table of {} (no association and no main table of {})",
                        subnet.subnet_id, subnet.vpc_id
                    ),
                )
            })
    }

    /// A file system by id.
    pub fn file_system(&self, id: &str) -> Result<&'s FileSystem, Missing> {
        match self.lookup(Kind::FileSystem, id) {
            Some(Node::FileSystem(f)) => Ok(f),
            _ => Err(self.absent(List::FileSystems, id)),
        }
    }

    /// Whether the file-system list was collected and lacks this id (the file system does not
    /// exist in this account and Region). A lookup that failed (a collection gap for it) leaves
    /// the question open: the list is then partial, not proof of absence.
    pub fn file_system_known_absent(&self, id: &str) -> bool {
        self.known_absent(List::FileSystems, Kind::FileSystem, id)
    }

    /// Every mount target of a file system, in snapshot order.
    /// A failed `DescribeMountTargets` for the file system (a gap) makes the answer unknown, as
    /// the list is then partial.
    pub fn mount_targets_of(&self, fs_id: &str) -> Result<Vec<&'s MountTarget>, Missing> {
        let created = self.created_file_system(fs_id);
        if !created {
            self.require(List::MountTargets)?;
        }
        let gaps: Vec<&Gap> = self
            .gaps_for(List::MountTargets, Some(fs_id))
            .into_iter()
            .filter(|g| normalize_call(&g.call) == "elasticfilesystem:describemounttargets")
            .collect();
        if !gaps.is_empty() && !created {
            return Err(Missing::new(format!(
                "the mount targets of {fs_id} could not be read{}",
                describe_gaps(&gaps)
            )));
        }
        let Some(ix) = self.index.get(&(Kind::FileSystem, fs_id)) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<&'s MountTarget> = self
            .g
            .edges_directed(*ix, Direction::Incoming)
            .filter(|e| *e.weight() == Edge::MountTargetOf)
            .filter_map(|e| match self.g[e.source()] {
                Node::MountTarget(mt) => Some(mt),
                _ => None,
            })
            .collect();
        // petgraph lists incoming edges newest first; keep the snapshot's order.
        out.reverse();
        // A mount target whose subnet is known only after deployment could be in any AZ:
        // no question about this file system's mount targets can be answered.
        if let Some(m) = out.iter().find_map(|mt| {
            self.iac_unknown(&mt.subnet_id)
                .or_else(|| self.iac_unknown(&mt.mount_target_id))
        }) {
            return Err(m);
        }
        Ok(out)
    }

    /// The VPC of a mount target (its own field, else its subnet's).
    pub fn mount_target_vpc(&self, mt: &'s MountTarget) -> Option<&'s str> {
        mt.vpc_id
            .as_deref()
            .or_else(|| self.subnet(&mt.subnet_id).ok().map(|s| s.vpc_id.as_str()))
    }

    /// The AZ id of a mount target (its own field, else its subnet's).
    pub fn mount_target_az_id(&self, mt: &'s MountTarget) -> Option<&'s str> {
        mt.availability_zone_id.as_deref().or_else(|| {
            self.subnet(&mt.subnet_id)
                .ok()
                .and_then(|s| s.availability_zone_id.as_deref())
        })
    }

    /// The mount target of a file system in one VPC and AZ id (at most one exists per AZ).
    pub fn mount_target_in_az(
        &self,
        fs_id: &str,
        vpc_id: &str,
        az_id: &str,
    ) -> Result<Option<&'s MountTarget>, Missing> {
        let mount_targets = self.mount_targets_of(fs_id)?;
        if let Some(mt) = mount_targets.iter().find(|mt| {
            self.mount_target_vpc(mt) == Some(vpc_id) && self.mount_target_az_id(mt) == Some(az_id)
        }) {
            return Ok(Some(*mt));
        }
        match self.unresolved_az(az_id, &mount_targets) {
            Some(m) => Err(m),
            None => Ok(None),
        }
    }

    /// Why no mount target can be said to be in (or out of) an AZ: the AZ id, or that of one of
    /// the mount targets, is an unresolved infrastructure-as-code expression, which equals only
    /// the same expression.
    pub fn unresolved_az(&self, az_id: &str, mount_targets: &[&'s MountTarget]) -> Option<Missing> {
        let own = self.iac_unknown(az_id);
        mount_targets
            .iter()
            .filter_map(|mt| self.mount_target_az_id(mt))
            .filter(|a| !distinct_selected_azs(az_id, a))
            .find_map(|a| own.clone().or_else(|| self.iac_unknown(a)))
    }

    /// Whether an infrastructure-as-code input creates the file system (its mount targets and
    /// policy are then exactly the input's, collected or not).
    pub fn created_file_system(&self, fs_id: &str) -> bool {
        self.snapshot
            .created_file_systems
            .iter()
            .any(|f| f == fs_id)
    }

    /// An access point by id.
    pub fn access_point(&self, id: &str) -> Result<&'s AccessPoint, Missing> {
        match self.lookup(Kind::AccessPoint, id) {
            Some(Node::AccessPoint(a)) => Ok(a),
            _ => Err(self.absent(List::AccessPoints, id)),
        }
    }

    /// Whether the access-point list was collected and lacks this id.
    pub fn access_point_known_absent(&self, id: &str) -> bool {
        self.known_absent(List::AccessPoints, Kind::AccessPoint, id)
    }

    /// The file-system policy: `Ok(None)` means no policy (the EFS default policy applies).
    pub fn file_system_policy(&self, fs_id: &str) -> Result<Option<&'s PolicyDocument>, Missing> {
        if let Some(m) = self.iac_unknown(&format!("policy:{fs_id}")) {
            return Err(m);
        }
        if let Some(p) = self.fs_policy.get(fs_id) {
            return Ok(Some(*p));
        }
        // A file system the input creates has exactly the input's policy: none here.
        if self.created_file_system(fs_id) {
            return Ok(None);
        }
        self.require(List::FileSystemPolicies)?;
        let gaps = self.gaps_for(List::FileSystemPolicies, Some(fs_id));
        if !gaps.is_empty() {
            return Err(Missing::new(format!(
                "the file-system policy of {fs_id} could not be read{}",
                describe_gaps(&gaps)
            )));
        }
        // "A collected file system absent from this list has no policy" (SPEC §5).
        if self.holds(Kind::FileSystem, fs_id) {
            Ok(None)
        } else {
            Err(self.absent(List::FileSystems, fs_id))
        }
    }

    /// A role by ARN or by name (ECS accepts either in `taskRoleArn`). An ARN must match
    /// exactly (account and path included): a role of the same name elsewhere is another role.
    pub fn role(&self, arn_or_name: &str) -> Result<&'s RoleDetail, Missing> {
        if let Some(Node::Role(r)) = self.lookup(Kind::Role, arn_or_name) {
            return Ok(r);
        }
        if !arn_or_name.starts_with("arn:") {
            if let Some(r) = self.role_by_name.get(arn_or_name) {
                return Ok(r);
            }
        }
        Err(self.absent(List::Roles, arn_or_name))
    }

    /// Whether the role list was collected and lacks this role.
    pub fn role_known_absent(&self, arn_or_name: &str) -> bool {
        self.collected(List::Roles)
            && self.role(arn_or_name).is_err()
            && self.gaps_for(List::Roles, Some(arn_or_name)).is_empty()
            && self.iac_unknown(arn_or_name).is_none()
    }

    /// A managed policy by ARN.
    pub fn managed_policy(&self, arn: &str) -> Result<&'s ManagedPolicyDetail, Missing> {
        match self.lookup(Kind::ManagedPolicy, arn) {
            Some(Node::ManagedPolicy(p)) => Ok(p),
            _ => Err(self.absent(List::Policies, arn)),
        }
    }

    /// A task definition by ARN, `family:revision`, or family (latest revision).
    pub fn task_definition(&self, reference: &str) -> Result<&'s TaskDefinition, Missing> {
        if let Some(Node::TaskDefinition(td)) = self.lookup(Kind::TaskDefinition, reference) {
            return Ok(td);
        }
        let short = reference.rsplit('/').next().unwrap_or(reference);
        if let Some((family, rev)) = short.rsplit_once(':') {
            if let Ok(rev) = rev.parse::<i64>() {
                if let Some(td) = self.task_definition_by_family_revision.get(&(family, rev)) {
                    return Ok(td);
                }
            }
        } else if let Some(td) = self.latest_task_definition.get(short) {
            return Ok(td);
        }
        Err(self.absent(List::TaskDefinitions, reference))
    }

    /// A KMS key by key id, key ARN or alias ARN as a file system names it (`KmsKeyId` is
    /// a key ARN; keys are matched on their `KeyId` and `Arn`).
    pub fn kms_key(&self, id_or_arn: &str) -> Result<&'s KeyMetadata, Missing> {
        let keys = self
            .snapshot
            .kms
            .keys
            .as_ref()
            .ok_or_else(|| self.not_collected(List::KmsKeys))?;
        let key_id = id_or_arn.rsplit('/').next().unwrap_or(id_or_arn);
        keys.iter()
            .find(|k| k.arn.as_deref() == Some(id_or_arn) || k.key_id == id_or_arn)
            .or_else(|| keys.iter().find(|k| k.key_id == key_id))
            .ok_or_else(|| self.absent(List::KmsKeys, id_or_arn))
    }

    /// The private hosted zones associated with a VPC, in snapshot order. A zone whose
    /// `VPCs` were not collected counts as associated (it was collected for a task VPC).
    pub fn hosted_zones_of_vpc(&self, vpc_id: &str) -> Result<Vec<&'s HostedZone>, Missing> {
        let zones = self
            .snapshot
            .route53
            .hosted_zones
            .as_ref()
            .ok_or_else(|| self.not_collected(List::HostedZones))?;
        let gaps: Vec<&Gap> = self
            .gaps_for(List::HostedZones, Some(vpc_id))
            .into_iter()
            .filter(|g| normalize_call(&g.call) == "route53:listhostedzonesbyvpc")
            .collect();
        if !gaps.is_empty() {
            return Err(Missing::new(format!(
                "the private hosted zones of {vpc_id} could not be read{}",
                describe_gaps(&gaps)
            )));
        }
        self.vpc_read(
            self.snapshot.route53.vpcs_read.as_deref(),
            vpc_id,
            "private hosted zones",
        )?;
        Ok(zones
            .iter()
            .filter(|z| z.is_private())
            .filter(|z| {
                z.vpcs
                    .as_ref()
                    .is_none_or(|v| v.iter().any(|a| a.vpc_id == vpc_id))
            })
            .collect())
    }

    /// The Resolver rules associated with a VPC (by `ResolverRuleAssociations`), each with the
    /// rule looked up in `ResolverRules`.
    pub fn resolver_rules_of_vpc(
        &self,
        vpc_id: &str,
    ) -> Result<Vec<Result<&'s ResolverRule, Missing>>, Missing> {
        let associations = self
            .snapshot
            .route53resolver
            .resolver_rule_associations
            .as_ref()
            .ok_or_else(|| self.not_collected(List::ResolverRuleAssociations))?;
        let rules = self
            .snapshot
            .route53resolver
            .resolver_rules
            .as_ref()
            .ok_or_else(|| self.not_collected(List::ResolverRules))?;
        let gaps: Vec<&Gap> = self.gaps_for(List::ResolverRuleAssociations, Some(vpc_id));
        if !gaps.is_empty() {
            return Err(Missing::new(format!(
                "the Resolver rule associations of {vpc_id} could not be read{}",
                describe_gaps(&gaps)
            )));
        }
        self.vpc_read(
            self.snapshot.route53resolver.vpcs_read.as_deref(),
            vpc_id,
            "Resolver rule associations",
        )?;
        let mut seen: Vec<&str> = Vec::new();
        Ok(associations
            .iter()
            .filter(|a| a.vpc_id == vpc_id)
            .filter(|a| {
                !a.status.as_deref().is_some_and(|s| {
                    s.eq_ignore_ascii_case("FAILED") || s.eq_ignore_ascii_case("OVERRIDDEN")
                })
            })
            .filter(|a| {
                let new = !seen.contains(&a.resolver_rule_id.as_str());
                seen.push(&a.resolver_rule_id);
                new
            })
            .map(|a| {
                rules
                    .iter()
                    .find(|r| r.id == a.resolver_rule_id)
                    .ok_or_else(|| self.absent(List::ResolverRules, &a.resolver_rule_id))
            })
            .collect())
    }

    /// Whether a per-VPC list (`what`) was read for `vpc_id`, by the list's (ext) `VpcsRead`.
    /// Without `VpcsRead` (a snapshot assembled from AWS CLI output, or an older one) the list
    /// is taken as complete for every VPC.
    fn vpc_read(&self, read: Option<&[String]>, vpc_id: &str, what: &str) -> Result<(), Missing> {
        const SHOWN: usize = 5;
        let Some(read) = read else { return Ok(()) };
        if read.iter().any(|v| v == vpc_id) {
            return Ok(());
        }
        if let Some(m) = self.iac_unknown(vpc_id) {
            return Err(m);
        }
        let which = match read.len() {
            0 => "no VPC".to_owned(),
            n if n <= SHOWN => read.join(", "),
            n => format!("{} and {} more", read[..SHOWN].join(", "), n - SHOWN),
        };
        Err(Missing::new(format!(
            "the {what} of {vpc_id} were not read: the snapshot read them for {which}"
        )))
    }

    /// Private hosted zones associated with a VPC whose id an infrastructure-as-code input
    /// leaves unknown until deployment (it may be any VPC), each with why.
    pub fn hosted_zones_of_unknown_vpc(&self) -> Vec<(&'s HostedZone, Missing)> {
        self.snapshot
            .route53
            .hosted_zones
            .iter()
            .flatten()
            .filter(|z| z.is_private())
            .filter_map(|z| {
                z.vpcs
                    .iter()
                    .flatten()
                    .find_map(|v| self.iac_unknown(&v.vpc_id))
                    .map(|m| (z, m))
            })
            .collect()
    }

    /// Resolver rules associated with a VPC whose id an infrastructure-as-code input leaves
    /// unknown until deployment, each (looked up in `ResolverRules`) with why.
    pub fn resolver_rules_of_unknown_vpc(
        &self,
    ) -> Vec<(Result<&'s ResolverRule, Missing>, Missing)> {
        let rules = self.snapshot.route53resolver.resolver_rules.as_ref();
        self.snapshot
            .route53resolver
            .resolver_rule_associations
            .iter()
            .flatten()
            .filter_map(|a| {
                let why = self.iac_unknown(&a.vpc_id)?;
                let rule = rules
                    .and_then(|r| r.iter().find(|r| r.id == a.resolver_rule_id))
                    .ok_or_else(|| self.absent(List::ResolverRules, &a.resolver_rule_id));
                Some((rule, why))
            })
            .collect()
    }

    /// The effective ECS account setting of this name (`enabled` / `disabled`).
    pub fn account_setting(&self, name: &str) -> Result<Option<&'s str>, Missing> {
        let settings = self
            .snapshot
            .ecs
            .account_settings
            .as_ref()
            .ok_or_else(|| self.not_collected(List::AccountSettings))?;
        Ok(settings
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .and_then(|s| s.value.as_deref()))
    }

    /// Every service in the snapshot, in snapshot order.
    pub fn services(&self) -> impl Iterator<Item = &'s Service> {
        self.snapshot.ecs.services.iter().flatten()
    }

    /// Number of nodes and edges (for diagnostics and tests).
    pub fn size(&self) -> (usize, usize) {
        (self.g.node_count(), self.g.edge_count())
    }
}

/// The role name at the end of a role ARN (`arn:aws:iam::1:role/path/name` -> `name`).
pub fn role_name_from_arn(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

fn normalize_call(call: &str) -> String {
    let lower = call.to_ascii_lowercase();
    match lower.strip_prefix("efs:") {
        Some(rest) => format!("elasticfilesystem:{rest}"),
        None => lower,
    }
}

fn describe_gaps(gaps: &[&Gap]) -> String {
    if gaps.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = gaps
        .iter()
        .map(|g| format!("{}: {}", g.call, g.error))
        .collect();
    format!(" ({})", parts.join("; "))
}

/// Whether two AZs written as `Fn::Select [i, Fn::GetAZs REGION]` are different AZs: the same
/// list, another index (`Fn::GetAZs` lists each AZ once).
fn distinct_selected_azs(one: &str, other: &str) -> bool {
    match (selected_az(one), selected_az(other)) {
        (Some((i, list)), Some((j, other_list))) => list == other_list && i != j,
        _ => false,
    }
}

/// `Fn::Select [i, Fn::GetAZs REGION]`: the index and the region.
fn selected_az(s: &str) -> Option<(usize, &str)> {
    let rest = s.strip_prefix("Fn::Select [")?.strip_suffix(']')?;
    let (index, list) = rest.split_once(", ")?;
    Some((index.parse().ok()?, list.strip_prefix("Fn::GetAZs")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot;

    fn snap(json: &str) -> Snapshot {
        snapshot::from_str(json, "test").unwrap()
    }

    #[test]
    fn mount_target_in_another_subnet_of_the_same_az_is_found() {
        let s = snap(
            r#"{"efs_preflight_snapshot":1,
            "ec2":{"Subnets":[
              {"SubnetId":"subnet-a","VpcId":"vpc-1","AvailabilityZoneId":"use1-az1"},
              {"SubnetId":"subnet-b","VpcId":"vpc-1","AvailabilityZoneId":"use1-az1"}]},
            "efs":{"MountTargets":[{"MountTargetId":"fsmt-1","FileSystemId":"fs-1","SubnetId":"subnet-b"}]}}"#,
        );
        let g = Graph::build(&s);
        let mt = g.mount_target_in_az("fs-1", "vpc-1", "use1-az1").unwrap();
        assert_eq!(mt.map(|m| m.mount_target_id.as_str()), Some("fsmt-1"));
        assert!(g
            .mount_target_in_az("fs-1", "vpc-1", "use1-az2")
            .unwrap()
            .is_none());
        assert!(g
            .mount_target_in_az("fs-1", "vpc-2", "use1-az1")
            .unwrap()
            .is_none());
    }

    #[test]
    fn not_collected_names_the_gap() {
        let s = snap(
            r#"{"efs_preflight_snapshot":1,
            "gaps":[{"call":"ec2:DescribeNetworkAcls","error":"AccessDenied"}],
            "ec2":{"Subnets":[{"SubnetId":"subnet-a","VpcId":"vpc-1"}]}}"#,
        );
        let g = Graph::build(&s);
        let sub = g.subnet("subnet-a").unwrap();
        let e = g.network_acl_of_subnet(sub).unwrap_err().to_string();
        assert_eq!(
            e,
            "ec2.NetworkAcls was not collected (ec2:DescribeNetworkAcls: AccessDenied)"
        );
        assert_eq!(
            g.subnet("subnet-z").unwrap_err().to_string(),
            "subnet-z is not in ec2.Subnets"
        );
        assert_eq!(
            g.vpc("vpc-1").unwrap_err().to_string(),
            "ec2.Vpcs was not collected"
        );
    }

    #[test]
    fn acl_and_route_table_fall_back_to_default_and_main() {
        let s = snap(
            r#"{"efs_preflight_snapshot":1,
            "ec2":{"Subnets":[{"SubnetId":"subnet-a","VpcId":"vpc-1"},{"SubnetId":"subnet-b","VpcId":"vpc-1"}],
              "NetworkAcls":[{"NetworkAclId":"acl-default","VpcId":"vpc-1","IsDefault":true,"Associations":[],"Entries":[]},
                             {"NetworkAclId":"acl-b","VpcId":"vpc-1","IsDefault":false,"Associations":[{"SubnetId":"subnet-b"}],"Entries":[]}],
              "RouteTables":[{"RouteTableId":"rtb-main","VpcId":"vpc-1","Associations":[{"Main":true}],"Routes":[]},
                             {"RouteTableId":"rtb-b","VpcId":"vpc-1","Associations":[{"Main":false,"SubnetId":"subnet-b"}],"Routes":[]}]}}"#,
        );
        let g = Graph::build(&s);
        let a = g.subnet("subnet-a").unwrap();
        let b = g.subnet("subnet-b").unwrap();
        assert_eq!(
            g.network_acl_of_subnet(a).unwrap().network_acl_id,
            "acl-default"
        );
        assert_eq!(g.network_acl_of_subnet(b).unwrap().network_acl_id, "acl-b");
        assert_eq!(
            g.route_table_of_subnet(a).unwrap().route_table_id,
            "rtb-main"
        );
        assert_eq!(g.route_table_of_subnet(b).unwrap().route_table_id, "rtb-b");
    }

    #[test]
    fn file_system_policy_states() {
        let s = snap(
            r#"{"efs_preflight_snapshot":1,
            "efs":{"FileSystems":[{"FileSystemId":"fs-1"},{"FileSystemId":"fs-2"}],
                   "FileSystemPolicies":[{"FileSystemId":"fs-2","Policy":"{\"Statement\":[]}"}]}}"#,
        );
        let g = Graph::build(&s);
        assert!(g.file_system_policy("fs-1").unwrap().is_none());
        assert!(g.file_system_policy("fs-2").unwrap().is_some());
        assert!(g.file_system_policy("fs-3").is_err());
        assert!(g.file_system_known_absent("fs-3"));
        assert!(!g.file_system_known_absent("fs-1"));
    }

    #[test]
    fn a_failed_lookup_is_not_absence() {
        let s = snap(
            r#"{"efs_preflight_snapshot":1,
            "gaps":[{"call":"elasticfilesystem:DescribeFileSystems","resource":"fs-2","error":"AccessDeniedException"},
                    {"call":"elasticfilesystem:DescribeMountTargets","resource":"fs-1","error":"ThrottlingException"},
                    {"call":"elasticfilesystem:DescribeAccessPoints","resource":"fsap-2","error":"AccessDeniedException"},
                    {"call":"iam:GetRole","resource":"arn:aws:iam::1:role/denied","error":"AccessDenied"}],
            "efs":{"FileSystems":[{"FileSystemId":"fs-1"}],"MountTargets":[],"AccessPoints":[]},
            "iam":{"RoleDetailList":[]}}"#,
        );
        let g = Graph::build(&s);
        assert!(!g.file_system_known_absent("fs-2"));
        assert!(g.file_system_known_absent("fs-3"));
        assert!(!g.access_point_known_absent("fsap-2"));
        assert!(g.access_point_known_absent("fsap-3"));
        assert!(!g.role_known_absent("arn:aws:iam::1:role/denied"));
        assert!(g.role_known_absent("arn:aws:iam::1:role/other"));
        assert_eq!(
            g.mount_targets_of("fs-1").unwrap_err().to_string(),
            "the mount targets of fs-1 could not be read (elasticfilesystem:DescribeMountTargets: ThrottlingException)"
        );
    }

    #[test]
    fn gaps_are_found_by_list_and_resource_suffix() {
        let s = snap(
            r#"{"efs_preflight_snapshot":1,
            "gaps":[{"call":"iam:GetRole","resource":"arn:aws:iam::1:role/app","error":"AccessDenied"},
                    {"call":"IAM:getrole","resource":"arn:aws:iam::1:role/webapp","error":"AccessDenied"},
                    {"call":"efs:DescribeMountTargets","resource":"fs-1","error":"Throttling"},
                    {"call":"iam:GetAccountAuthorizationDetails","error":"AccessDenied"},
                    {"call":"iam:GetRole","resource":"arn:aws:iam::1:role/other","error":"AccessDenied"},
                    {"call":"ec2:DescribeSubnets","resource":"app","error":"AccessDenied"}],
            "iam":{"RoleDetailList":[]}}"#,
        );
        let g = Graph::build(&s);
        // The reference: every gap of the list whose resource ends with the one asked about.
        let naive = |list: List, resource: Option<&str>| -> Vec<&Gap> {
            s.gaps
                .iter()
                .filter(|gap| {
                    list.calls()
                        .iter()
                        .any(|c| normalize_call(c) == normalize_call(&gap.call))
                        && match (resource, gap.resource.as_deref()) {
                            (Some(want), Some(got)) => got.ends_with(want),
                            _ => true,
                        }
                })
                .collect()
        };
        for list in List::ALL {
            for resource in [
                None,
                Some(""),
                Some("app"),
                Some("role/app"),
                Some("arn:aws:iam::1:role/app"),
                Some("fs-1"),
                Some("s-1"),
                Some("nothing"),
            ] {
                assert_eq!(
                    g.gaps_for(list, resource),
                    naive(list, resource),
                    "{list:?} {resource:?}"
                );
            }
        }
        assert_eq!(g.gaps_for(List::Roles, Some("app")).len(), 3);
    }

    #[test]
    fn roles_by_arn_or_name_and_task_definitions_by_revision() {
        let s = snap(
            r#"{"efs_preflight_snapshot":1,
            "iam":{"RoleDetailList":[{"RoleName":"app","Arn":"arn:aws:iam::1:role/svc/app"}]},
            "ecs":{"taskDefinitions":[
               {"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/web:3","family":"web","revision":3},
               {"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/web:4","family":"web","revision":4}]}}"#,
        );
        let g = Graph::build(&s);
        assert!(g.role("arn:aws:iam::1:role/svc/app").is_ok());
        assert!(g.role("app").is_ok());
        assert!(g.role("arn:aws:iam::1:role/other").is_err());
        // An ARN is a role of one account and path: the same name elsewhere is another role.
        assert!(g.role("arn:aws:iam::2:role/svc/app").is_err());
        assert!(g.role("arn:aws:iam::1:role/app").is_err());
        assert_eq!(g.task_definition("web:3").unwrap().revision, Some(3));
        assert_eq!(g.task_definition("web").unwrap().revision, Some(4));
        assert_eq!(
            g.task_definition("arn:aws:ecs:us-east-1:1:task-definition/web:4")
                .unwrap()
                .revision,
            Some(4)
        );
    }
}
