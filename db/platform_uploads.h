// Which admissions have been sent back to the registration platform: the
// pending ones of a source, oldest first, and the platform's answer for each.
// A check-in is pending until the platform answered it (sent or refused), so
// a crash or a network cut only delays it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "db/database.h"

namespace checkin::db {

struct PendingUpload {
  int64_t checkin_id = 0;
  std::string nonce;        // the check-in's uuid: the platform deduplicates on it
  std::string ticket_code;  // the ticket's code, even when its badge was scanned
  bool exit = false;
  std::string at;  // UTC, FormatUtc
};

// Admissions (entries and exits) of tickets of `source`, not yet answered.
Result<std::vector<PendingUpload>> PendingUploads(Database& db, const std::string& source,
                                                  int limit);
Result<int64_t> CountPendingUploads(Database& db, const std::string& source);

// How the sending back stands for a source, for `roster sync --status`.
struct UploadCounts {
  int64_t sent = 0, refused = 0, pending = 0;
};
Result<UploadCounts> CountUploads(Database& db, const std::string& source);

enum class PlatformAnswer { kSent, kRefused };
Status RecordUpload(Database& db, int64_t checkin_id, const std::string& source,
                    PlatformAnswer outcome, const std::string& detail, const Clock& clock);

}  // namespace checkin::db
