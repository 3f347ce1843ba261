#include "db/roster_format.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "common/clock.h"
#include "common/code.h"
#include "common/text.h"
#include "common/timezone.h"

namespace checkin::db {
namespace {

// Which column feeds each of our fields, by the platform's header names
// (folded: lower case, no accents). The first alias present wins.
struct FieldSource {
  std::string field;
  std::vector<std::string> aliases;
};

struct Layout {
  RosterFormat format;
  std::vector<std::string> signature;  // all present => this platform
  std::vector<FieldSource> fields;
};

const std::vector<Layout>& Layouts() {
  static const std::vector<Layout> kLayouts = {
      {RosterFormat::kEventbrite,
       {"attendee #", "barcode #"},
       {{"ticket_code", {"barcode #"}},
        {"ticket_id", {"attendee #"}},
        {"order_id", {"order #"}},
        {"first_name", {"first name"}},
        {"last_name", {"last name"}},
        {"email", {"email"}},
        {"company", {"company"}},
        {"ticket_type", {"ticket type"}},
        {"status", {"attendee status"}}}},
      {RosterFormat::kPretix,
       {"order code", "position id"},
       {{"ticket_code", {"secret", "ticket secret"}},
        {"order_id", {"order code"}},
        {"position_id", {"position id"}},
        {"first_name", {"attendee name: given name"}},
        {"last_name", {"attendee name: family name"}},
        {"full_name", {"attendee name"}},
        {"email", {"attendee email"}},
        {"order_email", {"email", "e-mail"}},
        {"company", {"company"}},
        {"ticket_type", {"product"}},
        {"status", {"status"}},
        {"valid_from", {"valid from"}},
        {"valid_until", {"valid until"}},
        {"addon_to", {"add-on to position id"}}}},
      {RosterFormat::kSympla,
       {"numero do ingresso"},
       {{"ticket_code", {"numero do ingresso"}},
        {"order_id", {"numero do pedido"}},
        {"first_name", {"nome"}},
        {"last_name", {"sobrenome"}},
        {"email", {"e-mail", "email"}},
        {"company", {"empresa"}},
        {"ticket_type", {"tipo de ingresso"}},
        {"status", {"status", "situacao"}}}},
  };
  return kLayouts;
}

struct StatusWord {
  const char* folded;
  TicketStatus status;
};

// Each platform's status words. Anything else is an error rather than a guess:
// admitting a ticket the platform considers void is worse than a failed import.
const std::vector<StatusWord>& StatusWords(RosterFormat f) {
  static const std::vector<StatusWord> kGeneric = {
      {"valid", TicketStatus::kValid},        {"", TicketStatus::kValid},
      {"valido", TicketStatus::kValid},       {"cancelled", TicketStatus::kCancelled},
      {"canceled", TicketStatus::kCancelled}, {"cancelado", TicketStatus::kCancelled},
      {"refunded", TicketStatus::kRefunded},  {"reembolsado", TicketStatus::kRefunded}};
  static const std::vector<StatusWord> kEventbrite = {
      {"attending", TicketStatus::kValid},         {"checked in", TicketStatus::kValid},
      {"not attending", TicketStatus::kCancelled}, {"deleted", TicketStatus::kCancelled},
      {"transferred", TicketStatus::kCancelled},   {"refunded", TicketStatus::kRefunded}};
  static const std::vector<StatusWord> kPretix = {
      // An unpaid (pending) or expired order cannot get in at pretix's own doors.
      {"paid", TicketStatus::kValid},         {"p", TicketStatus::kValid},
      {"pending", TicketStatus::kCancelled},  {"n", TicketStatus::kCancelled},
      {"canceled", TicketStatus::kCancelled}, {"cancelled", TicketStatus::kCancelled},
      {"c", TicketStatus::kCancelled},        {"expired", TicketStatus::kCancelled},
      {"e", TicketStatus::kCancelled},        {"refunded", TicketStatus::kRefunded}};
  static const std::vector<StatusWord> kSympla = {
      {"aprovado", TicketStatus::kValid},      {"aprobado", TicketStatus::kValid},
      {"confirmado", TicketStatus::kValid},    {"approved", TicketStatus::kValid},
      {"pendente", TicketStatus::kCancelled},  {"cancelado", TicketStatus::kCancelled},
      {"cancelled", TicketStatus::kCancelled}, {"reembolsado", TicketStatus::kRefunded},
      {"estornado", TicketStatus::kRefunded},  {"refunded", TicketStatus::kRefunded}};
  switch (f) {
    case RosterFormat::kEventbrite:
      return kEventbrite;
    case RosterFormat::kPretix:
      return kPretix;
    case RosterFormat::kSympla:
      return kSympla;
    default:
      return kGeneric;
  }
}

constexpr size_t kMaxValueBytes = 512;

using ColumnIndex = std::unordered_map<std::string, size_t>;  // our field -> column

// ColumnIndex resolved once per file, so each row costs no hash lookups.
struct FieldColumns {
  int ticket_code = -1, ticket_id = -1, order_id = -1, position_id = -1;
  int first_name = -1, last_name = -1, full_name = -1, email = -1, order_email = -1;
  int company = -1, ticket_type = -1, status = -1, checkin_lists = -1;
  int valid_from = -1, valid_until = -1, addon_to = -1;
  std::vector<std::pair<std::string, size_t>> all;  // for the length check
};

FieldColumns Resolve(const ColumnIndex& idx) {
  FieldColumns c;
  auto col = [&](const char* field) {
    auto it = idx.find(field);
    return it == idx.end() ? -1 : static_cast<int>(it->second);
  };
  c.ticket_code = col("ticket_code");
  c.ticket_id = col("ticket_id");
  c.order_id = col("order_id");
  c.position_id = col("position_id");
  c.first_name = col("first_name");
  c.last_name = col("last_name");
  c.full_name = col("full_name");
  c.email = col("email");
  c.order_email = col("order_email");
  c.company = col("company");
  c.ticket_type = col("ticket_type");
  c.status = col("status");
  c.checkin_lists = col("checkin_lists");
  c.valid_from = col("valid_from");
  c.valid_until = col("valid_until");
  c.addon_to = col("addon_to");
  c.all.assign(idx.begin(), idx.end());
  return c;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string Explain(const std::vector<std::string>& header) {
  // A file without a header row shows its first attendee here: mask what
  // looks like an address.
  std::vector<std::string> shown;
  for (const auto& h : header) {
    shown.push_back(h.find('@') == std::string::npos ? h : MaskEmail(h));
  }
  std::string out = "Columns found: " + Join(shown) + ".\n";
  out +=
      "The generic layout needs ticket_code, first_name, last_name (optional: email, company,"
      " ticket_type, status, order_id, ticket_id, checkin_lists).\n";
  out +=
      "Recognised exports: Eventbrite (Attendee #, Barcode #, First Name, Last Name, Attendee"
      " Status), pretix (Order code, Position ID, Secret, Attendee name, Status), Sympla"
      " (Número do ingresso, Nome, Sobrenome, Status).\n";
  out += "Name the columns with --map COLUMN=FIELD, e.g. --map \"Código=ticket_code\".";
  return out;
}

std::optional<RosterFormat> Detect(const std::vector<std::string>& folded_header) {
  auto has = [&](const std::string& h) {
    return std::find(folded_header.begin(), folded_header.end(), h) != folded_header.end();
  };
  for (const Layout& l : Layouts()) {
    if (std::all_of(l.signature.begin(), l.signature.end(), has)) return l.format;
  }
  return std::nullopt;
}

// True when a trimmed value needs NormalizeSpaces (inner tabs, newlines, runs).
bool HasMessySpaces(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\t' || c == '\r' || c == '\n' || (c == ' ' && i + 1 < s.size() && s[i + 1] == ' ')) {
      return true;
    }
  }
  return false;
}

// `shared[col]` marks columns that feed more than one field: those are copied,
// the others moved out of the row. nullopt for a row that is no ticket.
Result<std::optional<RosterRecord>> MapRow(CsvRow& row, RosterFormat format,
                                           const FieldColumns& cols,
                                           const std::vector<bool>& shared) {
  auto get = [&](int col) -> std::string {
    if (col < 0) return std::string();
    std::string& value = row.fields[static_cast<size_t>(col)];
    if (shared[static_cast<size_t>(col)] || HasMessySpaces(value)) return NormalizeSpaces(value);
    return std::move(value);
  };
  auto where = [&row] { return "line " + std::to_string(row.line) + ": "; };
  for (const auto& [field, col] : cols.all) {
    if (row.fields[col].size() > kMaxValueBytes) {
      return Status::InvalidInput(where() + field + " is longer than " +
                                  std::to_string(kMaxValueBytes) + " bytes");
    }
  }
  // pretix checks an add-on in with its parent ticket, as the API sync does.
  if (cols.addon_to >= 0 && !row.fields[static_cast<size_t>(cols.addon_to)].empty()) {
    return std::optional<RosterRecord>();
  }
  RosterRecord r;
  r.line = row.line;
  std::string code_text = get(cols.ticket_code);
  if (format == RosterFormat::kSympla && cols.ticket_id < 0) {
    // Sympla's export writes the ticket number with dashes (QHWA-1Q-3G0J);
    // the ticket's QR holds it without them, as the API's
    // ticket_num_qr_code does. The number stays the ticket id.
    r.ticket_id = code_text;
    code_text.erase(std::remove(code_text.begin(), code_text.end(), '-'), code_text.end());
  }
  auto code = NormalizeCode(code_text);
  if (!code.ok()) {
    const std::string why = code.status().message() == "empty"
                                ? "is empty"
                                : "is not a usable code (" + code.status().message() + ")";
    return Status::InvalidInput(where() + "ticket_code " + why);
  }
  r.ticket_code = *code;
  r.first_name = get(cols.first_name);
  r.last_name = get(cols.last_name);
  if (r.first_name.empty() && r.last_name.empty()) {
    // pretix may only have the combined name; split at the last space.
    const std::string full = get(cols.full_name);
    const auto sp = full.rfind(' ');
    r.first_name = sp == std::string::npos ? full : full.substr(0, sp);
    r.last_name = sp == std::string::npos ? "" : full.substr(sp + 1);
  }
  if (r.first_name.empty() && r.last_name.empty()) {
    return Status::InvalidInput(where() +
                                "the attendee has no name (first_name and last_name are empty)");
  }
  r.email = get(cols.email);
  if (r.email.empty()) r.email = get(cols.order_email);  // pretix: the buyer's address
  r.company = get(cols.company);
  r.ticket_type = get(cols.ticket_type);
  r.order_id = get(cols.order_id);
  r.checkin_lists = get(cols.checkin_lists);
  if (r.ticket_id.empty()) r.ticket_id = get(cols.ticket_id);
  if (format == RosterFormat::kPretix) {
    // Position ids count from 1 inside each order.
    r.ticket_id = r.order_id + "-" + get(cols.position_id);
  }
  if (r.ticket_id.empty()) r.ticket_id = r.ticket_code;
  r.upstream_status = get(cols.status);
  const std::string folded = Fold(r.upstream_status);
  const auto& words = StatusWords(format);
  auto it = std::find_if(words.begin(), words.end(),
                         [&](const StatusWord& w) { return folded == w.folded; });
  if (it == words.end()) {
    std::string known;
    for (const auto& w : words) {
      if (*w.folded) known += (known.empty() ? "" : ", ") + std::string(w.folded);
    }
    // The cell is left out: a misplaced column would put an email or a name here.
    return Status::InvalidInput(where() + "the status column holds a value that is not a " +
                                std::string(RosterFormatName(format)) +
                                " status (expected one of: " + known +
                                "); is the right column mapped to status?");
  }
  r.status = it->status;
  // pretix writes its event's offset; the desk compares UTC, as for the API.
  for (auto [col, field, name] : {std::tuple{cols.valid_from, &r.valid_from, "valid_from"},
                                  std::tuple{cols.valid_until, &r.valid_until, "valid_until"}}) {
    const std::string text = get(col);
    if (text.empty()) continue;
    auto t = ParseIsoDateTime(text);
    if (!t.ok()) {
      return Status::InvalidInput(where() + name + " is not a date and time with an offset (" +
                                  "e.g. 2025-11-28T08:00:00-05:00)");
    }
    *field = FormatUtc(*t);
  }
  return std::optional<RosterRecord>(std::move(r));  // ParseCsv delivers UTF-8 only
}

bool SameRecord(const RosterRecord& a, const RosterRecord& b) {
  return a.ticket_code == b.ticket_code && a.ticket_id == b.ticket_id && a.order_id == b.order_id &&
         a.first_name == b.first_name && a.last_name == b.last_name && a.email == b.email &&
         a.company == b.company && a.ticket_type == b.ticket_type && a.status == b.status &&
         a.upstream_status == b.upstream_status && a.checkin_lists == b.checkin_lists &&
         a.blocked == b.blocked && a.valid_from == b.valid_from && a.valid_until == b.valid_until;
}

}  // namespace

