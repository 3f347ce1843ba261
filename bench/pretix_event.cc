#include "bench/pretix_event.h"

#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

namespace checkin::bench {
namespace {

using nlohmann::json;

struct Product {
  int64_t id;
  const char* en;
  const char* es;
  bool admission;
};
// 4 is only sold as an add-on; 5 is merch, which admits no one.
constexpr Product kProducts[] = {{1, "General Admission", "Entrada general", true},
                                 {2, "Student", "Estudiante", true},
                                 {3, "VIP", "VIP", true},
                                 {4, "Workshop: Kubernetes", "Taller: Kubernetes", true},
                                 {5, "T-shirt", "Camiseta", false}};
constexpr const char* kEventPath = "/api/v1/organizers/bench/events/sync";

const Product& ProductOf(int64_t id) { return kProducts[id - 1]; }

bool Kept(const PretixPosition& p) {
  return ProductOf(p.item).admission && !p.addon_to.has_value();
}

// pretix's secrets: 32 random lowercase letters and digits.
std::string Secret(Rng& rng) {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string s;
  for (int i = 0; i < 32; ++i) s.push_back(kAlphabet[rng.Below(sizeof kAlphabet - 1)]);
  return s;
}

std::string OrderCode(size_t i) {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string code;
  for (int d = 0; d < 5; ++d, i /= 32) code.insert(code.begin(), kAlphabet[i % 32]);
  return code;
}

char PickOrderStatus(Rng& rng) {
  const size_t r = rng.Below(100);
  return r < 94 ? 'p' : r < 97 ? 'n' : r < 98 ? 'e' : 'c';
}

json NameParts(const Person& p) {
  return {{"_scheme", "given_family"}, {"given_name", p.first}, {"family_name", p.last}};
}

// Every member pretix sends, so parsing costs what it costs on real pages.
json PositionJson(const PretixOrder& o, const PretixPosition& p) {
  json j = {{"id", p.id},
            {"order", o.code},
            {"positionid", p.positionid},
            {"item", p.item},
            {"variation", nullptr},
            {"price", p.item == 5 ? "60000.00" : "250000.00"},
            {"attendee_name", nullptr},
            {"attendee_name_parts", json::object()},
            {"company", p.person.company.empty() ? json(nullptr) : json(p.person.company)},
            {"street", nullptr},
            {"zipcode", nullptr},
            {"city", nullptr},
            {"country", nullptr},
            {"state", nullptr},
            {"attendee_email", p.named ? json(p.person.email) : json(nullptr)},
            {"voucher", nullptr},
            {"tax_rate", "19.00"},
            {"tax_value", "0.00"},
            {"secret", p.secret},
            {"addon_to", p.addon_to ? json(*p.addon_to) : json(nullptr)},
            {"subevent", nullptr},
            {"checkins", json::array()},
            {"downloads", json::array()},
            {"answers", json::array()},
            {"tax_rule", 1},
            {"pseudonymization_id", "PS" + p.secret.substr(0, 8)},
            {"seat", nullptr},
            {"canceled", p.canceled},
            {"valid_from", nullptr},
            {"valid_until", nullptr},
            {"blocked", nullptr}};
  if (p.named) {
    j["attendee_name"] = p.person.first + " " + p.person.last;
    j["attendee_name_parts"] = NameParts(p.person);
  }
  return j;
}

json OrderJson(const PretixOrder& o) {
  json positions = json::array();
  for (const auto& p : o.positions) positions.push_back(PositionJson(o, p));
  const std::string buyer = o.buyer.first + " " + o.buyer.last;
  return {{"code", o.code},
          {"status", std::string(1, o.status)},
          {"testmode", false},
          {"secret", "s" + o.code},
          {"email", o.buyer.email},
          {"phone", nullptr},
          {"locale", "es"},
          {"datetime", "2026-10-01T09:00:00.000000-05:00"},
          {"expires", "2026-10-15T23:59:00-05:00"},
          {"payment_date", "2026-10-01"},
          {"payment_provider", "stripe"},
          {"fees", json::array()},
          {"total", "250000.00"},
          {"comment", ""},
          {"custom_followup_at", nullptr},
          {"checkin_attention", false},
          {"invoice_address",
           {{"is_business", false},
            {"company", o.buyer.company},
            {"name", buyer},
            {"name_parts", NameParts(o.buyer)},
            {"street", "Cra 7 # 71-21"},
            {"zipcode", "110231"},
            {"city", "Bogotá"},
            {"country", "CO"},
            {"state", ""},
            {"vat_id", ""},
            {"internal_reference", ""}}},
          {"positions", std::move(positions)},
          {"downloads", json::array()},
          {"last_modified", "2026-11-20T10:00:00.000000-05:00"},
          {"require_approval", false},
          {"sales_channel", "web"},
          {"url", "https://pretix.eu/bench/sync/order/" + o.code + "/"}};
}

// Pages of 50 orders; `query` goes before &page=.
std::vector<std::string> Pages(const PretixEvent& event, const std::vector<size_t>& which,
                               const std::string& list_url) {
  std::vector<std::string> pages;
  for (size_t start = 0; start < which.size() || pages.empty(); start += kPretixPageOrders) {
    const size_t end = std::min(which.size(), start + kPretixPageOrders);
    json results = json::array();
    for (size_t i = start; i < end; ++i) results.push_back(OrderJson(event.orders[which[i]]));
    const size_t page = pages.size() + 1;
    json body = {{"count", which.size()},
                 {"next", end < which.size() ? json(list_url + "&page=" + std::to_string(page + 1))
                                             : json(nullptr)},
                 {"previous",
                  page > 1 ? json(list_url + "&page=" + std::to_string(page - 1)) : json(nullptr)},
                 {"results", std::move(results)}};
    pages.push_back(body.dump());
  }
  return pages;
}

const char* StatusWord(char status) {
  switch (status) {
    case 'p':
      return "Paid";
    case 'n':
      return "Pending";
    case 'e':
      return "Expired";
    default:
      return "Canceled";
  }
}

}  // namespace

PretixEvent MakePretixEvent(size_t orders, uint64_t seed) {
  Rng rng(seed);
  PretixEvent event;
  event.orders.reserve(orders);
  int64_t next_id = 1000;
  size_t previous = 0;
  for (size_t i = 0; i < orders; ++i) {
    PretixOrder o;
    o.code = OrderCode(i + 4242);
    o.status = PickOrderStatus(rng);
    o.buyer = MakePerson(rng);
    // Pairs of orders hold four positions, so the event has exactly two per order.
    const size_t count = i % 2 == 0 ? 1 + rng.Below(3) : 4 - previous;
    previous = count;
    for (size_t k = 0; k < count; ++k) {
      PretixPosition p;
      p.id = next_id++;
      p.positionid = static_cast<int>(k) + 1;
      p.item = k == 0 ? 1 + static_cast<int64_t>(rng.Below(3)) : 0;
      if (k > 0) {
        const size_t kind = rng.Below(100);
        p.item = kind < 15 ? 4 : kind < 25 ? 5 : 1 + static_cast<int64_t>(rng.Below(3));
        if (p.item == 4) p.addon_to = o.positions[0].id;
      }
      p.canceled = rng.Chance(2);
      // The buyer's own ticket often carries no attendee name: the invoice's applies.
      p.named = !(k == 0 && rng.Chance(5));
      p.person = k == 0 && rng.Chance(60) ? o.buyer : MakePerson(rng);
      p.secret = Secret(rng);
      event.admissions += Kept(p) ? 1 : 0;
      o.positions.push_back(std::move(p));
    }
    event.positions += count;
    event.orders.push_back(std::move(o));
  }
  return event;
}

std::vector<size_t> ChangeOrders(PretixEvent* event, size_t first, size_t count, uint64_t seed) {
  Rng rng(seed);
  std::vector<size_t> changed;
  for (size_t n = 0; n < count; ++n) {
    const size_t i = (first + n) % event->orders.size();
    PretixOrder& o = event->orders[i];
    PretixPosition& p = o.positions[rng.Below(o.positions.size())];
    const size_t kind = rng.Below(3);
    if (kind == 0) p.person = MakePerson(rng), p.named = true;
    if (kind == 1) p.canceled = true;
    if (kind == 2 && o.status == 'n') o.status = 'p';
    if (kind == 2 && o.status != 'n') p.person.company = "Cambio S.A.S.";
    changed.push_back(i);
  }
  return changed;
}

Status WritePretixCsv(const PretixEvent& event, const std::string& path) {
  std::string out =
      "Order code,Position ID,Status,Email,Order date,Product,Variation,Price,Attendee name,"
      "Attendee name: Title,Attendee name: Given name,Attendee name: Family name,"
      "Attendee email,Company,Ticket secret,Valid from,Valid until,Add-on to position ID\n";
  out.reserve(event.admissions * 220);
  for (const auto& o : event.orders) {
    for (const auto& p : o.positions) {
      if (!Kept(p)) continue;
      const Person& named = p.named ? p.person : o.buyer;
      out += o.code + "," + std::to_string(p.positionid) + ",";
      out += p.canceled ? "Canceled" : StatusWord(o.status);
      out += ",";
      AppendCsvField(out, o.buyer.email);
      out += ",2026-10-01,";
      AppendCsvField(out, ProductOf(p.item).en);
      out += ",,250000.00,";
      AppendCsvField(out, named.first + " " + named.last);
      out += ",,";
      AppendCsvField(out, named.first);
      out += ",";
      AppendCsvField(out, named.last);
      out += ",";
      AppendCsvField(out, p.named ? p.person.email : "");
      out += ",";
      AppendCsvField(out, p.person.company);
      out += "," + p.secret + ",,,\n";
    }
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(out.data(), static_cast<std::streamsize>(out.size()));
  file.close();
  if (!file) return Status::DeviceError("cannot write " + path);
  return Status::Ok();
}

struct FakePretixServer::Impl {
  httplib::Server svr;
  std::thread thread;
  int port = 0;
  mutable std::mutex mu;
  std::string items;
  std::vector<std::string> full, delta;

  void Serve(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    if (req.get_header_value("Authorization") != std::string("Token ") + kToken) {
      res.status = 401;
      return res.set_content(R"({"detail": "Invalid token."})", "application/json");
    }
    // pretix's own clock: the next pass's modified_since.
    res.set_header("X-Page-Generated", "2026-11-28T12:00:01Z");
    const std::string list = req.matches[2];
    if (list.empty())
      return res.set_content(R"({"slug": "sync", "valid_keys": {}})", "application/json");
    if (list == "revokedsecrets" || list == "blockedsecrets") {
      return res.set_content(R"({"count": 0, "next": null, "previous": null, "results": []})",
                             "application/json");
    }
    if (list == "items") {
      return res.set_content(items, "application/json");
    }
    const auto& pages = req.has_param("modified_since") ? delta : full;
    const size_t page = req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
    if (page < 1 || page > pages.size()) {
      res.status = 404;
      return res.set_content(R"({"detail": "Invalid page."})", "application/json");
    }
    res.set_content(pages[page - 1], "application/json");
  }
};

FakePretixServer::FakePretixServer() : impl_(std::make_unique<Impl>()) {
  json items = json::array();
  for (const auto& p : kProducts) {
    items.push_back({{"id", p.id},
                     {"name", {{"en", p.en}, {"es", p.es}}},
                     {"admission", p.admission},
                     {"active", true},
                     {"default_price", "250000.00"},
                     {"variations", json::array()}});
  }
  impl_->items =
      json{{"count", items.size()}, {"next", nullptr}, {"previous", nullptr}, {"results", items}}
          .dump();
  // The event's detail (no signing keys), its lists, and no barred secrets.
  impl_->svr.Get(
      std::string(kEventPath) + "/((items|orders|revokedsecrets|blockedsecrets)/)?",
      [this](const httplib::Request& req, httplib::Response& res) { impl_->Serve(req, res); });
  impl_->port = impl_->svr.bind_to_any_port("127.0.0.1");
  impl_->thread = std::thread([this] { impl_->svr.listen_after_bind(); });
  while (!impl_->svr.is_running()) std::this_thread::yield();
}

FakePretixServer::~FakePretixServer() {
  impl_->svr.stop();
  impl_->thread.join();
}

std::string FakePretixServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + "/";
}

void FakePretixServer::SetOrders(const PretixEvent& event, const std::vector<size_t>& changed) {
  std::vector<size_t> all(event.orders.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const std::string list = "http://127.0.0.1:" + std::to_string(impl_->port) + kEventPath +
                           "/orders/?include_canceled_positions=true";
  auto full = Pages(event, all, list);
  auto delta = Pages(event, changed, list + "&modified_since=2026-11-28T12%3A00%3A01Z");
  std::lock_guard lock(impl_->mu);
  impl_->full = std::move(full);
  impl_->delta = std::move(delta);
}

std::vector<std::string> FakePretixServer::FullPages() const {
  std::lock_guard lock(impl_->mu);
  return impl_->full;
}

std::string FakePretixServer::ItemsPage() const { return impl_->items; }

}  // namespace checkin::bench
