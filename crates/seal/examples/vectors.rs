//! Writes test vectors, one per suite, to standard output:
//! `cargo run -p ggzy-seal --example vectors > crates/seal/tests/vectors.json`.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let content = r#"{"contact_person_id":null,"device_fingerprint":"device-1","document_author":null,"documents":[{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","title":"投标文件"}],"price":"8765432.19","project_manager_id":"01a00000-0000-7000-8000-000000000001"}"#;
    let mut vectors = Vec::new();
    for suite in ggzy_seal::Suite::ALL {
        let keys = ggzy_seal::SecretKeys::generate(suite)?;
        let (envelope, content_key) = ggzy_seal::seal(
            &keys,
            "01a00000-0000-7000-8000-0000000000a1",
            "01a00000-0000-7000-8000-0000000000b1",
            content.as_bytes(),
        )?;
        vectors.push(serde_json::json!({
            "keys": keys,
            "public": keys.public()?,
            "envelope": envelope,
            "content_key": ggzy_seal::encode_key(&content_key),
            "content": content,
        }));
    }
    writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&vectors)?)?;
    Ok(())
}
