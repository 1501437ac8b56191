//! The decision for one EFS client action (`ClientMount`, `ClientWrite`, `ClientRootAccess`) on
//! a file system, as the mount of one ECS task volume would request it.
//!
//! Model (AWS's single-account evaluation logic,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>,
//! and EFS's use of it, <https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html>):
//!
//! 1. An applicable `Deny` in the file-system policy, the role's identity policies or its
//!    permissions boundary denies.
//! 2. No file-system policy means the EFS default policy: every client that reaches the file
//!    system through a mount target may mount, write and act as root.
//! 3. A file-system-policy `Allow` that names the caller directly (`*`, or the session itself)
//!    allows, whatever the identity policies and the boundary say.
//! 4. An `Allow` in an identity policy of the role (inline, or the default version of an attached
//!    managed policy), or a file-system-policy `Allow` naming the role ARN, allows when the
//!    permissions boundary (if any) allows the action too.
//! 5. A file-system-policy `Allow` naming the account (`123456789012`, `...:root`) grants
//!    nothing by itself: the account delegates to its identity policies.
//! 6. Anonymous clients (`iam` not ENABLED) have no identity policies: only statements for `*`
//!    reach them.
//! 7. Across accounts (role and file system in different accounts) both sides must allow: an
//!    identity allow (within the boundary) and a file-system-policy allow for the role, its
//!    session, its account or `*`.
//!
//! Service control policies, resource control policies and session policies are not visible to
//! this evaluator; ECS passes no session policy to task-role sessions.
//!
//! Request context: `aws:SecureTransport` (transit encryption),
//! `elasticfilesystem:AccessedViaMountTarget` (always true from a task),
//! `elasticfilesystem:AccessPointArn` (only with an access point), and for the task role
//! `aws:PrincipalArn` (the role ARN, not the session ARN), `aws:PrincipalAccount`,
//! `aws:PrincipalType` = `AssumedRole`. The VPC-endpoint keys `aws:SourceVpc`, `aws:SourceVpce`
//! and `aws:VpcSourceIp` are absent: EFS lists the keys it provides for NFS clients and "no other
//! condition keys are enforced"
//! (<https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html#efs-condition-keys-for-nfs>),
//! and IAM adds those keys only to requests made through a VPC endpoint
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>),
//! which an NFS client talking to a mount target is not. Any other global key (source IP, time,
//! principal tags) is unknown.

use std::rc::Rc;
use std::sync::LazyLock;

use serde_json::json;

use super::context::{KeyValue, RequestContext};
use super::eval::{
    applies, capitalize, located, Decision, Evaluation, NamedPolicy, PolicyKind, Request,
    StatementRef, Unmet,
};
use super::policy::{Effect, Policy, Statement};
use super::principal::{Caller, Naming};
use super::tri::Tri;
use crate::snapshot::{PolicyDocument, RoleDetail};

/// The EFS client actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EfsAction {
    /// Mount (read-only access); every mount needs it.
    ClientMount,
    /// Write.
    ClientWrite,
    /// Act as root (uid 0) instead of being squashed to an unprivileged user.
    ClientRootAccess,
}

impl EfsAction {
    /// `elasticfilesystem:ClientMount` ...
    pub fn iam_name(self) -> &'static str {
        match self {
            EfsAction::ClientMount => "elasticfilesystem:ClientMount",
            EfsAction::ClientWrite => "elasticfilesystem:ClientWrite",
            EfsAction::ClientRootAccess => "elasticfilesystem:ClientRootAccess",
        }
    }
}

/// How the mount uses an access point, for `elasticfilesystem:AccessPointArn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessPointUse {
    /// No access point: the key is absent.
    None,
    /// Through this access point ARN.
    Arn(String),
    /// Through an access point whose ARN is not known (the text says why).
    UnknownArn(String),
}

/// Global keys EFS never sets for an NFS client's request: IAM adds them only to requests made
/// through a VPC endpoint, and EFS does not list them among its keys for NFS clients (see the
/// module docs). A policy copied from S3 that requires them therefore never matches a mount.
pub const NEVER_SET_FOR_NFS_CLIENTS: [&str; 3] =
    ["aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp"];

