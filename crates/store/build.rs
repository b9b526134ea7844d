// The migrations are embedded at compile time; rebuild when they change. The PostgreSQL
// half of tests/store/ runs where GGZY_TEST_POSTGRES_URL is set and is ignored elsewhere
// (see tests/build.rs).
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
    println!("cargo::rustc-check-cfg=cfg(ggzy_postgres)");
    println!("cargo:rerun-if-env-changed=GGZY_TEST_POSTGRES_URL");
    if std::env::var("GGZY_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo:rustc-cfg=ggzy_postgres");
    }
}
