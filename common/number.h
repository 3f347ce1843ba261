// Checked parsing of numbers that people type: command-line arguments, camera
// indexes, tool options. Never throws; pure functions, thread-safe.
#pragma once

#include <cassert>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "common/result.h"

namespace checkin {

// The whole of `text` as a base-10 integer in [min, max]: no sign but a leading
// '-', no spaces, no trailing characters. InvalidInput otherwise, naming `what`:
// "--rows: 'abc' is not a whole number between 1 and 1000".
Result<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max, std::string_view what);

// ParseInt into a narrower type, for option parsers that fill a struct: sets
// *out only on success. [min, max] must fit in int64_t.
template <typename T>
Status ParseIntInto(std::string_view text, std::type_identity_t<T> min, std::type_identity_t<T> max,
                    std::string_view what, T* out) {
  assert(std::in_range<int64_t>(min) && std::in_range<int64_t>(max));
  auto n = ParseInt(text, static_cast<int64_t>(min), static_cast<int64_t>(max), what);
  if (!n.ok()) return n.status();
  *out = static_cast<T>(*n);
  return Status::Ok();
}

// The whole of `text` as a finite decimal number in [min, max] ("2.5", "30",
// "1e3"); nan and inf are refused. InvalidInput otherwise, naming `what`.
Result<double> ParseDouble(std::string_view text, double min, double max, std::string_view what);

}  // namespace checkin
