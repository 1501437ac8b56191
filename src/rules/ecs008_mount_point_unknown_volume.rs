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
    let mut out = Vec::new();
    let mut checked = 0usize;
    for container in &td.container_definitions {
        for mp in &container.mount_points {
            checked += 1;
            let source = mp.source_volume.as_deref().unwrap_or("");
            if td.volumes.iter().any(|v| v.name == source) {
                continue;
            }
            let declared: Vec<&str> = td.volumes.iter().map(|v| v.name.as_str()).collect();
            let declared = if declared.is_empty() {
                "none".to_owned()
            } else {
                declared.join(", ")
            };
            out.push(
                cx.broken(&RULE)
                    .volume(source)
                    .resource(container.name.clone())
                    .message(format!(
                        "Container '{}' mounts sourceVolume '{source}' at {}, but the task definition declares no such volume (declared: {declared}); ECS rejects the task definition.",
                        container.name,
                        mp.container_path.as_deref().unwrap_or("?")
                    ))
                    .fix(format!(
                        "Make mountPoints[].sourceVolume of container '{}' name one of the task definition's volumes, or add a volume named '{source}'.",
                        container.name
                    )),
            );
        }
    }
    if out.is_empty() && checked > 0 {
        out.push(cx.pass(&RULE).message(format!(
            "All {checked} container mount points name declared volumes."
        )));
    }
    out
}
