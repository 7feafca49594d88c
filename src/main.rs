use clap::Parser;

fn main() {
    endpaper::error::install_panic_hook();
    std::process::exit(endpaper::cli::run(endpaper::cli::Cli::parse()));
}
