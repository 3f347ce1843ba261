#include "common/number.h"

#include <charconv>
#include <cmath>
#include <sstream>
#include <string>
#include <system_error>

namespace checkin {
namespace {

template <typename T>
bool ParseWhole(std::string_view text, T* out) {
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && stop == end;
}

template <typename T>
Status OutOfRange(std::string_view text, const char* kind, T min, T max, std::string_view what) {
  std::ostringstream msg;
  msg << what << ": '" << text << "' is not " << kind << " between " << min << " and " << max;
  return Status::InvalidInput(msg.str());
}

}  // namespace

Result<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max, std::string_view what) {
  int64_t value = 0;
  if (!ParseWhole(text, &value) || value < min || value > max) {
    return OutOfRange(text, "a whole number", min, max, what);
  }
  return value;
}

Result<double> ParseDouble(std::string_view text, double min, double max, std::string_view what) {
  double value = 0;
  // from_chars reads "nan" and "inf"; neither is a number a person means here.
  if (!ParseWhole(text, &value) || !std::isfinite(value) || value < min || value > max) {
    return OutOfRange(text, "a number", min, max, what);
  }
  return value;
}

}  // namespace checkin
