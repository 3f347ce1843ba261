// RegistrationSource: where a roster comes from (an export file today, a
// platform's API later). Fetch() returns a complete, validated snapshot or an
// error; it never returns part of a roster.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "db/roster_format.h"

namespace checkin::db {

// What a platform publishes beside its tickets for the door to decide codes
// not in the roster (pretix's signed tickets): stored in the same
// transaction as the tickets, replacing the source's previous ones.
struct PlatformRules {
  std::vector<std::string> signing_keys;  // pretix_sig1 public keys as published
  struct Item {
    int64_t id = 0;
    std::string name;
    bool admission = true;
  };
  std::vector<Item> items;
  std::vector<std::string> revoked_codes;  // refused as cancelled
  std::vector<std::string> blocked_codes;  // refused as not allowed
};

struct RosterSnapshot {
  RosterFormat format = RosterFormat::kGeneric;
  // Which roster these tickets belong to; re-imports match tickets and find
  // missing ones within it. Defaults to the platform's name ("generic" for ours).
  std::string source;
  std::string origin;       // file name or endpoint, for the import history
  std::string encoding;     // as detected, for the summary
  bool full_export = true;  // lists every ticket of the source (enables "missing")
  std::vector<RosterRecord> records;
  int duplicate_rows = 0;
  int total_rows = 0;
  std::optional<PlatformRules> rules;  // set: replaces the source's stored rules
};

// Records handed out while a roster streams in. The pointers stay valid for
// as long as `keep_alive` does.
struct RecordBatch {
  std::shared_ptr<const void> keep_alive;
  std::vector<const RosterRecord*> records;
};

struct StreamCallbacks {
  // Once, before any batch: the format as detected and the roster's source.
  std::function<void(RosterFormat format, const std::string& source)> on_start;
  std::function<void(RecordBatch&& batch)> on_batch;
  // Polled now and then; false stops the stream (which then fails).
  std::function<bool()> keep_going;
};

class RegistrationSource {
 public:
  virtual ~RegistrationSource() = default;
  virtual Result<RosterSnapshot> Fetch() = 0;
  // The same roster in batches, so it can be stored while the rest is still
  // being read. Returns the snapshot without its records. By default, Fetch()
  // delivered as one batch.
  virtual Result<RosterSnapshot> Stream(const StreamCallbacks& cb);
};

// An attendee export saved from Eventbrite, pretix, Sympla or a spreadsheet.
class CsvExportSource final : public RegistrationSource {
 public:
  // `source` names the roster (see RosterSnapshot::source); empty for the default.
  CsvExportSource(std::string path, RosterFormat format, std::vector<ColumnMap> maps,
                  std::string source = "")
      : path_(std::move(path)),
        format_(format),
        maps_(std::move(maps)),
        source_(std::move(source)) {}
  Result<RosterSnapshot> Fetch() override;
  Result<RosterSnapshot> Stream(const StreamCallbacks& cb) override;

 private:
  Result<RosterSnapshot> StreamInto(const StreamCallbacks& cb,
                                    std::shared_ptr<RosterMapper>* mapper);

  std::string path_;
  RosterFormat format_;
  std::vector<ColumnMap> maps_;
  std::string source_;
};

// A source name is 1-40 characters of a-z, 0-9, '-' and '_'.
Status ValidateSourceName(const std::string& name);

}  // namespace checkin::db
