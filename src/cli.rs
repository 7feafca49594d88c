//! The command line: clap definitions and the dispatch to library calls. `main` stays a
//! one-liner so everything here is testable.

use crate::build::{self, BuildOptions, Outcome};
use crate::diagnostics::{Diagnostic, Severity};
use crate::highlight::Highlighter;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "endpaper",
    version,
    about = "Build a fast, searchable three-column API reference from Aviator/Jekyll docs",
    after_help = "Examples:\n  endpaper build content                 # -> content/_site\n  endpaper build site -o public          # any site, any output folder\n  endpaper build site --audience internal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print more about what happens.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a site into a static reference.
    #[command(
        after_help = "Examples:\n  endpaper build content\n  endpaper build path/to/site -o public\n  endpaper build site --audience internal --strict"
    )]
    Build(BuildArgs),
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  endpaper completions bash > /etc/bash_completion.d/endpaper"
    )]
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (holding _config.yml).
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Which audience to build for (a collection's or doc's `visibility`).
    #[arg(long, default_value = "public")]
    pub audience: String,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [default: SITE/_site].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// How findings are painted: colour only on a terminal and never with NO_COLOR.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn stderr() -> Style {
        Style {
            color: std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

pub fn print_diagnostics(diags: &[Diagnostic], style: Style) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let (word, color) = match d.severity {
            Severity::Warning => ("warning", "33;1"),
            Severity::Error => ("error", "31;1"),
        };
        let _ = writeln!(
            err,
            "{}: {} [{}]\n  --> {}:{}:{}",
            style.paint(color, word),
            d.message,
            d.code,
            d.file.display(),
            d.pos.line,
            d.pos.col
        );
    }
}

pub fn print_migration_report(outcome: &Outcome, style: Style) {
    if outcome.unused.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{}",
        style.paint(
            "1",
            "note: parts of this Jekyll site that endpaper does not use:"
        )
    );
    for u in &outcome.unused {
        let _ = writeln!(err, "  {} ({}): {}", u.rel, u.what, u.instead);
    }
}

fn summary(o: &Outcome) -> String {
    let warnings = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    format!(
        "built {} doc{} in {} section{} for `{}` ({} page{}, {} warning{}) → {} in {:.2}s",
        o.docs,
        if o.docs == 1 { "" } else { "s" },
        o.sections,
        if o.sections == 1 { "" } else { "s" },
        o.audience,
        o.pages,
        if o.pages == 1 { "" } else { "s" },
        warnings,
        if warnings == 1 { "" } else { "s" },
        o.output
            .as_ref()
            .map_or(String::new(), |p| p.display().to_string()),
        o.elapsed.as_secs_f64()
    )
}

/// Runs the CLI; returns the process exit code (errors are printed here, with causes).
pub fn run(cli: Cli) -> i32 {
    let style = Style::stderr();
    let result = match cli.command {
        Command::Build(args) => {
            let opts = BuildOptions {
                site: args.site.site.clone(),
                output: args.output.clone(),
                audience: args.site.audience.clone(),
            };
            match build::build(&opts, &Highlighter::new()) {
                Ok(o) => {
                    if !cli.quiet {
                        print_diagnostics(&o.diagnostics, style);
                        print_migration_report(&o, style);
                        println!("{}", summary(&o));
                    }
                    if args.site.strict && !o.diagnostics.is_empty() {
                        eprintln!(
                            "{}: --strict: {} warning(s) count as errors",
                            style.paint("31;1", "error"),
                            o.diagnostics.len()
                        );
                        return 1;
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "endpaper",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            print_error(&e, style);
            1
        }
    }
}

/// Prints an error with its whole cause chain (template engines hide the real cause).
pub fn print_error(e: &anyhow::Error, style: Style) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}: {e}", style.paint("31;1", "error"));
    for cause in e.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
