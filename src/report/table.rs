//! The human report: a compact table of non-passing findings (all findings with
//! `--show-passed`), one row per cause (findings with one cause share a row that lists their
//! targets), each row followed by its message and its fix; then a summary line and a coverage
//! line.
//!
//! The layout fits the width it is given (the terminal's; 100 columns when piped or written to a
//! file): short columns (status, rule, target, volume, resource) on the row; the message beside
//! them when at least [`MIN_MESSAGE`] columns are left, else under the row. A fix command is
//! printed whole on its own line, never wrapped, so that it can be copied; it is the only kind of
//! line that may be wider than the width.

use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::group::{self, Group};
use super::Report;
use crate::rules::Status;

/// The width used when the output is not a terminal (a pipe, a CI log, a file).
pub const PIPED_WIDTH: u16 = 100;
/// Below this many columns the message goes under its row instead of beside it.
pub const MIN_MESSAGE: usize = 50;
/// Narrowest layout: below it, lines are laid out as for this width.
const MIN_WIDTH: usize = 40;
/// Space between columns.
const GAP: usize = 2;
/// At most this many distinct messages of one cause are printed (JSON has each).
const MAX_MESSAGES: usize = 3;

/// Table options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Include passing findings.
    pub show_passed: bool,
    /// Colour the status column and the header.
    pub color: bool,
    /// Terminal width, when known; `None` lays out for [`PIPED_WIDTH`].
    pub width: Option<u16>,
}

/// A comfy-table with a header row, for the smaller tables of other commands (`explain`). With
/// a terminal width, cells wrap to it; without one (a pipe or a file) lines stay whole.
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

/// Wraps text at spaces to lines of at most `width` columns. A word wider than `width` is cut
/// when `cut_long_words`, else it stays whole on a line of its own; a command inside the text is
/// never cut.
fn wrap(text: &str, width: usize, cut_long_words: bool) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0;
    for (word, is_command) in group::units(text) {
        let cut_long_words = cut_long_words && !is_command;
        let w = word.width();
        if line_width > 0 && line_width + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            line_width += 1 + w;
            continue;
        }
        if line_width > 0 {
            lines.push(std::mem::take(&mut line));
            line_width = 0;
        }
        if w <= width || !cut_long_words {
            line.push_str(word);
            line_width = w;
            continue;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if line_width + cw > width && line_width > 0 {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            line.push(c);
            line_width += cw;
        }
    }
    if line_width > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Appends `text` wrapped to `width`, the first line after `first`, the others after `rest`
/// (both counted in the width).
fn push_wrapped(out: &mut String, first: &str, rest: &str, text: &str, width: usize, cut: bool) {
    let room = width
        .saturating_sub(first.width().max(rest.width()))
        .max(20);
    for (i, line) in wrap(text, room, cut).iter().enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(line);
        out.push('\n');
    }
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    let mut s = text.to_owned();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    s
}

