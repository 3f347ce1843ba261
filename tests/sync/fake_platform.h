// What the sync tests share: a local HTTP server standing in for a
// registration platform (the platforms cannot be reached from these
// machines), a sleeper that only moves a fake clock, and the checks every
// platform's faults and CSV agreement use. Each test's fake answers in its
// platform's documented format; this only serves it on 127.0.0.1.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "db/registration_source.h"
#include "sync/http_get.h"
#include "tests/fakes/fake_clock.h"

namespace checkin::sync::fake {

// tests/data/DIR/NAME, whole.
std::string ReadData(const std::string& dir, const std::string& name);

// A reply served instead of the platform's page.
struct Canned {
  int status = 200;
  std::string body;
  std::string retry_after;
  bool hang = false;  // answer nothing until the fake is destroyed
};

class FakePlatform {
 public:
  // `serve` answers GETs matching `pattern`, under the fake's lock.
  using Serve = std::function<void(const httplib::Request&, httplib::Response&)>;
  // `post`, when given, answers POSTs matching `post_pattern` the same way.
  FakePlatform(const std::string& pattern, Serve serve, const std::string& post_pattern = "",
               Serve post = nullptr);
  ~FakePlatform();
  FakePlatform(const FakePlatform&) = delete;
  FakePlatform& operator=(const FakePlatform&) = delete;

  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string base() const { return origin() + "/"; }
  int port() const { return port_; }
  // Served, in order, to the next requests that reach AnswerQueued.
  void Queue(Canned c);
  // For `serve`: answers with the next queued reply, if any (true).
  bool AnswerQueued(httplib::Response& res);
  // Serves `body` instead of the platform's page `page` from now on.
  void Override(int page, std::string body);
  // For `serve`: answers with the override of `page`, if any (true).
  bool AnswerOverride(int page, httplib::Response& res);
  // Every request's path and decoded query, in order.
  std::vector<std::string> targets();

 private:
  httplib::Server svr_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::unique_lock<std::mutex>* serving_ = nullptr;  // the lock AnswerQueued may wait on
  std::condition_variable release_;
  bool released_ = false;
  std::deque<Canned> queued_;
  std::map<int, std::string> overrides_;
  std::vector<std::string> targets_;
};

class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(checkin::testing::FakeClock& clock) : clock_(clock) {}
  void Sleep(std::chrono::milliseconds d) override {
    sleeps.push_back(d);
    clock_.Advance(d);
  }
  std::vector<std::chrono::milliseconds> sleeps;

 private:
  checkin::testing::FakeClock& clock_;
};

// The fetch failed with `code`, says `words`, and never shows `token`.
void ExpectFails(const Result<db::RosterSnapshot>& r, StatusCode code, const std::string& words,
                 const std::string& token);

// Every field the roster keeps, record by record, in order.
void ExpectSameRecords(const std::vector<db::RosterRecord>& api,
                       const std::vector<db::RosterRecord>& csv);

const db::RosterRecord* FindTicket(const db::RosterSnapshot& s, const std::string& ticket_id);

}  // namespace checkin::sync::fake
