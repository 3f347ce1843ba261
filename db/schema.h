// The schema as an ordered list of forward migrations: entry i takes a file from
// user_version i to i+1. Never edit a shipped entry; append a new one.
#pragma once

#include <array>

namespace checkin::db {

extern const std::array<const char*, 10> kMigrations;

}  // namespace checkin::db
