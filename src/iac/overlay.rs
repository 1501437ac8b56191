//! The overlay: what a Terraform plan or CloudFormation template will create or change, in
//! snapshot-model shapes, merged over the base state (a snapshot, or live collection).
//!
//! Resources the input creates get a synthetic id (the Terraform address or the CloudFormation
//! logical id) used everywhere they are referenced, so the graph joins them like real ones.
//! A value that is not known before deployment becomes a snapshot gap with the call
//! `terraform:plan` or `cloudformation:template` whose resource is the id the rules will look
//! up (a placeholder standing where the unknown id would be, or the id of a resource left out
//! because one of its rule-relevant attributes is unknown); `graph` turns such a gap into the
//! `Missing` reason of an `unknown` finding, never into a pass or a fail.
//!
//! Depends on the snapshot model only.

use std::collections::HashMap;

use crate::graph::List;
use crate::snapshot::{
    AccessPoint, AttachedPolicy, FileSystem, FileSystemPolicy, Gap, HostedZone, HostedZoneVpc,
    InlinePolicy, IpPermission, KeyMetadata, ManagedPolicyDetail, MountTarget, NetworkAcl,
    NetworkAclAssociation, NetworkAclEntry, ResolverRule, ResolverRuleAssociation,
    ResourceRecordSet, RoleDetail, Route, RouteTable, RouteTableAssociation, SecurityGroup,
    Service, Snapshot, Subnet, TaskDefinition, Vpc, VpcAttributes,
};

use super::value::Got;

/// Which kind of input an overlay came from (decides gap call names and wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    /// `terraform show -json PLAN`.
    Terraform,
    /// A CloudFormation template (JSON or YAML, `cdk synth` output included).
    CloudFormation,
}

impl Front {
    /// The gap call name: `terraform:plan` or `cloudformation:template`.
    pub fn call(self) -> &'static str {
        match self {
            Front::Terraform => TERRAFORM_CALL,
            Front::CloudFormation => CLOUDFORMATION_CALL,
        }
    }

    /// "`ATTR` of ADDRESS is known after apply" / "... cannot be resolved from the template".
    pub fn unknown_message(self, attr: &str, address: &str, cause: &str) -> String {
        let cause = if cause.is_empty() {
            String::new()
        } else {
            format!(" ({cause})")
        };
        match self {
            Front::Terraform => format!("`{attr}` of {address} is known after apply{cause}"),
            Front::CloudFormation => {
                format!("`{attr}` of {address} cannot be resolved from the template{cause}")
            }
        }
    }

    /// `Terraform` / `CloudFormation`, for fixes.
    pub fn product(self) -> &'static str {
        match self {
            Front::Terraform => "Terraform",
            Front::CloudFormation => "CloudFormation",
        }
    }
}

pub use crate::snapshot::{CLOUDFORMATION_CALL, TERRAFORM_CALL};

/// Whether a gap records an infrastructure-as-code value that is unknown before deployment.
pub fn is_iac_gap(gap: &Gap) -> bool {
    gap.is_iac()
}

/// A security-group rule the input adds to a group (inline or standalone).
#[derive(Debug, Clone)]
pub struct SgRule {
    /// The group it belongs to.
    pub group_id: String,
    /// Outbound when true.
    pub egress: bool,
    /// The rule.
    pub permission: IpPermission,
}

/// How a record names its hosted zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneRef {
    /// By id (`Z...`, `/hostedzone/Z...`, or a synthetic id).
    Id(String),
    /// By domain name (CloudFormation's `HostedZoneName`).
    Name(String),
}

/// A record the input adds to a hosted zone.
#[derive(Debug, Clone)]
pub struct ZoneRecord {
    /// Its zone.
    pub zone: ZoneRef,
    /// The record; a name that is not fully qualified is completed with the zone's name.
    pub record: ResourceRecordSet,
}