/// One EFS client request.
#[derive(Debug, Clone)]
pub struct EfsRequest {
    /// The action.
    pub action: EfsAction,
    /// The file system's ARN, when known.
    pub file_system_arn: Option<String>,
    /// The access point, if any.
    pub access_point: AccessPointUse,
    /// Transit encryption (TLS) is on: `aws:SecureTransport`.
    pub secure_transport: bool,
    /// The task role's session, or the anonymous client.
    pub caller: Caller,
}

impl EfsRequest {
    /// The request context of this request.
    pub fn context(&self) -> RequestContext {
        request_context(self.secure_transport, &self.access_point, &self.caller)
    }
}

/// The request context of an EFS client request: it depends on transit encryption, the access
/// point and the caller, not on the action.
pub(crate) fn request_context(
    secure_transport: bool,
    access_point: &AccessPointUse,
    caller: &Caller,
) -> RequestContext {
    let mut cx = RequestContext::with_capacity(16);
    cx.set_known_value(
        "aws:SecureTransport",
        if secure_transport { "true" } else { "false" },
    )
    .set_known_value("elasticfilesystem:AccessedViaMountTarget", "true");
    for key in NEVER_SET_FOR_NFS_CLIENTS {
        cx.set_known(key, KeyValue::Absent);
    }
    match access_point {
        AccessPointUse::None => cx.set_known("elasticfilesystem:AccessPointArn", KeyValue::Absent),
        AccessPointUse::Arn(arn) => {
            cx.set_known_value("elasticfilesystem:AccessPointArn", arn.clone())
        }
        AccessPointUse::UnknownArn(why) => cx.set_known(
            "elasticfilesystem:AccessPointArn",
            KeyValue::Unknown(why.clone()),
        ),
    };
    match caller {
        Caller::RoleSession(role) => {
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
            cx.set_known_value("aws:PrincipalArn", role.role_arn.clone())
                .set_known_value("aws:PrincipalAccount", role.account.clone())
                .set_known_value("aws:PrincipalType", "AssumedRole")
                .set_known_value("aws:PrincipalIsAWSService", "false")
                .set_known("aws:username", KeyValue::Absent)
                .set_known_unknown("aws:PrincipalTag/", "the role's tags were not collected");
            if let Some(id) = &role.role_id {
                cx.set_known("aws:userid", KeyValue::Prefix(format!("{id}:")));
            }
        }
        Caller::Anonymous | Caller::Service(_) => {
            cx.set_known_value("aws:PrincipalType", "Anonymous");
            for key in [
                "aws:PrincipalArn",
                "aws:PrincipalAccount",
                "aws:PrincipalOrgID",
                "aws:PrincipalOrgPaths",
                "aws:PrincipalIsAWSService",
                "aws:username",
            ] {
                cx.set_known(key, KeyValue::Absent);
            }
            cx.set_known_prefix("aws:PrincipalTag/", KeyValue::Absent);
        }
    }
    cx
}

/// The file-system side of a decision.
#[derive(Debug, Clone)]
pub enum FileSystemPolicy {
    /// No policy (`PolicyNotFound`): the EFS default policy applies.
    Default,
    /// A policy.
    Policy(NamedPolicy),
}

impl FileSystemPolicy {
    /// From a decoded document (`None`: no policy).
    pub fn from_document(fs_id: &str, document: Option<&PolicyDocument>) -> Self {
        match document {
            None => FileSystemPolicy::Default,
            Some(doc) => FileSystemPolicy::Policy(NamedPolicy::parse(
                PolicyKind::FileSystem,
                format!("the file-system policy of {fs_id}"),
                doc.value(),
            )),
        }
    }
}

/// The policies of a role that take part in its requests. Managed policies are shared: one
/// attached to many roles is parsed once.
#[derive(Debug, Clone)]
pub struct RolePolicies {
    /// Inline and attached managed policies.
    pub identity: Vec<Rc<NamedPolicy>>,
    /// The permissions boundary, if the role has one.
    pub boundary: Option<Rc<NamedPolicy>>,
}

