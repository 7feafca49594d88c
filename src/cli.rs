//! The command line: clap definitions and the dispatch to library calls. `main` stays a
//! one-liner so everything here is testable.

use crate::build::{self, BuildOptions};
use crate::check::{self, Format};
use crate::diagnostics::{self, Severity};
use crate::highlight::Highlighter;
use crate::report::{self, print_error, print_migration_report, Style};
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "endpaper",
    version,
    about = "Build a fast, searchable three-column API reference from Aviator/Jekyll docs",
    after_help = "Examples:\n  endpaper new my-docs                    # start a site\n  endpaper serve my-docs                  # live preview at http://127.0.0.1:4000/\n  endpaper check my-docs --strict         # what CI runs\n  endpaper build content                  # -> content/_site\n  endpaper build site -o public           # any site, any output folder\n  endpaper build site --audience internal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print more about what happens (each build stage's time and memory; files created;
    /// what changed).
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
    /// Find everything a build would warn or fail on, plus broken links and anchors, without writing.
    #[command(
        after_help = "Exit status: 0 clean, 1 errors (or warnings with --strict), 2 bad usage.\n\nExamples:\n  endpaper check content\n  endpaper check site --strict --format github   # annotations in GitHub Actions\n  endpaper check site --format json | jq .code\n  endpaper check site --audience internal"
    )]
    Check(CheckArgs),
    /// Build, serve on loopback, rebuild on change and reload open browser tabs.
    #[command(
        after_help = "Examples:\n  endpaper serve content                  # http://127.0.0.1:4000/\n  endpaper serve site --port 4001 --open\n  endpaper serve site --audience internal -o /tmp/preview\n  endpaper serve site --port 0            # any free port (printed)"
    )]
    Serve(ServeArgs),
    /// Create a small, complete site to start from.
    #[command(
        after_help = "Examples:\n  endpaper new my-docs\n  endpaper new my-docs && endpaper serve my-docs"
    )]
    New {
        /// Folder to create the site in (must be new or empty).
        dir: PathBuf,
    },
    /// Write the site's OpenAPI 3.1 document (the `openapi.json` every build writes).
    #[command(
        after_help = "Examples:\n  endpaper openapi content                    # to stdout\n  endpaper openapi site -o openapi.json\n  endpaper openapi site --audience internal -o internal.json\n  endpaper openapi site --stats              # how much of it was typed and exampled"
    )]
    Openapi(OpenapiArgs),
    /// Write an endpaper site from another format.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  endpaper completions bash > /etc/bash_completion.d/endpaper"
    )]
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Args)]
pub struct OpenapiArgs {
    /// The site folder (holding _config.yml).
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// File to write [default: stdout].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Which audience's operations to export.
    #[arg(long, default_value = "public")]
    pub audience: String,
    /// Print how many operations, typed parameters and examples the export has, instead
    /// of the document.
    #[arg(long)]
    pub stats: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// One doc per operation from an OpenAPI 3.0/3.1 spec (YAML or JSON).
    #[command(
        after_help = "Examples:\n  endpaper import openapi petstore.yaml petstore-docs\n  endpaper import openapi api.json docs && endpaper serve docs"
    )]
    Openapi {
        /// The spec file.
        spec: PathBuf,
        /// Folder to write the site in (must be new or empty).
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (holding _config.yml).
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Which audience to build for (a collection's or doc's `visibility`).
    #[arg(long, default_value = "public")]
    pub audience: String,
    /// Pages in endpaper's reference theme, or in the site's own layouts as Jekyll renders
    /// them [default: the site's `theme` setting, else endpaper].
    #[arg(long, value_name = "THEME", value_parser = ["endpaper", "site"])]
    pub theme: Option<String>,
    #[command(flatten)]
    pub cache: CacheArgs,
}

