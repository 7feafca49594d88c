use clap::Parser;
use endpaper::cli::Command;

// Only the binary picks the allocator; a program using the library keeps its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, by its place in the header's `mi_option_e` (the -sys
/// crate names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Docs from which a build is large: past it, pages given back soon are faulted in again by
/// the next stage, and that costs more CPU than keeping them costs memory.
const LARGE_SITE_DOCS: usize = 2_000;

/// How long a small build keeps freed pages. Given back at once (0), every page a stage frees
/// and its next step allocates again is faulted in anew; held a few ms, those are reused,
/// while the pages a finished stage leaves still go before the next stage peaks.
const SMALL_SITE_PURGE_MS: std::os::raw::c_long = 10;

/// `serve` never gives freed pages back: each rebuild frees and allocates again about what the
/// last did, and a save spent its time giving the last rebuild's pages back (`madvise`) and
/// faulting them in again.
const SERVE_PURGE_MS: std::os::raw::c_long = -1;

fn main() {
    let cli = endpaper::cli::Cli::parse();
    // A delay set in mimalloc's own variable (read as it started) is the user's choice.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: before any other thread exists, as mimalloc asks of `mi_option_set`.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, purge_delay_ms(&cli.command))
        };
    }
    endpaper::error::install_panic_hook();
    exit(endpaper::cli::run(cli));
}

/// Ends the process once what it printed is out, skipping the C library's exit handlers:
/// `std::process::exit` runs mimalloc's, which walks its heaps and gives their pages back
/// one `madvise` at a time, just before the kernel takes the whole address space back.
fn exit(code: i32) -> ! {
    use std::io::Write;
    // Nothing can be reported if these fail: the streams are what would report it.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process; no Rust code runs after it.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

/// How long mimalloc keeps freed pages before it gives them back. A build's stages each free
/// most of what they allocated before the next begins: giving pages back soon makes a small
/// build's peak its largest stage, not the sum of its stages. A large build keeps them a
/// while, as re-faulting them would cost more; `serve` keeps them.
fn purge_delay_ms(command: &Command) -> std::os::raw::c_long {
    let site = match command {
        Command::Build(a) => &a.site.site,
        Command::Check(a) => &a.site.site,
        Command::Serve(_) => return SERVE_PURGE_MS,
        _ => return 100,
    };
    if docs_up_to(site, LARGE_SITE_DOCS) < LARGE_SITE_DOCS {
        SMALL_SITE_PURGE_MS
    } else {
        100
    }
}

/// The markdown files under the site's `_` folders (at its root or under a `collections_dir`),
/// counted up to `limit` (a bound, so a large site is not walked whole before its build walks
/// it).
fn docs_up_to(site: &std::path::Path, limit: usize) -> usize {
    walkdir::WalkDir::new(site)
        .max_depth(4)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "_site" || name == "node_modules")
        })
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "md" || x == "markdown")
                && e.path().strip_prefix(site).ok().is_some_and(|r| {
                    r.parent().is_some_and(|folders| {
                        folders
                            .components()
                            .any(|c| c.as_os_str().to_string_lossy().starts_with('_'))
                    })
                })
        })
        .take(limit)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_main_sets() {
        // The test process never runs `main`, so the option still has mimalloc's default
        // of 1000 ms; another option at this place would have another default.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            1000
        );
    }

    #[test]
    fn a_small_site_gives_pages_back_soon_and_a_large_one_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        std::fs::create_dir_all(site.join("_api")).unwrap();
        std::fs::create_dir_all(site.join("_site/_api")).unwrap();
        let build = |site: &std::path::Path| {
            endpaper::cli::Cli::parse_from(["endpaper", "build", site.to_str().unwrap()]).command
        };
        for i in 0..LARGE_SITE_DOCS - 1 {
            std::fs::write(site.join(format!("_api/d{i}.md")), "x").unwrap();
            // Output and root pages are no docs.
            std::fs::write(site.join(format!("_site/_api/d{i}.md")), "x").unwrap();
        }
        std::fs::write(site.join("index.md"), "x").unwrap();
        assert_eq!(purge_delay_ms(&build(site)), SMALL_SITE_PURGE_MS);
        std::fs::write(site.join("_api/last.md"), "x").unwrap();
        assert_eq!(purge_delay_ms(&build(site)), 100);
        // Collections under a `collections_dir` count too.
        let nested = dir.path().join("nested");
        std::fs::create_dir_all(nested.join("api/_ops")).unwrap();
        for i in 0..LARGE_SITE_DOCS {
            std::fs::write(nested.join(format!("api/_ops/d{i}.md")), "x").unwrap();
        }
        assert_eq!(purge_delay_ms(&build(&nested)), 100);
        let serve = endpaper::cli::Cli::parse_from(["endpaper", "serve", "."]).command;
        assert_eq!(purge_delay_ms(&serve), SERVE_PURGE_MS);
        assert_eq!(SERVE_PURGE_MS, -1, "mimalloc's never");
    }
}
