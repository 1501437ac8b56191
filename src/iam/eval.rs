//! What the decision functions share: named policies, statement references, the result type,
//! and whether one statement applies to one request.

use std::fmt;

use serde_json::Value;

use super::condition;
use super::context::RequestContext;
use super::pattern::glob;
use super::policy::{Effect, Policy, Selector, Statement};
use super::principal::{naming, Caller, Naming};
use super::tri::Tri;

/// Where a policy comes from; it decides how the policy takes part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// The file-system policy (resource-based).
    FileSystem,
    /// The EFS default policy, in effect when a file system has no policy.
    DefaultFileSystem,
    /// An inline policy of the role (identity-based).
    Inline,
    /// A managed policy attached to the role (identity-based, default version).
    Managed,
    /// The role's permissions boundary.
    Boundary,
    /// The role's trust policy (resource-based, for `sts:AssumeRole`).
    Trust,
}

impl PolicyKind {
    /// Whether a parsed policy of this kind keeps its JSON document: fixes write a new version
    /// of a permissions boundary and a new trust policy from the document; the other kinds are
    /// fixed by new policies or statements of their own, and copying every role's and every file
    /// system's document would cost more than the decisions themselves.
    pub fn keeps_document(self) -> bool {
        matches!(self, PolicyKind::Boundary | PolicyKind::Trust)
    }

    /// Resource-based policies name principals; identity-based ones apply to their holder.
    pub fn is_resource_based(self) -> bool {
        matches!(
            self,
            PolicyKind::FileSystem | PolicyKind::DefaultFileSystem | PolicyKind::Trust
        )
    }
}

/// A policy as the evaluator receives it: parsed, or why it is not available.
#[derive(Debug, Clone)]
pub struct NamedPolicy {
    /// How it takes part.
    pub kind: PolicyKind,
    /// Its name for messages (`inline policy efs-client`, `managed policy arn:...`).
    pub name: String,
    /// The parsed policy, or why it cannot be read (not collected, malformed).
    pub body: Result<Policy, String>,
    /// The JSON document as given, for the kinds whose fixes extend the document itself
    /// (permissions boundaries and trust policies, see [`PolicyKind::keeps_document`]); `None`
    /// for the others and for policies that are not available.
    pub document: Option<Value>,
}

impl NamedPolicy {
    /// Parses a decoded policy document; a malformed one is kept as its error.
    pub fn parse(kind: PolicyKind, name: impl Into<String>, document: &Value) -> Self {
        let name = name.into();
        let body = Policy::parse(document).map_err(|e| format!("{name} is malformed: {e}"));
        Self {
            kind,
            name,
            body,
            document: kind.keeps_document().then(|| document.clone()),
        }
    }

    /// A policy that exists but is not available (not collected).
    pub fn unavailable(
        kind: PolicyKind,
        name: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            name: name.into(),
            body: Err(reason.into()),
            document: None,
        }
    }
}

/// One statement of one policy, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    /// The policy's kind.
    pub kind: PolicyKind,
    /// The policy's name.
    pub policy: String,
    /// The statement's `Sid` in quotes, or `#n`.
    pub statement: String,
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "statement {} of {}", self.statement, self.policy)
    }
}

/// The outcome of an authorization decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed.
    Allowed,
    /// Denied by an explicit `Deny` statement.
    ExplicitDeny,
    /// Denied because nothing allows it.
    ImplicitDeny,
    /// Depends on something not known offline.
    Unknown,
}

impl Decision {
    /// Denied, explicitly or implicitly.
    pub fn is_denied(self) -> bool {
        matches!(self, Decision::ExplicitDeny | Decision::ImplicitDeny)
    }
}

/// An allow statement that names the caller and the action, but whose conditions do not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// The statement.
    pub statement: StatementRef,
    /// Its conditions that do not hold (`StringEquals on elasticfilesystem:AccessPointArn`).
    pub conditions: Vec<String>,
}

