#include "db/record_table.h"

#include <sqlite3.h>

#include "db/statement.h"

namespace checkin::db {
namespace {

constexpr const char* kModuleName = "checkin_import_rows";

struct Table {
  sqlite3_vtab base{};
  const RecordTable::Batch* batch = nullptr;
};

struct Cursor {
  sqlite3_vtab_cursor base{};
  size_t row = 0;
};

const RecordTable::Batch& BatchOf(sqlite3_vtab_cursor* c) {
  return *reinterpret_cast<Table*>(c->pVtab)->batch;
}

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**) {
  const int rc = sqlite3_declare_vtab(
      db,
      "CREATE TABLE x(line INTEGER, ticket_id TEXT, order_id TEXT, ticket_code TEXT,"
      " badge_code TEXT, first_name TEXT, last_name TEXT, email TEXT, company TEXT,"
      " ticket_type TEXT, status TEXT, upstream_status TEXT, checkin_lists TEXT, blocked TEXT,"
      " valid_from TEXT, valid_until TEXT)");
  if (rc != SQLITE_OK) return rc;
  auto* t = new Table;
  t->batch = static_cast<const RecordTable::Batch*>(aux);
  *out = &t->base;
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* vtab) {
  delete reinterpret_cast<Table*>(vtab);
  return SQLITE_OK;
}

int BestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  // Only full scans: the rows are read once, in order.
  const auto n = static_cast<double>(reinterpret_cast<Table*>(vtab)->batch->rows->size());
  info->estimatedCost = n + 1;
  info->estimatedRows = static_cast<sqlite3_int64>(n) + 1;
  return SQLITE_OK;
}

int Open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  *out = &(new Cursor)->base;
  return SQLITE_OK;
}

int Close(sqlite3_vtab_cursor* c) {
  delete reinterpret_cast<Cursor*>(c);
  return SQLITE_OK;
}

int Filter(sqlite3_vtab_cursor* c, int, const char*, int, sqlite3_value**) {
  reinterpret_cast<Cursor*>(c)->row = 0;
  return SQLITE_OK;
}

int Next(sqlite3_vtab_cursor* c) {
  ++reinterpret_cast<Cursor*>(c)->row;
  return SQLITE_OK;
}

int Eof(sqlite3_vtab_cursor* c) {
  return reinterpret_cast<Cursor*>(c)->row >= BatchOf(c).rows->size() ? 1 : 0;
}

void Text(sqlite3_context* ctx, std::string_view s) {
  // The batch outlives every statement that reads it: no copy.
  sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}

int Column(sqlite3_vtab_cursor* c, sqlite3_context* ctx, int col) {
  const size_t i = reinterpret_cast<Cursor*>(c)->row;
  const RosterRecord& r = *(*BatchOf(c).rows)[i];
  switch (col) {
    case 0:
      sqlite3_result_int64(ctx, r.line);
      break;
    case 1:
      Text(ctx, r.ticket_id);
      break;
    case 2:
      Text(ctx, r.order_id);
      break;
    case 3:
      Text(ctx, r.ticket_code);
      break;
    case 4:
      Text(ctx, (*BatchOf(c).badge_codes)[i]);
      break;
    case 5:
      Text(ctx, r.first_name);
      break;
    case 6:
      Text(ctx, r.last_name);
      break;
    case 7:
      Text(ctx, r.email);
      break;
    case 8:
      Text(ctx, r.company);
      break;
    case 9:
      Text(ctx, r.ticket_type);
      break;
    case 10:
      Text(ctx, TicketStatusName(r.status));
      break;
    case 11:
      Text(ctx, r.upstream_status);
      break;
    case 12:
      Text(ctx, r.checkin_lists);
      break;
    case 13:
      Text(ctx, r.blocked);
      break;
    case 14:
      Text(ctx, r.valid_from);
      break;
    case 15:
      Text(ctx, r.valid_until);
      break;
    default:
      sqlite3_result_null(ctx);
  }
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* c, sqlite3_int64* out) {
  *out = static_cast<sqlite3_int64>(reinterpret_cast<Cursor*>(c)->row) + 1;
  return SQLITE_OK;
}

sqlite3_module MakeModule() {
  sqlite3_module m{};
  m.iVersion = 1;
  m.xCreate = nullptr;  // eponymous only: usable by name, never CREATE VIRTUAL TABLE
  m.xConnect = Connect;
  m.xBestIndex = BestIndex;
  m.xDisconnect = Disconnect;
  m.xOpen = Open;
  m.xClose = Close;
  m.xFilter = Filter;
  m.xNext = Next;
  m.xEof = Eof;
  m.xColumn = Column;
  m.xRowid = Rowid;
  return m;
}

const sqlite3_module kModule = MakeModule();

}  // namespace

RecordTable::RecordTable(sqlite3* db, const std::vector<const RosterRecord*>& rows,
                         const std::vector<std::string>& badge_codes)
    : db_(db), batch_{&rows, &badge_codes} {
  const int rc = sqlite3_create_module_v2(db, kModuleName, &kModule, &batch_, nullptr);
  if (rc != SQLITE_OK) status_ = SqliteStatus(db, rc, "registering the import table");
}

RecordTable::~RecordTable() {
  // A null module drops the registration (and the table's connection).
  sqlite3_create_module_v2(db_, kModuleName, nullptr, nullptr, nullptr);
}

}  // namespace checkin::db
