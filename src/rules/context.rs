//! [`Context`]: what a rule may read about one target and the estate.
//!
//! The fields are private to this module so that every read of the target goes through an
//! accessor. [`super::run`] gives the findings of one target to every other target whose rule
//! inputs are equal ([`ShareKey`]: the same task definition, placement and kind); that is sound
//! only for an evaluation that never read what tells those targets apart (name, cluster, ARN).
//! The accessors of such identity ([`Context::name`], [`Context::cluster`], [`Context::arn`],
//! [`Context::service_args`], the "has no subnets" reason of [`Context::task_subnet_ids`]) mark
//! the evaluation as read-identity, and such an evaluation is never shared.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::iam_mount::{Resolved, Unresolved};
use super::nfs_path::Paths;
use super::{Finding, Rule, Status};
use crate::graph::{Graph, IdMap, List, Missing};
use crate::iam::{
    attached_policy_name, EfsAction, Evaluation, FileSystemPolicy, NamedPolicy, PolicyKind,
    RolePolicies,
};
use crate::snapshot::{
    AwsVpcConfiguration, EfsVolumeConfiguration, PolicyDocument, RoleDetail, SecurityGroup, Subnet,
    TaskDefinition,
};
use crate::target::{Launch, Placement, Target, TargetKind};

/// An EFS volume of the target's task definition.
#[derive(Debug, Clone, Copy)]
pub struct EfsVolume<'a> {
    /// The volume name.
    pub name: &'a str,
    /// Its EFS configuration.
    pub config: &'a EfsVolumeConfiguration,
}

/// A task subnet id with its lookup in the snapshot.
pub type TaskSubnet<'a> = (&'a str, Result<&'a Subnet, Missing>);

/// A task subnet id with the subnet and its AZ id, or why either is not known.
pub type ZonedSubnet<'a> = (&'a str, Result<(&'a Subnet, &'a str), Missing>);

/// Everything a rule may read: the estate and one target.
pub struct Context<'a> {
    /// The joined estate.
    pub graph: &'a Graph<'a>,
    /// The target being checked: read through the accessors only.
    target: &'a Target<'a>,
    /// Its index in the run.
    target_index: usize,
    /// Parsed policies, shared by every target of the run.
    policies: &'a PolicyMemo<'a>,
    /// Set when the evaluation read the target's identity (see the module docs).
    identity_read: Cell<bool>,
}

/// Parsed policies: IAM001-IAM005 each decide every volume of a target, a file system serves
/// many services and a managed policy is attached to many roles, so parsing per volume and rule
/// would repeat the same work many times over. File-system and managed policies are kept for
/// the run; a role's own policies for its target (roles are mostly one per service, and keeping
/// them all would only hold memory).
#[derive(Default)]
pub(super) struct PolicyMemo<'a> {
    /// By file-system id.
    file_systems: RefCell<IdMap<&'a str, Rc<FileSystemPolicy>>>,
    /// By role (its address in the snapshot: two entries with one ARN stay apart), for the
    /// current target.
    pub(super) roles: RefCell<IdMap<*const RoleDetail, Rc<RolePolicies>>>,
    /// Managed policies and permissions boundaries by kind and ARN, for the run: the same few
    /// are attached to many roles.
    attached: RefCell<IdMap<(PolicyKind, &'a str), Rc<NamedPolicy>>>,
    /// IAM decisions of the current target's mounts: IAM001-IAM005 each ask about the same
    /// mount (whether `ClientMount` is allowed, mostly).
    evaluations: TargetMemo<EvaluationKey<'a>, Rc<Evaluation>>,
    /// The current target's mounts as the IAM rules read them, by volume.
    mounts: TargetMemo<*const EfsVolumeConfiguration, Result<Rc<Resolved<'a>>, Unresolved>>,
    /// The current target's NFS paths, which NET005-NET008 each walk.
    paths: TargetMemo<(), Rc<Paths<'a>>>,
}

impl PolicyMemo<'_> {
    /// Forgets what holds for the current target only.
    pub(super) fn next_target(&self) {
        self.roles.borrow_mut().clear();
        self.evaluations.clear();
        self.mounts.clear();
        self.paths.clear();
    }
}

/// Results about the current target that several rules need, with whether computing each read
/// the target's identity: a rule that gets a result from here read what its computation read.
struct TargetMemo<K, V>(RefCell<IdMap<K, (V, bool)>>);

impl<K, V> Default for TargetMemo<K, V> {
    fn default() -> Self {
        Self(RefCell::new(IdMap::default()))
    }
}