std::string_view RosterFormatName(RosterFormat f) {
  switch (f) {
    case RosterFormat::kAuto:
      return "auto";
    case RosterFormat::kGeneric:
      return "generic";
    case RosterFormat::kEventbrite:
      return "eventbrite";
    case RosterFormat::kPretix:
      return "pretix";
    case RosterFormat::kSympla:
      return "sympla";
  }
  return "generic";
}

Result<RosterFormat> ParseRosterFormat(std::string_view name) {
  for (auto f : {RosterFormat::kAuto, RosterFormat::kGeneric, RosterFormat::kEventbrite,
                 RosterFormat::kPretix, RosterFormat::kSympla}) {
    if (RosterFormatName(f) == name) return f;
  }
  return Status::InvalidInput("unknown format '" + std::string(name) +
                              "' (expected auto, generic, eventbrite, pretix or sympla)");
}

const std::vector<std::string>& GenericFields() {
  static const std::vector<std::string> kFields = {
      "ticket_code", "first_name", "last_name", "email",     "company",
      "ticket_type", "status",     "order_id",  "ticket_id", "checkin_lists"};
  return kFields;
}

Result<ColumnMap> ParseColumnMap(std::string_view spec) {
  const auto eq = spec.rfind('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size()) {
    return Status::InvalidInput("--map takes COLUMN=FIELD, e.g. --map \"Código=ticket_code\"");
  }
  ColumnMap m{std::string(Trim(spec.substr(0, eq))), std::string(Trim(spec.substr(eq + 1)))};
  const auto& fields = GenericFields();
  if (std::find(fields.begin(), fields.end(), m.field) == fields.end()) {
    return Status::InvalidInput("--map: unknown field '" + m.field + "' (fields: " + Join(fields) +
                                ")");
  }
  return m;
}

