#include "db/devices.h"

#include <algorithm>
#include <optional>

#include "common/pairing_code.h"
#include "common/random.h"
#include "common/text.h"
#include "common/timezone.h"
#include "db/offline.h"
#include "db/secret_hash.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

constexpr size_t kTokenLength = kDeviceTokenLength;

struct Row {
  int64_t id = 0;
  Device device;
  std::string hash;  // the hash the row was found by, as stored
};

constexpr const char* kColumns =
    "id, name, role, pairing_expires_at, created_at, coalesce(paired_at, ''),"
    " coalesce(last_seen_at, ''), coalesce(revoked_at, ''), coalesce(outbox, -1),"
    " coalesce(replica_checkin, -1), coalesce(pulled_at, '')";

Row ReadRow(const Statement& st, const std::string& now) {
  Row r;
  r.id = st.Int(0);
  Device& d = r.device;
  d.name = st.Text(1);
  d.role = ParseRole(st.Text(2)).value_or(Role::kScan);
  d.pairing_expires_at = st.Text(3);
  d.created_at = st.Text(4);
  d.paired_at = st.Text(5);
  d.last_seen_at = st.Text(6);
  d.revoked_at = st.Text(7);
  d.outbox = st.Int(8);
  d.replica_checkin = st.Int(9);
  d.pulled_at = st.Text(10);
  d.state = !d.revoked_at.empty()         ? DeviceState::kRevoked
            : !d.paired_at.empty()        ? DeviceState::kPaired
            : d.pairing_expires_at <= now ? DeviceState::kPairingExpired
                                          : DeviceState::kPairingPending;
  if (st.IsNull(11)) return r;
  r.hash = st.Text(11);
  return r;
}

// The row whose `column` holds `hash`, compared again in constant time after
// the index found it.
Result<std::optional<Row>> FindByHash(Database& db, const char* column, const std::string& hash,
                                      const std::string& now) {
  Statement st(db.handle(), std::string("SELECT ") + kColumns + ", " + column +
                                " FROM devices WHERE " + column + " = ?1");
  st.Bind(1, hash);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<Row>();
  Row row = ReadRow(st, now);
  if (!SameSecret(row.hash, hash)) return std::optional<Row>();
  return std::optional<Row>(std::move(row));
}

Status Invalid(Language lang, const std::string& es, const std::string& en) {
  return Status::InvalidInput(lang == Language::kSpanish ? es : en);
}

}  // namespace

std::string_view DeviceStateName(DeviceState s) {
  switch (s) {
    case DeviceState::kPairingPending:
      return "pairing_pending";
    case DeviceState::kPairingExpired:
      return "pairing_expired";
    case DeviceState::kPaired:
      return "paired";
    case DeviceState::kRevoked:
      return "revoked";
  }
  return "revoked";
}

Status CheckDeviceName(std::string_view name, Language lang) {
  if (name.empty() || name.size() > kMaxDeviceNameBytes) {
    return Invalid(lang, "el nombre del dispositivo debe tener de 1 a 64 bytes",
                   "a device name must have 1 to 64 bytes");
  }
  if (!IsValidUtf8(name) || ForTerminal(name) != name) {
    return Invalid(lang, "el nombre del dispositivo tiene caracteres de control o no es UTF-8",
                   "the device name has control characters or is not UTF-8");
  }
  if (Trim(name) != name) {
    return Invalid(lang, "el nombre del dispositivo empieza o termina con espacios",
                   "the device name starts or ends with spaces");
  }
  return Status::Ok();
}

