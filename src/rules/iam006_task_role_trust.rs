//! IAM006: the task role's trust policy does not let ECS tasks (`ecs-tasks.amazonaws.com`)
//! assume it, so the task gets no credentials.

use serde_json::{json, Value};

use super::iam002_task_role_cannot_mount::unknown_reason;
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::iam::mount::{add_statement, shell_quote};
use crate::iam::policy::Effect;
use crate::iam::{
    evaluate_trust, Decision, Evaluation, NamedPolicy, PolicyKind, TrustContext, ECS_TASKS_SERVICE,
};

pub(crate) static RULE: Rule = Rule {
    id: "IAM006",
    name: "task-role-trust",
    severity: Severity::Error,
    summary: "The task role does not trust ecs-tasks.amazonaws.com",
    doc: include_str!("../../rules/IAM006.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let td = match cx.task_definition() {
        Ok(td) => td,
        Err(m) => return vec![cx.unknown(&RULE, &m)],
    };
    let Some(role_ref) = td.task_role_arn.as_deref().filter(|r| !r.is_empty()) else {
        return Vec::new();
    };
    let role = match cx.graph.role(role_ref) {
        Ok(r) => r,
        Err(m) => return vec![cx.unknown(&RULE, &m).resource(role_ref)],
    };
    let Some(document) = &role.assume_role_policy_document else {
        let m = Missing::new(format!(
            "the trust policy of role {} is not in the snapshot",
            role.role_name
        ));
        return vec![cx.unknown(&RULE, &m).resource(role.arn.clone())];
    };
    let snapshot = cx.graph.snapshot();
    let arn_part = |arn: &str, i: usize| {
        arn.split(':')
            .nth(i)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let place = TrustContext {
        partition: arn_part(&role.arn, 1),
        region: snapshot
            .region
            .clone()
            .or_else(|| cx.target.arn.as_deref().and_then(|a| arn_part(a, 3))),
        account: snapshot
            .account_id
            .clone()
            .or_else(|| arn_part(&role.arn, 4)),
    };
    let name = format!("the trust policy of role {}", role.role_name);
    let trust = NamedPolicy::parse(PolicyKind::Trust, name, document.value());
    let e = evaluate_trust(&trust, &role.arn, &place);
    let f = match e.decision {
        Decision::Unknown => cx.unknown(&RULE, &unknown_reason(&e)),
        Decision::Allowed => cx.pass(&RULE).message(format!(
            "Task role {} trusts {ECS_TASKS_SERVICE}: {} allows sts:AssumeRole.",
            role.role_name,
            e.deciding_text()
        )),
        Decision::ExplicitDeny | Decision::ImplicitDeny => {
            let why = match (e.decision, e.unmet.is_empty()) {
                (Decision::ExplicitDeny, _) => format!("{} denies it", e.deciding_text()),
                (_, true) => match trusted(&trust) {
                    Some(who) => format!("it trusts {who} instead"),
                    None => format!("no statement allows {ECS_TASKS_SERVICE} sts:AssumeRole"),
                },
                (_, false) => {
                    let sentences = e
                        .unmet_sentences("ECS tasks in this account and Region")
                        .join(" ");
                    let mut chars = sentences.trim_end_matches('.').chars();
                    chars
                        .next()
                        .map(|c| c.to_lowercase().chain(chars).collect())
                        .unwrap_or_default()
                }
            };
            cx.broken(&RULE)
                .message(format!(
                    "The trust policy of task role {} does not let {ECS_TASKS_SERVICE} assume it: {why}. ECS cannot give the task credentials, and the task fails to start with 'ECS was unable to assume the role'.",
                    role.role_name
                ))
                .fix(trust_fix(&e, &trust, &role.role_name, &role.arn, document.value(), &place))
        }
    };
    vec![f.resource(role.arn.clone())]
}

/// The principals the trust policy's `Allow` statements name, for the message.
fn trusted(trust: &NamedPolicy) -> Option<String> {
    let policy = trust.body.as_ref().ok()?;
    let names: Vec<String> = policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .filter_map(|s| s.principal.as_ref())
        .filter(|p| !p.negated)
        .flat_map(|p| match &p.principals {
            crate::iam::policy::Principals::Everyone => vec!["*".to_owned()],
            crate::iam::policy::Principals::Listed(ids) => {
                ids.iter().map(|id| id.value.clone()).collect()
            }
        })
        .fold(Vec::new(), |mut acc, n| {
            if !acc.contains(&n) {
                acc.push(n);
            }
            acc
        });
    (!names.is_empty()).then(|| names.join(", "))
}

/// The trust policy with a statement for ECS tasks (scoped to this account and Region, as AWS
/// advises against the confused deputy), when evaluating it confirms the fix; else a sentence.
fn trust_fix(
    e: &Evaluation,
    trust: &NamedPolicy,
    role_name: &str,
    role_arn: &str,
    document: &Value,
    place: &TrustContext,
) -> String {
    if e.decision == Decision::ExplicitDeny {
        return format!(
            "Remove {} or narrow it so that it no longer matches {ECS_TASKS_SERVICE}.",
            e.deciding_text()
        );
    }
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
    if evaluate_trust(&check, role_arn, place).decision == Decision::Allowed {
        format!(
            "aws iam update-assume-role-policy --role-name {role_name} --policy-document {}",
            shell_quote(&fixed.to_string())
        )
    } else {
        format!(
            "Let {ECS_TASKS_SERVICE} assume role {role_name} (sts:AssumeRole) in its trust policy."
        )
    }
}
