//! One volume's mount as EFS sees it, resolved from the snapshot: the file system and its
//! policy, the access point, transit encryption, and the caller (the task role with its policies,
//! or the anonymous client). It decides the client actions and writes what users read: why an
//! action is denied, and a fix that grants it, confirmed by evaluating the fixed policies.

use std::cell::OnceCell;
use std::rc::Rc;

use serde_json::{json, Value};

use super::context::RequestContext;
use super::efs::{
    decide, evaluate_efs, request_context, AccessPointUse, EfsAction, EfsRequest, FileSystemPolicy,
    RolePolicies,
};
use super::eval::{capitalize, Decision, Evaluation, NamedPolicy, PolicyKind};
use super::pattern::glob;
use super::policy::{Effect, PrincipalKind, Principals};
use super::principal::{Caller, RoleSession};
use crate::snapshot::{PolicyDocument, RoleDetail};

/// One volume's mount.
#[derive(Debug, Clone)]
pub struct Mount<'a> {
    fs_id: &'a str,
    fs_arn: Option<String>,
    fs_document: Option<&'a PolicyDocument>,
    fs_policy: Rc<FileSystemPolicy>,
    access_point: AccessPointUse,
    tls: bool,
    caller: Caller,
    role: Option<(&'a RoleDetail, Rc<RolePolicies>)>,
    /// The request context without and with transit encryption, built on first use.
    contexts: [OnceCell<RequestContext>; 2],
}

impl<'a> Mount<'a> {
    /// A mount of `fs_id` (policy `fs_document`, `None` for the default policy) by the task
    /// role with its policies, or anonymously when `role` is `None`. Fails when the role's ARN
    /// is not a role ARN.
    pub fn new(
        fs_id: &'a str,
        fs_arn: Option<String>,
        fs_document: Option<&'a PolicyDocument>,
        access_point: AccessPointUse,
        tls: bool,
        role: Option<(&'a RoleDetail, RolePolicies)>,
    ) -> Result<Self, String> {
        Self::with_policies(
            fs_id,
            fs_arn,
            fs_document,
            Rc::new(FileSystemPolicy::from_document(fs_id, fs_document)),
            access_point,
            tls,
            role.map(|(r, p)| (r, Rc::new(p))),
        )
    }

    /// [`Mount::new`] with the policies already parsed: `fs_policy` must be
    /// [`FileSystemPolicy::from_document`] of `fs_document`, and the role's policies
    /// [`RolePolicies::of_role`]. A file system and a role take part in many mounts; their
    /// policies need parsing only once.
    pub fn with_policies(
        fs_id: &'a str,
        fs_arn: Option<String>,
        fs_document: Option<&'a PolicyDocument>,
        fs_policy: Rc<FileSystemPolicy>,
        access_point: AccessPointUse,
        tls: bool,
        role: Option<(&'a RoleDetail, Rc<RolePolicies>)>,
    ) -> Result<Self, String> {
        let caller = match &role {
            None => Caller::Anonymous,
            Some((r, _)) => Caller::RoleSession(
                RoleSession::from_role_arn(&r.arn, r.role_id.as_deref())
                    .ok_or_else(|| format!("{} is not a role ARN", r.arn))?,
            ),
        };
        Ok(Self {
            fs_id,
            fs_arn,
            fs_document,
            fs_policy,
            access_point,
            tls,
            caller,
            role,
            contexts: Default::default(),
        })
    }

    /// The file system id.
    pub fn fs_id(&self) -> &'a str {
        self.fs_id
    }

    /// The task role, with `iam` ENABLED.
    pub fn role(&self) -> Option<&'a RoleDetail> {
        self.role.as_ref().map(|(r, _)| *r)
    }

    /// Transit encryption is on.
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// The request for an action with transit encryption on or off.
    pub fn request(&self, action: EfsAction, tls: bool) -> EfsRequest {
        EfsRequest {
            action,
            file_system_arn: self.fs_arn.clone(),
            access_point: self.access_point.clone(),
            secure_transport: tls,
            caller: self.caller.clone(),
        }
    }

    /// Decides an action as the volume is configured.
    pub fn evaluate(&self, action: EfsAction) -> Evaluation {
        self.evaluate_tls(action, self.tls)
    }