/// Everything an input creates or changes, before it is merged over the base state.
/// The resource lists hold whole resources (replacing base resources with the same id); the
/// other fields are changes applied to the merged state.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// `ec2.Vpcs`.
    pub vpcs: Vec<Vpc>,
    /// `ec2.VpcAttributes`.
    pub vpc_attributes: Vec<VpcAttributes>,
    /// `ec2.Subnets`.
    pub subnets: Vec<Subnet>,
    /// `ec2.SecurityGroups`, with their inline rules.
    pub security_groups: Vec<SecurityGroup>,
    /// `ec2.NetworkAcls`, with their inline entries.
    pub network_acls: Vec<NetworkAcl>,
    /// `ec2.RouteTables`, with their inline routes.
    pub route_tables: Vec<RouteTable>,
    /// `efs.FileSystems`.
    pub file_systems: Vec<FileSystem>,
    /// `efs.MountTargets`.
    pub mount_targets: Vec<MountTarget>,
    /// `efs.AccessPoints`.
    pub access_points: Vec<AccessPoint>,
    /// `efs.FileSystemPolicies`.
    pub file_system_policies: Vec<FileSystemPolicy>,
    /// `ecs.services`.
    pub services: Vec<Service>,
    /// `ecs.taskDefinitions`.
    pub task_definitions: Vec<TaskDefinition>,
    /// `iam.RoleDetailList`, with inline policies and attachments declared on the role.
    pub roles: Vec<RoleDetail>,
    /// `iam.Policies` (managed policies the input creates).
    pub policies: Vec<ManagedPolicyDetail>,
    /// `kms.Keys`: keys the input creates, or deletes (then `PendingDeletion`).
    pub kms_keys: Vec<KeyMetadata>,
    /// `route53.HostedZones`: private zones the input creates, with their VPCs.
    pub hosted_zones: Vec<HostedZone>,
    /// `route53resolver.ResolverRules`.
    pub resolver_rules: Vec<ResolverRule>,
    /// `route53resolver.ResolverRuleAssociations`.
    pub resolver_rule_associations: Vec<ResolverRuleAssociation>,
    /// (zone, VPC, address): VPC associations the input adds to private hosted zones.
    pub zone_associations: Vec<(String, String, String)>,
    /// DNS records the input adds to hosted zones, added to their zone after the merge.
    pub zone_records: Vec<ZoneRecord>,
    /// The input adds a record to a zone known only at deployment: no zone's records are known.
    pub records_of_unknown_zone: bool,
    /// Standalone security-group rules (`aws_security_group_rule`,
    /// `AWS::EC2::SecurityGroupIngress` ...), added to their group after the merge.
    pub sg_rules: Vec<SgRule>,
    /// Network ACL entries added to an ACL after the merge.
    pub acl_entries: Vec<(String, NetworkAclEntry)>,
    /// (ACL, subnet) associations; they replace the subnet's previous association.
    pub acl_associations: Vec<(String, String)>,
    /// Routes added to a route table after the merge.
    pub routes: Vec<(String, Route)>,
    /// (route table, subnet) associations.
    pub route_associations: Vec<(String, String)>,
    /// Inline policies added to a role (by name or ARN).
    pub role_inline_policies: Vec<(String, InlinePolicy)>,
    /// Managed-policy attachments added to a role (by name or ARN).
    pub role_attachments: Vec<(String, AttachedPolicy)>,
    /// Mount targets that get the VPC default security group (none was given).
    pub default_sg_mount_targets: Vec<String>,
    /// Ids of base resources the input deletes or replaces with an unknown value.
    pub removed: Vec<String>,
    /// Values unknown before deployment.
    pub gaps: Vec<Gap>,
    /// File systems the input creates: their mount targets and policy are the input's.
    pub created_file_systems: Vec<String>,
    /// VPCs the input creates: no hosted zone or Resolver rule is associated with them other
    /// than by the input, so their zones and rule associations count as read.
    pub created_vpcs: Vec<String>,
}

/// Builds an overlay: records unknowns in the front end's wording.
#[derive(Debug)]
pub struct Builder {
    /// The front end.
    pub front: Front,
    /// What was built so far.
    pub overlay: Overlay,
    /// Placeholders that stand for the same expression as an earlier one: `ADDRESS.ATTR` ->
    /// the placeholder of the expression's first occurrence. Two unresolved values are equal
    /// only when they are the same expression; the rules see one id for both.
    pub aliases: HashMap<String, String>,
}

impl Builder {
    /// An empty builder.
    pub fn new(front: Front) -> Self {
        Self {
            front,
            overlay: Overlay::default(),
            aliases: HashMap::new(),
        }
    }

