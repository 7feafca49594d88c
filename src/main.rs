use clap::Parser;

// Only the binary picks the allocator; a program using the library keeps its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    endpaper::error::install_panic_hook();
    std::process::exit(endpaper::cli::run(endpaper::cli::Cli::parse()));
}
