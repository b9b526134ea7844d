//! A bid its bidder sealed: the keys a bidder registers to seal with, and, decrypted at the
//! opening, the content key it reveals, what the decrypted content may hold, which of the bid's sealed files it carries (every sealed
//! file opened, and the content's documents exactly the files they opened to), and the
//! centre's record of a decryption that failed through the platform's fault. The caller
//! opens the envelope and the files; these answer what is made of them.

use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::announcement::TenderDocument;

/// The public keys a bidder registers (`ggzy bid keygen` prints them).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterSealingKey {
    #[schema(required = true, value_type = String, example = "sm2-sm3-sm4gcm+sm2")]
    pub suite: Option<String>,
    /// X25519 (32 bytes) or SM2 (65-byte SEC1 point), base64.
    #[schema(required = true, value_type = String)]
    pub encryption_key: Option<String>,
    /// Ed25519 (32 bytes) or SM2 (65-byte SEC1 point), base64.
    #[schema(required = true, value_type = String)]
    pub verifying_key: Option<String>,
}

/// A sealing key's registration, read; the keys themselves are checked by their suite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealingKeyValues<S> {
    pub suite: S,
    pub encryption_key: String,
    pub verifying_key: String,
}

/// Reads a sealing key's registration, the suite named by `parse_suite` (the sealing
/// crate's names), every problem at once: the suite, then each key.
pub fn read_sealing_key<S>(
    request: RegisterSealingKey,
    parse_suite: impl Fn(&str) -> Option<S>,
) -> Result<SealingKeyValues<S>, Vec<FieldError>> {
    let mut problems = Vec::new();
    let suite = read::required(&mut problems, "suite", request.suite).and_then(|s| {
        let parsed = parse_suite(&s);
        if parsed.is_none() {
            problems.push(FieldError::new(
                "suite",
                "unknown_suite",
                "须为 hpke-x25519-sha256-aes256gcm+ed25519 或 sm2-sm3-sm4gcm+sm2",
            ));
        }
        parsed
    });
    let encryption_key = read::required(&mut problems, "encryption_key", request.encryption_key);
    let verifying_key = read::required(&mut problems, "verifying_key", request.verifying_key);
    match (suite, encryption_key, verifying_key) {
        (Some(suite), Some(encryption_key), Some(verifying_key)) if problems.is_empty() => {
            Ok(SealingKeyValues { suite, encryption_key, verifying_key })
        }
        _ => Err(problems),
    }
}

/// Why the centre cannot record a decryption failure for a bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureRefusal {
    /// No window was opened for its section, or its bidder did not seal it: there is no
    /// decryption to fail (told as a bid not found).
    NoDecryption,
    /// The opening record is made: the outcomes are final.
    Opened,
}

impl FailureRefusal {
    /// The opening record is the section's state; where there is no decryption to fail the
    /// bid is told as not found (`None`), so that asking tells nothing of a sealed bid.
    pub fn answer(self) -> Option<Answer> {
        match self {
            FailureRefusal::NoDecryption => None,
            FailureRefusal::Opened => Some(Answer::Conflict("该标段已形成开标记录".into())),
        }
    }
}

/// Whether the centre may record that a bid failed to decrypt through the platform's
/// fault: the section's window opened, the bid an envelope, no opening record yet. Whether
/// the envelope already has an outcome is settled by the write.
pub fn may_record_failure(window_opened: bool, envelope: bool, opened: bool) -> Result<(), FailureRefusal> {
    if !window_opened || !envelope {
        return Err(FailureRefusal::NoDecryption);
    }
    if opened {
        return Err(FailureRefusal::Opened);
    }
    Ok(())
}

/// The content key a bidder reveals at the opening (`ggzy bid open-key` prints it).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecryptBid {
    /// Base64.
    #[schema(required = true, value_type = String)]
    pub content_key: Option<String>,
}

/// Reads the revealed content key's text (required; its decoding is the envelope's).
pub fn read_content_key(request: &DecryptBid) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    match read::required(&mut problems, "content_key", request.content_key.clone()) {
        Some(key) => Ok(key),
        None => Err(problems),
    }
}

