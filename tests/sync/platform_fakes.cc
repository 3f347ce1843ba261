#include "tests/sync/platform_fakes.h"

#include <nlohmann/json.hpp>

namespace checkin::sync::fake {

// Each fake's Serve runs on the server's thread under FakePlatform's lock and
// reads only FakePlatform's state, so it may be bound before the derived
// object is complete.

FakePretix::FakePretix()
    : FakePlatform(
          R"(/api/v1/organizers/([^/]+)/events/([^/]+)/((items|orders|revokedsecrets|blockedsecrets|checkinlists)/)?)",
          [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); },
          R"(/api/v1/organizers/([^/]+)/checkinrpc/redeem/)",
          [this](const httplib::Request& req, httplib::Response& res) { Redeem(req, res); }) {}

std::vector<std::string> FakePretix::redeemed() {
  std::lock_guard lock(redeemed_mu_);
  return redeemed_;
}

void FakePretix::Redeem(const httplib::Request& req, httplib::Response& res) {
  if (req.get_header_value("Authorization") != std::string("Token ") + kPretixToken) {
    res.status = 401;
    return res.set_content(R"({"detail": "Invalid token."})", "application/json");
  }
  {
    std::lock_guard lock(redeemed_mu_);
    redeemed_.push_back(req.body);
  }
  res.status = 201;
  res.set_content(R"({"status": "ok", "require_attention": false})", "application/json");
}

std::string FakePretix::Page(int n) {
  std::string body = ReadData("pretix", "orders_" + std::to_string(n) + ".json");
  for (auto at = body.find("{BASE}"); at != std::string::npos; at = body.find("{BASE}")) {
    body.replace(at, 6, origin());
  }
  return body;
}

void FakePretix::AddOrder(const std::string& code, int position_id, const std::string& secret,
                          const std::string& given_name, const std::string& family_name) {
  auto page = nlohmann::json::parse(Page(3));
  // VWX56 is a plain paid order of one General Admission ticket.
  nlohmann::json order;
  for (const auto& o : page["results"]) {
    if (o["code"] == "VWX56") order = o;
  }
  ASSERT_FALSE(order.is_null());
  order["code"] = code;
  order["secret"] = "s" + code;
  nlohmann::json& pos = order["positions"][0];
  pos["id"] = position_id;
  pos["order"] = code;
  pos["secret"] = secret;
  pos["attendee_name"] = given_name + " " + family_name;
  pos["attendee_name_parts"] = {
      {"_scheme", "given_family"}, {"given_name", given_name}, {"family_name", family_name}};
  added_orders_.push_back(order.dump());
  for (const std::string& added : added_orders_) {
    page["results"].push_back(nlohmann::json::parse(added));
  }
  page["count"] = page["count"].get<int>() + static_cast<int>(added_orders_.size());
  Override(3, page.dump());
}

void FakePretix::Serve(const httplib::Request& req, httplib::Response& res) {
  auto error = [&](int status, const char* detail) {
    res.status = status;
    res.set_content(nlohmann::json{{"detail", detail}}.dump(), "application/json");
  };
  if (req.get_header_value("Authorization") != std::string("Token ") + kPretixToken) {
    return error(401, "Invalid token.");
  }
  if (req.matches[1] != "kcd" || req.matches[2] != "bogota2025") return error(404, "Not found.");
  const std::string list = req.matches[4];
  if (list.empty()) return res.set_content(ReadData("pretix", "event.json"), "application/json");
  if (list == "checkinlists" && !checkin_lists_.empty()) {
    const size_t page = req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
    if (page < 1 || page > checkin_lists_.size()) return error(404, "Invalid page.");
    return res.set_content(checkin_lists_[page - 1], "application/json");
  }
  if (list != "orders") {
    if (list == "blockedsecrets" && !serve_blocked_) return error(404, "Not found.");
    return res.set_content(ReadData("pretix", list + ".json"), "application/json");
  }
  if (AnswerQueued(res)) return;
  res.set_header("X-Page-Generated", "2026-11-28T12:00:01Z");
  const int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
  if (page < 1 || page > 3) return error(404, "Invalid page.");
  if (!AnswerOverride(page, res)) res.set_content(Page(page), "application/json");
}

std::string EventbriteError(int status, const char* error, const char* description) {
  return nlohmann::json{
      {"status_code", status}, {"error", error}, {"error_description", description}}
      .dump();
}

FakeEventbrite::FakeEventbrite()
    : FakePlatform(
          R"(/v3/events/([^/]+)/attendees/)",
          [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); }) {}

std::string FakeEventbrite::Page(int n) {
  return ReadData("eventbrite", "attendees_" + std::to_string(n) + ".json");
}

void FakeEventbrite::Serve(const httplib::Request& req, httplib::Response& res) {
  auto error = [&](int status, const char* code, const char* description) {
    res.status = status;
    res.set_content(EventbriteError(status, code, description), "application/json");
  };
  if (req.get_header_value("Authorization") != std::string("Bearer ") + kEventbriteToken) {
    return error(401, "INVALID_AUTH", "The OAuth token you provided was invalid.");
  }
  if (req.matches[1] != kEventbriteEvent) {
    return error(404, "NOT_FOUND", "The event you requested does not exist.");
  }
  if (AnswerQueued(res)) return;
  res.set_header("Date", "Sat, 28 Nov 2026 12:00:01 GMT");
  int page = 1;
  if (req.has_param("continuation")) {
    if (req.get_param_value("continuation") != kEventbriteContinuation) {
      return error(400, "BAD_PAGE", "The continuation token is not valid.");
    }
    page = 2;
  }
  if (!AnswerOverride(page, res)) res.set_content(Page(page), "application/json");
}

std::string SymplaError(int code, const char* message) {
  return nlohmann::json{{"error", true}, {"code", code}, {"message", message}}.dump();
}

FakeSympla::FakeSympla()
    : FakePlatform(
          R"(/public/v3/events/([^/]+)/participants)",
          [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); }) {}

std::string FakeSympla::Page(int n) {
  return ReadData("sympla", "participants_" + std::to_string(n) + ".json");
}

void FakeSympla::Serve(const httplib::Request& req, httplib::Response& res) {
  auto error = [&](int status, const char* message) {
    res.status = status;
    res.set_content(SymplaError(status, message), "application/json");
  };
  if (req.get_header_value("s_token") != kSymplaToken) return error(401, "Token inválido.");
  if (req.matches[1] != kSymplaEvent) return error(404, "Evento não encontrado.");
  if (AnswerQueued(res)) return;
  const int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
  if (AnswerOverride(page, res)) return;
  if (page < 1 || page > 2) return error(400, "Página inválida.");
  res.set_content(Page(page), "application/json");
}

}  // namespace checkin::sync::fake