impl SiteArgs {
    /// The build these arguments ask for, writing to `output` (`None`: `SITE/_site`).
    pub fn build_options(&self, output: Option<PathBuf>) -> BuildOptions {
        let opts = BuildOptions {
            site: self.site.clone(),
            output,
            audience: self.audience.clone(),
            cache: None,
            theme: theme_arg(&self.theme),
            quiet: false,
        };
        match (&self.cache.cache, self.cache.no_cache) {
            (_, true) => opts,
            (Some(dir), false) => BuildOptions {
                cache: Some(dir.clone()),
                ..opts
            },
            (None, false) => opts.with_default_cache(),
        }
    }
}

/// Where highlighted samples are kept between builds.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// Cache folder (what builds made, and their stamps), safe to delete or keep between CI runs [default: SITE/.endpaper-cache].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Build without reading or writing the cache folder.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Output folder [default: SITE/_site].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// How findings are printed: for people, one JSON object a line, or GitHub annotations.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on (0: any free port).
    #[arg(long, short, default_value_t = 4000)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Open the preview in a browser.
    #[arg(long)]
    pub open: bool,
    /// Output folder [default: SITE/_site].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Connections served at once; more are answered 503 until some close.
    #[arg(long, default_value_t = crate::serve::DEFAULT_MAX_CONNECTIONS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    pub max_connections: usize,
}

