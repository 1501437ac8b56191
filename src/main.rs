//! The `efs-preflight` binary: parse the command line, run, map the result to an exit code.

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;
use efs_preflight::app;
use efs_preflight::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                app::EXIT_USAGE
            } else {
                app::EXIT_OK
            });
        }
    };
    match app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == ErrorKind::BrokenPipe)
            {
                return ExitCode::from(app::EXIT_OK);
            }
            eprintln!("efs-preflight: error: {err:#}");
            ExitCode::from(app::error_exit_code(&err))
        }
    }
}
