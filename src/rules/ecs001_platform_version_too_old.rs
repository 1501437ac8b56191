//! ECS001: the effective Fargate platform version is below 1.4.0, the first with EFS support.

use std::cmp::Ordering;

use super::platform::is_windows;
use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::target::{Launch, TargetKind};

pub(crate) static RULE: Rule = Rule {
    id: "ECS001",
    name: "platform-version-too-old",
    severity: Severity::Error,
    summary: "The Fargate platform version is below 1.4.0, which has no EFS support",
    doc: include_str!("../../rules/ECS001.md"),
    check,
};

/// Parses `1.4.0` into (1, 4, 0); anything else is not a platform version.
pub(crate) fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut parts = v.trim().split('.');
    let a = parts.next()?.parse().ok()?;
    let b = parts.next()?.parse().ok()?;
    let c = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((a, b, c))
}

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    if volumes.is_empty() {
        return Vec::new();
    }
    let placement = cx.placement();
    match placement.launch {
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
    if is_windows(cx) {
        // Windows platform versions are numbered differently; ECS002 reports Windows + EFS.
        return Vec::new();
    }
    let (version, source) = placement.effective_platform_version();
    let resource = cx.arn().map_or_else(|| cx.name().to_owned(), str::to_owned);
    let requested = placement.requested_platform_version.as_deref();
    let fix = match cx.kind() {
        // A new deployment resolves LATEST again, so a service that asks for LATEST only
        // needs one; a pinned version must be changed.
        TargetKind::Service if requested.is_none_or(|r| r.eq_ignore_ascii_case("LATEST")) => {
            format!(
                "aws ecs update-service {} --force-new-deployment",
                cx.service_args()
            )
        }
        TargetKind::Service => format!(
            "aws ecs update-service {} --platform-version 1.4.0 --force-new-deployment",
            cx.service_args()
        ),
        TargetKind::TaskDefinition | TargetKind::Task => {
            "Deploy with --platform-version 1.4.0 (or LATEST, which is 1.4.0 on Linux).".to_owned()
        }
    };
    match parse_version(&version) {
        Some(v) if v.cmp(&(1, 4, 0)) == Ordering::Less => {
            let requested = requested.unwrap_or("LATEST");
            let stale = if source.contains("PRIMARY") && !requested.eq_ignore_ascii_case(&version) {
                format!(" (the service asks for {requested}, but its PRIMARY deployment still runs {version}: only a new deployment picks up the new version)")
            } else {
                String::new()
            };
            vec![cx
                .broken(&RULE)
                .resource(resource)
                .message_with(|| format!(
                    "Fargate platform version {version} ({source}) is below 1.4.0, the first version that supports EFS volumes{stale}; ECS rejects the task with PlatformTaskDefinitionIncompatibilityException."
                ))
                .fix(fix)]
        }
        Some(_) => vec![cx.pass(&RULE).resource(resource).message_with(|| format!(
            "Fargate platform version {version} ({source}) supports EFS volumes."
        ))],
        None => vec![cx
            .broken(&RULE)
            .resource(resource)
            .message_with(|| format!(
                "Platform version '{version}' ({source}) is not a Fargate Linux platform version (they have three parts, such as 1.4.0); ECS rejects it with PlatformUnknownException."
            ))
            .fix(fix)],
    }
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions() {
        assert_eq!(parse_version("1.4.0"), Some((1, 4, 0)));
        assert_eq!(parse_version("1.10.0"), Some((1, 10, 0)));
        assert!(parse_version("1.4").is_none());
        assert!(parse_version("LATEST").is_none());
        assert!(parse_version("1.4.0.1").is_none());
    }
}
