//! IAM007: `taskRoleArn` names a role that does not exist in the account.
//!
//! Role names are unique in an account, case-insensitively and whatever the path ("IAM user,
//! group, role, and policy names must be unique within the account. Names are not distinguished
//! by case", <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>): when the
//! ARN's name exists under another ARN (another path or account in `taskRoleArn`), creating the
//! role fails with `EntityAlreadyExists`, so the fix names the ARN to use instead.

use serde_json::json;

use super::{Context, Finding, Rule, Severity};
use crate::graph::role_name_from_arn;
use crate::iam::mount::shell_quote;
use crate::iam::ECS_TASKS_SERVICE;
use crate::snapshot::RoleDetail;

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
        Ok(role) => cx
            .pass(&RULE)
            .resource(role.arn.clone())
            .message_with(|| format!("Task role {} exists ({}).", role.role_name, role.arn)),
        Err(_) if cx.graph.role_known_absent(role_ref) => {
            let name = role_name_from_arn(role_ref);
            let account = cx.graph.snapshot().account_id.as_deref();
            if let Some(existing) = same_name(cx, name) {
                let differs = what_differs(role_ref, &existing.arn);
                return vec![cx
                    .broken(&RULE)
                    .resource(role_ref)
                    .message_with(|| format!(
                        "Task role {role_ref} (taskRoleArn) is not among the account's IAM roles, but role {} exists as {}{differs}. ECS cannot assume a role that does not exist, so the task fails to start.",
                        existing.role_name, existing.arn
                    ))
                    .fix(format!(
                        "Set taskRoleArn to {} and register a new task definition revision (creating a role named {name} fails with EntityAlreadyExists: role names are unique in an account, whatever the path).",
                        existing.arn
                    ))];
            }
            // arn:aws:iam::ACCOUNT:role/PATH/NAME -> --path /PATH/
            let path = role_ref
                .split_once(":role/")
                .and_then(|(_, rest)| rest.rsplit_once('/'))
                .map(|(path, _)| format!("/{path}/"));
            let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ECS_TASKS_SERVICE}, "Action": "sts:AssumeRole"}]});
            let create = format!(
                "aws iam create-role --role-name {name}{} --assume-role-policy-document {}",
                path.as_deref()
                    .map(|p| format!(" --path {p}"))
                    .unwrap_or_default(),
                shell_quote(&trust.to_string())
            );
            // A role created here has this account's id in its ARN, not the one written.
            let fix = match (arn_account(role_ref), account) {
                (Some(written), Some(here)) if written != here => format!(
                    "{create}, then set taskRoleArn to arn:aws:iam::{here}:role{}{name} (the role it names is in account {written}, not in {here}) and register a new task definition revision.",
                    path.as_deref().unwrap_or("/")
                ),
                _ => create,
            };
            cx.broken(&RULE)
                .resource(role_ref)
                .message_with(|| format!(
                    "Task role {role_ref} (taskRoleArn) is not among the account's IAM roles: it was deleted, is misspelled, or is in another account. ECS cannot assume it and the task fails to start."
                ))
                .fix(fix)
        }
        Err(m) => cx.unknown(&RULE, &m).resource(role_ref),
    };
    vec![f]
}

/// The collected role whose name is `name`, compared as IAM compares names (case-insensitively).
fn same_name<'a>(cx: &Context<'a>, name: &str) -> Option<&'a RoleDetail> {
    cx.graph
        .snapshot()
        .iam
        .roles
        .iter()
        .flatten()
        .find(|r| r.role_name.eq_ignore_ascii_case(name))
}

/// The account id of an IAM ARN (`arn:aws:iam::ACCOUNT:role/...`).
fn arn_account(arn: &str) -> Option<&str> {
    arn.strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(3))
        .filter(|a| !a.is_empty())
}

/// " (the ARN's account and path differ)": what the written ARN gets wrong, as a clause.
fn what_differs(written: &str, actual: &str) -> String {
    let path = |arn: &str| {
        arn.split_once(":role")
            .map(|(_, rest)| rest.rsplit_once('/').map_or("/", |(p, _)| p).to_owned())
    };
    let mut parts = Vec::new();
    // A bare role name has no account or path to get wrong.
    let is_arn = written.starts_with("arn:");
    if is_arn && arn_account(written) != arn_account(actual) {
        parts.push("account");
    }
    if is_arn && path(written) != path(actual) {
        parts.push("path");
    }
    if written.rsplit('/').next() != actual.rsplit('/').next() {
        parts.push("name case");
    }
    match parts.as_slice() {
        [] => String::new(),
        [one] => format!(" (the {one} in taskRoleArn differs)"),
        many => format!(" (the {} in taskRoleArn differ)", many.join(" and ")),
    }
}
