//! The PostgreSQL halves of the suites (`both_backends!`) run where GGZY_TEST_POSTGRES_URL
//! names a server the tests may create databases on; elsewhere they are compiled as ignored,
//! so the test run's closing line counts them as not run instead of passed.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(ggzy_postgres)");
    println!("cargo:rerun-if-env-changed=GGZY_TEST_POSTGRES_URL");
    if std::env::var("GGZY_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo:rustc-cfg=ggzy_postgres");
    }
}