    /// Decides an action with transit encryption on or off.
    pub fn evaluate_tls(&self, action: EfsAction, tls: bool) -> Evaluation {
        let context = self.contexts[usize::from(tls)]
            .get_or_init(|| request_context(tls, &self.access_point, &self.caller));
        decide(
            action,
            self.fs_arn.as_deref(),
            &self.caller,
            context,
            &self.fs_policy,
            self.role.as_ref().map(|(_, p)| &**p),
        )
    }

    /// The caller for messages: `task role app` or `the anonymous NFS client`.
    pub fn caller_text(&self) -> String {
        match &self.role {
            Some((role, _)) => format!("task role {}", role.role_name),
            None => "the anonymous NFS client".to_owned(),
        }
    }

    /// What allows an action, as a clause: "statement X of P allows it", or the default policy.
    pub fn allowed_text(&self, e: &Evaluation) -> String {
        if !e.deciding.is_empty()
            && e.deciding
                .iter()
                .all(|r| r.kind == PolicyKind::DefaultFileSystem)
        {
            format!(
                "{} has no file-system policy, and the default policy allows every client that comes through a mount target",
                self.fs_id
            )
        } else {
            format!("{} allows it", e.deciding_text())
        }
    }

    /// Why an action is denied, as a clause ("nothing in ... allows ...", "... denies it ...").
    pub fn denial(&self, e: &Evaluation, action: EfsAction) -> String {
        let name = action.iam_name();
        if e.decision == Decision::ExplicitDeny {
            return format!("{} denies it {name}", e.deciding_text());
        }
        if let (false, Some((role, p))) = (e.capped.is_empty(), &self.role) {
            let boundary = p
                .boundary
                .as_ref()
                .map_or_else(|| "permissions boundary".to_owned(), |b| b.name.clone());
            return format!(
                "{} allows {name}, but the {boundary} of role {} does not, and a boundary caps identity policies and grants to the role ARN",
                e.capped_text(),
                role.role_name
            );
        }
        let mut sources = vec![match self.fs_document {
            Some(_) => format!("the file-system policy of {}", self.fs_id),
            None => "the default file-system policy".to_owned(),
        }];
        if let Some((role, _)) = &self.role {
            sources.push(format!("the identity policies of role {}", role.role_name));
        }
        let to = if self.role.is_some() {
            ""
        } else {
            " to an anonymous client"
        };
        format!("nothing in {} allows {name}{to}", list(&sources, "or"))
    }

    /// Sentences that explain a denial further: allows whose conditions fail, statements that
    /// look meant for this caller but cannot match it. Empty, or starting with a space.
    pub fn remarks(&self, e: &Evaluation) -> String {
        e.unmet_sentences("this mount")
            .into_iter()
            .chain(e.notes.iter().cloned())
            .fold(String::new(), |mut out, s| {
                out.push(' ');
                out.push_str(&s);
                out
            })
    }

    /// A sentence (with a leading space, or empty) when the file-system policy grants `action` to
    /// the execution role: it is never the EFS client (`iam` ENABLED mounts as the task role,
    /// otherwise anonymously).
    pub fn execution_role_remark(
        &self,
        execution_role_arn: Option<&str>,
        action: EfsAction,
    ) -> String {
        self.execution_role_sentence(execution_role_arn, action)
            .map(|s| format!(" {s}"))
            .unwrap_or_default()
    }

    fn execution_role_sentence(
        &self,
        execution_role_arn: Option<&str>,
        action: EfsAction,
    ) -> Option<String> {
        let execution_role_arn = execution_role_arn?;
        let FileSystemPolicy::Policy(NamedPolicy {
            body: Ok(policy),
            name,
            ..
        }) = &*self.fs_policy
        else {
            return None;
        };
        if self.role().is_some_and(|r| r.arn == execution_role_arn) {
            return None;
        }
        let labels: Vec<String> = policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
            .filter(|s| {
                s.action.negated
                    != s.action
                        .patterns
                        .iter()
                        .any(|p| glob(p, action.iam_name(), true))
            })
            .filter(|s| {
                s.principal.as_ref().is_some_and(|p| {
                    !p.negated
                        && matches!(&p.principals, Principals::Listed(ids) if ids.iter().any(|id| id.kind == PrincipalKind::Aws && id.value == execution_role_arn))
                })
            })
            .map(|s| format!("statement {}", s.label()))
            .collect();
        if labels.is_empty() {
            return None;
        }
        let exec_name = execution_role_arn
            .rsplit('/')
            .next()
            .unwrap_or(execution_role_arn);
        Some(capitalize(&format!(
            "{} of {name} grants it to the execution role {exec_name}, which is never the EFS client: with IAM authorization EFS sees the task role, without it an anonymous client.",
            list(&labels, "and")
        )))
    }

