//! The terminal table: one row per non-passing finding (all findings with `--show-passed`),
//! then a summary line and a coverage line.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::Report;
use crate::rules::Status;

/// Table options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Include passing findings.
    pub show_passed: bool,
    /// Colour the status column.
    pub color: bool,
    /// Terminal width, when known.
    pub width: Option<u16>,
}

/// A table with a header row. With a terminal width, cells wrap to it; without one (a pipe or a
/// file) lines stay whole, so that commands in cells can be copied as they are.
pub fn new_table(header: &[&str], width: Option<u16>) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_header(header.to_vec());
    match width {
        Some(w) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w);
        }
        None => {
            table
                .force_no_tty()
                .set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

/// An ARN's resource part (`service/prod/web`); other ids as they are.
fn short_id(id: &str) -> &str {
    if id.starts_with("arn:") {
        id.splitn(6, ':').nth(5).unwrap_or(id)
    } else {
        id
    }
}

/// Renders the report as a table.
pub fn render(report: &Report, opts: TableOptions) -> String {
    let mut rows: Vec<_> = report
        .findings
        .iter()
        .filter(|f| opts.show_passed || f.status != Status::Pass)
        .filter(|f| f.suppressed.is_none())
        .collect();
    // Most severe first, keeping target and rule order within a status.
    rows.sort_by_key(|f| f.status);
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str(if report.findings.is_empty() {
            "No findings.\n"
        } else {
            "No problems found.\n"
        });
    } else {
        let mut table = new_table(
            &[
                "status", "rule", "target", "volume", "resource", "message", "fix",
            ],
            opts.width,
        );
        for f in rows {
            let mut status = Cell::new(f.status.as_str());
            if opts.color {
                status = status.fg(match f.status {
                    Status::Fail => Color::Red,
                    Status::Warn => Color::Yellow,
                    Status::Unknown => Color::Magenta,
                    Status::Pass => Color::Green,
                });
            }
            let target = report
                .target_of(f)
                .map(super::TargetInfo::label)
                .unwrap_or_default();
            table.add_row(vec![
                status,
                Cell::new(format!("{}\n{}", f.rule.id, f.rule.name)),
                Cell::new(target),
                Cell::new(f.volume.as_deref().unwrap_or("-")),
                Cell::new(f.resource.as_deref().map_or("-", short_id)),
                Cell::new(&f.message),
                Cell::new(f.fix.as_deref().unwrap_or("-")),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out.push_str(&report.summary_line());
    out.push('\n');
    out.push_str(&report.coverage.line());
    out.push('\n');
    out
}
