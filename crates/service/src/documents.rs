//! Documents as the trade knows them: handing in which kind for which project and reading
//! it (who may is the policy's: `may_upload_document`, `may_read_document`), the downloads
//! of tender documents (secret until the opening, 招标投标法 §22), and the check that a
//! hash named in a record was handed in. The bytes themselves are the document store's
//! (ggzy-documents); the gateway streams them between the two.

use ggzy_rules::DocumentKind;
use ggzy_store::documents::{self as repo, DocumentRow};
use ggzy_store::{command_reads, DbConnection};

use crate::policy::{authorize, authorized, may_read_document, may_upload_document, Action, DocumentFacts};
use crate::stored::stored;
use crate::{Principal, ServiceError};

pub use ggzy_trading::upload::UploadRequest;
use ggzy_trading::upload::UploadTarget;
pub use ggzy_views::documents::{Document, DocumentDownload, DownloadGrant, UploadPlan};

/// Whether a stored bid file belongs to a section not opened: before its opening, and for
/// good when the opening failed (too few bids) or the tender ended without one — as the
/// bids themselves, which only an opened section shows (its files were decrypted in the
/// window, before the opening's outcome was known).
pub(crate) fn bid_file_closed(conn: &mut DbConnection, row: &DocumentRow) -> Result<bool, ServiceError> {
    match &row.section_id {
        Some(section_id) => Ok(!crate::bids::opened(conn, section_id)?),
        None => Ok(false),
    }
}

/// Whether the caller may read a stored document of `kind`, of a project with its
/// tenderer, regulator and agencies.
fn may_read(
    conn: &mut DbConnection,
    p: &Principal,
    row: &DocumentRow,
    kind: DocumentKind,
    project: Option<(&str, Option<&str>, &[String])>,
) -> Result<bool, ServiceError> {
    let bid_file_closed = bid_file_closed(conn, row)?;
    let facts = DocumentFacts {
        kind,
        uploaded_by: &row.uploaded_by,
        uploader_org: row.uploader_org.as_deref(),
        project,
        bid_file_closed,
    };
    Ok(may_read_document(p, facts))
}