impl<K: Eq + std::hash::Hash, V: Clone> TargetMemo<K, V> {
    fn get_or(&self, cx: &Context<'_>, key: K, compute: impl FnOnce() -> V) -> V {
        if let Some((value, identity_read)) = self.0.borrow().get(&key) {
            if *identity_read {
                cx.identity_read.set(true);
            }
            return value.clone();
        }
        let before = cx.identity_read.replace(false);
        let value = compute();
        let identity_read = cx.identity_read.get();
        cx.identity_read.set(before || identity_read);
        self.0
            .borrow_mut()
            .insert(key, (value.clone(), identity_read));
        value
    }

    fn clear(&self) {
        self.0.borrow_mut().clear();
    }
}

/// What an IAM decision about a volume's mount depends on: the mount's file system, access
/// point and task role (with `iam` ENABLED) as `crate::rules::iam_mount::resolve` reads them,
/// the action and whether the client uses TLS.
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct EvaluationKey<'a> {
    /// `fileSystemId`.
    pub fs_id: &'a str,
    /// The access point id, if any.
    pub access_point: Option<&'a str>,
    /// The task role (its address in the snapshot), or `None` for the anonymous client.
    pub role: Option<*const RoleDetail>,
    /// The action.
    pub action: EfsAction,
    /// Transit encryption on.
    pub tls: bool,
}

impl<'a> Context<'a> {
    /// The context of the target at `target_index` of the run.
    pub(super) fn new(
        graph: &'a Graph<'a>,
        target: &'a Target<'a>,
        target_index: usize,
        policies: &'a PolicyMemo<'a>,
    ) -> Self {
        Self {
            graph,
            target,
            target_index,
            policies,
            identity_read: Cell::new(false),
        }
    }

    /// Whether the evaluation so far read the target's identity; clears the mark.
    pub(super) fn take_identity_read(&self) -> bool {
        self.identity_read.replace(false)
    }

    fn identity(&self) -> &'a Target<'a> {
        self.identity_read.set(true);
        self.target
    }

    /// Service or task definition.
    pub fn kind(&self) -> TargetKind {
        self.target.kind
    }