    /// Records that `attr` of `address` is unknown; lookups of `key` then say so.
    pub fn gap(&mut self, key: &str, attr: &str, address: &str, cause: &str) {
        let error = self.front.unknown_message(attr, address, cause);
        if self
            .overlay
            .gaps
            .iter()
            .any(|g| g.resource.as_deref() == Some(key) && g.error == error)
        {
            return;
        }
        self.overlay.gaps.push(Gap {
            call: self.front.call().to_owned(),
            resource: Some(key.to_owned()),
            error,
        });
    }

    /// Leaves a resource out because an attribute the rules need is unknown: lookups of its
    /// id say why, and a base copy of it (an update) is dropped rather than trusted.
    pub fn omit(&mut self, id: &str, attr: &str, address: &str, cause: &str) {
        self.gap(id, attr, address, cause);
        self.overlay.removed.push(id.to_owned());
    }

    /// The placeholder for an unknown `attr` of `address`: `ADDRESS.ATTR`, or the alias of an
    /// equal expression.
    fn placeholder(&self, address: &str, attr: &str) -> String {
        let own = format!("{address}.{attr}");
        self.aliases.get(&own).cloned().unwrap_or(own)
    }

    /// An id-valued attribute: the id, a placeholder backed by a gap when unknown, or `None`.
    pub fn id(&mut self, got: Got<String>, attr: &str, address: &str) -> Option<String> {
        match got {
            Got::Known(s) if !s.is_empty() => Some(s),
            Got::Known(_) | Got::Absent => None,
            Got::Unknown(cause) => {
                let placeholder = self.placeholder(address, attr);
                self.gap(&placeholder, attr, address, &cause);
                Some(placeholder)
            }
        }
    }

    /// A list of ids; unknown elements (or an unknown list) become placeholders backed by gaps.
    pub fn ids(&mut self, got: Got<Vec<Got<String>>>, attr: &str, address: &str) -> Vec<String> {
        match got {
            Got::Absent => Vec::new(),
            Got::Unknown(cause) => {
                let placeholder = self.placeholder(address, attr);
                self.gap(&placeholder, attr, address, &cause);
                vec![placeholder]
            }
            Got::Known(items) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| self.id(item, &format!("{attr}[{i}]"), address))
                .collect(),
        }
    }
}

fn merge_list<T>(
    list: &mut Option<Vec<T>>,
    items: Vec<T>,
    key: impl Fn(&T) -> &str,
    which: List,
    call: &str,
    gaps: &mut Vec<Gap>,
) {
    if items.is_empty() {
        return;
    }
    match list {
        Some(existing) => {
            for item in items {
                match existing.iter().position(|e| key(e) == key(&item)) {
                    Some(i) => {
                        if let Some(slot) = existing.get_mut(i) {
                            *slot = item;
                        }
                    }
                    None => existing.push(item),
                }
            }
        }
        None => {
            // The base state did not collect this list: it now holds the input's resources
            // only, and the gap keeps lookups of anything else `unknown` rather than absent.
            *list = Some(items);
            gaps.push(Gap {
                call: which.calls().first().copied().unwrap_or(call).to_owned(),
                resource: None,
                error: format!(
                    "not in the base state; {} holds only the resources of the {}",
                    which.path(),
                    if call == TERRAFORM_CALL {
                        "plan"
                    } else {
                        "template"
                    }
                ),
            });
        }
    }
}

fn remove_ids<T>(list: &mut Option<Vec<T>>, removed: &[String], key: impl Fn(&T) -> &str) {
    if let Some(items) = list {
        items.retain(|i| !removed.iter().any(|r| r == key(i)));
    }
}

