//! The `ggzy` binary; see `ggzy --help`.

fn main() -> std::process::ExitCode {
    ggzy_gateway::cli::run()
}