    /// Where and how the target's tasks are placed.
    pub fn placement(&self) -> &'a Placement {
        &self.target.placement
    }

    /// The task-definition reference as written on the service.
    pub fn task_definition_ref(&self) -> Option<&'a str> {
        self.target.task_definition_ref.as_deref()
    }

    /// The service name or task-definition family: the target's identity, so an evaluation
    /// that reads it is not shared with other targets.
    pub fn name(&self) -> &'a str {
        &self.identity().name
    }

    /// The cluster name (identity, as [`Self::name`]).
    pub fn cluster(&self) -> Option<&'a str> {
        self.identity().cluster.as_deref()
    }

    /// The service or task-definition ARN (identity, as [`Self::name`]).
    pub fn arn(&self) -> Option<&'a str> {
        self.identity().arn.as_deref()
    }

    fn finding(&self, rule: &'static Rule, status: Status) -> Finding {
        Finding {
            rule,
            status,
            target: self.target_index,
            volume: None,
            resource: None,
            message: String::new(),
            fix: None,
            suppressed: None,
        }
    }

    /// A passing finding.
    pub fn pass(&self, rule: &'static Rule) -> Finding {
        self.finding(rule, Status::Pass)
    }

    /// A broken finding: `fail` for error rules, `warn` for warning rules.
    pub fn broken(&self, rule: &'static Rule) -> Finding {
        self.finding(rule, rule.severity.broken())
    }

    /// A `fail` finding from a rule of any severity: the mount certainly fails.
    pub fn fail(&self, rule: &'static Rule) -> Finding {
        self.finding(rule, Status::Fail)
    }

    /// A `warn` finding from a rule of any severity (a partial break).
    pub fn warn(&self, rule: &'static Rule) -> Finding {
        self.finding(rule, Status::Warn)
    }

    /// An `unknown` finding that says what is missing.
    pub fn unknown(&self, rule: &'static Rule, missing: &Missing) -> Finding {
        self.finding(rule, Status::Unknown)
            .message_with(|| format!("Cannot decide: {missing}."))
    }

    /// The parsed policy of a file system whose document is `document` (`None`: no policy, so
    /// the EFS default), parsed once per run.
    pub fn file_system_policy(
        &self,
        fs_id: &'a str,
        document: Option<&'a PolicyDocument>,
    ) -> Rc<FileSystemPolicy> {
        Rc::clone(
            self.policies
                .file_systems
                .borrow_mut()
                .entry(fs_id)
                .or_insert_with(|| Rc::new(FileSystemPolicy::from_document(fs_id, document))),
        )
    }

    /// A role's identity policies and permissions boundary (managed policies at their default
    /// version), read once per target; managed policies are parsed once per run.
    pub fn role_policies(&self, role: &'a RoleDetail) -> Rc<RolePolicies> {
        Rc::clone(
            self.policies
                .roles
                .borrow_mut()
                .entry(std::ptr::from_ref(role))
                .or_insert_with(|| {
                    Rc::new(RolePolicies::of_role_with(role, |kind, arn| {
                        self.attached_policy(kind, arn)
                    }))
                }),
        )
    }

    /// An IAM decision about one of the target's mounts, made once per target.
    pub(crate) fn mount_evaluation(
        &self,
        key: EvaluationKey<'a>,
        evaluate: impl FnOnce() -> Evaluation,
    ) -> Rc<Evaluation> {
        self.policies
            .evaluations
            .get_or(self, key, || Rc::new(evaluate()))
    }

    /// A volume's mount as the IAM rules read it, resolved once per target.
    pub(crate) fn resolved_mount(
        &self,
        volume: &'a EfsVolumeConfiguration,
        resolve: impl FnOnce() -> Result<Rc<Resolved<'a>>, Unresolved>,
    ) -> Result<Rc<Resolved<'a>>, Unresolved> {
        self.policies
            .mounts
            .get_or(self, std::ptr::from_ref(volume), resolve)
    }

    /// The target's NFS paths, built once per target.
    pub(crate) fn nfs_paths(&self, build: impl FnOnce() -> Paths<'a>) -> Rc<Paths<'a>> {
        self.policies.paths.get_or(self, (), || Rc::new(build()))
    }

    /// A managed policy's default version (or a permissions boundary), parsed once per run.
    fn attached_policy(&self, kind: PolicyKind, arn: &str) -> Result<Rc<NamedPolicy>, String> {
        let policy = self.graph.managed_policy(arn).map_err(|m| m.to_string())?;
        let key = (kind, policy.arn.as_str());
        if let Some(parsed) = self.policies.attached.borrow().get(&key) {
            return Ok(Rc::clone(parsed));
        }
        let document = policy.default_document().ok_or_else(|| {
            format!("its default version is not in the PolicyVersionList of {arn}")
        })?;
        let parsed = Rc::new(NamedPolicy::parse(
            kind,
            attached_policy_name(kind, arn),
            document.value(),
        ));
        self.policies
            .attached
            .borrow_mut()
            .insert(key, Rc::clone(&parsed));
        Ok(parsed)
    }

    /// The target's task definition.
    pub fn task_definition(&self) -> Result<&'a TaskDefinition, Missing> {
        self.target.task_definition.clone()
    }

    /// The EFS volumes of the task definition (empty when it is unknown).
    pub fn efs_volumes(&self) -> Vec<EfsVolume<'a>> {
        match &self.target.task_definition {
            Ok(td) => td
                .volumes
                .iter()
                .filter_map(|v| {
                    v.efs_volume_configuration.as_ref().map(|config| EfsVolume {
                        name: v.name.as_str(),
                        config,
                    })
                })
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The task definition's EFS volumes, or one `unknown` finding when the task definition
    /// itself is unknown. Most volume rules start with this.
    pub fn volumes_or_unknown(
        &self,
        rule: &'static Rule,
    ) -> Result<Vec<EfsVolume<'a>>, Vec<Finding>> {
        match &self.target.task_definition {
            Ok(_) => Ok(self.efs_volumes()),
            Err(m) => Err(vec![self.unknown(rule, m)]),
        }
    }

    /// The task subnets (`awsvpcConfiguration.subnets`), as written.
    pub fn task_subnet_ids(&self) -> Result<&'a [String], Missing> {
        match &self.target.placement.network {
            Ok(n) if n.subnets.is_empty() => Err(Missing::new(format!(
                "{} {} has no subnets in its awsvpc configuration",
                self.target.kind.as_str(),
                self.name()
            ))),
            Ok(n) => Ok(n.subnets.as_slice()),
            Err(m) => Err(m.clone()),
        }
    }

    /// The VPC of the task (the VPC of its first subnet; ECS requires one VPC for all).
    pub fn task_vpc_id(&self) -> Result<&'a str, Missing> {
        let ids = self.task_subnet_ids()?;
        let mut first_missing = None;
        for id in ids {
            match self.graph.subnet(id) {
                Ok(s) => return Ok(s.vpc_id.as_str()),
                Err(m) => {
                    first_missing.get_or_insert(m);
                }
            }
        }
        Err(first_missing.unwrap_or_else(|| self.graph.not_collected(List::Subnets)))
    }

    /// The task's subnets resolved in the snapshot, each with its lookup result.
    pub fn task_subnets(&self) -> Result<Vec<TaskSubnet<'a>>, Missing> {
        Ok(self
            .task_subnet_ids()?
            .iter()
            .map(|id| (id.as_str(), self.graph.subnet(id)))
            .collect())
    }

    /// The task's subnets, each with its AZ id: mount targets are matched by AZ id, since AZ
    /// names map to different zones in different accounts
    /// (<https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html>).
    pub fn task_subnet_zones(&self) -> Result<Vec<ZonedSubnet<'a>>, Missing> {
        Ok(self
            .task_subnets()?
            .into_iter()
            .map(|(id, lookup)| (id, subnet_zone(id, lookup)))
            .collect())
    }

    /// The task's security groups: those of the awsvpc configuration, or the VPC's default
    /// group when it names none (as ECS does).
    pub fn task_security_groups(&self) -> Result<Vec<&'a SecurityGroup>, Missing> {
        let network = self
            .target
            .placement
            .network
            .as_ref()
            .map_err(Clone::clone)?;
        if network.security_groups.is_empty() {
            let vpc = self.task_vpc_id()?;
            return Ok(vec![self.graph.default_security_group(vpc)?]);
        }
        network
            .security_groups
            .iter()
            .map(|id| self.graph.security_group(id))
            .collect()
    }

    /// The ARN of a file system: from the snapshot, else built from the Region and account.
    pub fn file_system_arn(&self, fs_id: &str) -> String {
        if let Ok(fs) = self.graph.file_system(fs_id) {
            if let Some(arn) = &fs.file_system_arn {
                return arn.clone();
            }
        }
        let s = self.graph.snapshot();
        format!(
            "arn:aws:elasticfilesystem:{}:{}:file-system/{fs_id}",
            s.region.as_deref().unwrap_or("REGION"),
            s.account_id.as_deref().unwrap_or("ACCOUNT_ID")
        )
    }

    /// `--cluster C --service S` for fixes, or the family for task definitions.
    pub fn service_args(&self) -> String {
        format!(
            "--cluster {} --service {}",
            self.cluster().unwrap_or("CLUSTER"),
            self.name()
        )
    }
}

