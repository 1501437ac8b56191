//! Text generated from the command-line definition itself: shell completion scripts
//! (clap_complete) and manual pages (clap_mangen). They return what to print; `app` prints it.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::Cli;

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "efs-preflight", &mut out);
    out
}

/// The `efs-preflight(1)` page in roff.
pub fn manpage() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

/// Writes `efs-preflight.1` and one page per command (`efs-preflight-check.1` ...) into `dir`;
/// returns the files written.
pub fn manpages_to(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)?;
    let mut written: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("efs-preflight") && n.ends_with(".1"))
        })
        .collect();
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_name_the_commands_and_flags() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::PowerShell,
            clap_complete::Shell::Elvish,
        ] {
            let script = String::from_utf8(completions(shell)).unwrap();
            assert!(script.contains("efs-preflight"), "{shell}");
            assert!(script.contains("fail-on"), "{shell}");
        }
    }

    #[test]
    fn manpage_is_roff_with_the_commands() {
        let page = String::from_utf8(manpage().unwrap()).unwrap();
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
        assert!(page.contains("check"));
        let dir = tempfile::tempdir().unwrap();
        let files = manpages_to(dir.path()).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.contains(&"efs-preflight.1".to_owned()), "{names:?}");
        assert!(
            names.contains(&"efs-preflight-check.1".to_owned()),
            "{names:?}"
        );
        let check = std::fs::read_to_string(dir.path().join("efs-preflight-check.1")).unwrap();
        assert!(check.contains("fail\\-on"), "{check}");
    }
}