Result<NewDevice> DeviceRegistry::Add(const std::string& name, Role role,
                                      std::chrono::minutes valid_for) {
  if (Status s = CheckDeviceName(name, lang_); !s.ok()) return s;
  NewDevice out;
  out.name = name;
  out.role = role;
  out.pairing_secret = RandomBase32(kPairingSecretLength);
  auto hash = Sha256Hex(out.pairing_secret);
  if (!hash.ok()) return hash.status();
  const auto now = clock_.Now();
  out.expires_at = now + valid_for;
  Transaction tx(db_.handle());
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement taken(db_.handle(), "SELECT 1 FROM devices WHERE name = ?1 AND revoked_at IS NULL");
  taken.Bind(1, name);
  auto r = taken.Step();
  if (!r.ok()) return r.status();
  if (*r) {
    return Invalid(lang_,
                   "ya hay un dispositivo con ese nombre: elija otro, o revóquelo primero con"
                   " `checkin hub device revoke`",
                   "a device already has that name: pick another, or revoke it first with"
                   " `checkin hub device revoke`");
  }
  Statement ins(db_.handle(),
                "INSERT INTO devices (name, role, pairing_hash, pairing_expires_at, created_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5)");
  ins.Bind(1, name)
      .Bind(2, RoleName(role))
      .Bind(3, *hash)
      .Bind(4, FormatUtc(out.expires_at))
      .Bind(5, FormatUtc(now));
  if (Status s = ins.Run(); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<PairedDevice> DeviceRegistry::Pair(std::string_view pairing_secret) {
  const std::string now = FormatUtc(clock_.Now());
  Transaction tx(db_.handle());
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  auto hash = Sha256Hex(pairing_secret);
  if (!hash.ok()) return hash.status();
  auto found = FindByHash(db_, "pairing_hash", *hash, now);
  if (!found.ok()) return found.status();
  const char* hint_es = ": pida un código nuevo (`checkin hub device revoke` y `device add`)";
  const char* hint_en = ": ask for a new code (`checkin hub device revoke`, then `device add`)";
  if (!*found) {
    return Invalid(lang_, std::string("código de emparejamiento desconocido") + hint_es,
                   std::string("unknown pairing code") + hint_en);
  }
  const Row& row = **found;
  switch (row.device.state) {
    case DeviceState::kRevoked:
      return Invalid(lang_, "el dispositivo de este código fue revocado" + std::string(hint_es),
                     "this code's device was revoked" + std::string(hint_en));
    case DeviceState::kPaired:
      return Invalid(lang_, "este código de emparejamiento ya se usó" + std::string(hint_es),
                     "this pairing code was already used" + std::string(hint_en));
    case DeviceState::kPairingExpired:
      return Invalid(lang_, "este código de emparejamiento venció" + std::string(hint_es),
                     "this pairing code has expired" + std::string(hint_en));
    case DeviceState::kPairingPending:
      break;
  }
  PairedDevice out{row.device.name, row.device.role, RandomBase32(kTokenLength)};
  auto token_hash = Sha256Hex(out.token);
  if (!token_hash.ok()) return token_hash.status();
  Statement upd(db_.handle(),
                "UPDATE devices SET token_hash = ?2, paired_at = ?3 WHERE id = ?1"
                " AND paired_at IS NULL AND revoked_at IS NULL");
  upd.Bind(1, row.id).Bind(2, *token_hash).Bind(3, now);
  if (Status s = upd.Run(); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<Device> DeviceRegistry::Authenticate(std::string_view token) {
  if (token.empty()) {
    return Invalid(lang_, "falta el token del dispositivo: empareje la estación primero",
                   "the device token is missing: pair the station first");
  }
  const auto now = clock_.Now();
  const std::string now_text = FormatUtc(now);
  auto hash = Sha256Hex(token);
  if (!hash.ok()) return hash.status();
  auto found = FindByHash(db_, "token_hash", *hash, now_text);
  if (!found.ok()) return found.status();
  const bool revoked = *found && (*found)->device.state == DeviceState::kRevoked;
  if (!*found || revoked) {
    const std::string es =
        revoked ? "este dispositivo fue revocado" : "token de dispositivo desconocido";
    const std::string en = revoked ? "this device was revoked" : "unknown device token";
    return Status::NotFound(lang_ == Language::kSpanish
                                ? es + ": pida al organizador un código de emparejamiento nuevo"
                                : en + ": ask the organizer for a new pairing code");
  }
  Row row = std::move(**found);
  auto seen = ParseUtc(row.device.last_seen_at);
  if (!seen.ok() || now - *seen >= kLastSeenResolution) {
    Statement upd(db_.handle(), "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1");
    upd.Bind(1, row.id).Bind(2, now_text);
    // Best effort: a busy file must not turn a good token away.
    if (upd.Run().ok()) row.device.last_seen_at = now_text;
  }
  return row.device;
}

Status DeviceRegistry::Revoke(const std::string& name) {
  Statement upd(db_.handle(),
                "UPDATE devices SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL");
  upd.Bind(1, name).Bind(2, FormatUtc(clock_.Now()));
  if (Status s = upd.Run(); !s.ok()) return s;
  Statement changes(db_.handle(), "SELECT changes()");
  auto r = changes.Step();
  if (!r.ok()) return r.status();
  if (changes.Int(0) == 0) {
    return Status::NotFound(lang_ == Language::kSpanish
                                ? "no hay un dispositivo activo con ese nombre (vea `checkin hub"
                                  " device list`)"
                                : "no device that is not revoked has that name (see `checkin hub"
                                  " device list`)");
  }
  return Status::Ok();
}

Result<std::vector<Device>> DeviceRegistry::List() {
  const std::string now = FormatUtc(clock_.Now());
  Statement st(db_.handle(), std::string("SELECT ") + kColumns + ", NULL FROM devices ORDER BY id");
  std::vector<Device> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(ReadRow(st, now).device);
  }
  return out;
}

Status DeviceRegistry::NoteReplica(const Device& device, int64_t outbox, int64_t replica_checkin) {
  // Decided from the row Authenticate just read, so that the pulls of every
  // station, every few seconds, do not each take the write lock for nothing.
  const auto now = clock_.Now();
  auto noted = ParseUtc(device.pulled_at);
  if (device.outbox == outbox && noted.ok() && now - *noted < kReplicaNoteResolution) {
    return Status::Ok();
  }
  Statement upd(db_.handle(),
                "UPDATE devices SET outbox = ?2, pulled_at = ?4,"
                " replica_checkin = CASE WHEN ?3 < 0 THEN replica_checkin ELSE ?3 END"
                " WHERE name = ?1 AND revoked_at IS NULL");
  upd.Bind(1, device.name).Bind(2, outbox).Bind(3, replica_checkin).Bind(4, FormatUtc(now));
  return upd.Run();
}

Result<std::vector<DeviceStatus>> DeviceRegistry::Statuses() {
  auto devices = List();
  if (!devices.ok()) return devices.status();
  auto newest = NewestCheckinId(db_);
  if (!newest.ok()) return newest.status();
  const auto now = clock_.Now();
  std::vector<DeviceStatus> out;
  for (Device& d : *devices) {
    DeviceStatus st;
    auto seen = ParseUtc(d.last_seen_at);
    st.online = d.state == DeviceState::kPaired && seen.ok() &&
                now - *seen < kLastSeenResolution + std::chrono::seconds(30);
    st.replica_lag = d.replica_checkin < 0 ? -1 : std::max<int64_t>(0, *newest - d.replica_checkin);
    st.device = std::move(d);
    out.push_back(std::move(st));
  }
  return out;
}

JsonObject DeviceStatusJson(const DeviceStatus& s) {
  const Device& d = s.device;
  JsonObject j;
  j.SetString("name", d.name)
      .SetString("role", RoleName(d.role))
      .SetString("state", DeviceStateName(d.state))
      .SetString("created_at", d.created_at)
      .SetString("pairing_expires_at", d.pairing_expires_at)
      .SetString("paired_at", d.paired_at)
      .SetString("last_seen_at", d.last_seen_at)
      .SetString("revoked_at", d.revoked_at)
      .SetBool("online", s.online)
      .SetString("pulled_at", d.pulled_at);
  // null until the station has pulled once.
  if (d.outbox >= 0) {
    j.SetInt("outbox", d.outbox);
  } else {
    j.SetNull("outbox");
  }
  if (s.replica_lag >= 0) {
    j.SetInt("replica_lag", s.replica_lag);
  } else {
    j.SetNull("replica_lag");
  }
  return j;
}

}  // namespace checkin::db
