#include "sync/pretix_source.h"

#include <algorithm>
#include <functional>
#include <memory>
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

struct PretixSource::Session {
  Url base;
  std::string root;       // the base URL without its trailing '/'
  std::string event_url;  // .../api/v1/organizers/O/events/E
  HttpGetter http;

  // 404 on any list means the organizer or the event is wrong.
  Status WrongEvent(Status s, const PretixOptions& o) const {
    if (s.code() != StatusCode::kNotFound) return s;
    return Status::NotFound("pretix has no event '" + o.event + "' of organizer '" + o.organizer +
                            "' at " + root +
                            " (HTTP 404); check organizer and event in [registration]");
  }
};

PretixSource::PretixSource(PretixOptions options, const Clock& clock, Sleeper& sleeper)
    : options_(std::move(options)), clock_(clock), sleeper_(sleeper) {}

PretixSource::~PretixSource() = default;

Result<std::unique_ptr<PretixSource::Session>> PretixSource::Begin() const {
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
  std::string root = WithoutTrailingSlash(options_.url);
  std::string event_url =
      root + "/api/v1/organizers/" + options_.organizer + "/events/" + options_.event;
  return std::make_unique<Session>(
      Session{*base, std::move(root), std::move(event_url),
              HttpGetter(Credential{"Authorization", "Token ", options_.token}, clock_, sleeper_,
                         options_.http)});
}

Result<PretixItems> PretixSource::FetchItems(Session& session) const {
  PretixItems items;
  Status s = FollowPages(session.http, session.event_url + "/items/", session.base,
                         options_.max_pages, "product list",
                         [&](std::string_view body) { return ReadItemsPage(body, &items); });
  if (!s.ok()) return session.WrongEvent(s, options_);
  return items;
}

Result<db::RosterSnapshot> PretixSource::Fetch() {
  if (Status s = db::ValidateSourceName(options_.source); !s.ok()) return s;
  auto session = Begin();
  if (!session.ok()) return session.status();
  Session& ses = **session;
  auto detail = ses.http.Get(ses.event_url + "/");
  if (!detail.ok()) return ses.WrongEvent(detail.status(), options_);
  auto keys = ReadEventKeys(*detail);
  if (!keys.ok()) return keys.status();
  auto items = FetchItems(ses);
  if (!items.ok()) return items.status();

  std::string orders_url = ses.event_url + "/orders/?include_canceled_positions=true";
  if (!options_.modified_since.empty()) {
    orders_url += "&modified_since=" + UrlEncode(options_.modified_since);
  }
  PretixOrders orders;
  std::string generated;
  Status s = FollowPages(
      ses.http, orders_url, ses.base, options_.max_pages, "order list",
      [&](std::string_view body) { return ReadOrdersPage(body, *items, &orders); }, &generated);
  if (!s.ok()) return ses.WrongEvent(s, options_);
  if (s = DedupeTickets(&orders.records, "secret", "pretix"); !s.ok()) return s;

  db::PlatformRules rules;
  rules.signing_keys = std::move(*keys);
  for (const auto& [id, item] : *items) rules.items.push_back({id, item.name, item.admission});
  std::sort(rules.items.begin(), rules.items.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (auto [list, path, out] :
       {std::tuple{SecretList::kRevoked, "/revokedsecrets/", &rules.revoked_codes},
        std::tuple{SecretList::kBlocked, "/blockedsecrets/", &rules.blocked_codes}}) {
    s = FollowPages(
        ses.http, ses.event_url + path, ses.base, options_.max_pages,
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
      ApiSnapshot(db::RosterFormat::kPretix, options_.source, ses.event_url,
                  options_.modified_since.empty(), orders.positions, std::move(orders.records));
  snap.rules = std::move(rules);
  return snap;
}

Result<PretixGates> PretixSource::FetchGates() {
  auto session = Begin();
  if (!session.ok()) return session.status();
  Session& ses = **session;
  auto items = FetchItems(ses);
  if (!items.ok()) return items.status();
  std::vector<PretixCheckinList> lists;
  Status s = FollowPages(ses.http, ses.event_url + "/checkinlists/", ses.base, options_.max_pages,
                         "check-in lists",
                         [&](std::string_view body) { return ReadCheckinListsPage(body, &lists); });
  if (!s.ok()) return ses.WrongEvent(s, options_);
  PretixGates out;
  auto gates = GatesFromCheckinLists(lists, *items, &out.notes);
  if (!gates.ok()) return gates.status();
  out.gates = std::move(gates).value();
  return out;
}

}  // namespace checkin::sync
