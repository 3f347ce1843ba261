#include "db/uuid_text.h"

#include <uuid/uuid.h>

namespace checkin::db {

std::optional<std::string> CanonicalUuid(std::string_view text) {
  // uuid_parse wants exactly 36 characters before the first NUL, so a NUL
  // inside or anything after them is refused too.
  const std::string copy(text);
  uuid_t bytes;
  if (copy.size() != 36 || uuid_parse(copy.c_str(), bytes) != 0 || uuid_is_null(bytes) != 0)
    return std::nullopt;
  char out[37];
  uuid_unparse_lower(bytes, out);
  return std::string(out);
}

}  // namespace checkin::db
