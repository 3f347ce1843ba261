// One roster sync pass, shared by `checkin roster sync`, its --every loop and
// the hub's loop: read the token, resume from the last good pass's cursor,
// fetch from the platform and apply it with db::ImportRoster (one
// transaction: a failed pass changes no ticket), then record the pass,
// failed or not, in the event file (db/sync_state.h). The cursor moves only
// on success. Blocking; one pass at a time per Database.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/messages.h"
#include "common/result.h"
#include "db/database.h"
#include "db/roster_import.h"
#include "db/sync_state.h"
#include "sync/http_get.h"
#include "sync/pretix_upload.h"

namespace checkin::sync {

// An incremental pass asks only for what changed, so it cannot see a ticket
// deleted upstream; a full pass lists every ticket and reports those gone
// as missing (never cancels them). One runs when there is no cursor yet (the
// first pass, or the config names another event), when asked for, and when
// the last good full pass started this long ago.
inline constexpr std::chrono::hours kFullPassEvery{1};

enum class PassKind { kAuto, kFull };

struct SyncPassOptions {
  PassKind kind = PassKind::kAuto;
  // When the loop running this pass runs the next, to tell --status;
  // nullopt for a pass run by hand.
  std::optional<std::chrono::seconds> next_in;
  HttpOptions http;
  // Where ReadRegistrationToken looks up token_env; std::getenv when empty.
  std::function<const char*(const char*)> getenv;
};

struct SyncPassOutcome {
  Status status;  // Ok when the roster is synced; its message never holds the token
  db::SyncPass pass;
  std::vector<db::MissingTicket> missing;  // valid here, gone upstream (full passes)
  Status recorded;                         // whether `pass` reached the event file
  // After a good pretix pass with upload_list: our admissions sent back.
  // An upload that fails leaves the roster synced and the check-ins pending.
  std::optional<UploadSummary> upload;
  Status upload_status;
};

// What a cursor belongs to: "pretix https://pretix.eu/ kcd/bogota2025".
std::string SyncTarget(const RegistrationSettings& settings);

SyncPassOutcome RunSyncPass(db::Database& db, const RegistrationSettings& settings,
                            const SyncPassOptions& options, const Clock& clock, Sleeper& sleeper);

// The pass in one line, for --every and the hub's log.
std::string PassLine(const SyncPassOutcome& outcome, Language lang);

}  // namespace checkin::sync
