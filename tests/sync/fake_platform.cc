#include "tests/sync/fake_platform.h"

#include <fstream>

namespace checkin::sync::fake {

std::string ReadData(const std::string& dir, const std::string& name) {
  std::ifstream in(std::string(CHECKIN_TEST_DATA_DIR) + "/" + dir + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << dir << "/" << name;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

FakePlatform::FakePlatform(const std::string& pattern, Serve serve, const std::string& post_pattern,
                           Serve post) {
  auto handler = [this](Serve answer) {
    return [this, answer = std::move(answer)](const httplib::Request& req, httplib::Response& res) {
      std::unique_lock lock(mu_);
      // httplib 0.11 keeps no raw target: the path and its decoded parameters.
      std::string target = req.path;
      for (const auto& [k, v] : req.params) {
        target += (target == req.path ? "?" : "&") + k + "=" + v;
      }
      targets_.push_back(target);
      serving_ = &lock;
      answer(req, res);
    };
  };
  svr_.Get(pattern, handler(std::move(serve)));
  if (post) svr_.Post(post_pattern, handler(std::move(post)));
  port_ = svr_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { svr_.listen_after_bind(); });
  while (!svr_.is_running()) std::this_thread::yield();
}

FakePlatform::~FakePlatform() {
  {
    std::lock_guard lock(mu_);
    released_ = true;
  }
  release_.notify_all();
  svr_.stop();
  thread_.join();
}

void FakePlatform::Queue(Canned c) {
  std::lock_guard lock(mu_);
  queued_.push_back(std::move(c));
}

bool FakePlatform::AnswerQueued(httplib::Response& res) {
  if (queued_.empty()) return false;
  Canned c = std::move(queued_.front());
  queued_.pop_front();
  if (c.hang) {
    release_.wait_for(*serving_, std::chrono::seconds(30), [this] { return released_; });
    return true;
  }
  res.status = c.status;
  if (!c.retry_after.empty()) res.set_header("Retry-After", c.retry_after);
  res.set_content(c.body, "application/json");
  return true;
}

void FakePlatform::Override(int page, std::string body) {
  std::lock_guard lock(mu_);
  overrides_[page] = std::move(body);
}

bool FakePlatform::AnswerOverride(int page, httplib::Response& res) {
  auto it = overrides_.find(page);
  if (it == overrides_.end()) return false;
  res.set_content(it->second, "application/json");
  return true;
}

std::vector<std::string> FakePlatform::targets() {
  std::lock_guard lock(mu_);
  return targets_;
}

void ExpectFails(const Result<db::RosterSnapshot>& r, StatusCode code, const std::string& words,
                 const std::string& token) {
  ASSERT_FALSE(r.ok()) << words;
  EXPECT_EQ(r.status().code(), code) << r.status().message();
  EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().find(token), std::string::npos) << r.status().message();
}

void ExpectSameRecords(const std::vector<db::RosterRecord>& api,
                       const std::vector<db::RosterRecord>& csv) {
  ASSERT_EQ(api.size(), csv.size());
  for (size_t i = 0; i < api.size(); ++i) {
    const auto& a = api[i];
    const auto& c = csv[i];
    EXPECT_EQ(a.ticket_id, c.ticket_id) << i;
    EXPECT_EQ(a.ticket_code, c.ticket_code) << a.ticket_id;
    EXPECT_EQ(a.order_id, c.order_id) << a.ticket_id;
    EXPECT_EQ(a.first_name, c.first_name) << a.ticket_id;
    EXPECT_EQ(a.last_name, c.last_name) << a.ticket_id;
    EXPECT_EQ(a.email, c.email) << a.ticket_id;
    EXPECT_EQ(a.company, c.company) << a.ticket_id;
    EXPECT_EQ(a.ticket_type, c.ticket_type) << a.ticket_id;
    EXPECT_EQ(a.status, c.status) << a.ticket_id;
    EXPECT_EQ(a.upstream_status, c.upstream_status) << a.ticket_id;
    EXPECT_EQ(a.valid_from, c.valid_from) << a.ticket_id;
    EXPECT_EQ(a.valid_until, c.valid_until) << a.ticket_id;
  }
}

const db::RosterRecord* FindTicket(const db::RosterSnapshot& s, const std::string& ticket_id) {
  for (const auto& r : s.records) {
    if (r.ticket_id == ticket_id) return &r;
  }
  return nullptr;
}

}  // namespace checkin::sync::fake
