//! The restore drill on both databases: a district with bids and bonds, a backup taken
//! while registrations keep arriving, a restore into a fresh database checked against the
//! backup's manifest (chain heads, ledger, schema) with the chains and the ledger verified;
//! a restore never overwrites, a spoilt backup is not restored, and a manifest that does
//! not match is named.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use serde_json::Value;

use crate::bids::tender;
use crate::lifecycle::three_bids;
use crate::{post, BINARY};

/// A credit code with a valid check character, distinct for each n.
fn credit_code(n: usize) -> String {
    let body = format!("93110000{n:09}");
    format!("{body}{}", ggzy_kernel::CreditCode::check_character(&body).unwrap())
}

/// Runs `ggzy` on another database (and data directory) than the server's.
fn ggzy_on(database: &TestDatabase, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GGZY_DATABASE_URL", &database.url)
        .env("GGZY_DATA_DIR", data_dir)
        .env("GGZY_LOG", "warn")
        .output()
        .expect("run ggzy")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn a_backup_taken_under_writes_restores_and_verifies(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    three_bids(server, &t.section);
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("ggzy.backup");
    let file_text = file.to_str().unwrap().to_owned();

    // Registrations keep arriving while the backup is taken.
    let stop = AtomicBool::new(false);
    let registered = AtomicUsize::new(0);
    let centre = server.token("centre_staff", Some("centre"));
    let backup = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let reply = post(
                    server,
                    "/api/v1/participants",
                    Some(&centre),
                    &serde_json::json!({"credit_code": credit_code(n), "name": format!("写入中{n}"),
                                        "kinds": ["bidder"], "legal_representative": "张三"}),
                );
                assert_eq!(reply.status, 201, "{}", reply.text);
                registered.fetch_add(1, Ordering::SeqCst);
                n += 1;
            }
        });
        while registered.load(Ordering::SeqCst) < 3 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let backup = server.cli(&["backup", "--out", &file_text]);
        let during = registered.load(Ordering::SeqCst);
        while registered.load(Ordering::SeqCst) < during + 3 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        stop.store(true, Ordering::SeqCst);
        backup
    });
    assert!(backup.status.success(), "backup: {}{}", text(&backup.stdout), text(&backup.stderr));
    let written: Value = serde_json::from_slice(&backup.stdout).unwrap();
    assert!(written["chains"].as_u64().unwrap() > 5, "{written}");
    let manifest_file = format!("{file_text}.manifest.json");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(&manifest_file).unwrap()).unwrap();
    assert_eq!(manifest["format"], "ggzy-backup-manifest-v1");
    assert!(manifest["ledger"]["accounts"].as_i64().unwrap() > 0, "the bonds' accounts are in it");
    // A backup never overwrites.
    let again = server.cli(&["backup", "--out", &file_text]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stderr));
    // The live database has moved on since: it no longer matches the manifest.
    let live = server.cli(&["verify", "--against", &manifest_file]);
    assert_eq!(live.status.code(), Some(1), "{}{}", text(&live.stdout), text(&live.stderr));

    // Restored into a fresh database: it matches and verifies.
    let fresh = TestDatabase::new(backend).unwrap();
    let data = tempfile::tempdir().unwrap();
    let restored = ggzy_on(&fresh, data.path(), &["restore", &file_text]);
    assert!(restored.status.success(), "restore: {}{}", text(&restored.stdout), text(&restored.stderr));
    let check: Value = serde_json::from_slice(&restored.stdout).unwrap();
    assert_eq!(check["valid"], true, "{check}");
    assert_eq!(check["differences"], serde_json::json!([]));
    assert_eq!(
        (check["audit"]["valid"].clone(), check["ledger"]["valid"].clone()),
        (Value::Bool(true), Value::Bool(true))
    );
    // Once there, it is never overwritten.
    let over = ggzy_on(&fresh, data.path(), &["restore", &file_text]);
    assert_eq!(over.status.code(), Some(2), "{}", text(&over.stderr));
    // A manifest that does not match is named, chain by chain.
    let mut spoilt = manifest.clone();
    let chain = spoilt["chains"].as_object().unwrap().keys().next().unwrap().clone();
    spoilt["chains"][&chain]["head_hash"] = Value::from("0".repeat(64));
    let spoilt_file = folder.path().join("spoilt.manifest.json");
    std::fs::write(&spoilt_file, spoilt.to_string()).unwrap();
    let named = ggzy_on(&fresh, data.path(), &["verify", "--against", spoilt_file.to_str().unwrap()]);
    assert_eq!(named.status.code(), Some(1));
    assert!(text(&named.stderr).contains(&format!("audit chain {chain}")), "{}", text(&named.stderr));
    // A backup file changed after it was written is not restored.
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.push(0);
    let changed = folder.path().join("changed.backup");
    std::fs::write(&changed, bytes).unwrap();
    let other = TestDatabase::new(backend).unwrap();
    let refused = ggzy_on(&other, data.path(), &["restore", changed.to_str().unwrap(), "--manifest", &manifest_file]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("does not match its manifest"), "{}", text(&refused.stderr));
}

both_backends!(a_backup_taken_under_writes_restores_and_verifies);
