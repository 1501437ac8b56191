//! ECS002: Windows containers on Fargate cannot use EFS volumes.

use super::platform::is_windows;
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::target::Launch;

pub(crate) static RULE: Rule = Rule {
    id: "ECS002",
    name: "windows-fargate-efs",
    severity: Severity::Error,
    summary: "Windows containers on Fargate do not support EFS volumes",
    doc: include_str!("../../rules/ECS002.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let Some(first) = volumes.first() else {
        return Vec::new();
    };
    match cx.placement().launch {
        Launch::Fargate => {}
        Launch::Unknown => {
            return vec![cx.unknown(
                &RULE,
                &Missing::new(
                    "the launch type is not known (no launchType or capacity-provider strategy)",
                ),
            )]
        }
        Launch::Ec2 | Launch::External => return Vec::new(),
    }
    let family = cx
        .task_definition()
        .ok()
        .and_then(|td| td.runtime_platform.as_ref())
        .and_then(|p| p.operating_system_family.clone());
    let resource = cx
        .task_definition_ref()
        .map_or_else(|| cx.name().to_owned(), str::to_owned);
    if is_windows(cx) {
        let family = family.unwrap_or_default();
        vec![cx
            .broken(&RULE)
            .volume(first.name)
            .resource(resource)
            .message_with(|| format!(
                "The task definition runs {family} on Fargate and declares EFS volume '{}'; Windows containers on Fargate do not support EFS volumes.",
                first.name
            ))
            .fix("Run the task as a Linux task (runtimePlatform.operatingSystemFamily LINUX), or use FSx for Windows File Server on the EC2 launch type.")]
    } else {
        let message = match family {
            Some(family) => format!(
                "The task definition runs {family} (runtimePlatform.operatingSystemFamily), which supports EFS volumes on Fargate."
            ),
            None => "The task definition sets no runtimePlatform, so its tasks run Linux, which supports EFS volumes on Fargate.".to_owned(),
        };
        vec![cx.pass(&RULE).resource(resource).message(message)]
    }
}
