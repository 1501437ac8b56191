//! What the human output needs to know about where it goes (the terminal's width, whether to
//! colour), and the lines a run says on stderr beside its report. The functions return text or
//! answers; `app` prints them.

use std::io::IsTerminal;
use std::path::Path;

use super::{FailOn, Report};

/// When to colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Only on a terminal, and when `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The width to lay the table out for on stdout: `COLUMNS` when set (shells set it but rarely
/// export it; a test or a user may), else the terminal's real width when stdout is a terminal,
/// else none (a pipe or a file: the table lays out for its fixed piped width).
pub fn stdout_width() -> Option<u16> {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c > 0)
    {
        return Some(cols);
    }
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(&stdout).map(|(terminal_size::Width(w), _)| w)
}

/// Whether to colour output written to stdout: `always`, `never`, or (`auto`) only when stdout
/// is a terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn use_color(when: ColorChoice, to_stdout: bool) -> bool {
    match when {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The stderr note for a run with `unknown` findings: how many, and whether they fail the job.
pub fn unknown_note(report: &Report, fail_on: FailOn) -> Option<String> {
    let n = report.summary().unknown;
    if n == 0 {
        return None;
    }
    let (count, verb) = if n == 1 {
        ("1 check", "was")
    } else {
        ("checks", "were")
    };
    let count = if n == 1 {
        count.to_owned()
    } else {
        format!("{n} {count}")
    };
    Some(if super::trips(crate::rules::Status::Unknown, fail_on) {
        format!("{count} could not be decided (unknown) and fail the job (--fail-on unknown); the report says what was missing")
    } else {
        format!("{count} {verb} unknown (data missing; the report says what); they do not fail the job: add --fail-on unknown to make them fail it")
    })
}

/// Formats the AWS CLI's `--output` takes; `check --output json` means a file named `json`
/// here, which is never what was meant.
const AWS_CLI_OUTPUT_FORMATS: &[&str] = &[
    "json",
    "text",
    "table",
    "yaml",
    "yaml-stream",
    "sarif",
    "junit",
    "markdown",
];

/// When `-o`/`--output` names a file like a format (`--output json`), the usage error to
/// report. `./json` still writes a file of that name.
pub fn output_looks_like_format(path: &Path) -> Option<String> {
    let name = path.to_str()?;
    let lower = name.to_ascii_lowercase();
    if !AWS_CLI_OUTPUT_FORMATS.contains(&lower.as_str()) {
        return None;
    }
    let format = match lower.as_str() {
        "text" | "yaml" | "yaml-stream" => "table",
        other => other,
    };
    Some(format!(
        "-o/--output names the file to write, not a format: `--output {name}` would write a file named `{name}`. \
Choose the format with --format (for example `--format {format}`); to really write a file named `{name}`, give `-o ./{name}`"
    ))
}

/// The path to write to: `None` for stdout (no `-o`, or `-o -`).
pub fn output_path(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| *p != Path::new("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_like_formats_are_refused_with_a_hint() {
        let msg = output_looks_like_format(Path::new("json")).unwrap();
        assert!(msg.contains("--format json"), "{msg}");
        assert!(output_looks_like_format(Path::new("TEXT"))
            .unwrap()
            .contains("--format table"));
        assert!(output_looks_like_format(Path::new("./json")).is_none());
        assert!(output_looks_like_format(Path::new("report.json")).is_none());
        assert_eq!(output_path(Some(Path::new("-"))), None);
        assert_eq!(
            output_path(Some(Path::new("a.json"))),
            Some(Path::new("a.json"))
        );
    }
}
