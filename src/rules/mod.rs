//! The rule registry and the types every rule shares.
//!
//! A rule is a value ([`Rule`]): metadata plus a pure, infallible `check` function from a
//! [`Context`] (one target joined with the estate) to [`Finding`]s. Rules never call AWS and never
//! return early with nothing when data is missing: they emit an `unknown` finding that says what
//! is missing. [`ALL`] in documentation order is the registry that `--rule`, `rules`, SARIF,
//! JUnit and the index page all read.

use std::cell::Cell;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::graph::{Graph, IdMap, Missing};
use crate::target::Target;

pub use context::{Context, EfsVolume, TaskSubnet, ZonedSubnet};
use context::{PolicyMemo, ShareKey};

mod context;
mod dns001_vpc_dns_support_disabled;
mod dns002_vpc_dns_hostnames_disabled;
mod dns003_custom_dns_servers;
mod dns004_resolver_rule_forwards_efs_name;
mod dns005_private_zone_shadows_efs_name;
mod dns_resolution;
mod ecs001_platform_version_too_old;
mod ecs002_windows_fargate_efs;
mod ecs003_iam_without_transit_encryption;
mod ecs004_access_point_without_transit_encryption;
mod ecs005_access_point_with_root_directory;
mod ecs006_transit_encryption_port_without_tls;
mod ecs007_iam_without_task_role;
mod ecs008_mount_point_unknown_volume;
mod ecs009_mount_hides_entrypoint;
mod efs001_file_system_not_found;
mod efs002_file_system_not_available;
mod efs003_access_point_not_found;
mod efs004_access_point_other_file_system;
mod efs005_access_point_not_available;
mod efs006_access_point_path_must_exist;
mod efs007_root_directory_must_exist;
mod efs008_replication_destination_read_only;
mod efs009_kms_key_unusable;
mod efs010_posix_permissions_deny_write;
mod iam001_anonymous_mount_denied;
mod iam002_task_role_cannot_mount;
mod iam003_secure_transport_denied;
mod iam004_write_not_allowed;
mod iam005_root_access_not_allowed;
mod iam006_task_role_trust;
mod iam007_task_role_not_found;
mod iam_mount;
mod net001_mount_target_missing_in_az;
mod net002_mount_target_not_available;
mod net003_mount_targets_in_other_vpc;
mod net004_one_zone_az_mismatch;
mod net005_nfs_ingress_missing;
mod net006_nfs_egress_missing;
mod net007_nacl_blocks_nfs;
mod net008_route_via_middlebox;
mod net009_ipv6_path_unusable;
mod nfs_path;
mod platform;
mod vpc_dns;

/// Default severity of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The mount fails.
    Error,
    /// The mount may fail, or works in a degraded way.
    Warning,
}

impl Severity {
    /// `error` / `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// The status of a broken check of this severity.
    pub fn broken(self) -> Status {
        match self {
            Severity::Error => Status::Fail,
            Severity::Warning => Status::Warn,
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The mount will fail (or an error rule is broken).
    Fail,
    /// A warning rule is broken: may fail, or degrades after mounting.
    Warn,
    /// The data needed is missing; never counts as pass.
    Unknown,
    /// Checked and fine.
    Pass,
}

impl Status {
    /// `fail`, `warn`, `unknown`, `pass`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Unknown => "unknown",
            Status::Pass => "pass",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule: metadata and its check.
pub struct Rule {
    /// Stable id, e.g. `NET001`.
    pub id: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what breaks.
    pub summary: &'static str,
    /// The rule's page (`rules/<ID>.md`).
    pub doc: &'static str,
    /// The check.
    pub check: fn(&Context<'_>) -> Vec<Finding>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Every rule, in documentation order.
pub static ALL: &[&Rule] = &[
    &ecs001_platform_version_too_old::RULE,
    &ecs002_windows_fargate_efs::RULE,
    &ecs003_iam_without_transit_encryption::RULE,
    &ecs004_access_point_without_transit_encryption::RULE,
    &ecs005_access_point_with_root_directory::RULE,
    &ecs006_transit_encryption_port_without_tls::RULE,
    &ecs007_iam_without_task_role::RULE,
    &ecs008_mount_point_unknown_volume::RULE,
    &ecs009_mount_hides_entrypoint::RULE,
    &efs001_file_system_not_found::RULE,
    &efs002_file_system_not_available::RULE,
    &efs003_access_point_not_found::RULE,
    &efs004_access_point_other_file_system::RULE,
    &efs005_access_point_not_available::RULE,
    &efs006_access_point_path_must_exist::RULE,
    &efs007_root_directory_must_exist::RULE,
    &efs008_replication_destination_read_only::RULE,
    &efs009_kms_key_unusable::RULE,
    &efs010_posix_permissions_deny_write::RULE,
    &net001_mount_target_missing_in_az::RULE,
    &net002_mount_target_not_available::RULE,
    &net003_mount_targets_in_other_vpc::RULE,
    &net004_one_zone_az_mismatch::RULE,
    &net005_nfs_ingress_missing::RULE,
    &net006_nfs_egress_missing::RULE,
    &net007_nacl_blocks_nfs::RULE,
    &net008_route_via_middlebox::RULE,
    &net009_ipv6_path_unusable::RULE,
    &dns001_vpc_dns_support_disabled::RULE,
    &dns002_vpc_dns_hostnames_disabled::RULE,
    &dns003_custom_dns_servers::RULE,
    &dns004_resolver_rule_forwards_efs_name::RULE,
    &dns005_private_zone_shadows_efs_name::RULE,
    &iam001_anonymous_mount_denied::RULE,
    &iam002_task_role_cannot_mount::RULE,
    &iam003_secure_transport_denied::RULE,
    &iam004_write_not_allowed::RULE,
    &iam005_root_access_not_allowed::RULE,
    &iam006_task_role_trust::RULE,
    &iam007_task_role_not_found::RULE,
];

/// Looks a rule up by id (case-insensitive) or name.
pub fn find(id_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
}

/// One result of one rule on one target (and volume).
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The outcome.
    pub status: Status,
    /// Index of the target in the run's target list.
    pub target: usize,
    /// Task-definition volume name, or `None` for target-level rules.
    pub volume: Option<String>,
    /// The AWS id most to blame.
    pub resource: Option<String>,
    /// The fact about this resource.
    pub message: String,
    /// A runnable AWS CLI command with the real ids, or one imperative sentence.
    pub fix: Option<String>,
    /// Set when a config entry or the baseline accepts this finding (it then never counts
    /// toward the exit code).
    pub suppressed: Option<Box<Suppression>>,
}

/// What accepted a finding (SPEC §3 "Suppressions and baselines"; `crate::suppress` sets it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressedBy {
    /// A `[[suppress]]` entry of the config file.
    Config,
    /// An entry of the `--baseline` file.
    Baseline,
}

impl SuppressedBy {
    /// `config` or `baseline`, as JSON and SARIF print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Baseline => "baseline",
        }
    }
}

/// Why a finding does not count toward the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Its source.
    pub by: SuppressedBy,
    /// The reason given (a config entry's `reason`, or the baseline's).
    pub reason: String,
}

