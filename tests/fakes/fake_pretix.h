// A fake pretix for the tests: an httplib::Server on 127.0.0.1 (port 0),
// started by the test, that answers in pretix's documented REST format
// (organizer/event paths, pages of {count, next, previous, results},
// "Authorization: Token", {"detail"} error bodies, Retry-After on 429) with
// the pages recorded in tests/data/pretix for organizer "kcd", event
// "bogota2025": the event's detail, products, three pages of orders, revoked
// and blocked secrets, check-in lists. Faults are
// switched on per test. Header-only; its methods are thread-safe.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace checkin::testing {

inline constexpr char kPretixToken[] = "t0k3n-9f8e7d6c5b4a3210fedcba9876543210abcdef";
inline constexpr char kEventPath[] = "/api/v1/organizers/kcd/events/bogota2025";

inline std::string ReadPretixData(const std::string& name) {
  std::ifstream in(std::string(CHECKIN_TEST_DATA_DIR) + "/pretix/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Canned {
  int status = 200;
  std::string body;
  std::string retry_after;
  bool hang = false;  // answer nothing until the test ends
};

class FakePretix {
 public:
  FakePretix() {
    svr_.Get(
        R"(/api/v1/organizers/([^/]+)/events/([^/]+)/((items|orders|revokedsecrets|blockedsecrets|checkinlists)/)?)",
        [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
    while (!svr_.is_running()) std::this_thread::yield();
  }
  ~FakePretix() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    release_.notify_all();
    svr_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  int port() const { return port_; }
  // Served, in order, for the next requests of the order list.
  void Queue(Canned c) {
    std::lock_guard lock(mu_);
    queued_.push_back(std::move(c));
  }
  // The order list's page `n` (1-3) as pretix would send it.
  std::string Page(int n) {
    std::string body = ReadPretixData("orders_" + std::to_string(n) + ".json");
    for (auto at = body.find("{BASE}"); at != std::string::npos; at = body.find("{BASE}")) {
      body.replace(at, 6, "http://127.0.0.1:" + std::to_string(port_));
    }
    return body;
  }
  void Override(int page, std::string body) {
    std::lock_guard lock(mu_);
    overrides_[page] = std::move(body);
  }
  // pretix before 4.x: no blockedsecrets.
  void WithoutBlockedSecrets() {
    std::lock_guard lock(mu_);
    serve_blocked_ = false;
  }
  // Served as the check-in lists' pages 1, 2, ... instead of the recorded page.
  void SetCheckinLists(std::vector<std::string> pages) {
    std::lock_guard lock(mu_);
    checkin_lists_ = std::move(pages);
  }
  std::vector<std::string> targets() {
    std::lock_guard lock(mu_);
    return targets_;
  }

 private:
  void Serve(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock lock(mu_);
    // httplib 0.11 keeps no raw target: the path and its decoded parameters.
    std::string target = req.path;
    for (const auto& [k, v] : req.params) {
      target += (target == req.path ? "?" : "&") + k + "=" + v;
    }
    const std::string list = req.matches[4];
    // The event's detail and secret lists are asked for on every pass; the
    // tests follow the product and order lists.
    if (list == "items" || list == "orders" || list == "checkinlists") targets_.push_back(target);
    auto error = [&](int status, const char* detail) {
      res.status = status;
      res.set_content(nlohmann::json{{"detail", detail}}.dump(), "application/json");
    };
    if (req.get_header_value("Authorization") != std::string("Token ") + kPretixToken) {
      return error(401, "Invalid token.");
    }
    if (req.matches[1] != "kcd" || req.matches[2] != "bogota2025") return error(404, "Not found.");
    if (list.empty()) return res.set_content(ReadPretixData("event.json"), "application/json");
    if (list == "checkinlists" && !checkin_lists_.empty()) {
      const size_t page = req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
      if (page < 1 || page > checkin_lists_.size()) return error(404, "Invalid page.");
      return res.set_content(checkin_lists_[page - 1], "application/json");
    }
    if (list != "orders") {
      if (list == "blockedsecrets" && !serve_blocked_) return error(404, "Not found.");
      return res.set_content(ReadPretixData(list + ".json"), "application/json");
    }
    if (!queued_.empty()) {
      Canned c = std::move(queued_.front());
      queued_.pop_front();
      if (c.hang) {
        release_.wait_for(lock, std::chrono::seconds(30), [this] { return released_; });
        return;
      }
      res.status = c.status;
      if (!c.retry_after.empty()) res.set_header("Retry-After", c.retry_after);
      return res.set_content(c.body, "application/json");
    }
    res.set_header("X-Page-Generated", "2026-11-28T12:00:01Z");
    const int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
    if (page < 1 || page > 3) return error(404, "Invalid page.");
    auto it = overrides_.find(page);
    res.set_content(it != overrides_.end() ? it->second : Page(page), "application/json");
  }

  httplib::Server svr_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable release_;
  bool released_ = false;
  std::deque<Canned> queued_;
  std::map<int, std::string> overrides_;
  std::vector<std::string> targets_;
  bool serve_blocked_ = true;
  std::vector<std::string> checkin_lists_;
};

}  // namespace checkin::testing