/// The centre records that a bid could not be decrypted through the platform's fault.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecryptionFailure {
    #[schema(required = true, value_type = String, example = "解密服务中断 10:05–10:40")]
    pub reason: Option<String>,
}

/// Reads the reason of a decryption failure: required, trimmed text of at most 500
/// characters.
pub fn read_decryption_failure(request: DecryptionFailure) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    match read::required_text(&mut problems, "reason", request.reason, 500) {
        Some(reason) if problems.is_empty() => Ok(reason),
        _ => Err(problems),
    }
}

/// Decrypted content is a bid in clear, never again an envelope or a price commitment.
pub fn plain_bid_only(has_envelope: bool, has_commitment: bool) -> Result<(), FieldError> {
    if has_envelope || has_commitment {
        return Err(FieldError::new("content_key", "content_not_a_bid", "解密内容不得含 envelope 或 commitment_hash"));
    }
    Ok(())
}

/// Before any file is opened: a bid that carries sealed files (`files` of them) names as
/// many documents (`documents`, none counting as zero).
pub fn documents_match_files(files: usize, documents: Option<usize>) -> Result<(), FieldError> {
    if files != 0 && documents.unwrap_or(0) != files {
        return Err(FieldError::new(
            "content_key",
            "documents_do_not_match_files",
            format!("解密内容列出的文件数与投标携带的 {files} 个加密文件不符"),
        ));
    }
    Ok(())
}

/// A sealed bid file the gateway opened with its bid's revealed key and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedFile {
    pub sealed_sha256: String,
    /// SHA-256 of the file as its bidder wrote it: the store's address of the opened file.
    pub sha256: String,
    pub size: u64,
}

/// The files a decrypted bid carries, each with the title its content gives it: every
/// sealed file of the envelope (`sealed`, by SHA-256) opened, and the content's documents
/// exactly the files they opened to, every problem named — the sealed files not opened,
/// then the documents not carried, then the opened files no document names.
pub fn carried_files(
    sealed: &[String],
    documents: Option<&[TenderDocument]>,
    opened: &[OpenedFile],
) -> Result<Vec<(String, OpenedFile)>, Vec<FieldError>> {
    if sealed.is_empty() {
        return Ok(Vec::new());
    }
    let mut problems = Vec::new();
    for (index, file) in sealed.iter().enumerate() {
        if !opened.iter().any(|o| &o.sealed_sha256 == file) {
            problems.push(FieldError::new(
                format!("envelope.files[{index}]"),
                "sealed_file_not_opened",
                "此加密文件未以所提供的密钥打开",
            ));
        }
    }
    let documents = documents.unwrap_or_default();
    let mut carried = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        match opened.iter().find(|o| document.sha256.as_deref() == Some(o.sha256.as_str())) {
            Some(file) if sealed.contains(&file.sealed_sha256) => {
                carried.push((document.title.clone().unwrap_or_default(), file.clone()));
            }
            _ => problems.push(FieldError::new(
                format!("documents[{index}].sha256"),
                "document_not_carried",
                "解密内容列出的此文件不是投标所携带的加密文件之一",
            )),
        }
    }
    for (index, file) in sealed.iter().enumerate() {
        let Some(opened_file) = opened.iter().find(|o| &o.sealed_sha256 == file) else { continue };
        if !documents.iter().any(|d| d.sha256.as_deref() == Some(opened_file.sha256.as_str())) {
            problems.push(FieldError::new(
                format!("envelope.files[{index}]"),
                "file_not_in_documents",
                "此加密文件打开后不是解密内容列出的文件",
            ));
        }
    }
    if problems.is_empty() {
        Ok(carried)
    } else {
        Err(problems)
    }
}

