//! ECS008: a container mount point names a volume the task definition does not declare.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "ECS008",
    name: "mount-point-unknown-volume",
    severity: Severity::Error,
    summary: "A container mount point names a volume that does not exist",
    doc: include_str!("../../rules/ECS008.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let td = match cx.task_definition() {
        Ok(td) => td,
        Err(m) => return vec![cx.unknown(&RULE, &m)],
    };
    // The task definition is what has to change.
    let task_definition = cx
        .task_definition_ref()
        .map_or_else(|| cx.name().to_owned(), str::to_owned);
    let declared: Vec<&str> = td.volumes.iter().map(|v| v.name.as_str()).collect();
    let mut out = Vec::new();
    let mut checked = 0usize;
    for container in &td.container_definitions {
        for mp in &container.mount_points {
            checked += 1;
            let source = mp.source_volume.as_deref().unwrap_or("");
            if declared.contains(&source) {
                continue;
            }
            let at = mp
                .container_path
                .as_deref()
                .map(|p| format!(" at {p}"))
                .unwrap_or_default();
            let name = &container.name;
            // RegisterTaskDefinition answers `ClientException: Unknown volume '<name>'.`
            // (https://github.com/ansible/ansible/issues/35751).
            let (listed, fix) = match declared.as_slice() {
                [] => (
                    "declares no volumes".to_owned(),
                    format!("Add a volume named '{source}' to the task definition, or remove the mount point from container '{name}'."),
                ),
                [only] => (
                    format!("declares only '{only}'"),
                    format!("Set sourceVolume of the mount point of container '{name}' to '{only}', or add a volume named '{source}'."),
                ),
                many => (
                    format!("declares {}", many.join(", ")),
                    format!("Set sourceVolume of the mount point of container '{name}' to one of the task definition's volumes, or add a volume named '{source}'."),
                ),
            };
            out.push(
                cx.broken(&RULE)
                    .volume(source)
                    .resource(task_definition.clone())
                    .message_with(|| format!(
                        "Container '{name}' mounts sourceVolume '{source}'{at}, but the task definition {listed}; ECS rejects it with \"Unknown volume '{source}'.\""
                    ))
                    .fix(fix),
            );
        }
    }
    if out.is_empty() && checked > 0 {
        let message = if checked == 1 {
            "The container mount point names a declared volume.".to_owned()
        } else {
            format!("All {checked} container mount points name declared volumes.")
        };
        out.push(cx.pass(&RULE).resource(task_definition).message(message));
    }
    out
}