    /// The IAM roles the file-system policy means to let perform `action`: `Allow` statements
    /// for the action whose `Principal` lists a role ARN, or whose condition names role ARNs in
    /// `aws:PrincipalArn`. Such a policy is written for clients that identify with IAM; an
    /// anonymous client (no IAM authorization) is never one of them.
    pub fn roles_granted(&self, action: EfsAction) -> Vec<String> {
        let FileSystemPolicy::Policy(NamedPolicy {
            body: Ok(policy), ..
        }) = &*self.fs_policy
        else {
            return Vec::new();
        };
        let mut roles: Vec<String> = Vec::new();
        for s in policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let matches_action = s.action.negated
                != s.action
                    .patterns
                    .iter()
                    .any(|p| glob(p, action.iam_name(), true));
            if !matches_action {
                continue;
            }
            let listed = s.principal.as_ref().and_then(|p| match &p.principals {
                Principals::Listed(ids) if !p.negated => Some(ids),
                _ => None,
            });
            let by_principal = listed
                .into_iter()
                .flatten()
                .filter(|id| id.kind == PrincipalKind::Aws && id.value.contains(":role/"));
            let by_condition = s
                .conditions
                .iter()
                .filter(|c| {
                    c.key.eq_ignore_ascii_case("aws:PrincipalArn")
                        && !c.operator.to_ascii_lowercase().contains("not")
                })
                .flat_map(|c| c.values.iter())
                .filter(|v| v.contains(":role/"));
            for arn in by_principal.map(|id| &id.value).chain(by_condition) {
                if !roles.contains(arn) {
                    roles.push(arn.clone());
                }
            }
        }
        roles
    }

    /// A fix that grants `action` to this mount: transit encryption when that alone allows it;
    /// else a file-system policy statement (anonymous) or an inline role policy (task role) when
    /// evaluating the fixed policies confirms it; else one sentence. `also_write` adds
    /// `ClientWrite` to a role grant for `ClientMount`.
    pub fn grant_fix(
        &self,
        e: &Evaluation,
        action: EfsAction,
        volume: &str,
        also_write: bool,
    ) -> String {
        if !self.tls && self.evaluate_tls(action, true).decision == Decision::Allowed {
            return format!(
                "Set \"transitEncryption\": \"ENABLED\" in the efsVolumeConfiguration of volume '{volume}' and register a new task definition revision."
            );
        }
        if e.decision == Decision::ExplicitDeny {
            return format!(
                "Remove {} or narrow it so that it no longer matches this mount.",
                e.deciding_text()
            );
        }
        let resource = self.fs_arn.clone().unwrap_or_else(|| {
            format!(
                "arn:aws:elasticfilesystem:REGION:ACCOUNT_ID:file-system/{}",
                self.fs_id
            )
        });
        let Some((role, policies)) = &self.role else {
            let policy = with_statement(
                self.fs_document.map(PolicyDocument::value),
                action,
                self.fs_arn.as_deref(),
            );
            let patched = FileSystemPolicy::Policy(NamedPolicy::parse(
                PolicyKind::FileSystem,
                "fix",
                &policy,
            ));
            let confirmed = evaluate_efs(&self.request(action, self.tls), &patched, None).decision
                == Decision::Allowed;
            return if confirmed {
                format!(
                    "aws efs put-file-system-policy --file-system-id {} --policy {}",
                    self.fs_id,
                    shell_quote(&policy.to_string())
                )
            } else {
                format!(
                    "Enable IAM authorization (\"transitEncryption\": \"ENABLED\" and \"authorizationConfig\": {{\"iam\": \"ENABLED\"}} on volume '{volume}') and allow the task role {} on {resource}.",
                    action.iam_name()
                )
            };
        };
        let mut actions = vec![action.iam_name()];
        if also_write && action == EfsAction::ClientMount {
            actions.push(EfsAction::ClientWrite.iam_name());
        }
        let grant = json!({"Effect": "Allow", "Action": actions, "Resource": resource});
        let mut fixed = RolePolicies::clone(policies);
        let mut commands = Vec::new();
        // Identity policies that already allow it only need the boundary to allow it too.
        if e.capped.is_empty() {
            let doc = json!({"Version": "2012-10-17", "Statement": [grant.clone()]});
            fixed
                .identity
                .push(Rc::new(NamedPolicy::parse(PolicyKind::Inline, "fix", &doc)));
            commands.push(format!(
                "aws iam put-role-policy --role-name {} --policy-name {} --policy-document {}",
                role.role_name,
                fix_policy_name(action),
                shell_quote(&doc.to_string())
            ));
        }
        let allowed = |p: &RolePolicies| {
            evaluate_efs(&self.request(action, self.tls), &self.fs_policy, Some(p)).decision
                == Decision::Allowed
        };
        if !allowed(&fixed) {
            if let (
                Some(
                    b @ NamedPolicy {
                        body: Ok(_),
                        document: Some(_),
                        ..
                    },
                ),
                Some(arn),
            ) = (
                policies.boundary.as_deref(),
                role.permissions_boundary
                    .as_ref()
                    .map(|b| b.permissions_boundary_arn.as_str())
                    // AWS-managed policies cannot get a new version.
                    .filter(|arn| !arn.contains(":aws:policy/")),
            ) {
                let doc = add_statement(b.document.as_ref(), grant);
                fixed.boundary = Some(Rc::new(NamedPolicy::parse(
                    PolicyKind::Boundary,
                    b.name.clone(),
                    &doc,
                )));
                commands.push(format!(
                    "aws iam create-policy-version --policy-arn {arn} --set-as-default --policy-document {}",
                    shell_quote(&doc.to_string())
                ));
            }
        }
        if allowed(&fixed) {
            commands.join(" && ")
        } else {
            format!(
                "Allow task role {} {} on {resource} in its identity policies (and its permissions boundary, if any) or in the file-system policy of {}.",
                role.role_name,
                action.iam_name(),
                self.fs_id
            )
        }
    }
}

