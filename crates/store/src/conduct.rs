//! Questions and answers, venues and bookings, suspensions, and notifications.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::schema::{notice_reminders, notifications, questions, suspensions, venue_bookings, venues};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = questions)]
pub struct QuestionRow {
    pub id: String,
    pub project_id: String,
    pub asked_by: String,
    pub question: String,
    pub asked_at: NaiveDateTime,
    pub answer: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
    pub answered_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = venues)]
pub struct VenueRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = venue_bookings)]
pub struct BookingRow {
    pub id: String,
    pub venue_id: String,
    pub project_id: String,
    pub purpose: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub booked_by: String,
    pub cancelled_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = suspensions)]
pub struct SuspensionRow {
    pub id: String,
    pub project_id: String,
    pub previous_status: String,
    pub reason: String,
    pub ordered_by: String,
    pub by_regulator: i32,
    pub suspended_at: NaiveDateTime,
    pub resumed_at: Option<NaiveDateTime>,
    pub resumed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: String,
    pub recipient: String,
    pub project_id: Option<String>,
    pub kind: String,
    pub payload: String,
    pub created_at: NaiveDateTime,
    /// When its inbox marked it read; none while unread.
    pub read_at: Option<NaiveDateTime>,
}

pub fn insert_question(conn: &mut DbConnection, row: &QuestionRow) -> Result<(), StoreError> {
    diesel::insert_into(questions::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_question(conn: &mut DbConnection, id: &str) -> Result<Option<QuestionRow>, StoreError> {
    questions::table.find(id).select(QuestionRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// A question with the project it is about; `None` when either is missing.
pub fn question_and_project(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<(QuestionRow, crate::projects::ProjectRow)>, StoreError> {
    use crate::schema::projects;
    questions::table
        .inner_join(projects::table.on(projects::id.eq(questions::project_id)))
        .filter(questions::id.eq(id))
        .select((QuestionRow::as_select(), crate::projects::ProjectRow::as_select()))
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn questions_of(conn: &mut DbConnection, project_id: &str) -> Result<Vec<QuestionRow>, StoreError> {
    questions::table
        .filter(questions::project_id.eq(project_id))
        .select(QuestionRow::as_select())
        .order(questions::asked_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn answer_question(
    conn: &mut DbConnection,
    id: &str,
    answer: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(questions::table.find(id).filter(questions::answer.is_null()))
        .set((
            questions::answer.eq(Some(answer)),
            questions::answered_by.eq(Some(by)),
            questions::answered_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn insert_venue(conn: &mut DbConnection, row: &VenueRow) -> Result<(), StoreError> {
    diesel::insert_into(venues::table).values(row).execute(conn)?;
    Ok(())
}

pub fn all_venues(conn: &mut DbConnection) -> Result<Vec<VenueRow>, StoreError> {
    venues::table.select(VenueRow::as_select()).order(venues::name.asc()).load(conn).map_err(StoreError::from)
}

/// Finds a venue and, on PostgreSQL, locks it so that two bookings of it are checked for
/// overlap one after the other.
pub fn lock_venue(conn: &mut DbConnection, id: &str) -> Result<Option<VenueRow>, StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT id FROM venues WHERE id = $1 FOR UPDATE").bind::<Text, _>(id).execute(pg)?;
    }
    venues::table.find(id).select(VenueRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// Bookings of a venue in force that overlap [starts_at, ends_at).
pub fn overlapping(
    conn: &mut DbConnection,
    venue_id: &str,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
) -> Result<Vec<BookingRow>, StoreError> {
    venue_bookings::table
        .filter(venue_bookings::venue_id.eq(venue_id))
        .filter(venue_bookings::cancelled_at.is_null())
        .filter(venue_bookings::starts_at.lt(ends_at))
        .filter(venue_bookings::ends_at.gt(starts_at))
        .select(BookingRow::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn insert_booking(conn: &mut DbConnection, row: &BookingRow) -> Result<(), StoreError> {
    diesel::insert_into(venue_bookings::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_booking(conn: &mut DbConnection, id: &str) -> Result<Option<BookingRow>, StoreError> {
    venue_bookings::table.find(id).select(BookingRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn cancel_booking(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let changed = diesel::update(venue_bookings::table.find(id).filter(venue_bookings::cancelled_at.is_null()))
        .set(venue_bookings::cancelled_at.eq(Some(at)))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn bookings_of(conn: &mut DbConnection, venue_id: &str) -> Result<Vec<BookingRow>, StoreError> {
    venue_bookings::table
        .filter(venue_bookings::venue_id.eq(venue_id))
        .filter(venue_bookings::cancelled_at.is_null())
        .select(BookingRow::as_select())
        .order(venue_bookings::starts_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn insert_suspension(conn: &mut DbConnection, row: &SuspensionRow) -> Result<(), StoreError> {
    diesel::insert_into(suspensions::table).values(row).execute(conn)?;
    Ok(())
}

/// The suspension in force of a project, if any.
pub fn open_suspension(conn: &mut DbConnection, project_id: &str) -> Result<Option<SuspensionRow>, StoreError> {
    suspensions::table
        .filter(suspensions::project_id.eq(project_id))
        .filter(suspensions::resumed_at.is_null())
        .select(SuspensionRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn resume(conn: &mut DbConnection, id: &str, by: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(suspensions::table.find(id))
        .set((suspensions::resumed_at.eq(Some(at)), suspensions::resumed_by.eq(Some(by))))
        .execute(conn)?;
    Ok(())
}

/// Records that the reminder `key` was sent at `at`; false (and nothing written) when it
/// was sent before. Two instances racing on one key: the second insert fails on the key and
/// its transaction (its notices with it) is rolled back.
pub fn reminder_sent_once(conn: &mut DbConnection, key: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let sent = notice_reminders::table
        .find(key)
        .select(notice_reminders::reminder_key)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if sent {
        return Ok(false);
    }
    diesel::insert_into(notice_reminders::table)
        .values((notice_reminders::reminder_key.eq(key), notice_reminders::sent_at.eq(at)))
        .execute(conn)?;
    Ok(true)
}

pub fn insert_notification(conn: &mut DbConnection, row: &NotificationRow) -> Result<(), StoreError> {
    diesel::insert_into(notifications::table).values(row).execute(conn)?;
    Ok(())
}

/// Where a keyset page of an inbox resumes: the creation time and id of the last
/// notification of the previous page, if that notification is the recipient's.
pub fn notification_cursor(
    conn: &mut DbConnection,
    recipient: &str,
    id: &str,
) -> Result<Option<(NaiveDateTime, String)>, StoreError> {
    notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::recipient.eq(recipient))
        .select((notifications::created_at, notifications::id))
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A page of the recipient's notifications, newest first (ties by id, descending), after
/// `after` (the creation time and id of the previous page's last one); only the unread ones
/// when `unread_only`.
pub fn notifications_of(
    conn: &mut DbConnection,
    recipient: &str,
    unread_only: bool,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<NotificationRow>, StoreError> {
    let mut query = notifications::table
        .filter(notifications::recipient.eq(recipient.to_owned()))
        .select(NotificationRow::as_select())
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .into_boxed();
    if unread_only {
        query = query.filter(notifications::read_at.is_null());
    }
    if let Some((at, id)) = after {
        query = query.filter(
            notifications::created_at.lt(at).or(notifications::created_at.eq(at).and(notifications::id.lt(id))),
        );
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Marks one of the recipient's notifications read at `at`, unless it already is (the first
/// reading stands), and returns it; none when the recipient has no such notification.
pub fn mark_notification_read(
    conn: &mut DbConnection,
    recipient: &str,
    id: &str,
    at: NaiveDateTime,
) -> Result<Option<NotificationRow>, StoreError> {
    diesel::update(
        notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::recipient.eq(recipient))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(at)))
    .execute(conn)?;
    notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::recipient.eq(recipient))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// Marks every unread notification of the recipient read at `at`; how many were marked.
pub fn mark_all_notifications_read(
    conn: &mut DbConnection,
    recipient: &str,
    at: NaiveDateTime,
) -> Result<usize, StoreError> {
    diesel::update(
        notifications::table.filter(notifications::recipient.eq(recipient)).filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(at)))
    .execute(conn)
    .map_err(StoreError::from)
}

/// How many of the recipient's notifications are unread.
pub fn unread_notifications(conn: &mut DbConnection, recipient: &str) -> Result<i64, StoreError> {
    notifications::table
        .filter(notifications::recipient.eq(recipient))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
        .map_err(StoreError::from)
}

/// Whether `recipient` has a notification of `kind` created at or after `since`.
pub fn notified_since(
    conn: &mut DbConnection,
    recipient: &str,
    kind: &str,
    since: NaiveDateTime,
) -> Result<bool, StoreError> {
    let found: Option<String> = notifications::table
        .filter(notifications::recipient.eq(recipient))
        .filter(notifications::kind.eq(kind))
        .filter(notifications::created_at.ge(since))
        .select(notifications::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Bookings of every room (cancelled ones left out) starting in `[from, before)`, by start
/// (then id), after the position `(starts_at, id)` of the previous page's last.
pub fn bookings_between(
    conn: &mut DbConnection,
    from: Option<NaiveDateTime>,
    before: Option<NaiveDateTime>,
    venue_id: Option<&str>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<BookingRow>, StoreError> {
    let mut query = venue_bookings::table
        .filter(venue_bookings::cancelled_at.is_null())
        .select(BookingRow::as_select())
        .order((venue_bookings::starts_at.asc(), venue_bookings::id.asc()))
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(venue_bookings::starts_at.ge(from));
    }
    if let Some(before) = before {
        query = query.filter(venue_bookings::starts_at.lt(before));
    }
    if let Some(venue_id) = venue_id {
        query = query.filter(venue_bookings::venue_id.eq(venue_id.to_owned()));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            venue_bookings::starts_at.gt(at).or(venue_bookings::starts_at.eq(at).and(venue_bookings::id.gt(id))),
        );
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// A page of bookings as `bookings_between`, after the booking `after_id` (the previous
/// page's last); None when that booking does not exist.
pub fn bookings_page(
    conn: &mut DbConnection,
    from: Option<NaiveDateTime>,
    before: Option<NaiveDateTime>,
    venue_id: Option<&str>,
    after_id: Option<&str>,
    limit: i64,
) -> Result<Option<Vec<BookingRow>>, StoreError> {
    let after = match after_id {
        Some(id) => match find_booking(conn, id)? {
            Some(booking) => Some((booking.starts_at, booking.id)),
            None => return Ok(None),
        },
        None => None,
    };
    bookings_between(conn, from, before, venue_id, after, limit).map(Some)
}

/// A page of the recipient's notifications as `notifications_of`, after its notification
/// `after_id` (the previous page's last); None when the recipient has no such notification.
pub fn notifications_page(
    conn: &mut DbConnection,
    recipient: &str,
    unread_only: bool,
    after_id: Option<&str>,
    limit: i64,
) -> Result<Option<Vec<NotificationRow>>, StoreError> {
    let after = match after_id {
        Some(id) => match notification_cursor(conn, recipient, id)? {
            Some(cursor) => Some(cursor),
            None => return Ok(None),
        },
        None => None,
    };
    notifications_of(conn, recipient, unread_only, after, limit).map(Some)
}

/// Stores the suspension of its project unless one is in force; whether it was stored.
pub fn suspend_unless_suspended(conn: &mut DbConnection, row: &SuspensionRow) -> Result<bool, StoreError> {
    if open_suspension(conn, &row.project_id)?.is_some() {
        return Ok(false);
    }
    insert_suspension(conn, row)?;
    Ok(true)
}