/// A looked-up subnet with its AZ id, or `Missing` when the subnet is not in the snapshot or has
/// no `AvailabilityZoneId`.
fn subnet_zone<'a>(
    subnet_id: &str,
    lookup: Result<&'a Subnet, Missing>,
) -> Result<(&'a Subnet, &'a str), Missing> {
    let subnet = lookup?;
    match subnet.availability_zone_id.as_deref() {
        Some(az_id) => Ok((subnet, az_id)),
        None => Err(Missing::new(format!(
            "subnet {subnet_id} has no AvailabilityZoneId in the collected state"
        ))),
    }
}

/// What the rules may read of a target apart from its identity: targets with equal keys get
/// the same findings from every evaluation that did not read the identity. Built by
/// destructuring every field, so a field added to a target must be placed on one side.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct ShareKey<'t> {
    kind: TargetKind,
    task_definition: Result<*const TaskDefinition, &'t str>,
    task_definition_ref: Option<&'t str>,
    launch: &'t Launch,
    requested_platform_version: Option<&'t str>,
    deployed_platform_version: Option<&'t str>,
    network: Result<NetworkKey<'t>, &'t str>,
}

/// An awsvpc configuration's subnets, security groups and `assignPublicIp`.
type NetworkKey<'t> = (&'t [String], &'t [String], Option<&'t str>);

impl<'t> ShareKey<'t> {
    /// The key of a target.
    pub(super) fn of(target: &'t Target<'_>) -> Self {
        let Target {
            kind,
            // Identity: read through the accessors that mark it.
            cluster: _,
            name: _,
            arn: _,
            task_definition,
            task_definition_ref,
            placement,
            // Not read by rules: where a target is declared, and the service of a task.
            origin: _,
            service: _,
        } = target;
        let Placement {
            launch,
            requested_platform_version,
            deployed_platform_version,
            network,
        } = placement;
        Self {
            kind: *kind,
            task_definition: match task_definition {
                Ok(td) => Ok(std::ptr::from_ref(*td)),
                Err(m) => Err(m.reason()),
            },
            task_definition_ref: task_definition_ref.as_deref(),
            launch,
            requested_platform_version: requested_platform_version.as_deref(),
            deployed_platform_version: deployed_platform_version.as_deref(),
            network: match network {
                Ok(AwsVpcConfiguration {
                    subnets,
                    security_groups,
                    assign_public_ip,
                }) => Ok((
                    subnets.as_slice(),
                    security_groups.as_slice(),
                    assign_public_ip.as_deref(),
                )),
                Err(m) => Err(m.reason()),
            },
        }
    }
}
