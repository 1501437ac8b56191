//! The operating system a task runs, shared by the ECS rules (ECS001 skips Windows tasks,
//! which ECS002 reports).
//!
//! Depends on the rule context; no rule module.

use super::Context;

/// Whether the task definition asks for a Windows operating system family.
pub(crate) fn is_windows(cx: &Context<'_>) -> bool {
    cx.task_definition().is_ok_and(|td| {
        td.runtime_platform
            .as_ref()
            .and_then(|p| p.operating_system_family.as_deref())
            .is_some_and(|f| f.to_ascii_uppercase().starts_with("WINDOWS_SERVER"))
    })
}
