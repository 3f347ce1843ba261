#include "db/web_logins.h"

#include <algorithm>

#include "common/random.h"
#include "common/timezone.h"
#include "db/devices.h"
#include "db/secret_hash.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

// 32 base32 characters: 160 random bits, like a pairing secret.
constexpr size_t kSecretLength = 32;

// A link or session of no device, or of one not revoked: revoking a device
// ends what its token opened without touching the rows.
constexpr const char* kDeviceLive =
    "(device_id IS NULL OR device_id IN (SELECT id FROM devices WHERE revoked_at IS NULL))";

Status Invalid(Language lang, const char* es, const char* en) {
  return Status::InvalidInput(lang == Language::kSpanish ? es : en);
}

}  // namespace

Result<LoginLink> WebLogins::OpenLink(Role role, const std::string& station,
                                      std::chrono::minutes valid_for) {
  if (!station.empty()) {
    if (Status s = CheckDeviceName(station, lang_); !s.ok()) return s;
  }
  return InsertLink(role, station, valid_for, 0);
}

Result<LoginLink> WebLogins::OpenDeviceLink(const std::string& device, Role role) {
  Statement st(db_.handle(),
               "SELECT id FROM devices WHERE name = ?1 AND paired_at IS NOT NULL"
               " AND revoked_at IS NULL");
  st.Bind(1, device);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    return Status::NotFound(lang_ == Language::kSpanish
                                ? "no hay un dispositivo emparejado y sin revocar con ese nombre"
                                : "no paired device that is not revoked has that name");
  }
  const int64_t id = st.Int(0);
  st.Reset();
  return InsertLink(role, device, kLoginLinkValidity, id);
}

Result<LoginLink> WebLogins::InsertLink(Role role, const std::string& station,
                                        std::chrono::minutes valid_for, int64_t device_id) {
  LoginLink out{RandomBase32(kSecretLength), role, station, clock_.Now() + valid_for};
  auto hash = Sha256Hex(out.secret);
  if (!hash.ok()) return hash.status();
  Statement ins(db_.handle(),
                "INSERT INTO web_links (secret_hash, role, station, created_at, expires_at,"
                " device_id) VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0))");
  ins.Bind(1, *hash)
      .Bind(2, RoleName(role))
      .Bind(3, station)
      .Bind(4, FormatUtc(clock_.Now()))
      .Bind(5, FormatUtc(out.expires_at))
      .Bind(6, device_id);
  if (Status s = ins.Run(); !s.ok()) return s;
  return out;
}

Result<WebSession> WebLogins::NewSession(Role role, const std::string& station, const char* how,
                                         int64_t device_id) {
  WebSession out{RandomBase32(kSecretLength), RandomBase32(kSecretLength), role, station,
                 FormatUtc(clock_.Now() + kWebSessionLifetime)};
  auto hash = Sha256Hex(out.token);
  if (!hash.ok()) return hash.status();
  Statement ins(db_.handle(),
                "INSERT INTO web_sessions (token_hash, csrf, role, station, how, created_at,"
                " expires_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, 0))");
  ins.Bind(1, *hash)
      .Bind(2, out.csrf)
      .Bind(3, RoleName(role))
      .Bind(4, station)
      .Bind(5, how)
      .Bind(6, FormatUtc(clock_.Now()))
      .Bind(7, out.expires_at)
      .Bind(8, device_id);
  if (Status s = ins.Run(); !s.ok()) return s;
  return out;
}

Result<WebSession> WebLogins::SpendLink(std::string_view secret) {
  const char* es =
      "este enlace de acceso no sirve (desconocido, ya usado o vencido): pida otro"
      " con `checkin hub open`";
  const char* en =
      "this login link does not work (unknown, already used or expired): ask for"
      " another with `checkin hub open`";
  if (secret.size() != kSecretLength) return Invalid(lang_, es, en);
  auto hash = Sha256Hex(secret);
  if (!hash.ok()) return hash.status();
  const std::string now = FormatUtc(clock_.Now());
  Transaction tx(db_.handle());
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement st(db_.handle(), std::string("SELECT id, secret_hash, role, station, device_id"
                                         " FROM web_links WHERE secret_hash = ?1"
                                         " AND used_at IS NULL AND expires_at > ?2 AND ") +
                                 kDeviceLive);
  st.Bind(1, *hash).Bind(2, now);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r || !SameSecret(st.Text(1), *hash)) return Invalid(lang_, es, en);
  const int64_t id = st.Int(0);
  const Role role = ParseRole(st.Text(2)).value_or(Role::kScan);
  const std::string station = st.Text(3);
  const int64_t device_id = st.IsNull(4) ? 0 : st.Int(4);
  Statement spend(db_.handle(), "UPDATE web_links SET used_at = ?2 WHERE id = ?1");
  spend.Bind(1, id).Bind(2, now);
  if (Status s = spend.Run(); !s.ok()) return s;
  auto session = NewSession(role, station, "link", device_id);
  if (!session.ok()) return session.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return session;
}