impl Finding {
    /// Sets the volume.
    #[must_use]
    pub fn volume(mut self, name: &str) -> Self {
        self.volume = Some(name.to_owned());
        self
    }

    /// Sets the resource.
    #[must_use]
    pub fn resource(mut self, id: impl Into<String>) -> Self {
        self.resource = Some(id.into());
        self
    }

    /// Sets the message.
    #[must_use]
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.message = text.into();
        self
    }

    /// Sets the fix.
    #[must_use]
    pub fn fix(mut self, text: impl Into<String>) -> Self {
        self.fix = Some(text.into());
        self
    }

    /// Sets the message that `text` builds; for a passing finding, only when a report will
    /// print it (see [`SkipPassMessages`]).
    #[must_use]
    pub fn message_with<S: Into<String>>(self, text: impl FnOnce() -> S) -> Self {
        if self.status == Status::Pass && !PASS_MESSAGES.get() {
            return self;
        }
        self.message(text())
    }
}

thread_local! {
    /// Whether rules build the messages of passing findings ([`SkipPassMessages`]).
    static PASS_MESSAGES: Cell<bool> = const { Cell::new(true) };
}

/// While a value of this type lives, rules on this thread leave the messages of passing
/// findings empty: for a report that prints no passing finding (the table, SARIF and Markdown
/// without `--show-passed`), building them was most of the rules' work on a large estate.
/// Statuses, volumes and resources are unchanged, and so is every other finding.
#[must_use = "messages are skipped only while the value lives"]
pub struct SkipPassMessages {
    previous: bool,
}

impl SkipPassMessages {
    /// Skips passing findings' messages until the value is dropped.
    pub fn new() -> Self {
        Self {
            previous: PASS_MESSAGES.replace(false),
        }
    }
}

impl Default for SkipPassMessages {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for SkipPassMessages {
    fn drop(&mut self) {
        PASS_MESSAGES.set(self.previous);
    }
}

/// Which rules a run uses.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these (empty = all).
    pub only: Vec<&'static Rule>,
    /// Never these.
    pub skip: Vec<&'static Rule>,
}

/// An id given to `--rule` / `--skip-rule` that names no rule.
#[derive(Debug, thiserror::Error)]
#[error("unknown rule `{0}` (run `efs-preflight rules` for the list)")]
pub struct UnknownRule(pub String);

impl Selection {
    /// Resolves ids or names.
    pub fn new(only: &[String], skip: &[String]) -> Result<Self, UnknownRule> {
        let resolve = |ids: &[String]| -> Result<Vec<&'static Rule>, UnknownRule> {
            ids.iter()
                .flat_map(|s| s.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|id| find(id).ok_or_else(|| UnknownRule(id.to_owned())))
                .collect()
        };
        Ok(Self {
            only: resolve(only)?,
            skip: resolve(skip)?,
        })
    }

    /// Whether a rule runs.
    pub fn includes(&self, rule: &Rule) -> bool {
        (self.only.is_empty() || self.only.iter().any(|r| r.id == rule.id))
            && !self.skip.iter().any(|r| r.id == rule.id)
    }

    /// The rules that run, in registry order.
    pub fn rules(&self) -> Vec<&'static Rule> {
        ALL.iter().copied().filter(|r| self.includes(r)).collect()
    }
}

