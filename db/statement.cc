#include "db/statement.h"

#include <sqlite3.h>

namespace checkin::db {

Status SqliteStatus(sqlite3* db, int rc, std::string_view what) {
  const std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
      return Status::Ok();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(msg +
                                 " (another station or process holds the database; try again)");
    case SQLITE_CONSTRAINT:
      return Status::InvalidInput(msg);
    case SQLITE_NOTADB:
      return Status::InvalidInput(msg + " (is this a checkin event file?)");
    case SQLITE_CORRUPT:
      return Status::Internal(msg + " (the file is damaged or was cut short)");
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Status::DeviceError(msg);
    default:
      return Status::Internal(msg);
  }
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    error_ = SqliteStatus(db, rc, "database");
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

// Keeps the first failure for Step(): binds chain, so they cannot return it.
void Statement::Note(int rc) {
  if (rc != SQLITE_OK && error_.ok()) error_ = SqliteStatus(db_, rc, "database");
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (stmt_ != nullptr) {
    Note(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                           SQLITE_TRANSIENT));
  }
  return *this;
}

Statement& Statement::BindStatic(int index, std::string_view text) {
  if (stmt_ != nullptr) {
    Note(
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC));
  }
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  if (stmt_ != nullptr) Note(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (stmt_ != nullptr) Note(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::Step() {
  if (!error_.ok()) {
    // A bind failure counts once, as a step failure does: callers return on
    // an error without Reset(), and a cached statement must work next time.
    // A prepare failure stays (Reset() keeps it).
    Status st = error_;
    Reset();
    return st;
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status st = SqliteStatus(db_, rc, "database");
  sqlite3_reset(stmt_);
  return st;
}

Status Statement::Run() {
  for (;;) {
    auto r = Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
  }
  Reset();
  return Status::Ok();
}

// sqlite3_clear_bindings dereferences its argument: a statement that failed to
// prepare has nothing to reset and keeps its error.
void Statement::Reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  error_ = Status::Ok();
}

std::string Statement::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Result<int64_t> QueryInt(sqlite3* db, const char* sql) {
  Statement q(db, sql);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  return *r ? q.Int(0) : 0;
}

Status Exec(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db, rc, "database");
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::Begin(TxMode mode) {
  Status st = Exec(db_, mode == TxMode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = st.ok();
  return st;
}

Status Transaction::Commit() {
  Status st = Exec(db_, "COMMIT");
  if (st.ok()) open_ = false;
  return st;
}

}  // namespace checkin::db