impl RolePolicies {
    /// Reads a role's policies; `managed` finds a managed policy's default version by ARN, or
    /// says why it cannot.
    pub fn of_role<'a>(
        role: &'a RoleDetail,
        managed: impl Fn(&str) -> Result<&'a PolicyDocument, String>,
    ) -> Self {
        Self::of_role_with(role, |kind, arn| {
            let doc = managed(arn)?;
            Ok(Rc::new(NamedPolicy::parse(
                kind,
                attached_policy_name(kind, arn),
                doc.value(),
            )))
        })
    }

    /// [`RolePolicies::of_role`] with the attached policies already parsed: `parsed(kind, arn)`
    /// gives the managed policy (`PolicyKind::Managed`) or permissions boundary
    /// (`PolicyKind::Boundary`) named [`attached_policy_name`], or says why it cannot be read.
    pub fn of_role_with(
        role: &RoleDetail,
        mut parsed: impl FnMut(PolicyKind, &str) -> Result<Rc<NamedPolicy>, String>,
    ) -> Self {
        let mut identity: Vec<Rc<NamedPolicy>> = role
            .role_policy_list
            .iter()
            .map(|p| {
                Rc::new(NamedPolicy::parse(
                    PolicyKind::Inline,
                    format!("inline policy {} of role {}", p.policy_name, role.role_name),
                    p.policy_document.value(),
                ))
            })
            .collect();
        for attached in &role.attached_managed_policies {
            let arn = attached.policy_arn.as_str();
            identity.push(parsed(PolicyKind::Managed, arn).unwrap_or_else(|why| {
                Rc::new(NamedPolicy::unavailable(
                    PolicyKind::Managed,
                    attached_policy_name(PolicyKind::Managed, arn),
                    format!(
                        "managed policy {arn} attached to role {} cannot be read: {why}",
                        role.role_name
                    ),
                ))
            }));
        }
        let boundary = role.permissions_boundary.as_ref().map(|b| {
            let arn = b.permissions_boundary_arn.as_str();
            parsed(PolicyKind::Boundary, arn).unwrap_or_else(|why| {
                Rc::new(NamedPolicy::unavailable(
                    PolicyKind::Boundary,
                    attached_policy_name(PolicyKind::Boundary, arn),
                    format!(
                        "permissions boundary {arn} of role {} cannot be read: {why}",
                        role.role_name
                    ),
                ))
            })
        });
        Self { identity, boundary }
    }
}

/// The name messages give a managed policy (`managed policy ARN`) or a permissions boundary
/// (`permissions boundary ARN`).
pub fn attached_policy_name(kind: PolicyKind, arn: &str) -> String {
    if kind == PolicyKind::Boundary {
        format!("permissions boundary {arn}")
    } else {
        format!("managed policy {arn}")
    }
}

/// [`default_policy`], parsed once.
static DEFAULT_POLICY: LazyLock<NamedPolicy> = LazyLock::new(default_policy);

/// The EFS default file-system policy as a policy: everything for everyone through a mount
/// target (<https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html#default-filesystempolicy>).
fn default_policy() -> NamedPolicy {
    NamedPolicy::parse(
        PolicyKind::DefaultFileSystem,
        "the default file-system policy (the file system has none)",
        &json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
                "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}
            }]
        }),
    )
}

/// A statement that took part in a decision. Its [`StatementRef`] (two strings) is built only
/// for the statements a message names: most statements of most decisions are never named.
#[derive(Clone, Copy)]
struct Source<'p> {
    policy: &'p NamedPolicy,
    statement: &'p Statement,
}

impl Source<'_> {
    fn to_ref(self) -> StatementRef {
        StatementRef {
            kind: self.policy.kind,
            policy: self.policy.name.clone(),
            statement: self.statement.label(),
        }
    }
}

/// Terms of one kind, each with the statement it comes from (none for unavailable policies).
#[derive(Default)]
struct Terms<'p>(Vec<(Tri, Option<Source<'p>>)>);

