#include "db/platform_rules_store.h"

#include "db/statement.h"

namespace checkin::db {

namespace {

constexpr const char* kRuleTables[] = {"signing_keys", "platform_items", "barred_codes"};

}  // namespace

Status ClearRules(sqlite3* h) {
  for (const char* table : kRuleTables) {
    if (Status s = Exec(h, (std::string("DELETE FROM main.") + table).c_str()); !s.ok()) return s;
  }
  return Status::Ok();
}

Status StoreRules(sqlite3* h, const std::string& source, const PlatformRules& rules) {
  for (const char* table : kRuleTables) {
    Statement del(h, std::string("DELETE FROM main.") + table + " WHERE source = ?1");
    del.Bind(1, source);
    if (Status s = del.Run(); !s.ok()) return s;
  }
  Statement key(h, "INSERT OR IGNORE INTO main.signing_keys (source, key) VALUES (?1, ?2)");
  for (const std::string& k : rules.signing_keys) {
    key.Bind(1, source).Bind(2, k);
    if (Status s = key.Run(); !s.ok()) return s;
  }
  Statement item(h,
                 "INSERT OR REPLACE INTO main.platform_items (source, item_id, name, admission)"
                 " VALUES (?1, ?2, ?3, ?4)");
  for (const PlatformRules::Item& i : rules.items) {
    item.Bind(1, source).Bind(2, i.id).Bind(3, i.name).Bind(4, int64_t{i.admission ? 1 : 0});
    if (Status s = item.Run(); !s.ok()) return s;
  }
  if (Status s = Exec(h,
                      "INSERT INTO main.platform_rules_rev (id, rev) VALUES (1, 1)"
                      " ON CONFLICT (id) DO UPDATE SET rev = rev + 1");
      !s.ok())
    return s;
  // A code barred by two sources stays barred by the first.
  Statement code(
      h, "INSERT OR IGNORE INTO main.barred_codes (code, kind, source) VALUES (?1, ?2, ?3)");
  for (auto [codes, kind] :
       {std::pair{&rules.revoked_codes, "revoked"}, std::pair{&rules.blocked_codes, "blocked"}}) {
    for (const std::string& c : *codes) {
      code.Bind(1, c).Bind(2, kind).Bind(3, source);
      if (Status s = code.Run(); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Result<std::vector<SourceRules>> AllRules(sqlite3* h) {
  std::vector<SourceRules> out;
  auto of = [&out](const std::string& source) -> PlatformRules& {
    if (out.empty() || out.back().source != source) out.push_back({source, {}});
    return out.back().rules;
  };
  // UNION ALL in source order, so each source's rows come together.
  Statement q(h,
              "SELECT source, 0, key, 0, 0 FROM signing_keys"
              " UNION ALL SELECT source, 1, name, item_id, admission FROM platform_items"
              " UNION ALL SELECT source, 2, code, kind = 'blocked', 0 FROM barred_codes"
              " ORDER BY 1, 2, 3");
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    PlatformRules& rules = of(q.Text(0));
    switch (q.Int(1)) {
      case 0:
        rules.signing_keys.push_back(q.Text(2));
        break;
      case 1:
        rules.items.push_back({q.Int(3), q.Text(2), q.Int(4) != 0});
        break;
      default:
        (q.Int(3) != 0 ? rules.blocked_codes : rules.revoked_codes).push_back(q.Text(2));
    }
  }
  return out;
}

}  // namespace checkin::db
