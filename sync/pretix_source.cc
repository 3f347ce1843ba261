#include "sync/pretix_source.h"

#include <algorithm>
#include <functional>
#include <tuple>
#include <unordered_set>

#include "sync/source_common.h"

namespace checkin::sync {
namespace {

// Organizer and event slugs go into the URL's path: pretix allows letters,
// digits, '.', '-' (and '_' in older events); nothing that could reach
// another path.
bool IsSlug(const std::string& s) {
  if (s.empty() || s.size() > 64 || s == "." || s == "..") return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

using ReadPage = std::function<Result<std::string>(std::string_view body)>;

// Follows `next` from `first`. The token goes with every request, so every
// page must come from the configured server; a `next` seen before or more
// than `max_pages` pages mean a list that never ends.
// `generated`, when given, receives the first page's X-Page-Generated.
Status FollowPages(HttpGetter& http, const std::string& first, const Url& base, int max_pages,
                   const char* what, const ReadPage& read, std::string* generated = nullptr) {
  std::unordered_set<std::string> seen;
  std::string url = first;
  for (int page = 1; !url.empty(); ++page) {
    if (page > max_pages) {
      return Status::InvalidInput("pretix's " + std::string(what) + " goes on past " +
                                  std::to_string(max_pages) + " pages; stopped");
    }
    if (!seen.insert(url).second) {
      return Status::InvalidInput("pretix's " + std::string(what) + " repeats a page (" + url +
                                  "); the paging loops");
    }
    auto u = ParseUrl(url);
    if (!u.ok()) return u.status().WithContext("pretix's next page: ");
    if (u->Origin() != base.Origin()) {
      return Status::InvalidInput("pretix's next page is on another server (" + u->Origin() +
                                  ", not " + base.Origin() +
                                  "); refused, as the token would go there. Is url right, or does"
                                  " pretix's proxy rewrite the scheme?");
    }
    auto body = page == 1 && generated != nullptr ? http.Get(url, "X-Page-Generated", generated)
                                                  : http.Get(url);
    if (!body.ok()) return body.status();
    auto next = read(*body);
    if (!next.ok()) return next.status().WithContext("page " + std::to_string(page) + ": ");
    url = *next;
  }
  return Status::Ok();
}

}  // namespace

PretixSource::PretixSource(PretixOptions options, const Clock& clock, Sleeper& sleeper)
    : options_(std::move(options)), clock_(clock), sleeper_(sleeper) {}

Result<db::RosterSnapshot> PretixSource::Fetch() {
  if (!IsSlug(options_.organizer) || !IsSlug(options_.event)) {
    return Status::InvalidInput(
        "[registration] organizer and event must be pretix slugs (letters, digits, '-', '.')");
  }
  if (Status s = CheckClientOptions("pretix", options_.token, options_.source, options_.url);
      !s.ok()) {
    return s;
  }
  auto base = ParseUrl(options_.url);
  if (!base.ok()) return base.status();
  const std::string root = WithoutTrailingSlash(options_.url);
  const std::string event_url =
      root + "/api/v1/organizers/" + options_.organizer + "/events/" + options_.event;

  HttpGetter http(Credential{"Authorization", "Token ", options_.token}, clock_, sleeper_,
                  options_.http);
  auto wrong_event = [&](Status s) {
    if (s.code() != StatusCode::kNotFound) return s;
    return Status::NotFound("pretix has no event '" + options_.event + "' of organizer '" +
                            options_.organizer + "' at " + root +
                            " (HTTP 404); check organizer and event in [registration]");
  };
  auto detail = http.Get(event_url + "/");
  if (!detail.ok()) return wrong_event(detail.status());
  auto keys = ReadEventKeys(*detail);
  if (!keys.ok()) return keys.status();

  PretixItems items;
  Status s = FollowPages(http, event_url + "/items/", *base, options_.max_pages, "product list",
                         [&](std::string_view body) { return ReadItemsPage(body, &items); });
  if (!s.ok()) return wrong_event(s);

  std::string orders_url = event_url + "/orders/?include_canceled_positions=true";
  if (!options_.modified_since.empty()) {
    orders_url += "&modified_since=" + UrlEncode(options_.modified_since);
  }
  PretixOrders orders;
  std::string generated;
  s = FollowPages(
      http, orders_url, *base, options_.max_pages, "order list",
      [&](std::string_view body) { return ReadOrdersPage(body, items, &orders); }, &generated);
  if (!s.ok()) return wrong_event(s);
  if (s = DedupeTickets(&orders.records, "secret", "pretix"); !s.ok()) return s;

  db::PlatformRules rules;
  rules.signing_keys = std::move(*keys);
  for (const auto& [id, item] : items) rules.items.push_back({id, item.name, item.admission});
  std::sort(rules.items.begin(), rules.items.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (auto [list, path, out] :
       {std::tuple{SecretList::kRevoked, "/revokedsecrets/", &rules.revoked_codes},
        std::tuple{SecretList::kBlocked, "/blockedsecrets/", &rules.blocked_codes}}) {
    s = FollowPages(
        http, event_url + path, *base, options_.max_pages,
        list == SecretList::kRevoked ? "revoked secrets" : "blocked secrets",
        [list, out](std::string_view body) { return ReadSecretsPage(body, list, out); });
    // pretix before 4.x has no such list: the event was found just before.
    if (s.code() == StatusCode::kNotFound) {
      out->clear();
      continue;
    }
    if (!s.ok()) return s;
  }

  page_generated_ = std::move(generated);
  auto snap =
      ApiSnapshot(db::RosterFormat::kPretix, options_.source, event_url,
                  options_.modified_since.empty(), orders.positions, std::move(orders.records));
  snap.rules = std::move(rules);
  return snap;
}

}  // namespace checkin::sync