/// A decision with what decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The outcome.
    pub decision: Decision,
    /// The statements that decided it: the applicable denies for `ExplicitDeny`, the allows
    /// that grant it for `Allowed`; empty otherwise.
    pub deciding: Vec<StatementRef>,
    /// Allow statements that name this caller and action but whose conditions do not hold
    /// (empty when allowed).
    pub unmet: Vec<Unmet>,
    /// Allows (identity policies, grants to the role ARN) that hold but that the permissions
    /// boundary does not allow (empty when allowed).
    pub capped: Vec<StatementRef>,
    /// Why the decision is `Unknown` (empty otherwise).
    pub unknown: Vec<String>,
    /// Remarks, as sentences, about statements that look meant for this caller but cannot
    /// match it.
    pub notes: Vec<String>,
}

impl Evaluation {
    /// The deciding statements as a sentence fragment (`statement "A" of X and statement #2 of Y`).
    pub fn deciding_text(&self) -> String {
        join(&self.deciding)
    }

    /// The unmet statements as a sentence fragment.
    pub fn unmet_text(&self) -> String {
        let refs: Vec<StatementRef> = self.unmet.iter().map(|u| u.statement.clone()).collect();
        join(&refs)
    }

    /// The unmet statements with their failing conditions, as sentences; `request` names the
    /// request (`this mount`).
    pub fn unmet_sentences(&self, request: &str) -> Vec<String> {
        self.unmet
            .iter()
            .map(|u| {
                let (noun, verb) = if u.conditions.len() == 1 {
                    ("condition", "does")
                } else {
                    ("conditions", "do")
                };
                capitalize(&format!(
                    "{} would allow it, but its {noun} {} {verb} not hold for {request}.",
                    u.statement,
                    u.conditions.join(" and ")
                ))
            })
            .collect()
    }

    /// The capped allows as a sentence fragment.
    pub fn capped_text(&self) -> String {
        join(&self.capped)
    }
}

/// The text with its first letter in upper case.
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn join(refs: &[StatementRef]) -> String {
    let parts: Vec<String> = refs.iter().map(ToString::to_string).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The request as statements see it.
pub(crate) struct Request<'a> {
    pub action: &'a str,
    /// `None` when the resource ARN is not known.
    pub resource: Option<&'a str>,
    pub caller: &'a Caller,
    pub context: &'a RequestContext,
    /// The caller's role has a permissions boundary (changes `NotPrincipal` with `Deny`).
    pub has_boundary: bool,
}

/// How one statement applies to a request.
pub(crate) struct Applies {
    /// How the statement names the caller (`Direct` for identity-based policies).
    pub naming: Naming,
    /// Action and resource match.
    pub target: Tri,
    /// The conditions hold.
    pub conditions: Tri,
    /// The conditions that do not hold, as `Operator on key`.
    pub failed: Vec<String>,
    /// Remarks, as predicates of the statement (only when its action and resource match).
    pub notes: Vec<String>,
}

impl Applies {
    /// The statement applies: it names the caller, matches, and its conditions hold.
    pub fn holds(&self) -> Tri {
        if self.naming == Naming::No {
            return Tri::False;
        }
        self.target.clone().and(self.conditions.clone())
    }

    /// It names the caller and matches, but its conditions do not hold.
    pub fn unmet(&self) -> bool {
        self.naming != Naming::No && self.target.is_true() && self.conditions.is_false()
    }
}

/// Prefixes the reasons of an unknown truth with the statement they come from.
pub(crate) fn located(t: Tri, at: &StatementRef) -> Tri {
    match t {
        Tri::Unknown(reasons) => {
            Tri::Unknown(reasons.into_iter().map(|r| format!("{at} {r}")).collect())
        }
        other => other,
    }
}

