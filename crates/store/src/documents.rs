//! Stored documents and the downloads of those issued to bidders. The bytes are the
//! document store's (ggzy-documents); these rows say what each file is to the trade.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{document_downloads, documents};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub kind: String,
    pub title: String,
    pub media_type: String,
    pub project_id: Option<String>,
    pub uploaded_by: String,
    pub uploader_role: String,
    pub uploader_org: Option<String>,
    pub uploaded_at: NaiveDateTime,
    /// The section whose bidding a bid file belongs to (sealed or opened); none otherwise.
    pub section_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = document_downloads)]
pub struct DownloadRow {
    pub id: String,
    pub announcement_id: String,
    pub project_id: String,
    pub sha256: String,
    pub downloaded_by: String,
    pub downloader_role: String,
    pub downloader_org: Option<String>,
    pub downloaded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &DocumentRow) -> Result<(), StoreError> {
    diesel::insert_into(documents::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<DocumentRow>, StoreError> {
    documents::table.find(id).select(DocumentRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// The same file handed in again as the same kind, for the same project, by the same
/// organisation (an upload retried): the document it already is.
pub fn same_upload(
    conn: &mut DbConnection,
    sha256: &str,
    kind: &str,
    project_id: Option<&str>,
    uploader_org: Option<&str>,
    uploaded_by: &str,
) -> Result<Option<DocumentRow>, StoreError> {
    let mut query = documents::table
        .filter(documents::sha256.eq(sha256))
        .filter(documents::kind.eq(kind))
        .select(DocumentRow::as_select())
        .into_boxed();
    query = match project_id {
        Some(project) => query.filter(documents::project_id.eq(project)),
        None => query.filter(documents::project_id.is_null()),
    };
    query = match uploader_org {
        Some(org) => query.filter(documents::uploader_org.eq(org)),
        None => query.filter(documents::uploader_org.is_null()).filter(documents::uploaded_by.eq(uploaded_by)),
    };
    query.order(documents::uploaded_at.asc()).first(conn).optional().map_err(StoreError::from)
}

/// A project's document of one of `kinds` with these bytes, the earliest handed in.
pub fn of_project_with_hash(
    conn: &mut DbConnection,
    project_id: &str,
    sha256: &str,
    kinds: &[&str],
) -> Result<Option<DocumentRow>, StoreError> {
    documents::table
        .filter(documents::project_id.eq(project_id))
        .filter(documents::sha256.eq(sha256))
        .filter(documents::kind.eq_any(kinds))
        .select(DocumentRow::as_select())
        .order((documents::uploaded_at.asc(), documents::id.asc()))
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A bidder's bid file of one kind (sealed or opened) in a section, by its bytes.
pub fn bid_file(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: &str,
    kind: &str,
    sha256: &str,
) -> Result<Option<DocumentRow>, StoreError> {
    documents::table
        .filter(documents::section_id.eq(section_id))
        .filter(documents::uploader_org.eq(bidder_id))
        .filter(documents::sha256.eq(sha256))
        .filter(documents::kind.eq(kind))
        .select(DocumentRow::as_select())
        .order((documents::uploaded_at.asc(), documents::id.asc()))
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// Of the given hashes, those a bidder's bid files of one kind in a section have: one read
/// for all the files a bid names.
pub fn bid_files_among(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: &str,
    kind: &str,
    hashes: &[String],
) -> Result<Vec<String>, StoreError> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    documents::table
        .filter(documents::section_id.eq(section_id))
        .filter(documents::uploader_org.eq(bidder_id))
        .filter(documents::kind.eq(kind))
        .filter(documents::sha256.eq_any(hashes))
        .select(documents::sha256)
        .distinct()
        .load(conn)
        .map_err(StoreError::from)
}

/// Of the given hashes, those no document has.
pub fn unknown_hashes(conn: &mut DbConnection, hashes: &[String]) -> Result<Vec<String>, StoreError> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> =
        documents::table.filter(documents::sha256.eq_any(hashes)).select(documents::sha256).distinct().load(conn)?;
    Ok(hashes.iter().filter(|h| !known.contains(h)).cloned().collect())
}

/// A project's documents, oldest first.
pub fn of_project(conn: &mut DbConnection, project_id: &str) -> Result<Vec<DocumentRow>, StoreError> {
    documents::table
        .filter(documents::project_id.eq(project_id))
        .select(DocumentRow::as_select())
        .order((documents::uploaded_at.asc(), documents::id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

pub fn insert_download(conn: &mut DbConnection, row: &DownloadRow) -> Result<(), StoreError> {
    diesel::insert_into(document_downloads::table).values(row).execute(conn)?;
    Ok(())
}

/// Downloads of an announcement's documents, oldest first.
pub fn downloads_of(conn: &mut DbConnection, announcement_id: &str) -> Result<Vec<DownloadRow>, StoreError> {
    document_downloads::table
        .filter(document_downloads::announcement_id.eq(announcement_id))
        .select(DownloadRow::as_select())
        .order((document_downloads::downloaded_at.asc(), document_downloads::id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

/// Files a bidder's bid files of one kind in a section (`rows`, each of that section, bidder
/// and kind): each file once by its bytes, those the bidder handed in before or that come
/// earlier in `rows` left out; one read for all of them.
pub fn file_bid_files(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: &str,
    kind: &str,
    rows: Vec<DocumentRow>,
) -> Result<(), StoreError> {
    let hashes: Vec<String> = rows.iter().map(|row| row.sha256.clone()).collect();
    let mut filed: std::collections::HashSet<String> =
        bid_files_among(conn, section_id, bidder_id, kind, &hashes)?.into_iter().collect();
    for row in rows {
        if filed.insert(row.sha256.clone()) {
            insert(conn, &row)?;
        }
    }
    Ok(())
}
