//! Markdown for pull-request comments and job summaries: a headline that agrees with the exit
//! code, the counts, a table with one row per cause (findings with one cause share a row that
//! lists their targets), the fixes (commands in `sh` blocks, sentences as text) and the coverage
//! line. The whole stays under GitHub's comment limit ([`MAX_LEN`]): rows that do not fit are left
//! out, least severe first, and the comment says how many.

use std::fmt::Write as _;

use super::group::{self, Group};
use super::{FailOn, Report};
use crate::rules::Status;

/// GitHub rejects a comment body longer than 65,536 characters; the comment is kept to that
/// many bytes (never fewer bytes than characters).
pub const MAX_LEN: usize = 65_536;
/// Room kept for the closing lines (what was left out, coverage).
const TAIL_RESERVE: usize = 4_096;
/// At most this many targets are named in one row.
const MAX_TARGETS: usize = 10;
/// At most this many distinct messages are shown for one row.
const MAX_MESSAGES: usize = 3;

/// Text for a table cell: one line, no column break, no HTML.
fn escape(cell: &str) -> String {
    cell.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Inline code, unless the text holds a backtick (then escaped text).
fn code(text: &str) -> String {
    if text.contains('`') {
        escape(text)
    } else {
        format!("`{}`", text.replace('|', "\\|"))
    }
}

/// A fenced code block longer than any backtick run inside the text.
fn fence(text: &str, lang: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let f = "`".repeat(longest.max(2) + 1);
    format!("{f}{lang}\n{text}\n{f}\n")
}

fn icon(status: Status) -> &'static str {
    match status {
        Status::Fail => "❌ fail",
        Status::Warn => "⚠️ warn",
        Status::Unknown => "❔ unknown",
        Status::Pass => "✅ pass",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn fail_on_flag(fail_on: FailOn) -> &'static str {
    match fail_on {
        FailOn::Error => "--fail-on error",
        FailOn::Warning => "--fail-on warning",
        FailOn::Unknown => "--fail-on unknown",
    }
}

/// The headline: what the exit code will say.
fn verdict(report: &Report, fail_on: FailOn) -> String {
    let s = report.summary();
    if s.fail > 0 {
        return "❌ EFS mounts will fail".to_owned();
    }
    let warn_trips = s.warn > 0 && super::trips(Status::Warn, fail_on);
    let unknown_trips = s.unknown > 0 && super::trips(Status::Unknown, fail_on);
    let mut tripping = Vec::new();
    if warn_trips {
        tripping.push(plural(s.warn, "warning", "warnings"));
    }
    if unknown_trips {
        tripping.push(plural(s.unknown, "undecided check", "undecided checks"));
    }
    if !tripping.is_empty() {
        return format!(
            "❌ check failed: {} ({})",
            tripping.join(" and "),
            fail_on_flag(fail_on)
        );
    }
    let mut other = Vec::new();
    if s.warn > 0 {
        other.push(plural(s.warn, "warning", "warnings"));
    }
    if s.unknown > 0 {
        other.push(plural(s.unknown, "undecided check", "undecided checks"));
    }
    if other.is_empty() {
        "✅ EFS mounts look good".to_owned()
    } else {
        format!(
            "⚠️ nothing at or above {}, with {}",
            fail_on_flag(fail_on),
            other.join(" and ")
        )
    }
}

/// One row of the table.
fn row(report: &Report, g: &Group<'_>) -> String {
    let labels = g.target_labels(report);
    let mut targets = labels
        .iter()
        .take(MAX_TARGETS)
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join(", ");
    if labels.len() > MAX_TARGETS {
        let _ = write!(targets, " and {} more", labels.len() - MAX_TARGETS);
    }
    let volumes = g.volumes();
    let volume = match volumes.as_slice() {
        [] => "-".to_owned(),
        [one] => escape(one),
        _ => "(per target)".to_owned(),
    };
    let messages = g.messages();
    let mut message = messages
        .iter()
        .take(MAX_MESSAGES)
        .map(|m| escape(m))
        .collect::<Vec<_>>()
        .join("<br><br>");
    if messages.len() > MAX_MESSAGES {
        let _ = write!(
            message,
            "<br><br>... and {} more like these",
            messages.len() - MAX_MESSAGES
        );
    }
    format!(
        "| {} | `{}` {} | {} | {} | {} | {} |\n",
        icon(g.status),
        g.rule.id,
        g.rule.name,
        targets,
        volume,
        g.resource.map_or_else(|| "-".to_owned(), code),
        message
    )
}

/// The fix of one row: a heading line, then the command in an `sh` block and the prose as text.
fn fix_block(report: &Report, g: &Group<'_>) -> Option<String> {
    let fix = g.fix.filter(|_| g.status != Status::Pass)?;
    let labels = g.target_labels(report);
    let on = match labels.as_slice() {
        [] => String::new(),
        [one] => format!(" on {}", code(one)),
        [first, rest @ ..] => format!(
            " on {} and {}",
            code(first),
            plural(rest.len(), "more target", "more targets")
        ),
    };
    let mut out = format!(
        "**{} {}**{on}{}:\n\n",
        g.rule.id,
        g.rule.name,
        g.resource
            .map(|r| format!(" ({})", code(r)))
            .unwrap_or_default()
    );
    let parts = group::split_fix(fix);
    if let Some(command) = parts.command {
        out.push_str(&fence(command, "sh"));
        out.push('\n');
    }
    if let Some(prose) = parts.prose {
        // A command inside the sentence shows as code; the rest as text.
        let sentence = group::sentence(prose);
        let text = group::units(&sentence)
            .into_iter()
            .map(|(unit, is_command)| {
                if is_command {
                    // `(aws ... --x y).` shows as (`aws ... --x y`).
                    let open = if unit.starts_with('(') { "(" } else { "" };
                    let inner = unit.trim_start_matches('(');
                    let command = inner.trim_end_matches([')', '.', ',', ';']);
                    let close = &inner[command.len()..];
                    if command.contains('`') {
                        escape(unit)
                    } else {
                        format!("{open}`{command}`{close}")
                    }
                } else {
                    escape(unit).replace("\\|", "|")
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(out, "{text}\n");
    }
    Some(out)
}

const TABLE_HEAD: &str = "| status | rule | target | volume | resource | message |\n| --- | --- | --- | --- | --- | --- |\n";
const FIX_HEAD: &str = "\n<details><summary>How to fix</summary>\n\n";
const FIX_TAIL: &str = "</details>\n";

/// Renders the report as Markdown of at most [`MAX_LEN`] bytes. A run over several estates
/// leads with the counts per estate and shows the findings of each under its `ACCOUNT / REGION`
/// heading ([`render_estates`]).
pub fn render(report: &Report, show_passed: bool, fail_on: FailOn) -> String {
    if report.estates.len() > 1 {
        return render_estates(report, show_passed, fail_on);
    }
    let s = report.summary();
    let mut head = String::new();
    let _ = writeln!(head, "## efs-preflight: {}\n", verdict(report, fail_on));
    let _ = writeln!(head, "**{}**\n", report.summary_line());
    head.push_str(&super::observed::markdown_block(report));
    if s.unknown > 0 && !super::trips(Status::Unknown, fail_on) {
        let _ = writeln!(
            head,
            "{} could not be decided (data missing; each row says what). They do not fail this check; `--fail-on unknown` makes them fail it.\n",
            plural(s.unknown, "check", "checks")
        );
    }
    let groups = group::groups(report, show_passed);
    let mut tail = String::new();
    let mut coverage = escape(&report.coverage.line());
    if coverage.len() > TAIL_RESERVE / 2 {
        // A large estate's coverage line lists every gap; JSON has them all.
        let mut cut = TAIL_RESERVE / 2;
        while !coverage.is_char_boundary(cut) {
            cut -= 1;
        }
        coverage.truncate(cut);
        coverage.push_str(" ... (cut short; `--format json` has the whole coverage)");
    }
    let _ = writeln!(tail, "\n<sub>{coverage}</sub>");

    let budget = MAX_LEN - TAIL_RESERVE;
    let mut used = head.len() + TABLE_HEAD.len() + FIX_HEAD.len() + FIX_TAIL.len() + tail.len();
    let mut rows = String::new();
    let mut fixes = String::new();
    let mut shown = 0;
    for g in &groups {
        let r = row(report, g);
        let f = fix_block(report, g).unwrap_or_default();
        if used + r.len() + f.len() > budget {
            break;
        }
        used += r.len() + f.len();
        rows.push_str(&r);
        fixes.push_str(&f);
        shown += 1;
    }
    let mut out = head;
    if !groups.is_empty() {
        out.push_str(TABLE_HEAD);
        out.push_str(&rows);
        let left = &groups[shown..];
        left_out(&mut out, &left.iter().collect::<Vec<_>>());
        if !fixes.is_empty() {
            out.push_str(FIX_HEAD);
            out.push_str(&fixes);
            out.push_str(FIX_TAIL);
        }
    }
    out.push_str(&tail);
    out
}

/// At most this many bytes of the comment go to the counts per estate; estates past it are
/// counted, not listed (JSON's `summary.estates` has each).
const ESTATE_TABLE_BUDGET: usize = 16_384;

/// The table of counts per estate (estates in `order`), each estate that has targets or could
/// not be read on a row, the others counted under it.
fn estate_counts(report: &Report, order: &[usize]) -> String {
    let summaries = report.estate_summaries();
    let with_suppressed = summaries.iter().any(|s| s.suppressed > 0);
    let with_notes = report.estates.iter().any(|e| e.nothing_read.is_some());
    let mut head = "| account | Region | targets | fail | warn | unknown | pass |".to_owned();
    let mut rule = "| --- | --- | ---: | ---: | ---: | ---: | ---: |".to_owned();
    if with_suppressed {
        head.push_str(" suppressed |");
        rule.push_str(" ---: |");
    }
    if with_notes {
        head.push_str(" notes |");
        rule.push_str(" --- |");
    }
    let listed: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| summaries[i].targets > 0 || report.estates[i].nothing_read.is_some())
        .collect();
    let row = |i: usize| -> String {
        let e = &report.estates[i];
        let s = summaries[i];
        let mut counts = vec![s.targets, s.fail, s.warn, s.unknown, s.pass];
        if with_suppressed {
            counts.push(s.suppressed);
        }
        let mut r = format!(
            "| {} | {} |",
            e.account.as_deref().map_or_else(|| "?".to_owned(), code),
            e.region.as_deref().map_or_else(|| "?".to_owned(), code)
        );
        for (c, n) in counts.into_iter().enumerate() {
            if e.nothing_read.is_some() {
                r.push_str(" - |");
            } else if n > 0 && (1..=3).contains(&c) {
                // fail, warn and unknown counts stand out when not zero.
                let _ = write!(r, " **{n}** |");
            } else {
                let _ = write!(r, " {n} |");
            }
        }
        if with_notes {
            match &e.nothing_read {
                Some(why) => {
                    let _ = write!(r, " nothing read: {} |", escape(why));
                }
                None => r.push_str("  |"),
            }
        }
        r.push('\n');
        r
    };
    // Within the budget: every listed estate when they fit, else those with something to look
    // at (non-passing findings, nothing read) first.
    let to_look_at = |i: usize| {
        let s = summaries[i];
        s.fail + s.warn + s.unknown > 0 || report.estates[i].nothing_read.is_some()
    };
    let mut rows: Vec<(usize, String)> = listed.iter().map(|&i| (i, row(i))).collect();
    let total: usize = rows.iter().map(|(_, r)| r.len()).sum();
    if total > ESTATE_TABLE_BUDGET {
        rows.sort_by_key(|(i, _)| !to_look_at(*i));
        let mut used = 0;
        rows.retain(|(_, r)| {
            used += r.len();
            used <= ESTATE_TABLE_BUDGET
        });
        let position: std::collections::HashMap<usize, usize> =
            order.iter().enumerate().map(|(p, &i)| (i, p)).collect();
        rows.sort_by_key(|(i, _)| position.get(i).copied().unwrap_or(usize::MAX));
    }
    let mut out = format!(
        "{} (account x Region):\n\n{head}\n{rule}\n",
        plural(report.estates.len(), "estate", "estates")
    );
    for (_, r) in &rows {
        out.push_str(r);
    }
    let left = listed.len() - rows.len();
    let quiet = order.len() - listed.len();
    let mut notes = Vec::new();
    if left > 0 {
        let shown: std::collections::HashSet<usize> = rows.iter().map(|(i, _)| *i).collect();
        let left_to_look_at = listed
            .iter()
            .filter(|&&i| !shown.contains(&i) && to_look_at(i))
            .count();
        notes.push(format!(
            "{} left out of this table ({left_to_look_at} of them with non-passing findings or nothing read)",
            plural(left, "more estate", "more estates")
        ));
    }
    if quiet > 0 {
        notes.push(format!(
            "{} read with no target in scope (no service with an EFS volume)",
            plural(quiet, "estate", "estates")
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(
            out,
            "\nAnd {}; `--format json` lists each estate in `summary.estates`.",
            notes.join(", and ")
        );
    }
    let unread = report
        .estates
        .iter()
        .filter(|e| e.nothing_read.is_some())
        .count();
    if unread > 0 {
        let _ = writeln!(
            out,
            "\n**{} could not be read** (see the notes): nothing in {} was checked, so {} not count as passing.",
            plural(unread, "estate", "estates"),
            if unread == 1 { "it" } else { "them" },
            if unread == 1 { "it does" } else { "they do" }
        );
    }
    out.push('\n');
    out
}

/// The Markdown of a run over several estates: the headline and counts of the whole run, the
/// counts per estate, then for each estate with something to show a `### ACCOUNT / REGION`
/// section with its observed failures, its rows and their fixes; then the coverage line. Estates
/// are shown by account, then Region; rows past the comment limit are left out, the later
/// estates' first.
pub fn render_estates(report: &Report, show_passed: bool, fail_on: FailOn) -> String {
    let s = report.summary();
    let mut order: Vec<usize> = (0..report.estates.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&report.estates[a], &report.estates[b]);
        (&a.account, &a.region).cmp(&(&b.account, &b.region))
    });
    let mut head = String::new();
    let _ = writeln!(head, "## efs-preflight: {}\n", verdict(report, fail_on));
    let _ = writeln!(head, "**{}**\n", report.summary_line());
    head.push_str(&estate_counts(report, &order));
    if s.unknown > 0 && !super::trips(Status::Unknown, fail_on) {
        let _ = writeln!(
            head,
            "{} could not be decided (data missing; each row says what). They do not fail this check; `--fail-on unknown` makes them fail it.\n",
            plural(s.unknown, "check", "checks")
        );
    }
    let mut tail = String::new();
    let mut coverage = escape(&report.coverage.line());
    if coverage.len() > TAIL_RESERVE / 2 {
        let mut cut = TAIL_RESERVE / 2;
        while !coverage.is_char_boundary(cut) {
            cut -= 1;
        }
        coverage.truncate(cut);
        coverage.push_str(" ... (cut short; `--format json` has the whole coverage)");
    }
    let _ = writeln!(tail, "\n<sub>{coverage}</sub>");

    let views: Vec<Report> = order
        .iter()
        .map(|&i| report.estate_view(&report.estates[i]))
        .collect();
    let groups: Vec<Vec<Group<'_>>> = views
        .iter()
        .map(|v| group::groups(v, show_passed))
        .collect();
    let budget = MAX_LEN - TAIL_RESERVE;
    let mut used = head.len() + tail.len();
    let mut body = String::new();
    let mut left: Vec<&Group<'_>> = Vec::new();
    for ((&i, view), gs) in order.iter().zip(&views).zip(&groups) {
        let observed = super::observed::markdown_block(view).replacen(
            "### Observed failures",
            "#### Observed failures",
            1,
        );
        if gs.is_empty() && observed.is_empty() {
            continue;
        }
        if !left.is_empty() {
            left.extend(gs);
            continue;
        }
        let mut section = format!("### {}\n\n", escape(&report.estates[i].heading()));
        section.push_str(&observed);
        let section_head = section.len() + TABLE_HEAD.len() + FIX_HEAD.len() + FIX_TAIL.len() + 1;
        if used + section_head > budget {
            left.extend(gs);
            continue;
        }
        let mut rows = String::new();
        let mut fixes = String::new();
        let mut shown = 0;
        let mut room = used + section_head;
        for g in gs {
            let r = row(view, g);
            let f = fix_block(view, g).unwrap_or_default();
            if room + r.len() + f.len() > budget {
                break;
            }
            room += r.len() + f.len();
            rows.push_str(&r);
            fixes.push_str(&f);
            shown += 1;
        }
        left.extend(&gs[shown..]);
        if gs.is_empty() {
            section.push_str("No problems found.\n\n");
        } else if shown > 0 {
            section.push_str(TABLE_HEAD);
            section.push_str(&rows);
            if !fixes.is_empty() {
                section.push_str(FIX_HEAD);
                section.push_str(&fixes);
                section.push_str(FIX_TAIL);
            }
            section.push('\n');
        } else {
            // Not one row of this estate fits: it goes with the rows left out.
            continue;
        }
        used += section.len();
        body.push_str(&section);
    }
    let mut out = head;
    if body.is_empty() && left.is_empty() {
        out.push_str(if report.findings.is_empty() {
            "No findings.\n"
        } else {
            "No problems found.\n"
        });
    }
    if !body.is_empty() {
        out.push_str(body.trim_end_matches('\n'));
        out.push('\n');
    }
    left_out(&mut out, &left);
    out.push_str(&tail);
    out
}

/// The line that counts the rows left out to stay under the comment limit (nothing when none is).
fn left_out(out: &mut String, left: &[&Group<'_>]) {
    let rows = left.len();
    if rows == 0 {
        return;
    }
    let count = |st: Option<Status>| {
        left.iter()
            .filter(|g| st.is_none_or(|st| g.status == st))
            .map(|g| g.findings.len())
            .sum::<usize>()
    };
    let _ = writeln!(
        out,
        "\n**{} left out** ({}: {} fail, {} warn, {} unknown, {} pass) to keep this comment under GitHub's 65,536-character limit. The table output (`--format table`) or `--format json` lists every finding.",
        plural(rows, "row", "rows"),
        plural(count(None), "finding", "findings"),
        count(Some(Status::Fail)),
        count(Some(Status::Warn)),
        count(Some(Status::Unknown)),
        count(Some(Status::Pass)),
    );
}

/// GitHub's limit on the body of a pull-request comment, in characters.
const COMMENT_LIMIT: usize = 65_536;

/// Mermaid's default `maxTextSize`: a longer diagram is not drawn.
const MERMAID_MAX_TEXT: usize = 50_000;

/// A flowchart longer than this many lines is collapsed under `<details>`.
const OPEN_FLOWCHART_LINES: usize = 40;

/// The characters of a flowchart's block besides the target names and the chart: the
/// `Path of {names}:\n\n```mermaid\n{chart}```\n\n` of a chart shown open.
const CHART_FRAME_LEN: usize = "Path of :\n\n```mermaid\n```\n\n".len();

/// The report with a Mermaid flowchart of each failing target's path (`charts`: the labels of
/// the targets a chart draws, and the chart), placed before the coverage line. Charts that would
/// take the comment past GitHub's limit are left out, and the report says how many.
pub fn render_with_flowcharts(
    report: &Report,
    show_passed: bool,
    fail_on: FailOn,
    charts: &[(Vec<String>, String)],
) -> String {
    with_flowcharts(
        render(report, show_passed, fail_on),
        charts.len(),
        |i| charts.get(i).map_or(&[], |c| c.0.as_slice()),
        |i| charts.get(i).map(|c| c.1.clone()).unwrap_or_default(),
        |_| 0,
    )
}

/// [`render_with_flowcharts`] with `count` flowcharts given by index: chart `i` draws the
/// targets `targets(i)` and is drawn by `chart(i)` only when it can fit, which it cannot when
/// `chart_len_at_least(i)` (a lower bound of its length in characters) does not.
pub fn render_with_lazy_flowcharts<'p>(
    report: &Report,
    show_passed: bool,
    fail_on: FailOn,
    count: usize,
    targets: impl Fn(usize) -> &'p [String],
    chart: impl Fn(usize) -> String,
    chart_len_at_least: impl Fn(usize) -> usize,
) -> String {
    with_flowcharts(
        render(report, show_passed, fail_on),
        count,
        targets,
        chart,
        chart_len_at_least,
    )
}

/// Places `count` flowcharts (chart `i` draws the targets `targets(i)` and is `chart(i)`, of
/// at least `chart_len_at_least(i)` characters) in the rendered report `out`.
fn with_flowcharts<'p>(
    mut out: String,
    count: usize,
    targets: impl Fn(usize) -> &'p [String],
    chart: impl Fn(usize) -> String,
    chart_len_at_least: impl Fn(usize) -> usize,
) -> String {
    if count == 0 {
        return out;
    }
    // Room for the note on charts left out.
    let budget = COMMENT_LIMIT
        .saturating_sub(out.chars().count())
        .saturating_sub(300);
    let mut section = String::from("\n### Paths\n\n");
    let mut left_out = 0;
    let mut section_len = section.chars().count();
    for i in 0..count {
        if CHART_FRAME_LEN + section_len > budget {
            // Not even a chart without names fits.
            left_out += 1;
            continue;
        }
        let names = targets(i)
            .iter()
            .map(|t| format!("`{}`", escape(t)))
            .collect::<Vec<_>>()
            .join(", ");
        // The shortest block this chart can make: without the chart, not collapsed.
        let least = CHART_FRAME_LEN + names.chars().count();
        if least + section_len > budget {
            left_out += 1;
            continue;
        }
        // A chart that cannot fit is not drawn.
        if least + chart_len_at_least(i) + section_len > budget {
            left_out += 1;
            continue;
        }
        let chart = chart(i);
        let block = if chart.lines().count() > OPEN_FLOWCHART_LINES {
            format!(
                "<details><summary>Path of {names} ({} lines of Mermaid)</summary>\n\n```mermaid\n{chart}```\n\n</details>\n\n",
                chart.lines().count()
            )
        } else {
            format!("Path of {names}:\n\n```mermaid\n{chart}```\n\n")
        };
        let size = block.chars().count();
        if chart.chars().count() > MERMAID_MAX_TEXT || size + section_len > budget {
            left_out += 1;
            continue;
        }
        section.push_str(&block);
        section_len += size;
    }
    if left_out > 0 {
        let _ = writeln!(
            section,
            "{left_out} path{} left out to stay within GitHub's 65,536-character comment limit; `--graph paths.mmd` writes every path.\n",
            if left_out == 1 { "" } else { "s" }
        );
    }
    let at = out.rfind("\n<sub>").unwrap_or(out.len());
    out.insert_str(at, &format!("{}\n", section.trim_end_matches('\n')));
    out
}
