// What every page server of the hub module does to an HTTP exchange: the
// headers that keep a page from being framed or running anything not ours,
// and reading a cookie. Internal to hub/*.cc (web_routes, door_server).
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace checkin::hub {

// No framing, no inline script or style, nothing from elsewhere: a name
// from an import must never run, and the venue may have no internet.
void Harden(httplib::Response& res);

// A JSON error the pages show: {"error": {"message": ...}}.
void JsonError(httplib::Response& res, int status, const std::string& message);
// The same with the HTTP status for `s`'s code (hub/protocol.h).
void JsonError(httplib::Response& res, const Status& s);

// The value of cookie `name` in the request, or "".
std::string CookieValue(const httplib::Request& req, std::string_view name);

}  // namespace checkin::hub