impl<'p> Terms<'p> {
    /// Adds a term; a false one changes neither [`Terms::any`] nor [`Terms::true_refs`], and most
    /// statements are false for most requests, so it is not kept.
    fn push(&mut self, t: Tri, r: Option<Source<'p>>) {
        if !t.is_false() {
            self.0.push((t, r));
        }
    }
    fn any(&self) -> Tri {
        Tri::any(self.0.iter().map(|(t, _)| t.clone()))
    }
    fn true_refs(&self) -> Vec<StatementRef> {
        self.0
            .iter()
            .filter(|(t, _)| t.is_true())
            .filter_map(|(_, r)| r.map(Source::to_ref))
            .collect()
    }
}

#[derive(Default)]
struct Collected<'p> {
    deny: Terms<'p>,
    fs_direct: Terms<'p>,
    fs_role: Terms<'p>,
    fs_account: Terms<'p>,
    identity: Terms<'p>,
    boundary: Terms<'p>,
    unmet: Vec<Unmet>,
    notes: Vec<String>,
}

impl<'p> Collected<'p> {
    fn policy(&mut self, policy: &'p NamedPolicy, req: &Request<'_>) {
        let body = match &policy.body {
            Ok(p) => p,
            Err(why) => {
                let u = Tri::unknown(why.clone());
                self.deny.push(u.clone(), None);
                match policy.kind {
                    PolicyKind::Boundary => self.boundary.push(u, None),
                    PolicyKind::Inline | PolicyKind::Managed => self.identity.push(u, None),
                    _ => self.fs_direct.push(u, None),
                }
                return;
            }
        };
        self.statements(policy, body, req);
    }

    fn statements(&mut self, policy: &'p NamedPolicy, body: &'p Policy, req: &Request<'_>) {
        for stmt in &body.statements {
            let mut a = applies(stmt, policy.kind, req);
            let source = Source {
                policy,
                statement: stmt,
            };
            if !a.notes.is_empty() {
                let r = source.to_ref();
                for n in &a.notes {
                    let note = capitalize(&format!("{r} {n}."));
                    if !self.notes.contains(&note) {
                        self.notes.push(note);
                    }
                }
            }
            let holds = match a.holds() {
                unknown @ Tri::Unknown(_) => located(unknown, &source.to_ref()),
                known => known,
            };
            // A deny that applies or an allow that fails because of a key EFS never sets: say
            // why the key is missing.
            if (stmt.effect == Effect::Deny && holds.is_true()) || a.unmet() {
                for key in stmt.conditions.iter().map(|c| c.key.as_str()).filter(|k| {
                    NEVER_SET_FOR_NFS_CLIENTS
                        .iter()
                        .any(|n| n.eq_ignore_ascii_case(k))
                }) {
                    let note = capitalize(&format!(
                        "{} has a condition on {key}, a key EFS never sets for NFS clients (IAM adds it only to requests made through a VPC endpoint), so the condition sees it absent.",
                        source.to_ref()
                    ));
                    if !self.notes.contains(&note) {
                        self.notes.push(note);
                    }
                }
            }
            if stmt.effect == Effect::Deny {
                self.deny.push(holds, Some(source));
                continue;
            }
            if a.unmet() {
                self.unmet.push(Unmet {
                    statement: source.to_ref(),
                    conditions: std::mem::take(&mut a.failed),
                });
            }
            let bucket = match (policy.kind, a.naming) {
                (_, Naming::No) => continue,
                (PolicyKind::Boundary, _) => &mut self.boundary,
                (PolicyKind::Inline | PolicyKind::Managed, _) => &mut self.identity,
                (_, Naming::Direct) => &mut self.fs_direct,
                (_, Naming::Role) => &mut self.fs_role,
                (_, Naming::Account) => &mut self.fs_account,
            };
            bucket.push(holds, Some(source));
        }
    }
}

/// Decides one EFS client request. `role` holds the task role's policies; it is ignored for an
/// anonymous caller.
pub fn evaluate_efs(
    request: &EfsRequest,
    file_system: &FileSystemPolicy,
    role: Option<&RolePolicies>,
) -> Evaluation {
    let context = request.context();
    decide(
        request.action,
        request.file_system_arn.as_deref(),
        &request.caller,
        &context,
        file_system,
        role,
    )
}

