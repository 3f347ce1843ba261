// Local stand-ins for pretix, Eventbrite and Sympla, which cannot be reached
// from these machines: each answers on 127.0.0.1 in its platform's
// documented API format with the pages recorded in tests/data/PLATFORM for
// a Bogotá event, refuses any other token or event as the platform does, and
// takes the faults of FakePlatform (queued replies, page overrides).
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "tests/sync/fake_platform.h"

namespace checkin::sync::fake {

// pretix: /api/v1/organizers/kcd/events/bogota2025/ (the event's detail,
// with its signing key) and its {items,orders,revokedsecrets,blockedsecrets}/
// lists, pages of
// {count, next, previous, results} followed by `next`, "Authorization:
// Token", {"detail"} error bodies, X-Page-Generated. Queued replies and
// overrides apply to the order list (3 pages).
inline constexpr char kPretixToken[] = "t0k3n-9f8e7d6c5b4a3210fedcba9876543210abcdef";
inline constexpr char kPretixEventPath[] = "/api/v1/organizers/kcd/events/bogota2025";
class FakePretix : public FakePlatform {
 public:
  FakePretix();
  std::string Page(int n);  // the order list's page n as pretix sends it
  // pretix before 4.x: no blockedsecrets. Call before the first request.
  void WithoutBlockedSecrets() { serve_blocked_ = false; }
  // Serves these pages of the check-in lists instead of the recorded one.
  // Call before the first request.
  void SetCheckinLists(std::vector<std::string> pages) { checkin_lists_ = std::move(pages); }
  // The bodies POSTed to checkinrpc/redeem/ (our check-ins sent back), each
  // answered {"status": "ok"}.
  std::vector<std::string> redeemed();
  // A ticket sold now: a paid order of one General Admission ticket whose
  // code is `secret`, listed last on the last page from now on (replacing
  // an Override of page 3). From the test's thread only.
  void AddOrder(const std::string& code, int position_id, const std::string& secret,
                const std::string& given_name, const std::string& family_name);

 private:
  void Serve(const httplib::Request& req, httplib::Response& res);
  void Redeem(const httplib::Request& req, httplib::Response& res);
  std::atomic<bool> serve_blocked_{true};
  std::mutex redeemed_mu_;
  std::vector<std::string> redeemed_;
  std::vector<std::string> checkin_lists_;
  std::vector<std::string> added_orders_;  // JSON, as AddOrder made them
};

// Eventbrite: /v3/events/812345678901/attendees/, "Authorization: Bearer",
// {"pagination": {..., has_more_items, continuation}, "attendees"} (2 pages),
// {"status_code", "error", "error_description"} error bodies, a Date header.
inline constexpr char kEventbriteToken[] = "EB7QXKZ3M5N2P8R4T6V9W1Y0ABCDEFGH";
inline constexpr char kEventbriteEvent[] = "812345678901";
inline constexpr char kEventbriteContinuation[] = "dGhpcyBpcyBwYWdlIDI";
std::string EventbriteError(int status, const char* error, const char* description);
class FakeEventbrite : public FakePlatform {
 public:
  FakeEventbrite();
  std::string Page(int n);

 private:
  void Serve(const httplib::Request& req, httplib::Response& res);
};

// Sympla: /public/v3/events/2468013/participants?page=N&page_size=M, the
// s_token header, {"data", "pagination": {has_next, page, total_page, ...}}
// (2 pages) with null members left out, {"error", "code", "message"} error
// bodies.
inline constexpr char kSymplaToken[] =
    "5f3c9a7e1b2d4f60a8c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1";
inline constexpr char kSymplaEvent[] = "2468013";
std::string SymplaError(int code, const char* message);
class FakeSympla : public FakePlatform {
 public:
  FakeSympla();
  std::string Page(int n);

 private:
  void Serve(const httplib::Request& req, httplib::Response& res);
};

}  // namespace checkin::sync::fake