impl Overlay {
    /// Merges the overlay into the base state: input resources replace base resources with the
    /// same id, removed ids disappear, then standalone rules, associations and attachments are
    /// applied to the merged state.
    pub fn apply(self, base: &mut Snapshot, front: Front) {
        let call = front.call();
        let mut gaps = Vec::new();
        let r = &self.removed;
        remove_ids(&mut base.ec2.subnets, r, |s| &s.subnet_id);
        remove_ids(&mut base.ec2.security_groups, r, |s| &s.group_id);
        remove_ids(&mut base.ec2.network_acls, r, |s| &s.network_acl_id);
        remove_ids(&mut base.ec2.route_tables, r, |s| &s.route_table_id);
        remove_ids(&mut base.ec2.vpcs, r, |s| &s.vpc_id);
        remove_ids(&mut base.efs.file_systems, r, |s| &s.file_system_id);
        remove_ids(&mut base.efs.mount_targets, r, |s| &s.mount_target_id);
        remove_ids(&mut base.efs.access_points, r, |s| &s.access_point_id);
        remove_ids(&mut base.iam.roles, r, |s| &s.arn);
        remove_ids(&mut base.iam.policies, r, |s| &s.arn);
        remove_ids(&mut base.kms.keys, r, |k| &k.key_id);
        remove_ids(&mut base.kms.keys, r, |k| k.arn.as_deref().unwrap_or(""));
        remove_ids(&mut base.route53.hosted_zones, r, HostedZone::short_id);
        remove_ids(&mut base.route53resolver.resolver_rules, r, |x| &x.id);
        remove_ids(
            &mut base.route53resolver.resolver_rule_associations,
            r,
            |a| a.id.as_deref().unwrap_or(""),
        );

        merge_list(
            &mut base.ec2.vpcs,
            self.vpcs,
            |v| &v.vpc_id,
            List::Vpcs,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.ec2.vpc_attributes,
            self.vpc_attributes,
            |v| &v.vpc_id,
            List::VpcAttributes,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.ec2.subnets,
            self.subnets,
            |s| &s.subnet_id,
            List::Subnets,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.ec2.security_groups,
            self.security_groups,
            |s| &s.group_id,
            List::SecurityGroups,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.ec2.network_acls,
            self.network_acls,
            |a| &a.network_acl_id,
            List::NetworkAcls,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.ec2.route_tables,
            self.route_tables,
            |t| &t.route_table_id,
            List::RouteTables,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.efs.file_systems,
            self.file_systems,
            |f| &f.file_system_id,
            List::FileSystems,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.efs.mount_targets,
            self.mount_targets,
            |m| &m.mount_target_id,
            List::MountTargets,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.efs.access_points,
            self.access_points,
            |a| &a.access_point_id,
            List::AccessPoints,
            call,
            &mut gaps,
        );
        // A file-system policy removed by the input is gone after deployment.
        if let Some(p) = base.efs.file_system_policies.as_mut() {
            p.retain(|p| {
                !r.iter()
                    .any(|id| *id == format!("policy:{}", p.file_system_id))
            });
        }
        merge_list(
            &mut base.efs.file_system_policies,
            self.file_system_policies,
            |p| &p.file_system_id,
            List::FileSystemPolicies,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.ecs.task_definitions,
            self.task_definitions,
            |t| t.task_definition_arn.as_deref().unwrap_or(&t.family),
            List::TaskDefinitions,
            call,
            &mut gaps,
        );
        merge_services(&mut base.ecs.services, self.services);
        merge_list(
            &mut base.iam.roles,
            self.roles,
            |r| &r.arn,
            List::Roles,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.iam.policies,
            self.policies,
            |p| &p.arn,
            List::Policies,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.kms.keys,
            self.kms_keys,
            |k| &k.key_id,
            List::KmsKeys,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.route53.hosted_zones,
            self.hosted_zones,
            HostedZone::short_id,
            List::HostedZones,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.route53resolver.resolver_rules,
            self.resolver_rules,
            |x| &x.id,
            List::ResolverRules,
            call,
            &mut gaps,
        );
        merge_list(
            &mut base.route53resolver.resolver_rule_associations,
            self.resolver_rule_associations,
            |a| a.id.as_deref().unwrap_or(&a.resolver_rule_id),
            List::ResolverRuleAssociations,
            call,
            &mut gaps,
        );

        if let Some(zones) = base.route53.hosted_zones.as_mut() {
            for (zone_id, vpc_id, address) in self.zone_associations {
                let short = zone_id.rsplit('/').next().unwrap_or(&zone_id);
                if let Some(zone) = zones.iter_mut().find(|z| z.short_id() == short) {
                    if let Some(vpcs) = zone.vpcs.as_mut() {
                        vpcs.push(HostedZoneVpc {
                            vpc_region: base.region.clone(),
                            vpc_id,
                        });
                    }
                    continue;
                }
                // A zone the base state does not hold: its name is unknown, so it may answer
                // any name in that VPC.
                if !self
                    .gaps
                    .iter()
                    .any(|g| g.resource.as_deref() == Some(zone_id.as_str()))
                {
                    gaps.push(Gap {
                        call: call.to_owned(),
                        resource: Some(zone_id.clone()),
                        error: format!(
                            "{address} associates hosted zone {zone_id} with {vpc_id}, and route53.HostedZones does not hold that zone, so its name is unknown"
                        ),
                    });
                }
                zones.push(HostedZone {
                    id: zone_id.clone(),
                    name: format!("{zone_id}.name"),
                    config: None,
                    vpcs: Some(vec![HostedZoneVpc {
                        vpc_region: base.region.clone(),
                        vpc_id,
                    }]),
                    owner: None,
                    resource_record_sets: None,
                });
            }
        }
        let zones = base.route53.hosted_zones.iter_mut().flatten();
        if self.records_of_unknown_zone {
            for zone in zones {
                zone.resource_record_sets = None;
            }
        } else {
            let mut zones: Vec<&mut HostedZone> = zones.collect();
            for r in self.zone_records {
                let zone = zones.iter_mut().find(|z| match &r.zone {
                    ZoneRef::Id(id) => z.short_id() == id.rsplit('/').next().unwrap_or(id),
                    ZoneRef::Name(name) => dns_name(&z.name) == dns_name(name),
                });
                let Some(zone) = zone else { continue };
                let zone_name = dns_name(&zone.name);
                let name = dns_name(&r.record.name);
                let name = if name == zone_name || name.ends_with(&format!(".{zone_name}")) {
                    name
                } else {
                    format!("{name}.{zone_name}")
                };
                if let Some(records) = zone.resource_record_sets.as_mut() {
                    records.push(ResourceRecordSet {
                        name,
                        record_type: r.record.record_type,
                    });
                }
            }
        }
        for rule in self.sg_rules {
            if let Some(sg) = base
                .ec2
                .security_groups
                .iter_mut()
                .flatten()
                .find(|g| g.group_id == rule.group_id)
            {
                if rule.egress {
                    sg.ip_permissions_egress.push(rule.permission);
                } else {
                    sg.ip_permissions.push(rule.permission);
                }
            }
        }
        for (acl_id, entry) in self.acl_entries {
            if let Some(acl) = base
                .ec2
                .network_acls
                .iter_mut()
                .flatten()
                .find(|a| a.network_acl_id == acl_id)
            {
                acl.entries.push(entry);
            }
        }
        for (acl_id, subnet) in self.acl_associations {
            // A subnet is associated with exactly one network ACL.
            for acl in base.ec2.network_acls.iter_mut().flatten() {
                acl.associations
                    .retain(|a| a.subnet_id.as_deref() != Some(subnet.as_str()));
                if acl.network_acl_id == acl_id {
                    acl.associations.push(NetworkAclAssociation {
                        subnet_id: Some(subnet.clone()),
                        network_acl_association_id: None,
                    });
                }
            }
        }
        for (rt_id, route) in self.routes {
            if let Some(rt) = base
                .ec2
                .route_tables
                .iter_mut()
                .flatten()
                .find(|t| t.route_table_id == rt_id)
            {
                rt.routes.push(route);
            }
        }
        for (rt_id, subnet) in self.route_associations {
            for rt in base.ec2.route_tables.iter_mut().flatten() {
                rt.associations
                    .retain(|a| a.subnet_id.as_deref() != Some(subnet.as_str()));
                if rt.route_table_id == rt_id {
                    rt.associations.push(RouteTableAssociation {
                        main: false,
                        subnet_id: Some(subnet.clone()),
                        gateway_id: None,
                    });
                }
            }
        }
        for (role, policy) in self.role_inline_policies {
            if let Some(r) = find_role(base, &role) {
                r.role_policy_list
                    .retain(|p| p.policy_name != policy.policy_name);
                r.role_policy_list.push(policy);
            }
        }
        for (role, attachment) in self.role_attachments {
            if let Some(r) = find_role(base, &role) {
                if !r
                    .attached_managed_policies
                    .iter()
                    .any(|p| p.policy_arn == attachment.policy_arn)
                {
                    r.attached_managed_policies.push(attachment);
                }
            }
        }
        for mt_id in &self.default_sg_mount_targets {
            let vpc = base
                .efs
                .mount_targets
                .iter()
                .flatten()
                .find(|m| &m.mount_target_id == mt_id)
                .and_then(|mt| {
                    base.ec2
                        .subnets
                        .iter()
                        .flatten()
                        .find(|s| s.subnet_id == mt.subnet_id)
                })
                .map(|s| s.vpc_id.clone());
            let default_sg = vpc.and_then(|vpc| {
                base.ec2
                    .security_groups
                    .iter()
                    .flatten()
                    .find(|g| {
                        g.group_name.as_deref() == Some("default")
                            && g.vpc_id.as_deref() == Some(vpc.as_str())
                    })
                    .map(|g| g.group_id.clone())
            });
            if let Some(mt) = base
                .efs
                .mount_targets
                .iter_mut()
                .flatten()
                .find(|m| &m.mount_target_id == mt_id)
            {
                // EFS gives a mount target created without security groups the VPC's default
                // group (https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html).
                mt.security_groups = default_sg.map(|g| vec![g]);
            }
        }
        base.created_file_systems.extend(self.created_file_systems);
        for read in [
            base.route53.vpcs_read.as_mut(),
            base.route53resolver.vpcs_read.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            for vpc in &self.created_vpcs {
                if !read.contains(vpc) {
                    read.push(vpc.clone());
                }
            }
        }
        base.gaps.extend(gaps);
        base.gaps.extend(self.gaps);
    }
}