/// Runs the CLI; returns the process exit code (errors are printed here, with causes).
pub fn run(cli: Cli) -> i32 {
    let style = Style::stderr();
    build::TIMINGS.store(cli.verbose, std::sync::atomic::Ordering::Relaxed);
    let result = match cli.command {
        Command::Build(args) => {
            let strict = args.strict;
            let opts = BuildOptions {
                quiet: cli.quiet && !strict,
                ..args.site.build_options(args.output.clone())
            };
            let progress = !cli.quiet && std::io::stderr().is_terminal();
            build::PROGRESS.store(progress, std::sync::atomic::Ordering::Relaxed);
            // Before the stamp: a killed build's folder goes even when nothing changed since.
            for stale in crate::write::remove_stale_staging(&opts.output_dir()) {
                let dir = stale.dir.display();
                match stale.removed {
                    Ok(()) if cli.quiet => {}
                    Ok(()) => eprintln!(
                        "{}: removed stale staging folder {dir} (a build that was killed)",
                        style.paint("36;1", "note")
                    ),
                    Err(e) => eprintln!(
                        "{}: cannot remove stale staging folder {dir} (a build that was killed): {e}",
                        style.paint("33;1", "warning")
                    ),
                }
            }
            let built = build::build(&opts, &Highlighter::new(), build::Mode::Build { strict });
            build::clear_progress();
            match built {
                Ok(o) => {
                    let failed = args.strict && diagnostics::fails_strict(&o.diagnostics);
                    // The warnings a strict build fails on are shown even with --quiet.
                    if !cli.quiet || failed {
                        report::print_diagnostics(&o.diagnostics, style);
                    }
                    if !cli.quiet {
                        print_migration_report(&o, style);
                    }
                    if failed {
                        report::print_strict_failure(check::tally(&o.diagnostics).1, style);
                        eprintln!(
                            "  nothing was written ({} is as it was)",
                            opts.output_dir().display()
                        );
                        return 1;
                    }
                    if !cli.quiet {
                        println!("{}", report::summary(&o));
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        Command::Check(args) => return run_check(&args, cli.quiet, style),
        Command::Serve(args) => {
            let opts = crate::serve::ServeOptions {
                build: args.site.build_options(args.output),
                host: args.host,
                port: args.port,
                open: args.open,
                quiet: cli.quiet,
                verbose: cli.verbose,
                max_connections: args.max_connections,
            };
            crate::serve::serve(opts, style)
        }
        Command::New { dir } => crate::scaffold::create(&dir).map(|files| {
            if !cli.quiet {
                println!(
                    "created a new site in {} ({} files)",
                    dir.display(),
                    files.len()
                );
                if cli.verbose {
                    for f in &files {
                        println!("  {}", f.display());
                    }
                }
                print!("{}", crate::scaffold::next_steps(&dir));
            }
        }),
        Command::Openapi(args) => run_openapi(&args),
        Command::Import {
            from: ImportFrom::Openapi { spec, dir },
        } => crate::openapi::import::import(&spec, &dir).map(|site| {
            // Even with --quiet: each is something the site lost.
            report::print_diagnostics(&site.warnings, style);
            if !cli.quiet {
                println!(
                    "wrote {} operation{} ({} files) to {}",
                    site.operations,
                    if site.operations == 1 { "" } else { "s" },
                    site.files.len(),
                    dir.display()
                );
                print!("{}", crate::scaffold::next_steps(&dir));
            }
        }),
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

/// `--theme` (clap has checked the name).
fn theme_arg(arg: &Option<String>) -> Option<crate::config::Theme> {
    arg.as_deref().and_then(|t| t.parse().ok())
}

/// `check`: findings go to stdout for json/github (for tools) and stderr for people, like
/// a compiler; the exit status is what CI acts on.
fn run_check(args: &CheckArgs, quiet: bool, style: Style) -> i32 {
    let opts = args.site.build_options(None);
    let (findings, outcome) = match build::build(&opts, &Highlighter::new(), build::Mode::Check) {
        Ok(o) => (check::findings(&o), Some(o)),
        Err(e) => match check::failure_findings(&e) {
            Some(f) => (f, None),
            None => {
                print_error(&e, style);
                return 1;
            }
        },
    };
    let (errors, warnings) = check::tally(&findings);
    let site = &args.site.site;
    match args.format {
        Format::Human => {
            let paint = |code: &str, text: &str| style.paint(code, text);
            let mut err = std::io::stderr().lock();
            for d in &findings {
                // With --strict, warnings are what fails: shown even with --quiet.
                if d.severity == Severity::Error || !quiet || args.strict {
                    let _ = writeln!(err, "{}", check::human(d, site, &paint));
                }
            }
            drop(err);
            if let Some(o) = &outcome {
                if !quiet {
                    print_migration_report(o, style);
                }
            }
            if !quiet || errors > 0 || (args.strict && warnings > 0) {
                let docs = outcome.as_ref().map_or(String::new(), |o| {
                    format!(" in {} for `{}`", report::count(o.docs, "doc"), o.audience)
                });
                let notes = findings.len() - errors - warnings;
                let notes = match notes {
                    0 => String::new(),
                    1 => " (1 note)".to_string(),
                    n => format!(" ({n} notes)"),
                };
                eprintln!(
                    "check: {}, {}{notes}{docs}",
                    report::count(errors, "error"),
                    report::count(warnings, "warning")
                );
            }
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in &findings {
                let _ = writeln!(out, "{}", check::json(d));
            }
        }
        Format::Github => {
            let mut out = std::io::stdout().lock();
            for d in &findings {
                let _ = writeln!(out, "{}", check::github(d, site));
            }
        }
    }
    if errors > 0 || (args.strict && warnings > 0) {
        if args.strict && errors == 0 && args.format == Format::Human {
            report::print_strict_failure(warnings, style);
        }
        1
    } else {
        0
    }
}

/// `openapi`: the document of one audience (without writing a site), or its figures.
fn run_openapi(args: &OpenapiArgs) -> anyhow::Result<()> {
    let opts = BuildOptions {
        audience: args.audience.clone(),
        cache: None,
        ..BuildOptions::new(&args.site)
    };
    let outcome = build::build(&opts, &Highlighter::new(), build::Mode::Check)?;
    let export = &outcome.openapi;
    let text = if args.stats {
        crate::openapi::export::stats_line(&export.stats) + "\n"
    } else {
        export
            .json()
            .map_err(|e| anyhow::anyhow!("cannot read back the OpenAPI document: {e}"))?
            + "\n"
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        None => {
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
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
