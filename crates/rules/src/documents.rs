//! The documents a trade produces (以数据电文形式, 管理办法 §18) as kinds, with the numbers
//! a rule set keeps for them: the largest file of each kind and how long a project's files
//! are kept (一项一档, 细则 §18).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

ggzy_kernel::closed_enum! {
    /// What a stored document is, by the step of the life cycle that produces it.
    pub enum DocumentKind {
        /// 项目审批、核准或备案文件
        ApprovalDocument = "approval_document",
        /// 进场登记材料
        RegistrationMaterial = "registration_material",
        /// 招标文件、采购文件、出让或转让文件
        TenderDocument = "tender_document",
        /// 澄清或修改文件
        TenderCorrection = "tender_correction",
        /// 投标文件 as the bidder wrote it: stored when its bidder decrypts the bid at the
        /// opening, read by the committee, the tender's side and supervisors after it
        BidFile = "bid_file",
        /// 投标文件 in its sealed form (`ggzy-bid-file-v1`, under its bid's content key): what
        /// a bidder hands in before the deadline; nobody can read it before the opening
        SealedBidFile = "sealed_bid_file",
        /// 评标报告
        EvaluationReport = "evaluation_report",
        /// 合同
        Contract = "contract",
        /// 证明材料 (violations, complaints, credit repair)
        Evidence = "evidence",
        /// 资产评估报告
        Appraisal = "appraisal",
        /// 开标、评标过程的音视频
        Recording = "recording",
    }
}

impl DocumentKind {
    /// Documents that every bidder of an announcement obtains (招标文件 and its
    /// corrections): who downloaded them is secret until the opening (招标投标法 §22).
    pub fn issued_to_bidders(self) -> bool {
        matches!(self, DocumentKind::TenderDocument | DocumentKind::TenderCorrection)
    }
}

/// The numbers of stored documents: the largest file per kind, in MiB, and the years a
/// project's files are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentNumbers {
    /// documents.retention: years a project's files are kept from the end of its trade.
    /// 15: 政府采购法 §42 keeps procurement files "从采购结束之日起至少保存十五年"; the
    /// district's rules keep archives "按照相关法律法规规定的期限" (细则 §18(三)) and the
    /// national texts here set no other period, so the platform keeps every category's
    /// files at least as long. Nothing is deleted by a route in any case.
    #[schema(minimum = 15, maximum = 100, example = 15)]
    pub retention_years: u32,
    /// Largest recording of an opening or evaluation room: 8,192 MiB.
    #[schema(minimum = 1, example = 8192)]
    pub recording_max_mib: u64,
    /// Largest bid file: 1,024 MiB (its sealed form may be larger by the seal's overhead,
    /// 16 bytes per 64 KiB and 40 bytes).
    #[schema(minimum = 1, example = 1024)]
    pub bid_file_max_mib: u64,
    /// Largest file of every other kind: 1,024 MiB.
    #[schema(minimum = 1, example = 1024)]
    pub other_max_mib: u64,
}

impl DocumentNumbers {
    pub fn seed() -> DocumentNumbers {
        DocumentNumbers { retention_years: 15, recording_max_mib: 8_192, bid_file_max_mib: 1_024, other_max_mib: 1_024 }
    }

    /// The largest file of a kind, in bytes.
    pub fn max_bytes(&self, kind: DocumentKind) -> u64 {
        let mib = match kind {
            DocumentKind::Recording => self.recording_max_mib,
            DocumentKind::BidFile | DocumentKind::SealedBidFile => self.bid_file_max_mib,
            _ => self.other_max_mib,
        };
        let bytes = mib.saturating_mul(1024 * 1024);
        if kind == DocumentKind::SealedBidFile {
            // The seal adds a 24-byte header and a 16-byte tag per 64 KiB segment (and one
            // for the last, shorter segment).
            return bytes.saturating_add((bytes / 65_536 + 1) * 16 + 24);
        }
        bytes
    }

    /// Whether the numbers are usable: retention not below the legal fifteen years and
    /// every limit positive.
    pub fn valid(&self) -> bool {
        self.retention_years >= 15
            && self.retention_years <= 100
            && self.recording_max_mib > 0
            && self.bid_file_max_mib > 0
            && self.other_max_mib > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_key() {
        for &kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::Value::String(kind.as_str().into())));
        }
        assert_eq!(DocumentKind::parse("tender_documents"), None);
    }

    #[test]
    fn limits_follow_the_kind() {
        let numbers = DocumentNumbers::seed();
        assert_eq!(numbers.max_bytes(DocumentKind::Recording), 8_192 * 1024 * 1024);
        assert_eq!(numbers.max_bytes(DocumentKind::BidFile), 1_024 * 1024 * 1024);
        // The sealed form of the largest bid file: 16,384 full segments and an empty last one.
        assert_eq!(numbers.max_bytes(DocumentKind::SealedBidFile), 1_024 * 1024 * 1024 + 16_385 * 16 + 24);
        assert_eq!(numbers.max_bytes(DocumentKind::Contract), 1_024 * 1024 * 1024);
        assert!(numbers.valid());
        assert!(!DocumentNumbers { retention_years: 10, ..numbers }.valid());
        assert!(!DocumentNumbers { other_max_mib: 0, ..numbers }.valid());
    }

    #[test]
    fn only_tender_documents_are_issued_to_bidders() {
        let issued: Vec<_> = DocumentKind::ALL.iter().copied().filter(|k| k.issued_to_bidders()).collect();
        assert_eq!(issued, vec![DocumentKind::TenderDocument, DocumentKind::TenderCorrection]);
    }
}