struct RosterMapper::State {
  RosterFormat format = RosterFormat::kGeneric;
  FieldColumns cols;
  std::vector<bool> shared;  // columns that feed more than one field
  // The maps' keys view into `records`: when it must grow, they are rebuilt.
  std::vector<RosterRecord> records;
  std::unordered_map<std::string_view, size_t> by_ticket_id, by_code;
  int duplicate_rows = 0;
  bool pinned = false;
};

RosterMapper::RosterMapper() : st_(std::make_unique<State>()) {}
RosterMapper::~RosterMapper() = default;

Result<std::unique_ptr<RosterMapper>> RosterMapper::Create(const std::vector<std::string>& header,
                                                           RosterFormat format,
                                                           const std::vector<ColumnMap>& maps) {
  std::vector<std::string> folded;
  for (const auto& h : header) folded.push_back(Fold(NormalizeSpaces(h)));
  auto column_of = [&](const std::string& name) -> std::optional<size_t> {
    auto it = std::find(folded.begin(), folded.end(), name);
    if (it == folded.end()) return std::nullopt;
    return static_cast<size_t>(it - folded.begin());
  };

  if (format == RosterFormat::kAuto) {
    format = Detect(folded).value_or(RosterFormat::kGeneric);
  }
  ColumnIndex idx;
  if (format == RosterFormat::kGeneric) {
    for (const auto& f : GenericFields()) {
      if (auto c = column_of(f)) idx[f] = *c;
    }
  } else {
    for (const Layout& l : Layouts()) {
      if (l.format != format) continue;
      for (const FieldSource& fs : l.fields) {
        for (const auto& alias : fs.aliases) {
          if (auto c = column_of(alias)) {
            idx[fs.field] = *c;
            break;
          }
        }
      }
    }
  }
  for (const ColumnMap& m : maps) {
    auto c = column_of(Fold(NormalizeSpaces(m.column)));
    if (!c) {
      return Status::InvalidInput("--map: the file has no column '" + m.column + "'. " +
                                  Explain(header));
    }
    idx[m.field] = *c;
  }
  std::vector<std::string> missing;
  if (!idx.count("ticket_code")) missing.push_back("ticket_code");
  if (!idx.count("first_name") && !idx.count("last_name") && !idx.count("full_name")) {
    missing.push_back("first_name, last_name");
  }
  if (!missing.empty()) {
    return Status::InvalidInput("cannot read this file as " +
                                std::string(RosterFormatName(format)) + ": no column for " +
                                Join(missing) + ".\n" + Explain(header));
  }

  std::unique_ptr<RosterMapper> mapper(new RosterMapper());
  State& st = *mapper->st_;
  st.format = format;
  st.cols = Resolve(idx);
  st.shared.assign(header.size(), false);
  std::vector<int> uses(header.size(), 0);
  for (const auto& [field, col] : idx) st.shared[col] = ++uses[col] > 1;
  return mapper;
}