/// `policy` (or a new policy) with one more statement: `action` for every client that comes
/// through a mount target.
pub fn with_statement(policy: Option<&Value>, action: EfsAction, fs_arn: Option<&str>) -> Value {
    let short = action.iam_name().trim_start_matches("elasticfilesystem:");
    let mut statement = serde_json::Map::new();
    statement.insert(
        "Sid".into(),
        Value::String(format!("{short}ViaMountTarget")),
    );
    statement.insert("Effect".into(), json!("Allow"));
    statement.insert("Principal".into(), json!({"AWS": "*"}));
    statement.insert("Action".into(), json!(action.iam_name()));
    if let Some(arn) = fs_arn {
        statement.insert("Resource".into(), json!(arn));
    }
    statement.insert(
        "Condition".into(),
        json!({"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}),
    );
    add_statement(policy, Value::Object(statement))
}

/// A copy of `policy` (or a new policy) with `statement` appended.
pub fn add_statement(policy: Option<&Value>, statement: Value) -> Value {
    let mut doc = policy
        .filter(|p| p.is_object())
        .cloned()
        .unwrap_or_else(|| json!({"Version": "2012-10-17"}));
    if let Some(obj) = doc.as_object_mut() {
        let mut statements = match obj.remove("Statement") {
            Some(Value::Array(items)) => items,
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        };
        statements.push(statement);
        obj.insert("Statement".into(), Value::Array(statements));
    }
    doc
}

/// Single-quotes text for a POSIX shell.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// The inline policy a grant fix writes: one per action, so that applying the fixes of IAM002,
/// IAM004 and IAM005 in turn adds grants instead of overwriting one another
/// (`PutRolePolicy` replaces a policy of the same name).
fn fix_policy_name(action: EfsAction) -> &'static str {
    match action {
        EfsAction::ClientMount => "efs-client-mount",
        EfsAction::ClientWrite => "efs-client-write",
        EfsAction::ClientRootAccess => "efs-client-root-access",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_appended_to_objects_arrays_and_nothing() {
        let one = json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*"}});
        let out = add_statement(Some(&one), json!({"Sid": "x"}));
        assert_eq!(out["Statement"].as_array().map(Vec::len), Some(2));
        assert_eq!(out["Statement"][1]["Sid"], "x");
        let out = add_statement(None, json!({"Sid": "x"}));
        assert_eq!(
            out,
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "x"}]})
        );
        let out = with_statement(None, EfsAction::ClientWrite, Some("arn:fs"));
        assert_eq!(out["Statement"][0]["Sid"], "ClientWriteViaMountTarget");
        assert_eq!(out["Statement"][0]["Resource"], "arn:fs");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("{\"a\":\"b\"}"), "'{\"a\":\"b\"}'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
