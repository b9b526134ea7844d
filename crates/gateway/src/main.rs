//! The `ggzy` binary; see `ggzy --help`.

/// A request allocates and frees many small objects (rows, views, JSON); under load the
/// system allocator spent about a fifth of the server's CPU on them (profiled during
/// `cargo xtask bench api`). mimalloc does the same work with less of it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ggzy_gateway::cli::run()
}