RosterFormat RosterMapper::format() const { return st_->format; }

int RosterMapper::duplicate_rows() const { return st_->duplicate_rows; }

void RosterMapper::Pin(size_t rows) {
  Reserve(rows);
  st_->pinned = true;
}

void RosterMapper::Reserve(size_t rows) {
  State& st = *st_;
  if (rows <= st.records.capacity()) return;
  st.records.reserve(rows);
  st.by_ticket_id.clear();
  st.by_code.clear();
  st.by_ticket_id.reserve(rows);
  st.by_code.reserve(rows);
  for (size_t i = 0; i < st.records.size(); ++i) {
    st.by_ticket_id.emplace(st.records[i].ticket_id, i);
    st.by_code.emplace(st.records[i].ticket_code, i);
  }
}

Status RosterMapper::Add(std::vector<CsvRow>&& rows, std::vector<const RosterRecord*>* added) {
  State& st = *st_;
  for (CsvRow& row : rows) {
    auto mapped = MapRow(row, st.format, st.cols, st.shared);
    if (!mapped.ok()) return mapped.status();
    if (!mapped->has_value()) continue;
    auto rec = std::move(*mapped);
    if (auto it = st.by_ticket_id.find(rec->ticket_id); it != st.by_ticket_id.end()) {
      const RosterRecord& first = st.records[it->second];
      if (SameRecord(first, *rec)) {
        ++st.duplicate_rows;  // the same row exported twice
        continue;
      }
      return Status::InvalidInput("line " + std::to_string(rec->line) +
                                  ": the same ticket as line " + std::to_string(first.line) +
                                  " (ticket_id), with different data");
    }
    if (auto it = st.by_code.find(rec->ticket_code); it != st.by_code.end()) {
      return Status::InvalidInput(
          "line " + std::to_string(rec->line) + ": the ticket_code is already used at line " +
          std::to_string(st.records[it->second].line) + " by another ticket");
    }
    if (st.records.size() == st.records.capacity()) {
      if (st.pinned) return Status::Internal("more rows than the file has lines");
      Reserve(2 * st.records.size() + 1024);
    }
    st.records.push_back(std::move(rec).value());
    const RosterRecord& stored = st.records.back();
    if (added != nullptr) added->push_back(&stored);
    st.by_ticket_id.emplace(stored.ticket_id, st.records.size() - 1);
    st.by_code.emplace(stored.ticket_code, st.records.size() - 1);
  }
  return Status::Ok();
}

MappedRoster RosterMapper::Finish() && {
  MappedRoster out;
  out.format = st_->format;
  out.duplicate_rows = st_->duplicate_rows;
  st_->by_ticket_id.clear();
  st_->by_code.clear();
  out.records = std::move(st_->records);
  return out;
}

Result<MappedRoster> MapRoster(CsvTable table, RosterFormat format,
                               const std::vector<ColumnMap>& maps) {
  auto mapper = RosterMapper::Create(table.header, format, maps);
  if (!mapper.ok()) return mapper.status();
  (*mapper)->Reserve(table.rows.size());
  if (Status s = (*mapper)->Add(std::move(table.rows)); !s.ok()) return s;
  return std::move(**mapper).Finish();
}

}  // namespace checkin::db