/// How one statement of a policy of `kind` applies to a request.
///
/// Work stops as soon as the outcome is settled: a statement whose action does not match
/// applies to no one and has nothing to remark; one that does not name the caller does not
/// apply whatever its conditions say. Such statements report `Naming::No` and no conditions
/// (callers only use those parts of a statement that names the caller and matches).
pub(crate) fn applies(stmt: &Statement, kind: PolicyKind, req: &Request<'_>) -> Applies {
    let settled = |naming: Naming, target: Tri, notes: Vec<String>| Applies {
        naming,
        target,
        conditions: Tri::True,
        failed: Vec::new(),
        notes,
    };
    if !selector_matches(&stmt.action, req.action, true) {
        return settled(Naming::No, Tri::False, Vec::new());
    }
    let target = match &stmt.resource {
        // Resource-based policies may omit it: the policy's own resource is meant.
        None => Tri::True,
        Some(sel) => resource_matches(sel, req.resource),
    };
    if target.is_false() {
        // The statement does not apply; the only remark left is about an access point ARN
        // written as Resource, for an allow that names the caller.
        let note = match stmt.effect {
            Effect::Allow => access_point_resource_note(stmt, req),
            Effect::Deny => None,
        };
        let Some(note) = note else {
            return settled(Naming::No, Tri::False, Vec::new());
        };
        let naming = if kind.is_resource_based() {
            principal_naming(stmt, req, &mut Vec::new())
        } else {
            Naming::Direct
        };
        let notes = if naming == Naming::No {
            Vec::new()
        } else {
            vec![note]
        };
        return settled(naming, Tri::False, notes);
    }
    let mut notes = Vec::new();
    let naming = if kind.is_resource_based() {
        principal_naming(stmt, req, &mut notes)
    } else {
        Naming::Direct
    };
    if naming == Naming::No {
        return settled(naming, target, notes);
    }
    // The failed conditions are named only when the rest of the statement applies.
    let name_failed = target.is_true();
    let mut conditions = Tri::True;
    let mut failed = Vec::new();
    for c in &stmt.conditions {
        let t = condition::holds(c, req.context);
        if t.is_false() && name_failed {
            failed.push(format!("{} on {}", c.operator, c.key));
        }
        conditions = conditions.and(t);
    }
    Applies {
        naming,
        target,
        conditions,
        failed,
        notes,
    }
}

/// A remark for an `Allow` of an EFS client action whose `Resource` is an access point ARN:
/// EFS authorizes the client actions on the file system ARN (the access point is the
/// `elasticfilesystem:AccessPointArn` condition key), so such a statement never matches
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticfilesystem.html>).
fn access_point_resource_note(stmt: &Statement, req: &Request<'_>) -> Option<String> {
    let prefix = "elasticfilesystem:client";
    if !req
        .action
        .as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    {
        return None;
    }
    let resource = stmt.resource.as_ref().filter(|r| !r.negated)?;
    let access_point = resource
        .patterns
        .iter()
        .find(|p| p.contains(":access-point/"))?;
    Some(format!(
        "allows {} on access point {access_point}, but EFS authorizes it on the file system ARN, so the statement does not match (keep the file system ARN as Resource and name the access point in an elasticfilesystem:AccessPointArn condition)",
        req.action
    ))
}

fn principal_naming(stmt: &Statement, req: &Request<'_>, notes: &mut Vec<String>) -> Naming {
    let Some(element) = &stmt.principal else {
        notes.push("has no Principal, so it applies to no one".to_owned());
        return Naming::No;
    };
    let (named, remarks) = naming(&element.principals, req.caller);
    if !element.negated {
        notes.extend(remarks);
        return named;
    }
    // NotPrincipal. AWS evaluates a role session as account, then role, then session: a Deny
    // spares it only when all three are listed, and the session (the task id) cannot be; with a
    // permissions boundary such a Deny applies whatever is listed.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    match (stmt.effect, named) {
        (Effect::Deny, _) if req.has_boundary => Naming::Direct,
        (_, Naming::Direct) => Naming::No,
        (Effect::Deny, Naming::Role | Naming::Account) => {
            notes.push(
                "lists the role or its account in NotPrincipal but cannot list the task's session, so its Deny still applies to the task".to_owned(),
            );
            Naming::Direct
        }
        _ => Naming::Direct,
    }
}

fn selector_matches(sel: &Selector, value: &str, case_insensitive: bool) -> bool {
    let hit = sel
        .patterns
        .iter()
        .any(|p| glob(p, value, case_insensitive));
    hit != sel.negated
}

fn resource_matches(sel: &Selector, resource: Option<&str>) -> Tri {
    if sel.patterns.iter().any(|p| p.contains("${")) {
        return Tri::unknown(format!(
            "names its resources with a policy variable ({}), which is not resolved",
            sel.patterns.join(", ")
        ));
    }
    match resource {
        Some(r) => Tri::from_bool(selector_matches(sel, r, false)),
        None if sel.patterns.iter().any(|p| p == "*") => Tri::from_bool(!sel.negated),
        None => Tri::unknown(
            "names resources, and the file system's ARN is not known (the collected state has neither its ARN nor the Region and account)",
        ),
    }
}

