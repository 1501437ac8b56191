//! ECS003: EFS IAM authorization needs transit encryption; ECS rejects the task definition.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "ECS003",
    name: "iam-without-transit-encryption",
    severity: Severity::Error,
    summary: "IAM authorization is enabled without transit encryption",
    doc: include_str!("../../rules/ECS003.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    // The task definition is what has to change, not the file system.
    let task_definition = cx
        .task_definition_ref()
        .map_or_else(|| cx.name().to_owned(), str::to_owned);
    volumes
        .iter()
        .filter(|v| v.config.iam())
        .map(|v| {
            if v.config.tls() {
                cx.pass(&RULE).volume(v.name).message_with(|| format!(
                    "Volume '{}' uses IAM authorization with transit encryption enabled.",
                    v.name
                ))
            } else {
                cx.broken(&RULE)
                    .volume(v.name)
                    .resource(task_definition.clone())
                    .message_with(|| format!(
                        "Volume '{}' sets authorizationConfig.iam ENABLED but transitEncryption is {}; ECS rejects it: \"EFS IAM authorization requires TransitEncryption to be enabled.\"",
                        v.name,
                        v.config.transit_encryption.as_deref().unwrap_or("not set")
                    ))
                    .fix(format!(
                        "Set \"transitEncryption\": \"ENABLED\" in the efsVolumeConfiguration of volume '{}' and register a new revision.",
                        v.name
                    ))
            }
        })
        .collect()
}
