#include "sync/sync_pass.h"

#include "common/timezone.h"
#include "sync/platform.h"
#include "sync/token.h"

namespace checkin::sync {
namespace {

// An error kept for --status is a few lines at most.
constexpr size_t kMaxErrorBytes = 1000;

// The clients never put the token in a message (sync/http_get.h); this is
// the last guard before one is printed, logged or stored.
Status Scrub(const Status& s, const std::string& token) {
  if (s.ok()) return s;
  Status clean = WithoutToken(s, token);
  if (clean.message().size() <= kMaxErrorBytes) return clean;
  return Status::FromCode(clean.code(), clean.message().substr(0, kMaxErrorBytes) + "…");
}

bool FullPassDue(const db::SyncResume& resume, const Clock& clock) {
  if (resume.cursor.empty()) return true;
  auto last = ParseUtc(resume.last_full_at);
  return !last.ok() || clock.Now() - *last >= kFullPassEvery;
}

}  // namespace

std::string SyncTarget(const RegistrationSettings& s) {
  return s.platform + " " + s.url + " " + (s.organizer.empty() ? "" : s.organizer + "/") + s.event;
}

SyncPassOutcome RunSyncPass(db::Database& db, const RegistrationSettings& settings,
                            const SyncPassOptions& options, const Clock& clock, Sleeper& sleeper) {
  SyncPassOutcome out;
  db::SyncPass& p = out.pass;
  p.source = settings.platform;
  p.target = SyncTarget(settings);
  p.started_at = FormatUtc(clock.Now());
  db::SyncState state(db);
  std::string token;
  auto run = [&]() -> Status {
    auto resume = state.ResumeFor(p.target);
    if (!resume.ok()) return resume.status();
    p.full = options.kind == PassKind::kFull || FullPassDue(*resume, clock);
    auto read = ReadRegistrationToken(settings, options.getenv);
    if (!read.ok()) return read.status();
    token = *read;
    auto source =
        OpenPlatform(settings, token, p.full ? "" : resume->cursor, clock, sleeper, options.http);
    if (!source.ok()) return source.status();
    auto sum =
        db::ImportRoster(db, **source, db::MissingPolicy::kReport, db::ImportMode::kApply, clock);
    if (!sum.ok()) return sum.status();
    p.rows = sum->rows;
    p.added = sum->added;
    p.updated = sum->updated;
    p.cancelled = sum->cancelled;
    p.unchanged = sum->unchanged;
    p.missing = static_cast<int>(sum->missing.size());
    out.missing = sum->missing;
    p.cursor = (*source)->cursor();
    if (settings.platform == "pretix" && settings.upload_list > 0) {
      PretixUploadOptions up;
      up.url = settings.url;
      up.organizer = settings.organizer;
      up.token = token;
      up.checkin_list = settings.upload_list;
      up.source = settings.platform;
      up.http = options.http;
      auto sent = UploadCheckins(db, up, clock, sleeper);
      if (sent.ok()) {
        out.upload = *sent;
      } else {
        out.upload_status = sent.status();
      }
    }
    return Status::Ok();
  };
  out.status = Scrub(run(), token);
  out.upload_status = Scrub(out.upload_status, token);
  p.ok = out.status.ok();
  p.error = out.status.message();
  const auto finished = clock.Now();
  p.finished_at = FormatUtc(finished);
  if (options.next_in) p.next_at = FormatUtc(finished + *options.next_in);
  // Recorded apart from the import: were this lost, the next pass would
  // start from the older cursor and find the same tickets unchanged.
  out.recorded = state.Record(p);
  return out;
}

std::string PassLine(const SyncPassOutcome& o, Language lang) {
  const bool es = lang == Language::kSpanish;
  const db::SyncPass& p = o.pass;
  std::string line = (es ? "sincronización " : "roster sync ") + p.source;
  if (!p.ok) {
    return line + (es ? ": FALLÓ, no se cambió nada: " : ": FAILED, nothing changed: ") +
           o.status.message();
  }
  auto n = [](int v) { return std::to_string(v); };
  line += ": " + n(p.added) + (es ? " nuevos, " : " added, ") + n(p.updated) +
          (es ? " actualizados, " : " updated, ") + n(p.cancelled) +
          (es ? " cancelados, " : " cancelled, ") + n(p.unchanged) +
          (es ? " sin cambios (" : " unchanged (") + n(p.rows) + (es ? " filas, " : " rows, ") +
          (p.full ? (es ? "completa" : "full") : (es ? "solo cambios" : "changes only")) + ")";
  if (!o.upload_status.ok()) {
    line += (es ? "; envío de check-ins a pretix FALLÓ (quedan pendientes): "
                : "; sending check-ins to pretix FAILED (they stay pending): ") +
            o.upload_status.message();
  } else if (o.upload) {
    line += (es ? "; check-ins a pretix: " : "; check-ins to pretix: ") + n(o.upload->sent) +
            (es ? " enviados, " : " sent, ") + n(o.upload->refused) +
            (es ? " rechazados, " : " refused, ") + std::to_string(o.upload->pending) +
            (es ? " pendientes" : " pending");
    if (!o.upload->first_refusal.empty()) {
      line += " (" + o.upload->first_refusal + ")";
    }
  }
  if (p.missing > 0) {
    line += "; " + n(p.missing) +
            (es ? " entradas ya no están en " : " tickets are no longer on ") + p.source +
            (es ? " (siguen válidas aquí)" : " (still valid here)");
  }
  return line;
}

}  // namespace checkin::sync