Status WebLogins::SetPin(Role role, std::string_view pin) {
  if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits ||
      !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Invalid(lang_, "el PIN debe tener de 6 a 12 dígitos",
                   "the PIN must have 6 to 12 digits");
  }
  const std::string salt = RandomBase32(kSecretLength);
  auto hash = PinHashHex(pin, salt);
  if (!hash.ok()) return hash.status();
  Statement st(
      db_.handle(),
      "INSERT OR REPLACE INTO web_pins (role, salt, hash, set_at) VALUES (?1, ?2, ?3, ?4)");
  st.Bind(1, RoleName(role)).Bind(2, salt).Bind(3, *hash).Bind(4, FormatUtc(clock_.Now()));
  return st.Run();
}

Result<WebSession> WebLogins::SpendPin(Role role, std::string_view pin,
                                       const std::string& station) {
  if (!station.empty()) {
    if (Status s = CheckDeviceName(station, lang_); !s.ok()) return s;
  }
  const auto now = clock_.Now();
  Statement st(db_.handle(),
               "SELECT salt, hash, failures, locked_until FROM web_pins WHERE role = ?1");
  st.Bind(1, RoleName(role));
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    return Invalid(lang_,
                   "este rol no tiene PIN: pida al organizador un enlace de acceso (`checkin hub"
                   " open`)",
                   "this role has no PIN: ask the organizer for a login link (`checkin hub open`)");
  }
  const std::string salt = st.Text(0);
  const std::string stored = st.Text(1);
  const std::string locked_until = st.Text(3);
  st.Reset();
  if (!locked_until.empty() && locked_until > FormatUtc(now)) {
    return Status::Unavailable(lang_ == Language::kSpanish
                                   ? "demasiados PIN equivocados: espere unos minutos"
                                   : "too many wrong PINs: wait a few minutes");
  }
  // The hash is computed for any input, so a wrong length costs the same.
  auto hash = PinHashHex(pin, salt);
  if (!hash.ok()) return hash.status();
  if (!SameSecret(*hash, stored)) {
    Statement fail(db_.handle(),
                   "UPDATE web_pins SET locked_until = CASE WHEN"
                   " failures + 1 >= ?2 THEN ?3 ELSE locked_until END,"
                   " failures = CASE WHEN failures + 1 >= ?2 THEN 0 ELSE failures + 1 END"
                   " WHERE role = ?1");
    fail.Bind(1, RoleName(role)).Bind(2, kPinTries).Bind(3, FormatUtc(now + kPinLock));
    if (Status s = fail.Run(); !s.ok()) return s;
    return Invalid(lang_, "PIN equivocado", "wrong PIN");
  }
  Statement ok(db_.handle(), "UPDATE web_pins SET failures = 0 WHERE role = ?1");
  ok.Bind(1, RoleName(role));
  if (Status s = ok.Run(); !s.ok()) return s;
  return NewSession(role, station, "pin");
}

Result<WebSession> WebLogins::Find(std::string_view token) {
  if (token.size() != kSecretLength) return Status::NotFound("no session");
  auto hash = Sha256Hex(token);
  if (!hash.ok()) return hash.status();
  Statement st(db_.handle(), std::string("SELECT token_hash, csrf, role, station, expires_at"
                                         " FROM web_sessions WHERE token_hash = ?1"
                                         " AND ended_at IS NULL AND expires_at > ?2 AND ") +
                                 kDeviceLive);
  st.Bind(1, *hash).Bind(2, FormatUtc(clock_.Now()));
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r || !SameSecret(st.Text(0), *hash)) return Status::NotFound("no session");
  WebSession out;
  out.csrf = st.Text(1);
  out.role = ParseRole(st.Text(2)).value_or(Role::kScan);
  out.station = st.Text(3);
  out.expires_at = st.Text(4);
  return out;
}

Status WebLogins::End(std::string_view token) {
  auto hash = Sha256Hex(token);
  if (!hash.ok()) return hash.status();
  Statement st(db_.handle(),
               "UPDATE web_sessions SET ended_at = ?2 WHERE token_hash = ?1 AND ended_at IS NULL");
  st.Bind(1, *hash).Bind(2, FormatUtc(clock_.Now()));
  return st.Run();
}

Result<std::map<std::string, int64_t>> WebLogins::LiveDeviceSessions() {
  Statement st(db_.handle(),
               "SELECT d.name, count(*) FROM web_sessions s JOIN devices d ON d.id = s.device_id"
               " WHERE s.ended_at IS NULL AND s.expires_at > ?1 AND d.revoked_at IS NULL"
               " GROUP BY d.id");
  st.Bind(1, FormatUtc(clock_.Now()));
  std::map<std::string, int64_t> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) return out;
    out[st.Text(0)] = st.Int(1);
  }
}

}  // namespace checkin::db
