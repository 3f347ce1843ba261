#include "sync/source_common.h"

#include <cctype>
#include <unordered_map>

#include "sync/http_get.h"

namespace checkin::sync {

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool IsNumericId(const std::string& s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Status CheckClientOptions(const std::string& platform, const std::string& token,
                          const std::string& source, const std::string& url) {
  if (token.empty()) return Status::InvalidInput("the " + platform + " token is empty");
  if (Status s = db::ValidateSourceName(source); !s.ok()) return s;
  if (auto base = ParseUrl(url); !base.ok()) {
    return base.status().WithContext("[registration] url: ");
  }
  return Status::Ok();
}

db::RosterSnapshot ApiSnapshot(db::RosterFormat format, std::string source, std::string origin,
                               bool full_export, int total_rows,
                               std::vector<db::RosterRecord> records) {
  db::RosterSnapshot snap;
  snap.format = format;
  snap.source = std::move(source);
  snap.origin = std::move(origin);
  snap.encoding = "UTF-8";
  snap.full_export = full_export;
  snap.total_rows = total_rows;
  snap.records = std::move(records);
  return snap;
}

Status TicketCodes::Add(const db::RosterRecord& r) {
  auto owner = owner_.find(r.ticket_code);
  if (owner != owner_.end() && owner->second != r.ticket_id) {
    return Status::InvalidInput("tickets " + owner->second + " and " + r.ticket_id +
                                " have the same " + code_word_ + "; fix them in " + platform_);
  }
  auto [it, fresh] = code_of_.emplace(r.ticket_id, r.ticket_code);
  if (!fresh && it->second != r.ticket_code) {
    // The code changed between the two copies: the older one is free again.
    owner_.erase(it->second);
    it->second = r.ticket_code;
  }
  owner_[r.ticket_code] = r.ticket_id;
  return Status::Ok();
}

Status DedupeTickets(std::vector<db::RosterRecord>* records, const std::string& code_word,
                     const std::string& platform) {
  TicketCodes codes(code_word, platform);
  std::unordered_map<std::string, size_t> by_id;
  std::vector<db::RosterRecord> out;
  out.reserve(records->size());
  for (auto& r : *records) {
    if (Status s = codes.Add(r); !s.ok()) return s;
    auto [it, fresh] = by_id.emplace(r.ticket_id, out.size());
    if (fresh) {
      out.push_back(std::move(r));
    } else {
      out[it->second] = std::move(r);
    }
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].line = static_cast<int>(i) + 1;
  *records = std::move(out);
  return Status::Ok();
}

}  // namespace checkin::sync
