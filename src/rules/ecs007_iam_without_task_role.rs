//! ECS007: IAM authorization with no task role leaves the mount helper without credentials.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "ECS007",
    name: "iam-without-task-role",
    severity: Severity::Error,
    summary: "IAM authorization is enabled but the task definition has no task role",
    doc: include_str!("../../rules/ECS007.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let role = cx
        .task_definition()
        .ok()
        .and_then(|td| td.task_role_arn.as_deref())
        .filter(|r| !r.is_empty());
    volumes
        .iter()
        .filter(|v| v.config.iam())
        .map(|v| {
            if let Some(role) = role {
                return cx.pass(&RULE).volume(v.name).resource(role).message_with(|| format!(
                    "Volume '{}' uses IAM authorization and the task definition has task role {role}.",
                    v.name
                ));
            }
            let exec = cx
                .task_definition()
                .ok()
                .and_then(|td| td.execution_role_arn.clone());
            let note = exec
                .map(|e| format!(" The execution role {e} is never the EFS client identity."))
                .unwrap_or_default();
            cx.broken(&RULE)
                .volume(v.name)
                .resource(cx.task_definition_ref().map_or_else(|| cx.name().to_owned(), str::to_owned))
                .message_with(|| format!(
                    "Volume '{}' sets authorizationConfig.iam ENABLED but the task definition has no taskRoleArn, so the mount has no credentials to present to EFS.{note}",
                    v.name
                ))
                .fix("Add a taskRoleArn (a role trusted by ecs-tasks.amazonaws.com and allowed elasticfilesystem:ClientMount) to the task definition and register a new revision.")
        })
        .collect()
}
