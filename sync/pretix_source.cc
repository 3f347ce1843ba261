#include "sync/pretix_source.h"

#include <algorithm>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <optional>
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
// pretix (Django REST framework) writes "next" before "results". Read from
// the page's start, it lets the next page be fetched while this one is
// read; nullopt when it is not found there plainly (the page's own reading
// then decides).
std::optional<std::string> PeekNext(std::string_view body) {
  const std::string_view head = body.substr(0, 4096);
  const auto key = head.find("\"next\"");
  const auto results = head.find("\"results\"");
  if (key == std::string_view::npos || (results != std::string_view::npos && results < key)) {
    return std::nullopt;
  }
  size_t at = head.find_first_not_of(" \t\r\n", key + 6);
  if (at == std::string_view::npos || head[at] != ':') return std::nullopt;
  at = head.find_first_not_of(" \t\r\n", at + 1);
  if (at == std::string_view::npos) return std::nullopt;
  if (head.substr(at, 4) == "null") return std::string();
  if (head[at] != '"') return std::nullopt;
  const auto end = head.find('"', at + 1);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view url = head.substr(at + 1, end - at - 1);
  if (url.find('\\') != std::string_view::npos) return std::nullopt;
  return std::string(url);
}

Status FollowPages(HttpGetter& http, const std::string& first, const Url& base, int max_pages,
                   const char* what, const ReadPage& read, std::string* generated = nullptr) {
  std::unordered_set<std::string> seen;
  // Whether page number `page` may be fetched from `url`: the token goes
  // with it, so only from the configured server, and never in a loop.
  auto allowed = [&](const std::string& url, int page) -> Status {
    if (page > max_pages) {
      return Status::InvalidInput("pretix's " + std::string(what) + " goes on past " +
                                  std::to_string(max_pages) + " pages; stopped");
    }
    if (seen.count(url) != 0) {
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
    return Status::Ok();
  };
  // The next page, fetched while this one is read (one request at a time on
  // `http`: this thread does not use it meanwhile).
  std::future<Result<std::string>> ahead;
  std::string ahead_url;
  std::string url = first;
  for (int page = 1; !url.empty(); ++page) {
    Result<std::string> body = std::string();
    if (ahead.valid() && ahead_url == url) {
      body = ahead.get();
    } else {
      if (ahead.valid()) ahead.wait();  // a guess the page itself contradicts
      if (Status s = allowed(url, page); !s.ok()) return s;
      body = page == 1 && generated != nullptr ? http.Get(url, "X-Page-Generated", generated)
                                               : http.Get(url);
    }
    seen.insert(url);
    if (!body.ok()) return body.status();
    if (auto peeked = PeekNext(*body);
        peeked && !peeked->empty() && allowed(*peeked, page + 1).ok()) {
      ahead_url = *peeked;
      ahead = std::async(std::launch::async, [&http, u = *peeked] { return http.Get(u); });
    }
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

Result<db::RosterSnapshot> PretixSource::Read(const TicketsRead& tickets) {
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
  int positions = 0;
  std::string generated;
  Status s = FollowPages(
      ses.http, orders_url, ses.base, options_.max_pages, "order list",
      [&](std::string_view body) -> Result<std::string> {
        PretixOrders page;
        auto next = ReadOrdersPage(body, *items, &page);
        if (!next.ok()) return next;
        positions += page.positions;
        if (Status t = tickets(std::move(page.records)); !t.ok()) return t;
        return next;
      },
      &generated);
  if (!s.ok()) return ses.WrongEvent(s, options_);

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
  auto snap = ApiSnapshot(db::RosterFormat::kPretix, options_.source, ses.event_url,
                          options_.modified_since.empty(), positions, {});
  snap.rules = std::move(rules);
  return snap;
}

Result<db::RosterSnapshot> PretixSource::Fetch() {
  std::vector<db::RosterRecord> all;
  auto snap = Read([&all](std::vector<db::RosterRecord>&& page) {
    all.insert(all.end(), std::make_move_iterator(page.begin()),
               std::make_move_iterator(page.end()));
    return Status::Ok();
  });
  if (!snap.ok()) return snap;
  if (Status s = DedupeTickets(&all, "secret", "pretix"); !s.ok()) return s;
  snap->records = std::move(all);
  return snap;
}

Result<db::RosterSnapshot> PretixSource::Stream(const db::StreamCallbacks& cb) {
  // Each page is stored while the next is fetched. A ticket listed again on
  // a later page (its order changed while we paged) replaces its staged
  // copy, so only codes are checked here, as they come.
  if (cb.on_start) cb.on_start(db::RosterFormat::kPretix, options_.source);
  TicketCodes codes("secret", "pretix");
  int line = 0;
  return Read([&](std::vector<db::RosterRecord>&& page) -> Status {
    if (cb.keep_going && !cb.keep_going()) return Status::Unavailable("the sync was stopped");
    auto kept = std::make_shared<std::vector<db::RosterRecord>>(std::move(page));
    db::RecordBatch batch;
    batch.records.reserve(kept->size());
    for (db::RosterRecord& r : *kept) {
      if (Status s = codes.Add(r); !s.ok()) return s;
      r.line = ++line;
      batch.records.push_back(&r);
    }
    batch.keep_alive = kept;
    if (cb.on_batch && !batch.records.empty()) cb.on_batch(std::move(batch));
    return Status::Ok();
  });
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
