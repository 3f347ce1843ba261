// Thin RAII wrappers over SQLite handles for the db module's own .cc files.
// Not thread-safe: one Statement per thread, like the connection it comes from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace checkin::db {

// Maps an SQLite failure to a Status: "what: SQLite's reason". Busy/locked become
// Unavailable; a file that is not a database InvalidInput, a damaged one Internal.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  // Prepare can fail for reasons outside our SQL (a file that is not a
  // database, a corrupted schema, a lock held while the schema is read): the
  // statement is then unusable and every Step() and Run() returns SQLite's reason.
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  // No copy: `text` must stay alive and unchanged until the next Reset().
  Statement& BindStatic(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);

  // Ok(true) when a row is ready, Ok(false) when done. Also reports a failed
  // prepare (every time) or a failed Bind (once, then resets the statement).
  Result<bool> Step();
  // Steps to completion and resets, for statements that return no rows.
  Status Run();
  void Reset();

  std::string Text(int col) const;
  int64_t Int(int col) const;
  bool IsNull(int col) const;

 private:
  void Note(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Status error_;  // a failed prepare (for good) or bind (until Step or Reset)
};

Status Exec(sqlite3* db, const char* sql);
// The first column of the first row of `sql`, 0 when there is no row.
Result<int64_t> QueryInt(sqlite3* db, const char* sql);

enum class TxMode { kDeferred, kImmediate };

// Rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction();
  Status Begin(TxMode mode);
  Status Commit();

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace checkin::db