fn paint(text: &str, status: Status, color: bool) -> String {
    if !color {
        return text.to_owned();
    }
    let code = match status {
        Status::Fail => "1;31",
        Status::Warn => "33",
        Status::Unknown => "35",
        Status::Pass => "32",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// One row's short cells: status, rule, target(s), volume, resource.
fn cells(report: &Report, g: &Group<'_>) -> [String; 5] {
    let targets = g.targets();
    let target = match targets.as_slice() {
        [one] => report
            .targets
            .get(*one)
            .map(super::TargetInfo::label)
            .unwrap_or_default(),
        many => format!("{} targets", many.len()),
    };
    let volumes = g.volumes();
    let volume = match volumes.as_slice() {
        [] => "-".to_owned(),
        [one] => (*one).to_owned(),
        many => format!("{} volumes", many.len()),
    };
    [
        g.status.as_str().to_owned(),
        g.rule.id.to_owned(),
        target,
        volume,
        g.resource.map_or("-", short_id).to_owned(),
    ]
}

const HEADER: [&str; 5] = ["status", "rule", "target", "volume", "resource"];

/// Column widths that fit `width`: each column as wide as its widest cell, the widest of
/// target/volume/resource narrowed first when they do not fit.
fn column_widths(rows: &[[String; 5]], width: usize) -> [usize; 5] {
    let mut cols = HEADER.map(str::len);
    for row in rows {
        for (c, cell) in cols.iter_mut().zip(row) {
            *c = (*c).max(cell.width());
        }
    }
    let fixed = |cols: &[usize; 5]| cols.iter().sum::<usize>() + GAP * 4;
    while fixed(&cols) > width {
        let Some(widest) = (2..5).max_by_key(|&i| cols[i]) else {
            break;
        };
        if cols[widest] <= 8 {
            break;
        }
        cols[widest] -= 1;
    }
    cols
}

/// Renders the report. A run over several estates leads with the counts per estate and shows
/// the findings of each under its `ACCOUNT / REGION` heading ([`render_estates`]).
pub fn render(report: &Report, opts: TableOptions) -> String {
    if report.estates.len() > 1 {
        return render_estates(report, opts);
    }
    let width = usize::from(opts.width.unwrap_or(PIPED_WIDTH)).max(MIN_WIDTH);
    let groups = group::groups(report, opts.show_passed);
    let mut out = String::new();
    push_observed(&mut out, report, width);
    if groups.is_empty() {
        out.push_str(if report.findings.is_empty() {
            "No findings.\n"
        } else {
            "No problems found.\n"
        });
    } else {
        let rows: Vec<[String; 5]> = groups.iter().map(|g| cells(report, g)).collect();
        let cols = column_widths(&rows, width);
        push_groups(&mut out, report, &groups, &rows, &cols, width, opts);
        out.push('\n');
    }
    let shown: usize = groups.iter().map(|g| g.findings.len()).sum();
    push_tail(
        &mut out,
        report,
        shown,
        groups.len(),
        groups.first().map(|g| g.rule.id),
        width,
    );
    out
}

/// The observed-failures block, wrapped to the width like the rows (a stoppedReason runs to
/// several hundred characters).
fn push_observed(out: &mut String, report: &Report, width: usize) {
    for line in super::observed::text_block(report).lines() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        if line.width() <= width || body.is_empty() {
            out.push_str(line);
            out.push('\n');
        } else {
            let rest = if body.starts_with("- ") {
                format!("{indent}  ")
            } else {
                indent.to_owned()
            };
            push_wrapped(out, indent, &rest, body, width, true);
        }
    }
}

/// The header line, then each group after a blank line.
fn push_groups(
    out: &mut String,
    report: &Report,
    groups: &[Group<'_>],
    rows: &[[String; 5]],
    cols: &[usize; 5],
    width: usize,
    opts: TableOptions,
) {
    let fixed: usize = cols.iter().sum::<usize>() + GAP * 4;
    let beside = width.saturating_sub(fixed + GAP);
    let inline = beside >= MIN_MESSAGE;
    let indent = " ".repeat(cols[0] + GAP);
    let mut header = HEADER
        .iter()
        .zip(cols)
        .map(|(h, w)| pad(h, *w))
        .collect::<Vec<_>>()
        .join(&" ".repeat(GAP));
    if inline {
        header.push_str(&" ".repeat(GAP));
        header.push_str("message");
    }
    let header = header.trim_end();
    if opts.color {
        let _ = writeln!(out, "\x1b[1m{header}\x1b[0m");
    } else {
        let _ = writeln!(out, "{header}");
    }
    for (g, row) in groups.iter().zip(rows) {
        out.push('\n');
        render_group(out, report, g, row, cols, inline, &indent, width, opts);
    }
}

/// The summary line, how many findings share rows (`shown` findings in `rows` rows), the
/// coverage line and the page of the first row's rule.
fn push_tail(
    out: &mut String,
    report: &Report,
    shown: usize,
    rows: usize,
    first_rule: Option<&str>,
    width: usize,
) {
    out.push_str(&report.summary_line());
    out.push('\n');
    if shown > rows {
        push_wrapped(
            out,
            "",
            "",
            &format!(
                "{shown} findings in {} (findings with one cause share a row; --format json lists each).",
                if rows == 1 { "1 row".to_owned() } else { format!("{rows} rows") }
            ),
            width,
            true,
        );
    }
    push_wrapped(out, "", "  ", &report.coverage.line(), width, true);
    if let Some(id) = first_rule {
        let _ = writeln!(out, "Read a rule's page: efs-preflight rules {id}");
    }
}

/// The counts of each estate, one line per estate in `order` that has targets or could not be
/// read (with why under it); estates read with no target in scope are counted on one line.
fn push_estate_counts(
    out: &mut String,
    report: &Report,
    order: &[usize],
    width: usize,
    color: bool,
) {
    let summaries = report.estate_summaries();
    let with_suppressed = summaries.iter().any(|s| s.suppressed > 0);
    let mut header: Vec<&str> = vec![
        "account", "region", "targets", "fail", "warn", "unknown", "pass",
    ];
    if with_suppressed {
        header.push("suppressed");
    }
    let listed: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| summaries[i].targets > 0 || report.estates[i].nothing_read.is_some())
        .collect();
    let rows: Vec<Vec<String>> = listed
        .iter()
        .map(|&i| {
            let e = &report.estates[i];
            let s = summaries[i];
            let mut row = vec![
                e.account.clone().unwrap_or_else(|| "?".to_owned()),
                e.region.clone().unwrap_or_else(|| "?".to_owned()),
            ];
            let mut counts = vec![s.targets, s.fail, s.warn, s.unknown, s.pass];
            if with_suppressed {
                counts.push(s.suppressed);
            }
            row.extend(counts.iter().map(|n| {
                if e.nothing_read.is_some() {
                    "-".to_owned()
                } else {
                    n.to_string()
                }
            }));
            row
        })
        .collect();
    let mut cols: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (c, cell) in cols.iter_mut().zip(row) {
            *c = (*c).max(cell.width());
        }
    }
    let _ = writeln!(out, "{} estates (account x Region):", report.estates.len());
    let line = |cells: &[String], paint_counts: bool| -> String {
        let mut line = String::new();
        for (c, cell) in cells.iter().enumerate() {
            if c > 0 {
                line.push_str(&" ".repeat(GAP));
            }
            // Names to the left, counts to the right.
            let padded = if c < 2 {
                pad(cell, cols[c])
            } else {
                format!("{}{cell}", " ".repeat(cols[c].saturating_sub(cell.width())))
            };
            let status = match c {
                3 => Some(Status::Fail),
                4 => Some(Status::Warn),
                5 => Some(Status::Unknown),
                _ => None,
            };
            match status {
                Some(st) if paint_counts && cell != "0" && cell != "-" => {
                    line.push_str(&paint(&padded, st, color));
                }
                _ => line.push_str(&padded),
            }
        }
        line.trim_end().to_owned()
    };
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let header = line(&header, false);
    if color {
        let _ = writeln!(out, "\x1b[1m{header}\x1b[0m");
    } else {
        let _ = writeln!(out, "{header}");
    }
    for (&i, row) in listed.iter().zip(&rows) {
        out.push_str(&line(row, true));
        out.push('\n');
        if let Some(why) = &report.estates[i].nothing_read {
            push_wrapped(
                out,
                "  ",
                "  ",
                &format!("nothing read: {why}"),
                width,
                true,
            );
        }
    }
    let quiet = order.len() - listed.len();
    if quiet > 0 {
        push_wrapped(
            out,
            "",
            "  ",
            &format!(
                "and {quiet} estate{} read with no target in scope (no service with an EFS volume; --format json lists each)",
                if quiet == 1 { "" } else { "s" }
            ),
            width,
            true,
        );
    }
}