#[cfg(test)]
mod tests {
    //! [`applies`] stops early; these tests hold it to the statement-by-statement evaluation it
    //! replaces, on generated statements and requests.

    use proptest::prelude::*;
    use serde_json::{json, Map, Value};

    use super::*;
    use crate::iam::context::KeyValue;
    use crate::iam::efs::{request_context, AccessPointUse};
    use crate::iam::principal::RoleSession;

    const FS: &str = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0abc";
    const AP: &str = "arn:aws:elasticfilesystem:us-east-1:111122223333:access-point/fsap-1";
    const ROLE: &str = "arn:aws:iam::111122223333:role/svc/app";

    /// Every part of every statement evaluated, then combined: the evaluation before early exits.
    fn applies_exhaustively(stmt: &Statement, kind: PolicyKind, req: &Request<'_>) -> Applies {
        let action = Tri::from_bool(selector_matches(&stmt.action, req.action, true));
        let resource = match &stmt.resource {
            None => Tri::True,
            Some(sel) => resource_matches(sel, req.resource),
        };
        let target = action.clone().and(resource);
        let mut notes = Vec::new();
        let naming = if kind.is_resource_based() {
            principal_naming(stmt, req, &mut notes)
        } else {
            Naming::Direct
        };
        if target.is_false() {
            notes.clear();
            if naming != Naming::No && action.is_true() && stmt.effect == Effect::Allow {
                if let Some(note) = access_point_resource_note(stmt, req) {
                    notes.push(note);
                }
            }
        }
        let results: Vec<(Tri, &super::super::policy::Condition)> = stmt
            .conditions
            .iter()
            .map(|c| (condition::holds(c, req.context), c))
            .collect();
        let failed = results
            .iter()
            .filter(|(t, _)| t.is_false())
            .map(|(_, c)| format!("{} on {}", c.operator, c.key))
            .collect();
        Applies {
            naming,
            target,
            conditions: Tri::all(results.into_iter().map(|(t, _)| t)),
            failed,
            notes,
        }
    }

    fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        prop::sample::select(items)
    }

    fn some_of(items: &'static [&'static str]) -> impl Strategy<Value = Vec<&'static str>> {
        prop::collection::vec(pick(items), 1..3)
    }

    const ACTIONS: &[&str] = &[
        "elasticfilesystem:ClientMount",
        "ELASTICFILESYSTEM:clientmount",
        "elasticfilesystem:Client*",
        "elasticfilesystem:client?ount",
        "elasticfilesystem:ClientWrite",
        "elasticfilesystem:Describe*",
        "s3:*",
        "*",
        "sts:AssumeRole",
    ];
    const RESOURCES: &[&str] = &[
        FS,
        "*",
        AP,
        "arn:aws:elasticfilesystem:*:*:file-system/*",
        "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/FS-0ABC",
        "arn:aws:elasticfilesystem:*:*:file-system/${aws:username}",
        ROLE,
    ];
    const PRINCIPALS: &[&str] = &[
        "*",
        ROLE,
        "AROAAPP",
        "111122223333",
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::444455556666:root",
        "arn:aws:sts::111122223333:assumed-role/app/0123",
        "arn:aws:sts::111122223333:assumed-role/application/0123",
        "AROAOLDROLE",
        "arn:aws:iam::111122223333:role/svc/*",
        "arn:aws:iam::111122223333:role/other",
    ];
    const CONDITIONS: &[(&str, &str, &str)] = &[
        ("Bool", "aws:SecureTransport", "true"),
        ("bool", "AWS:SECURETRANSPORT", "false"),
        ("Bool", "elasticfilesystem:AccessedViaMountTarget", "true"),
        ("StringEquals", "elasticfilesystem:AccessPointArn", AP),
        (
            "StringNotEqualsIfExists",
            "elasticfilesystem:accesspointarn",
            AP,
        ),
        ("stringequalsignorecase", "aws:PrincipalType", "assumedrole"),
        ("StringLike", "aws:PrincipalTag/team", "a*"),
        (
            "ArnLike",
            "aws:PrincipalArn",
            "arn:aws:iam::111122223333:role/*",
        ),
        ("ArnNotEquals", "aws:PrincipalArn", ROLE),
        ("StringLike", "aws:userid", "AROAAPP:*"),
        ("StringEquals", "aws:SourceVpce", "vpce-1"),
        ("ForAnyValue:StringLike", "aws:SourceVpc", "vpc-*"),
        ("forallvalues:stringequals", "aws:SourceVpc", "vpc-1"),
        ("Null", "elasticfilesystem:AccessPointArn", "true"),
        ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
        ("StringEquals", "aws:SourceAccount", "111122223333"),
        (
            "ArnLike",
            "aws:SourceArn",
            "arn:aws:ecs:us-east-1:111122223333:*",
        ),
        ("NoSuchOperator", "aws:SecureTransport", "true"),
        ("NullIfExists", "aws:SecureTransport", "true"),
    ];

    fn statement() -> impl Strategy<Value = Value> {
        (
            any::<bool>(),
            (any::<bool>(), some_of(ACTIONS)),
            prop::option::of((any::<bool>(), some_of(RESOURCES))),
            prop::option::of((any::<bool>(), prop::option::of(some_of(PRINCIPALS)))),
            prop::collection::vec(prop::sample::select(CONDITIONS), 0..3),
            prop::option::of(pick(&["Named", ""])),
        )
            .prop_map(|(allow, action, resource, principal, conditions, sid)| {
                let mut s = Map::new();
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                let name =
                    |not: bool, what: &str| format!("{}{what}", if not { "Not" } else { "" });
                s.insert(name(action.0, "Action"), json!(action.1));
                if let Some((not, r)) = resource {
                    s.insert(name(not, "Resource"), json!(r));
                }
                if let Some((not, p)) = principal {
                    let p = p.map_or(json!("*"), |ids| json!({"AWS": ids}));
                    s.insert(name(not, "Principal"), p);
                }
                let mut c = Map::new();
                for (op, key, value) in conditions {
                    let entry = c.entry(op).or_insert_with(|| json!({}));
                    if let Some(keys) = entry.as_object_mut() {
                        keys.insert(key.into(), json!(value));
                    }
                }
                if !c.is_empty() {
                    s.insert("Condition".into(), Value::Object(c));
                }
                Value::Object(s)
            })
    }

    const KINDS: &[PolicyKind] = &[
        PolicyKind::FileSystem,
        PolicyKind::DefaultFileSystem,
        PolicyKind::Inline,
        PolicyKind::Managed,
        PolicyKind::Boundary,
        PolicyKind::Trust,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn early_exits_decide_as_the_full_evaluation(
            statement in statement(),
            kind in prop::sample::select(KINDS),
            action in pick(&[
                "elasticfilesystem:ClientMount",
                "elasticfilesystem:ClientWrite",
                "elasticfilesystem:ClientRootAccess",
                "sts:AssumeRole",
            ]),
            resource in prop::option::of(pick(&[FS, ROLE])),
            caller in 0..3u8,
            tls: bool,
            access_point in 0..3u8,
            has_boundary: bool,
        ) {
            let policy = super::super::policy::Policy::parse(&json!({"Statement": statement}))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let caller = match caller {
                0 => Caller::RoleSession(
                    RoleSession::from_role_arn(ROLE, Some("AROAAPP")).ok_or_else(|| TestCaseError::fail("role"))?,
                ),
                1 => Caller::Anonymous,
                _ => Caller::Service("ecs-tasks.amazonaws.com".into()),
            };
            let access_point = match access_point {
                0 => AccessPointUse::None,
                1 => AccessPointUse::Arn(AP.into()),
                _ => AccessPointUse::UnknownArn("not collected".into()),
            };
            let mut context = request_context(tls, &access_point, &caller);
            context.set("aws:SourceArn", KeyValue::Prefix("arn:aws:ecs:us-east-1:111122223333:".into()));
            let req = Request { action, resource, caller: &caller, context: &context, has_boundary };
            for stmt in &policy.statements {
                let fast = applies(stmt, kind, &req);
                let full = applies_exhaustively(stmt, kind, &req);
                prop_assert_eq!(fast.holds(), full.holds());
                prop_assert_eq!(fast.unmet(), full.unmet());
                if full.unmet() {
                    prop_assert_eq!(&fast.failed, &full.failed);
                }
                prop_assert_eq!(&fast.notes, &full.notes);
                // A statement reported as naming no one only ever lands nowhere.
                prop_assert!(fast.naming == full.naming || fast.naming == Naming::No);
            }
        }
    }
}
