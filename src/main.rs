use clap::Parser;

fn main() {
    std::process::exit(endpaper::cli::run(endpaper::cli::Cli::parse()));
}
