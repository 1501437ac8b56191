//! IAM006: the task role's trust policy does not let ECS tasks (`ecs-tasks.amazonaws.com`)
//! assume it, so the task gets no credentials.

use super::iam_mount::unknown_reason;
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::iam::mount::shell_quote;
use crate::iam::trust::{trusted_principals, with_ecs_tasks_statement};
use crate::iam::{
    evaluate_trust, Decision, NamedPolicy, PolicyKind, TrustContext, ECS_TASKS_SERVICE,
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
            "the trust policy of role {} is not in the collected state",
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
            .or_else(|| cx.arn().and_then(|a| arn_part(a, 3))),
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
        Decision::Allowed => cx.pass(&RULE).message_with(|| {
            format!(
                "Task role {} trusts {ECS_TASKS_SERVICE}: {} allows sts:AssumeRole.",
                role.role_name,
                e.deciding_text()
            )
        }),
        Decision::ExplicitDeny | Decision::ImplicitDeny => {
            let why = match (e.decision, e.unmet.is_empty()) {
                (Decision::ExplicitDeny, _) => format!("{} denies it", e.deciding_text()),
                (_, true) => match trusted_principals(&trust).as_slice() {
                    [] => format!("no statement allows {ECS_TASKS_SERVICE} sts:AssumeRole"),
                    who => format!("it trusts {} instead", who.join(", ")),
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
                .message_with(|| format!(
                    "The trust policy of task role {} does not let {ECS_TASKS_SERVICE} assume it: {why}. ECS cannot give the task credentials, and the task fails to start with 'ECS was unable to assume the role'.",
                    role.role_name
                ))
                .fix(match (e.decision, with_ecs_tasks_statement(&trust, &role.arn, &place)) {
                    (Decision::ExplicitDeny, _) => format!(
                        "Remove {} or narrow it so that it no longer matches {ECS_TASKS_SERVICE}.",
                        e.deciding_text()
                    ),
                    (_, Some(fixed)) => format!(
                        "aws iam update-assume-role-policy --role-name {} --policy-document {}",
                        role.role_name,
                        shell_quote(&fixed.to_string())
                    ),
                    (_, None) => format!(
                        "Let {ECS_TASKS_SERVICE} assume role {} (sts:AssumeRole) in its trust policy.",
                        role.role_name
                    ),
                })
        }
    };
    vec![f.resource(role.arn.clone())]
}
