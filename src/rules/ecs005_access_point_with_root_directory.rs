//! ECS005: with an access point, `rootDirectory` must be absent or `/`.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "ECS005",
    name: "access-point-with-root-directory",
    severity: Severity::Error,
    summary: "An access point is combined with a rootDirectory other than /",
    doc: include_str!("../../rules/ECS005.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .filter_map(|v| v.config.access_point_id().map(|ap| (v, ap)))
        .map(|(v, ap)| match v.config.non_root_directory() {
            None => cx.pass(&RULE).volume(v.name).resource(ap).message_with(|| format!(
                "Volume '{}' uses access point {ap} and leaves rootDirectory unset or /.",
                v.name
            )),
            Some(dir) => cx
                .broken(&RULE)
                .volume(v.name)
                .resource(ap)
                .message_with(|| format!(
                    "Volume '{}' uses access point {ap} with rootDirectory {dir}; ECS rejects it: \"When using an EFS access point, the root directory must either be set to \"/\" or be omitted.\"",
                    v.name
                ))
                .fix(format!(
                    "Remove rootDirectory from volume '{}' (set the path on the access point instead) and register a new revision.",
                    v.name
                )),
        })
        .collect()
}