/// A domain name in comparable form: no final dot, lower case.
fn dns_name(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

fn find_role<'a>(base: &'a mut Snapshot, name_or_arn: &str) -> Option<&'a mut RoleDetail> {
    base.iam
        .roles
        .iter_mut()
        .flatten()
        .find(|r| r.arn == name_or_arn || r.role_name == name_or_arn)
}

fn merge_services(list: &mut Option<Vec<Service>>, items: Vec<Service>) {
    if items.is_empty() {
        return;
    }
    let existing = list.get_or_insert_with(Vec::new);
    for svc in items {
        let same = |e: &Service| {
            (svc.service_arn.is_some() && e.service_arn == svc.service_arn)
                || (e.service_name == svc.service_name
                    && crate::target::service_cluster(e) == crate::target::service_cluster(&svc))
        };
        match existing.iter().position(same) {
            Some(i) => {
                if let Some(slot) = existing.get_mut(i) {
                    *slot = svc;
                }
            }
            None => existing.push(svc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_replaces_by_id_and_records_uncollected_lists() {
        let mut base = Snapshot {
            ec2: crate::snapshot::Ec2State {
                subnets: Some(vec![Subnet {
                    subnet_id: "subnet-1".into(),
                    vpc_id: "vpc-old".into(),
                    ..Subnet::default()
                }]),
                ..Default::default()
            },
            ..Snapshot::default()
        };
        let overlay = Overlay {
            subnets: vec![
                Subnet {
                    subnet_id: "subnet-1".into(),
                    vpc_id: "vpc-new".into(),
                    ..Subnet::default()
                },
                Subnet {
                    subnet_id: "aws_subnet.b".into(),
                    vpc_id: "vpc-new".into(),
                    ..Subnet::default()
                },
            ],
            file_systems: vec![FileSystem {
                file_system_id: "aws_efs_file_system.x".into(),
                ..FileSystem::default()
            }],
            ..Overlay::default()
        };
        overlay.apply(&mut base, Front::Terraform);
        let subnets = base.ec2.subnets.unwrap_or_default();
        assert_eq!(subnets.len(), 2);
        assert_eq!(subnets[0].vpc_id, "vpc-new");
        assert_eq!(base.efs.file_systems.map(|f| f.len()), Some(1));
        assert!(base
            .gaps
            .iter()
            .any(|g| g.call == "elasticfilesystem:DescribeFileSystems"
                && g.error.contains("only the resources of the plan")));
    }

    #[test]
    fn builder_placeholders_carry_the_wording() {
        let mut b = Builder::new(Front::CloudFormation);
        let ids = b.ids(
            Got::Known(vec![
                Got::Known("subnet-1".into()),
                Got::Unknown("Fn::ImportValue Shared".into()),
            ]),
            "Subnets",
            "Svc",
        );
        assert_eq!(
            ids,
            vec!["subnet-1".to_owned(), "Svc.Subnets[1]".to_owned()]
        );
        let gap = &b.overlay.gaps[0];
        assert_eq!(gap.call, "cloudformation:template");
        assert_eq!(gap.resource.as_deref(), Some("Svc.Subnets[1]"));
        assert_eq!(
            gap.error,
            "`Subnets[1]` of Svc cannot be resolved from the template (Fn::ImportValue Shared)"
        );
    }
}
