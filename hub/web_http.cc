#include "hub/web_http.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "hub/protocol.h"

namespace checkin::hub {

void Harden(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
                 " connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none';"
                 " form-action 'self'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

void JsonError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", {{"message", message}}}}.dump(), "application/json");
}

void JsonError(httplib::Response& res, const Status& s) {
  JsonError(res, HttpStatusFor(s.code()), s.message());
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  size_t at = 0;
  while (at < header.size()) {
    size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    std::string_view part = std::string_view(header).substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    at = end + 1;
  }
  return "";
}

}  // namespace checkin::hub