/// The refusal of an envelope from a bidder that registered no key to seal with
/// (tendering.bidder_sealing).
pub fn no_sealing_key() -> Answer {
    Answer::Rule {
        rule: ggzy_rules::rule_ids::BIDDER_SEALING,
        detail: "投标人尚未登记加密密钥，不能递交加密投标文件".into(),
        problems: vec![FieldError::new("envelope", "no_sealing_key", "先登记加密密钥（ggzy bid keygen）")],
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_envelope_needs_a_registered_key_under_the_bidder_sealing_rule() {
        let Answer::Rule { rule, detail, problems } = no_sealing_key() else { panic!("not a rule refusal") };
        assert_eq!(rule, ggzy_rules::rule_ids::BIDDER_SEALING);
        assert!(detail.contains("加密密钥"), "{detail}");
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("envelope", "no_sealing_key"));
    }
    use super::*;

    fn files(names: &[&str]) -> Vec<String> {
        names.iter().map(|f| (*f).to_owned()).collect()
    }

    fn documents(named: &[(&str, &str)]) -> Vec<TenderDocument> {
        named
            .iter()
            .map(|(title, sha256)| TenderDocument {
                title: Some((*title).to_owned()),
                sha256: Some((*sha256).to_owned()),
            })
            .collect()
    }

    fn opened(sealed: &str, plain: &str) -> OpenedFile {
        OpenedFile { sealed_sha256: sealed.into(), sha256: plain.into(), size: 1 }
    }

    fn codes(errors: &[FieldError]) -> Vec<(String, String)> {
        errors.iter().map(|e| (e.field.clone(), e.code.clone())).collect()
    }

    #[test]
    fn the_documents_of_a_bid_with_files_are_exactly_the_files_it_carries() {
        let sealed = files(&["s-a", "s-b"]);
        let both = [opened("s-a", "p-a"), opened("s-b", "p-b")];
        let named = documents(&[("技术标", "p-a"), ("商务标", "p-b")]);
        let carried = carried_files(&sealed, Some(&named), &both).unwrap();
        let titles: Vec<(&str, &str)> = carried.iter().map(|(t, f)| (t.as_str(), f.sha256.as_str())).collect();
        assert_eq!(titles, vec![("技术标", "p-a"), ("商务标", "p-b")]);
        // A bid without files names its documents by hash, as before.
        assert!(carried_files(&[], Some(&documents(&[("x", "p-z")])), &[]).unwrap().is_empty());
        assert!(carried_files(&[], None, &both).unwrap().is_empty());
    }

    #[test]
    fn every_mismatch_between_files_and_documents_is_named_at_once() {
        let sealed = files(&["s-a", "s-b"]);
        // s-b not opened; the content names p-z, which no file opened to; s-a opened to p-a,
        // which the content does not name.
        let refused = carried_files(&sealed, Some(&documents(&[("x", "p-z")])), &[opened("s-a", "p-a")]).unwrap_err();
        assert_eq!(
            codes(&refused),
            vec![
                ("envelope.files[1]".to_owned(), "sealed_file_not_opened".to_owned()),
                ("documents[0].sha256".to_owned(), "document_not_carried".to_owned()),
                ("envelope.files[0]".to_owned(), "file_not_in_documents".to_owned()),
            ]
        );
        // A file opened from a sealed file the envelope does not list does not count.
        let refused = carried_files(
            &files(&["s-a"]),
            Some(&documents(&[("x", "p-a"), ("y", "p-c")])),
            &[opened("s-a", "p-a"), opened("s-c", "p-c")],
        )
        .unwrap_err();
        assert_eq!(codes(&refused), vec![("documents[1].sha256".to_owned(), "document_not_carried".to_owned())]);
    }

    #[test]
    fn a_bid_with_files_and_no_documents_names_every_file() {
        let refused = carried_files(&files(&["s-a"]), None, &[opened("s-a", "p-a")]).unwrap_err();
        assert_eq!(codes(&refused), vec![("envelope.files[0]".to_owned(), "file_not_in_documents".to_owned())]);
    }

    #[test]
    fn the_documents_number_the_files_before_any_is_opened() {
        assert_eq!(documents_match_files(0, None), Ok(()));
        assert_eq!(documents_match_files(0, Some(3)), Ok(()));
        assert_eq!(documents_match_files(2, Some(2)), Ok(()));
        let fewer = documents_match_files(2, Some(1)).unwrap_err();
        assert_eq!((fewer.field.as_str(), fewer.code.as_str()), ("content_key", "documents_do_not_match_files"));
        assert!(fewer.message.contains("2 个"));
        assert!(documents_match_files(1, None).is_err());
        assert!(documents_match_files(1, Some(2)).is_err());
    }

    #[test]
    fn decrypted_content_is_a_plain_bid() {
        assert_eq!(plain_bid_only(false, false), Ok(()));
        for (envelope, commitment) in [(true, false), (false, true), (true, true)] {
            let refused = plain_bid_only(envelope, commitment).unwrap_err();
            assert_eq!((refused.field.as_str(), refused.code.as_str()), ("content_key", "content_not_a_bid"));
        }
    }

    #[test]
    fn a_revealed_key_and_a_failures_reason_are_required() {
        assert_eq!(read_content_key(&DecryptBid { content_key: Some(" k ".into()) }), Ok(" k ".to_owned()));
        let missing = read_content_key(&DecryptBid::default()).unwrap_err();
        assert_eq!(codes(&missing), vec![("content_key".to_owned(), "required".to_owned())]);
        assert_eq!(read_decryption_failure(DecryptionFailure { reason: Some(" 断电 ".into()) }), Ok("断电".to_owned()));
        for (reason, code) in [(None, "required"), (Some(" ".to_owned()), "blank"), (Some("x".repeat(501)), "too_long")]
        {
            let refused = read_decryption_failure(DecryptionFailure { reason }).unwrap_err();
            assert_eq!(codes(&refused), vec![("reason".to_owned(), code.to_owned())]);
        }
        assert_eq!(read_decryption_failure(DecryptionFailure { reason: Some("x".repeat(500)) }), Ok("x".repeat(500)));
    }

    fn key(suite: Option<&str>, encryption: Option<&str>, verifying: Option<&str>) -> RegisterSealingKey {
        RegisterSealingKey {
            suite: suite.map(str::to_owned),
            encryption_key: encryption.map(str::to_owned),
            verifying_key: verifying.map(str::to_owned),
        }
    }

    fn suite(name: &str) -> Option<u8> {
        (name == "sm2-sm3-sm4gcm+sm2").then_some(2)
    }

    #[test]
    fn a_sealing_key_is_read_with_its_suite() {
        assert_eq!(
            read_sealing_key(key(Some("sm2-sm3-sm4gcm+sm2"), Some("e"), Some("v")), suite),
            Ok(SealingKeyValues { suite: 2, encryption_key: "e".into(), verifying_key: "v".into() })
        );
    }

    #[test]
    fn every_problem_of_a_sealing_key_is_named_suite_first() {
        let unknown = read_sealing_key(key(Some("rsa"), None, None), suite).unwrap_err();
        assert_eq!(
            codes(&unknown),
            vec![
                ("suite".to_owned(), "unknown_suite".to_owned()),
                ("encryption_key".to_owned(), "required".to_owned()),
                ("verifying_key".to_owned(), "required".to_owned()),
            ]
        );
        let nothing = read_sealing_key(RegisterSealingKey::default(), suite).unwrap_err();
        assert_eq!(codes(&nothing)[0], ("suite".to_owned(), "required".to_owned()));
        assert_eq!(nothing.len(), 3);
        let only_verifying = read_sealing_key(key(Some("sm2-sm3-sm4gcm+sm2"), Some("e"), None), suite).unwrap_err();
        assert_eq!(codes(&only_verifying), vec![("verifying_key".to_owned(), "required".to_owned())]);
    }

    #[test]
    fn a_failure_is_recorded_for_an_envelope_in_an_opened_window_before_the_record() {
        assert_eq!(may_record_failure(true, true, false), Ok(()));
        assert_eq!(may_record_failure(false, true, false), Err(FailureRefusal::NoDecryption));
        assert_eq!(may_record_failure(true, false, false), Err(FailureRefusal::NoDecryption));
        assert_eq!(may_record_failure(true, true, true), Err(FailureRefusal::Opened));
        // No decryption is told before the opening record.
        assert_eq!(may_record_failure(false, false, true), Err(FailureRefusal::NoDecryption));
        assert_eq!(may_record_failure(true, false, true), Err(FailureRefusal::NoDecryption));
        assert_eq!(FailureRefusal::NoDecryption.answer(), None);
        assert_eq!(FailureRefusal::Opened.answer(), Some(Answer::Conflict("该标段已形成开标记录".into())));
    }
}
