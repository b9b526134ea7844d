//! The PostgreSQL halves of the suites (`both_backends!`) run where GGZY_TEST_POSTGRES_URL
//! names a server the tests may create databases on; elsewhere they are compiled as ignored,
//! so the test run's closing line counts them as not run instead of passed. Likewise the
//! S3 test of the document store runs where moto's S3 server (`moto_server`, from
//! `python3 -m pip install 'moto[server]'`) is on the PATH.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(ggzy_postgres)");
    println!("cargo::rustc-check-cfg=cfg(ggzy_s3)");
    println!("cargo:rerun-if-env-changed=GGZY_TEST_POSTGRES_URL");
    println!("cargo:rerun-if-env-changed=PATH");
    if std::env::var("GGZY_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo:rustc-cfg=ggzy_postgres");
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|dir| dir.join("moto_server").is_file()) {
        println!("cargo:rustc-cfg=ggzy_s3");
    }
}
