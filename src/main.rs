use clap::Parser;

// Only the binary picks the allocator; a program using the library keeps its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, by its place in the header's `mi_option_e` (the -sys
/// crate names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // A build's stages each free most of what they allocated before the next begins, while
    // mimalloc keeps freed pages a second before it gives them back: the peak was then the
    // sum of stages, not the largest. Purging at once costs little CPU (see the commit).
    // SAFETY: before any other thread exists, as mimalloc asks of `mi_option_set`.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    endpaper::error::install_panic_hook();
    std::process::exit(endpaper::cli::run(endpaper::cli::Cli::parse()));
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
}