/// Runs the selected rules on every target; findings come out in target order, then rule order.
///
/// Targets whose rule inputs are equal ([`context::ShareKey`]: the same task definition,
/// placement and kind, e.g. many services of one task definition) are evaluated once per rule:
/// the others get copies of the findings, unless the evaluation read the target's identity.
pub fn run(graph: &Graph<'_>, targets: &[Target<'_>], selection: &Selection) -> Vec<Finding> {
    run_with(graph, targets, selection, true)
}

/// [`run`] that evaluates every target itself (`share` false): the reference that sharing
/// must equal.
#[doc(hidden)]
pub fn run_with(
    graph: &Graph<'_>,
    targets: &[Target<'_>],
    selection: &Selection,
    share: bool,
) -> Vec<Finding> {
    let rules = selection.rules();
    let policies = PolicyMemo::default();
    // Every rule reports at least once per target, most once per volume or subnet: room for
    // the lower bound saves copying a growing list of an account's findings several times.
    let mut findings: Vec<Finding> = Vec::with_capacity(targets.len() * rules.len());
    // The keys that more than one target has: only for those are evaluations kept.
    let mut repeated: IdMap<ShareKey<'_>, bool> = IdMap::default();
    if share {
        for target in targets {
            repeated
                .entry(ShareKey::of(target))
                .and_modify(|again| *again = true)
                .or_insert(false);
        }
        repeated.retain(|_, again| *again);
    }
    // For each repeated key, the findings each rule gave its first target (positions in
    // `findings`), or `None` when that evaluation read the target's identity.
    let mut first: IdMap<ShareKey<'_>, Vec<Option<Range<usize>>>> = IdMap::default();
    for (index, target) in targets.iter().enumerate() {
        let key = Some(ShareKey::of(target)).filter(|k| repeated.contains_key(k));
        let shared = key.as_ref().and_then(|k| first.get(k));
        let record = key.is_some() && shared.is_none();
        let cx = Context::new(graph, target, index, &policies);
        let mut ranges = Vec::with_capacity(if record { rules.len() } else { 0 });
        for (r, rule) in rules.iter().enumerate() {
            if let Some(Some(range)) = shared.map(|s| &s[r]) {
                for i in range.clone() {
                    let mut f = findings[i].clone();
                    f.target = index;
                    findings.push(f);
                }
                continue;
            }
            let start = findings.len();
            findings.extend(no_empty_file_system_id(&cx, rule, (rule.check)(&cx)));
            let identity_read = cx.take_identity_read();
            if record {
                ranges.push((!identity_read).then_some(start..findings.len()));
            }
        }
        if let (true, Some(key)) = (record, key) {
            first.insert(key, ranges);
        }
        policies.next_target();
    }
    findings
}

/// A volume whose `fileSystemId` is empty names no file system: EFS001 reports it, and a finding
/// of another rule about that file system (its resource the empty id) becomes one `unknown` per
/// volume that says what is missing, rather than quoting an empty id.
fn no_empty_file_system_id(
    cx: &Context<'_>,
    rule: &'static Rule,
    found: Vec<Finding>,
) -> Vec<Finding> {
    let empty: Vec<&str> = cx
        .efs_volumes()
        .iter()
        .filter(|v| v.config.file_system_id.trim().is_empty())
        .map(|v| v.name)
        .collect();
    if empty.is_empty() || rule.id == "EFS001" {
        return found;
    }
    let mut said: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(found.len());
    for f in found {
        let volume = f.volume.clone().unwrap_or_default();
        let quotes_empty_id = f.resource.as_deref().is_some_and(|r| r.trim().is_empty());
        if !(quotes_empty_id && empty.contains(&volume.as_str())) {
            out.push(f);
        } else if !said.contains(&volume) {
            let why = Missing::new(format!(
                "volume '{volume}' names no file system: its fileSystemId is empty (see EFS001)"
            ));
            out.push(cx.unknown(rule, &why).volume(&volume));
            said.push(volume);
        }
    }
    out
}

/// A mount target's id for messages, or what is missing when the snapshot gives none.
pub(crate) fn mount_target_name(mt: &crate::snapshot::MountTarget) -> String {
    if mt.mount_target_id.trim().is_empty() {
        format!(
            "(no MountTargetId) in {} of {}",
            if mt.subnet_id.trim().is_empty() {
                "an unnamed subnet"
            } else {
                mt.subnet_id.as_str()
            },
            if mt.file_system_id.trim().is_empty() {
                "an unnamed file system"
            } else {
                mt.file_system_id.as_str()
            }
        )
    } else {
        mt.mount_target_id.clone()
    }
}
