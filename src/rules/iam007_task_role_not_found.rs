//! IAM007: `taskRoleArn` names a role that does not exist in the account.

use serde_json::json;

use super::{Context, Finding, Rule, Severity};
use crate::graph::role_name_from_arn;
use crate::iam::mount::shell_quote;
use crate::iam::ECS_TASKS_SERVICE;

pub(crate) static RULE: Rule = Rule {
    id: "IAM007",
    name: "task-role-not-found",
    severity: Severity::Error,
    summary: "The task role does not exist",
    doc: include_str!("../../rules/IAM007.md"),
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
    let f = match cx.graph.role(role_ref) {
        Ok(role) => cx.pass(&RULE).resource(role.arn.clone()).message(format!(
            "Task role {} exists ({}).",
            role.role_name, role.arn
        )),
        Err(_) if cx.graph.role_known_absent(role_ref) => {
            let name = role_name_from_arn(role_ref);
            // arn:aws:iam::ACCOUNT:role/PATH/NAME -> --path /PATH/
            let path = role_ref
                .split_once(":role/")
                .and_then(|(_, rest)| rest.rsplit_once('/'))
                .map(|(path, _)| format!(" --path /{path}/"))
                .unwrap_or_default();
            let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ECS_TASKS_SERVICE}, "Action": "sts:AssumeRole"}]});
            cx.broken(&RULE)
                .resource(role_ref)
                .message(format!(
                    "Task role {role_ref} (taskRoleArn) is not among the account's IAM roles: it was deleted, is misspelled, or is in another account. ECS cannot assume it and the task fails to start."
                ))
                .fix(format!(
                    "aws iam create-role --role-name {name}{path} --assume-role-policy-document {}",
                    shell_quote(&trust.to_string())
                ))
        }
        Err(m) => cx.unknown(&RULE, &m).resource(role_ref),
    };
    vec![f]
}