/// The report of a run over several estates: the counts per estate, then for each estate with
/// something to show its `ACCOUNT / REGION` heading, its observed failures and its rows (the
/// columns aligned across estates); then the summary and coverage of the whole run. Estates
/// are shown by account, then Region.
pub fn render_estates(report: &Report, opts: TableOptions) -> String {
    let width = usize::from(opts.width.unwrap_or(PIPED_WIDTH)).max(MIN_WIDTH);
    let mut order: Vec<usize> = (0..report.estates.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&report.estates[a], &report.estates[b]);
        (&a.account, &a.region).cmp(&(&b.account, &b.region))
    });
    let views: Vec<Report> = order
        .iter()
        .map(|&i| report.estate_view(&report.estates[i]))
        .collect();
    let groups: Vec<Vec<Group<'_>>> = views
        .iter()
        .map(|v| group::groups(v, opts.show_passed))
        .collect();
    let rows: Vec<Vec<[String; 5]>> = views
        .iter()
        .zip(&groups)
        .map(|(v, gs)| gs.iter().map(|g| cells(v, g)).collect())
        .collect();
    let all_rows: Vec<[String; 5]> = rows.iter().flatten().cloned().collect();
    let cols = column_widths(&all_rows, width);

    let mut out = String::new();
    push_estate_counts(&mut out, report, &order, width, opts.color);
    let mut sections = 0;
    for ((&i, view), (gs, rs)) in order.iter().zip(&views).zip(groups.iter().zip(&rows)) {
        let observed = super::observed::text_block(view);
        if gs.is_empty() && observed.is_empty() {
            continue;
        }
        sections += 1;
        let heading = report.estates[i].heading();
        out.push('\n');
        if opts.color {
            let _ = writeln!(out, "\x1b[1m{heading}\x1b[0m");
        } else {
            let _ = writeln!(out, "{heading}");
        }
        let _ = writeln!(out, "{}", "=".repeat(heading.width()));
        push_observed(&mut out, view, width);
        if gs.is_empty() {
            out.push_str("No problems found.\n");
        } else {
            push_groups(&mut out, view, gs, rs, &cols, width, opts);
        }
    }
    out.push('\n');
    if sections == 0 {
        out.push_str(if report.findings.is_empty() {
            "No findings.\n\n"
        } else {
            "No problems found.\n\n"
        });
    }
    let shown: usize = groups.iter().flatten().map(|g| g.findings.len()).sum();
    // The rule of the most severe first row (the first estate's on a tie).
    let first_rule = groups
        .iter()
        .filter_map(|gs| gs.first())
        .min_by_key(|g| g.status)
        .map(|g| g.rule.id);
    push_tail(&mut out, report, shown, all_rows.len(), first_rule, width);
    out
}