impl crate::contexts::Tendering<'_> {
    /// A stored document as answered; `retention_years` is its project's (documents.retention).
    pub(crate) fn document_view(row: DocumentRow, retention_years: u32) -> Result<Document, ServiceError> {
        Ok(Document::from_row(row, retention_years)?)
    }

    /// documents.retention of the rule set a project trades under (the newest when none).
    pub(crate) fn retention_years(
        &self,
        conn: &mut DbConnection,
        project_id: Option<&str>,
    ) -> Result<u32, ServiceError> {
        let project = match project_id {
            Some(id) => ggzy_store::projects::find(conn, id)?,
            None => None,
        };
        let rule_set = match project {
            Some(project) => self.stored_rule_set(conn, project.rule_set_version)?,
            None => match ggzy_store::rule_sets::all(conn)?.iter().max_by_key(|r| r.version) {
                Some(row) => crate::rules::row_to_rule_set(row)?,
                None => ggzy_rules::RuleSet::seed(),
            },
        };
        Ok(rule_set.documents.retention_years)
    }

    /// Checks an upload before its bytes are read: the kind, title and declared hash, the
    /// project and whether the caller hands in this kind for it; every problem at once.
    #[tracing::instrument(skip_all)]
    pub fn plan_upload(
        &self,
        principal: Option<&Principal>,
        request: UploadRequest,
    ) -> Result<UploadPlan, ServiceError> {
        let p = authorized(principal, Action::HandInDocuments)?;
        let upload = ggzy_trading::upload::read_upload(request).map_err(ServiceError::Invalid)?;
        let kind = upload.kind;
        if let UploadTarget::SealedBidSection(_) = &upload.target {
            may_upload_document(p, kind, None, &[], false)?;
        }
        self.store().read(|conn| {
            let project = match &upload.target {
                UploadTarget::SealedBidSection(section_id) => Some(self.sealed_file_section(conn, p, section_id)?),
                UploadTarget::Project(project_id) => {
                    let (project, agencies) = match project_id {
                        Some(id) => command_reads::project_with_agencies(conn, id)?
                            .map(|(project, agencies)| (Some(project), agencies))
                            .ok_or(ServiceError::NotFound { what: "project" })?,
                        None => (None, Vec::new()),
                    };
                    // A project the caller may not read is not found, so existence does not leak.
                    let reads = project.as_ref().is_some_and(|project| {
                        authorize(principal, crate::projects::read_action(project, &agencies, false)).is_ok()
                    });
                    // An expert hands in the report of a committee it sits on, for that project only.
                    let committee_member = match (&project, crate::policy::acting_expert(p)) {
                        (Some(project), Some(expert)) => {
                            let mut member = false;
                            for section in ggzy_store::projects::sections_of(conn, &project.id)? {
                                member = member || crate::evaluation::on_committee(conn, &section.id, expert)?;
                            }
                            member
                        }
                        _ => false,
                    };
                    if project.is_some() && ggzy_trading::upload::project_unseen(kind, reads, committee_member) {
                        return Err(ServiceError::NotFound { what: "project" });
                    }
                    let tenderer = project.as_ref().map(|p| p.tenderer_id.as_str());
                    may_upload_document(p, kind, tenderer, &agencies, committee_member)?;
                    project
                }
            };
            let numbers = match &project {
                Some(project) => self.stored_rule_set(conn, project.rule_set_version)?.documents,
                None => ggzy_rules::DocumentNumbers::seed(),
            };
            let project_id = project.map(|project| project.id);
            let existing = self.same_upload(conn, p, kind, &upload.sha256, project_id.as_deref())?;
            Ok(UploadPlan::of(upload.clone(), project_id, &numbers, existing))
        })
    }

    /// The same file the caller handed in before as the same document (a retried upload).
    fn same_upload(
        &self,
        conn: &mut DbConnection,
        p: &Principal,
        kind: DocumentKind,
        sha256: &str,
        project_id: Option<&str>,
    ) -> Result<Option<Document>, ServiceError> {
        match repo::same_upload(conn, sha256, kind.as_str(), project_id, p.org.as_deref(), &p.actor())? {
            Some(row) => Ok(Some(Self::document_view(row, self.retention_years(conn, project_id)?)?)),
            None => Ok(None),
        }
    }

    /// The project of a section that takes the calling bidder's sealed bid file now (a
    /// section whose bidders seal, before its deadline), or the refusal a bid would get.
    fn sealed_file_section(
        &self,
        conn: &mut DbConnection,
        p: &Principal,
        section_id: &str,
    ) -> Result<ggzy_store::projects::ProjectRow, ServiceError> {
        let bidder_id = p.org.clone().unwrap_or_default();
        let facts = ggzy_store::bids::submission_facts(conn, section_id, &bidder_id)?
            .ok_or(ServiceError::NotFound { what: "section" })?;
        let admission = crate::bids::admission(&facts)?;
        ggzy_trading::bidding::admit_sealed_file(&admission, self.now_naive())
            .map_err(crate::bids::submission_refusal)?;
        Ok(facts.project)
    }

    /// Records a document whose bytes the store now holds under the plan's hash; the
    /// upload is an event of the project's file (一项一档). A retried upload answers the
    /// document it already is (`false`: nothing was created).
    #[tracing::instrument(skip_all)]
    pub fn record_upload(
        &self,
        principal: Option<&Principal>,
        plan: &UploadPlan,
        size_bytes: u64,
    ) -> Result<(Document, bool), ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        let now = self.now_naive();
        let id = self.fresh_id();
        self.store().write(|conn| {
            // A sealed bid file that took long to arrive is still refused after the deadline.
            if let Some(section_id) = &plan.section_id {
                self.sealed_file_section(conn, p, section_id)?;
            }
            if let Some(existing) = self.same_upload(conn, p, plan.kind, &plan.sha256, plan.project_id.as_deref())? {
                return Ok((existing, false));
            }
            let retention = self.retention_years(conn, plan.project_id.as_deref())?;
            let row = plan
                .document_row(id.clone(), size_bytes, p, now)
                .map_err(|_| ServiceError::Internal("file size".into()))?;
            repo::insert(conn, &row)?;
            let chain = match (&plan.project_id, &plan.section_id) {
                // While the section's bidders are secret, on its sealed chain like the bid.
                (Some(project), Some(section)) => crate::bids::bidding_chain(conn, project, section)?,
                (Some(project), None) => format!("project:{project}"),
                (None, _) => format!("document:{id}"),
            };
            crate::record_entry(conn, p, now, plan.audit_entry(chain, &id, size_bytes))?;
            Ok((Self::document_view(row, retention)?, true))
        })
    }

    fn readable_document(
        conn: &mut DbConnection,
        p: &Principal,
        id: &str,
    ) -> Result<(DocumentRow, DocumentKind), ServiceError> {
        let row = repo::find(conn, id)?.ok_or(ServiceError::NotFound { what: "document" })?;
        let kind = stored::<DocumentKind>("documents.kind", &row.kind)?;
        let project = match &row.project_id {
            Some(project_id) => command_reads::project_with_agencies(conn, project_id)?,
            None => None,
        };
        let of_project =
            project.as_ref().map(|(p, agencies)| (p.tenderer_id.as_str(), p.regulator_id.as_deref(), &agencies[..]));
        if may_read(conn, p, &row, kind, of_project)? {
            Ok((row, kind))
        } else {
            // Not the caller's to read: not found, so that existence does not leak.
            Err(ServiceError::NotFound { what: "document" })
        }
    }

    /// A stored document's description, for whoever may read it.
    #[tracing::instrument(skip_all, fields(document_id = %id))]
    pub fn document(&self, principal: Option<&Principal>, id: &str) -> Result<Document, ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let (row, _) = Self::readable_document(conn, p, id)?;
            let retention = self.retention_years(conn, row.project_id.as_deref())?;
            Self::document_view(row, retention)
        })
    }

    /// The download of a stored document by its id, for whoever may read it.
    #[tracing::instrument(skip_all, fields(document_id = %id))]
    pub fn document_download(&self, principal: Option<&Principal>, id: &str) -> Result<DownloadGrant, ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let (row, _) = Self::readable_document(conn, p, id)?;
            Ok(DownloadGrant::from(row))
        })
    }

    /// A project's documents that the caller may read, oldest first.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn project_documents(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
    ) -> Result<Vec<Document>, ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let project = self.visible_project(conn, principal, project_id)?;
            let agencies = Self::agencies_of(conn, project_id)?;
            // One rule set for the whole list.
            let retention = self.stored_rule_set(conn, project.rule_set_version)?.documents.retention_years;
            let mut documents = Vec::new();
            for row in repo::of_project(conn, project_id)? {
                let kind = stored::<DocumentKind>("documents.kind", &row.kind)?;
                let of_project = Some((project.tenderer_id.as_str(), project.regulator_id.as_deref(), &agencies[..]));
                if may_read(conn, p, &row, kind, of_project)? {
                    documents.push(Self::document_view(row, retention)?);
                }
            }
            Ok(documents)
        })
    }

    /// A document an announcement issues (招标文件, corrections): any signed-in person or
    /// organisation may download it once the announcement is published; the download is
    /// recorded (see [`crate::contexts::Tendering::record_issued_download`]) and secret until the opening.
    #[tracing::instrument(skip_all, fields(announcement_id = %announcement_id))]
    pub fn issued_document(
        &self,
        principal: Option<&Principal>,
        announcement_id: &str,
        sha256: &str,
    ) -> Result<DownloadGrant, ServiceError> {
        authorize(principal, Action::DownloadIssuedDocument)?;
        self.store().read(|conn| {
            let announcement = ggzy_store::announcements::find(conn, announcement_id)?
                .ok_or(ServiceError::NotFound { what: "announcement" })?;
            let content = crate::announcements::Announcement::try_from(announcement)?.content;
            let named = content.documents.iter().find(|d| d.sha256.as_deref() == Some(sha256));
            let Some(named) = named else {
                return Err(ServiceError::NotFound { what: "document" });
            };
            let issued_kinds = ggzy_trading::upload::ISSUED_KINDS.map(DocumentKind::as_str);
            let stored = repo::of_project_with_hash(conn, &content.project_id, sha256, &issued_kinds)?
                .ok_or(ServiceError::NotFound { what: "document" })?;
            Ok(DownloadGrant::issued(announcement_id, &content.project_id, named, stored))
        })
    }

    /// Records that the caller obtained an announcement's document (after the file was
    /// verified, before it is served).
    pub fn record_issued_download(
        &self,
        principal: Option<&Principal>,
        grant: &DownloadGrant,
    ) -> Result<(), ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        let now = self.now_naive();
        let Some(download) = grant.download_row(self.fresh_id(), p, now) else {
            return Ok(());
        };
        self.store().write(|conn| Ok(repo::insert_download(conn, &download)?))
    }

    /// Who downloaded an announcement's documents: nobody learns it before every section
    /// of the project is opened (招标投标法 §22), then the project's readers do.
    #[tracing::instrument(skip_all, fields(announcement_id = %announcement_id))]
    pub fn announcement_downloads(
        &self,
        principal: Option<&Principal>,
        announcement_id: &str,
    ) -> Result<Vec<DocumentDownload>, ServiceError> {
        principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let announcement = ggzy_store::announcements::find(conn, announcement_id)?
                .ok_or(ServiceError::NotFound { what: "announcement" })?;
            self.visible_project(conn, principal, &announcement.project_id)?;
            for section in ggzy_store::projects::sections_of(conn, &announcement.project_id)? {
                if crate::bids::sealed_section(conn, &section.id)? {
                    return Err(ServiceError::Conflict {
                        detail: "开标前不得透露已获取招标文件的潜在投标人（招标投标法第二十二条）".into(),
                    });
                }
            }
            repo::downloads_of(conn, announcement_id)?
                .into_iter()
                .map(|row| Ok(DocumentDownload::try_from(row)?))
                .collect()
        })
    }
}

/// Refuses a hash no upload has, naming it (`field`, `document_not_stored`).
pub(crate) fn must_be_stored(conn: &mut DbConnection, field: &str, hash: &str) -> Result<(), ServiceError> {
    if repo::unknown_hashes(conn, &[hash.to_owned()])?.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(vec![ggzy_views::documents::contract_not_stored(field)]))
    }
}
