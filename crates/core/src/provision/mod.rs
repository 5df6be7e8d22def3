//! Provisioning: bulk onboarding of agents from a CSV file (issue 26), as pure steps the
//! Provision page runs in order:
//!
//! 1. [`csv_read`] reads the bytes into records with line numbers (limits, encodings, quoting);
//!    [`template`] reads those into rows of wanted settings ([`template::read_upload`] does both)
//!    and writes the downloadable template.
//! 2. [`resolve`] turns emails and names into ids against a [`directory::Directory`] read from
//!    the list APIs, with an error per bad cell ([`row_error`]) and, on request, teams to create.
//! 3. [`diff`] makes the preview: per user, each setting current → new, and the counts.
//! 4. [`team_create`] creates the missing teams; [`batches`] plans the user writes for
//!    `PATCH /organization/{orgid}/user/bulk`; [`bulk_answer`] reads each answer into outcomes.
//! 5. [`journal`] keeps what each applied write replaced; [`undo`] plans the way back, skipping
//!    users changed since; [`summary`] writes the results as CSV.
//!
//! Nothing here does I/O: the page reads the lists, sends the requests (through the scheduler)
//! and passes the answers in.

pub mod batches;
pub mod bulk_answer;
pub mod csv_read;
pub mod diff;
pub mod directory;
pub mod journal;
pub mod resolve;
pub mod row_error;
pub mod settings;
mod settings_json;
pub mod single_edit;
pub mod summary;
pub mod team_create;
pub mod template;
pub mod undo;