#[allow(clippy::too_many_arguments)]
fn render_group(
    out: &mut String,
    report: &Report,
    g: &Group<'_>,
    row: &[String; 5],
    cols: &[usize; 5],
    inline: bool,
    indent: &str,
    width: usize,
    opts: TableOptions,
) {
    // The row: short cells (wrapped inside their column when narrowed), and the message beside
    // them when there is room.
    let cell_lines: Vec<Vec<String>> = row
        .iter()
        .zip(cols)
        .map(|(cell, &w)| wrap(cell, w, true))
        .collect();
    let messages = g.messages();
    let mut message_lines: Vec<String> = Vec::new();
    let beside = width.saturating_sub(cols.iter().sum::<usize>() + GAP * 5);
    if inline {
        for (i, m) in messages.iter().take(MAX_MESSAGES).enumerate() {
            if i > 0 {
                message_lines.push(String::new());
            }
            message_lines.extend(wrap(m, beside, true));
        }
    }
    let height = cell_lines
        .iter()
        .map(Vec::len)
        .chain([message_lines.len()])
        .max()
        .unwrap_or(1);
    for i in 0..height {
        let mut line = String::new();
        for (c, lines) in cell_lines.iter().enumerate() {
            if c > 0 {
                line.push_str(&" ".repeat(GAP));
            }
            let text = lines.get(i).map_or("", String::as_str);
            let padded = pad(text, cols[c]);
            if c == 0 && !text.is_empty() {
                line.push_str(&paint(&padded, g.status, opts.color));
            } else {
                line.push_str(&padded);
            }
        }
        if let Some(m) = message_lines.get(i) {
            line.push_str(&" ".repeat(GAP));
            line.push_str(m);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !inline {
        for (i, m) in messages.iter().take(MAX_MESSAGES).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            push_wrapped(out, indent, indent, m, width, true);
        }
    }
    if messages.len() > MAX_MESSAGES {
        let more = messages.len() - MAX_MESSAGES;
        push_wrapped(
            out,
            indent,
            indent,
            &format!(
                "... and {more} more message{} like these (--format json has each).",
                if more == 1 { "" } else { "s" }
            ),
            width,
            true,
        );
    }
    let targets = g.target_labels(report);
    if targets.len() > 1 {
        let first = format!("{indent}targets: ");
        let rest = " ".repeat(first.width());
        push_wrapped(out, &first, &rest, &targets.join(", "), width, true);
    }
    if let Some(fix) = g.fix {
        let parts = group::split_fix(fix);
        let first = format!("{indent}fix: ");
        let rest = " ".repeat(first.width());
        if let Some(command) = parts.command {
            // Whole, on one line, whatever the width: a command cut in two cannot be pasted.
            let _ = writeln!(out, "{first}{command}");
        }
        if let Some(prose) = parts.prose {
            let lead = if parts.command.is_some() {
                &rest
            } else {
                &first
            };
            push_wrapped(out, lead, &rest, &group::sentence(prose), width, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_cuts_only_when_asked() {
        assert_eq!(wrap("a bb ccc", 4, true), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh", 3, true), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("x abcdefgh y", 3, false), vec!["x", "abcdefgh", "y"]);
        assert_eq!(wrap("", 3, false), vec![""]);
        let text = "Wait (aws efs describe-mount-targets --mount-target-id fsmt-1) then: aws efs create-mount-target --subnet-id s-1 --security-groups 'a b'.";
        assert_eq!(
            wrap(text, 12, true),
            vec![
                "Wait",
                "(aws efs describe-mount-targets --mount-target-id fsmt-1)",
                "then:",
                "aws efs create-mount-target --subnet-id s-1 --security-groups 'a b'.",
            ]
        );
        assert_eq!(wrap("an aws account", 7, true), vec!["an aws", "account"]);
    }
}
