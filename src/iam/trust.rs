//! Whether a role's trust policy lets ECS tasks assume it.
//!
//! ECS assumes a task role as the service principal `ecs-tasks.amazonaws.com` with
//! `sts:AssumeRole`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html>). The
//! request carries `aws:SourceAccount` (the account running the task) and `aws:SourceArn` (an
//! ECS ARN of that account and Region), which is how AWS's confused-deputy advice writes trust
//! conditions: `"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"}`,
//! `"StringEquals": {"aws:SourceAccount": "111122223333"}`. The exact source ARN (its task id)
//! is not known in advance; conditions that only hold for some ECS ARNs come out unknown.

use serde_json::{json, Value};

use super::context::{KeyValue, RequestContext};
use super::eval::{
    applies, located, Decision, Evaluation, NamedPolicy, PolicyKind, Request, StatementRef, Unmet,
};
use super::mount::add_statement;
use super::policy::{Effect, Principals};
use super::principal::{Caller, Naming};
use super::tri::Tri;

/// The ECS service principal that assumes task roles.
pub const ECS_TASKS_SERVICE: &str = "ecs-tasks.amazonaws.com";

/// Where the task runs, for the trust conditions.
#[derive(Debug, Clone, Default)]
pub struct TrustContext {
    /// The partition (`aws` when not known).
    pub partition: Option<String>,
    /// The Region the task runs in.
    pub region: Option<String>,
    /// The account the task runs in.
    pub account: Option<String>,
}

impl TrustContext {
    fn request_context(&self) -> RequestContext {
        let mut cx = RequestContext::with_capacity(8);
        cx.set_known_value("aws:PrincipalServiceName", ECS_TASKS_SERVICE)
            .set_known_value("aws:PrincipalIsAWSService", "true")
            .set_known_unknown("sts:RoleSessionName", "ECS chooses the session name");
        match &self.account {
            Some(a) => cx.set_known_value("aws:SourceAccount", a.clone()),
            None => {
                cx.set_known_unknown("aws:SourceAccount", "the collected state names no account")
            }
        };
        match (&self.region, &self.account) {
            (Some(r), Some(a)) => cx.set_known(
                "aws:SourceArn",
                KeyValue::Prefix(format!(
                    "arn:{}:ecs:{r}:{a}:",
                    self.partition.as_deref().unwrap_or("aws")
                )),
            ),
            _ => cx.set_known_unknown(
                "aws:SourceArn",
                "the collected state names no Region or account",
            ),
        };
        cx
    }
}

/// Decides `sts:AssumeRole` by `ecs-tasks.amazonaws.com` on the role `role_arn` under its trust
/// policy. Only the trust policy takes part: a role's identity policies do not govern who may
/// assume it.
pub fn evaluate_trust(trust: &NamedPolicy, role_arn: &str, place: &TrustContext) -> Evaluation {
    let context = place.request_context();
    let caller = Caller::Service(ECS_TASKS_SERVICE.to_owned());
    let req = Request {
        action: "sts:AssumeRole",
        resource: Some(role_arn),
        caller: &caller,
        context: &context,
        has_boundary: false,
    };
    let policy = match &trust.body {
        Ok(p) => p,
        Err(why) => {
            return Evaluation {
                decision: Decision::Unknown,
                deciding: Vec::new(),
                unmet: Vec::new(),
                capped: Vec::new(),
                unknown: vec![why.clone()],
                notes: Vec::new(),
            }
        }
    };
    let mut deny = Vec::new();
    let mut allow = Vec::new();
    let mut unmet = Vec::new();
    for stmt in &policy.statements {
        let a = applies(stmt, trust.kind, &req);
        let r = StatementRef {
            kind: trust.kind,
            policy: trust.name.clone(),
            statement: stmt.label(),
        };
        let holds = located(a.holds(), &r);
        match stmt.effect {
            Effect::Deny => deny.push((holds, r)),
            Effect::Allow if a.naming == Naming::Direct => {
                if a.unmet() {
                    unmet.push(Unmet {
                        statement: r.clone(),
                        conditions: a.failed.clone(),
                    });
                }
                allow.push((holds, r));
            }
            Effect::Allow => {}
        }
    }
    let any = |v: &[(Tri, StatementRef)]| Tri::any(v.iter().map(|(t, _)| t.clone()));
    let refs = |v: &[(Tri, StatementRef)]| -> Vec<StatementRef> {
        v.iter()
            .filter(|(t, _)| t.is_true())
            .map(|(_, r)| r.clone())
            .collect()
    };
    let (d, a) = (any(&deny), any(&allow));
    let (decision, deciding, unknown) = match (&d, &a) {
        (Tri::True, _) => (Decision::ExplicitDeny, refs(&deny), Vec::new()),
        (_, Tri::False) => (Decision::ImplicitDeny, Vec::new(), Vec::new()),
        (Tri::False, Tri::True) => (Decision::Allowed, refs(&allow), Vec::new()),
        _ => {
            let mut reasons = d.reasons().to_vec();
            reasons.extend(
                a.reasons()
                    .iter()
                    .filter(|r| !d.reasons().contains(r))
                    .cloned(),
            );
            (Decision::Unknown, Vec::new(), reasons)
        }
    };
    Evaluation {
        decision,
        deciding,
        unmet: if decision == Decision::Allowed {
            Vec::new()
        } else {
            unmet
        },
        capped: Vec::new(),
        unknown,
        notes: Vec::new(),
    }
}

/// The principals the `Allow` statements of a trust policy name, in order, for messages.
pub fn trusted_principals(trust: &NamedPolicy) -> Vec<String> {
    let Ok(policy) = &trust.body else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    for p in policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .filter_map(|s| s.principal.as_ref())
        .filter(|p| !p.negated)
    {
        let values = match &p.principals {
            Principals::Everyone => vec!["*".to_owned()],
            Principals::Listed(ids) => ids.iter().map(|id| id.value.clone()).collect(),
        };
        for v in values {
            if !names.contains(&v) {
                names.push(v);
            }
        }
    }
    names
}

/// The trust policy with one more statement that lets ECS tasks assume the role, scoped to the
/// account and Region when they are known (AWS's advice against the confused deputy,
/// <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html>); `None`
/// when the policy has no document or evaluating the result does not confirm it.
pub fn with_ecs_tasks_statement(
    trust: &NamedPolicy,
    role_arn: &str,
    place: &TrustContext,
) -> Option<Value> {
    let document = trust.document.as_ref()?;
    let mut statement = json!({"Effect": "Allow", "Principal": {"Service": ECS_TASKS_SERVICE}, "Action": "sts:AssumeRole"});
    if let (Some(region), Some(account), Some(obj)) =
        (&place.region, &place.account, statement.as_object_mut())
    {
        let partition = place.partition.as_deref().unwrap_or("aws");
        obj.insert(
            "Condition".into(),
            json!({
                "ArnLike": {"aws:SourceArn": format!("arn:{partition}:ecs:{region}:{account}:*")},
                "StringEquals": {"aws:SourceAccount": account}
            }),
        );
    }
    let fixed = add_statement(Some(document), statement);
    let check = NamedPolicy::parse(PolicyKind::Trust, trust.name.clone(), &fixed);
    (evaluate_trust(&check, role_arn, place).decision == Decision::Allowed).then_some(fixed)
}
