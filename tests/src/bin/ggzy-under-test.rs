//! The `ggzy` command line, built inside the black-box package so its tests run the real
//! thing.

fn main() -> std::process::ExitCode {
    ggzy_gateway::cli::run()
}