/// [`evaluate_efs`] with the request's parts borrowed and its context built
/// ([`request_context`]): a mount decides several actions in the same context.
pub(crate) fn decide(
    action: EfsAction,
    file_system_arn: Option<&str>,
    caller: &Caller,
    context: &RequestContext,
    file_system: &FileSystemPolicy,
    role: Option<&RolePolicies>,
) -> Evaluation {
    let role_session = match caller {
        Caller::RoleSession(r) => Some(r),
        _ => None,
    };
    let role = role.filter(|_| role_session.is_some());
    let req = Request {
        action: action.iam_name(),
        resource: file_system_arn,
        caller,
        context,
        has_boundary: role.is_some_and(|r| r.boundary.is_some()),
    };
    let fs_policy = match file_system {
        FileSystemPolicy::Default => &*DEFAULT_POLICY,
        FileSystemPolicy::Policy(p) => p,
    };
    let mut c = Collected::default();
    c.policy(fs_policy, &req);
    if let Some(role) = role {
        for p in &role.identity {
            c.policy(p, &req);
        }
        if let Some(b) = &role.boundary {
            c.policy(b, &req);
        }
    }

    let deny = c.deny.any();
    let within_boundary = match role.and_then(|r| r.boundary.as_ref()) {
        None => Tri::True,
        Some(_) => c.boundary.any(),
    };
    let within_boundary_kept = within_boundary.clone();
    let identity = c.identity.any();
    let no_identity_allow = identity.is_false();
    let fs_account = file_system_arn.and_then(|arn| arn.split(':').nth(4));
    let cross_account = match (role_session, fs_account) {
        (Some(r), Some(acct)) => !acct.is_empty() && acct != r.account,
        _ => false,
    };
    let (allowed, allow_refs) = if role_session.is_none() {
        (c.fs_direct.any(), c.fs_direct.true_refs())
    } else if cross_account {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
        let resource_side = c.fs_direct.any().or(c.fs_role.any()).or(c.fs_account.any());
        let allowed = identity.clone().and(within_boundary).and(resource_side);
        let mut refs = c.identity.true_refs();
        refs.extend(c.fs_direct.true_refs());
        refs.extend(c.fs_role.true_refs());
        refs.extend(c.fs_account.true_refs());
        (allowed, refs)
    } else {
        let direct = c.fs_direct.any();
        if direct.is_true() {
            (Tri::True, c.fs_direct.true_refs())
        } else {
            let via_role = identity.or(c.fs_role.any()).and(within_boundary);
            let mut refs = c.identity.true_refs();
            refs.extend(c.fs_role.true_refs());
            (direct.or(via_role), refs)
        }
    };

    let (decision, deciding, unknown) = match (&deny, &allowed) {
        (Tri::True, _) => (Decision::ExplicitDeny, c.deny.true_refs(), Vec::new()),
        (_, Tri::False) => (Decision::ImplicitDeny, Vec::new(), Vec::new()),
        (Tri::False, Tri::True) => (Decision::Allowed, allow_refs, Vec::new()),
        _ => {
            let mut reasons = deny.reasons().to_vec();
            for r in allowed.reasons() {
                if !reasons.contains(r) {
                    reasons.push(r.clone());
                }
            }
            (Decision::Unknown, Vec::new(), reasons)
        }
    };
    let denied = decision != Decision::Allowed;
    let mut capped = Vec::new();
    if denied && within_boundary_kept.is_false() {
        capped = c.identity.true_refs();
        capped.extend(c.fs_role.true_refs());
    }
    let mut notes = c.notes;
    // A grant to the account delegates to the account's identity policies: without an
    // identity allow it grants nothing (step 5 of the module docs).
    if decision == Decision::ImplicitDeny && !cross_account && no_identity_allow {
        if let Some(r) = role_session {
            for grant in c.fs_account.true_refs() {
                notes.push(capitalize(&format!(
                    "{grant} grants it to account {}, which only delegates to the account's identity policies: it allows nothing by itself, and no identity policy of role {} allows it.",
                    r.account, r.role_name
                )));
            }
        }
    }
    Evaluation {
        decision,
        deciding,
        unmet: if denied { c.unmet } else { Vec::new() },
        capped,
        unknown,
        notes,
    }
}
