// Runs the `checkin` binary under test: CHECKIN_BINARY, which each test
// target that runs it defines (tests/CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

#include "tests/fakes/test_db.h"

namespace checkin::testing {

inline ProcessOutput RunCheckin(const std::vector<std::string>& args,
                                const std::vector<std::string>& env = {}) {
  return RunProcess(CHECKIN_BINARY, args, env);
}

}  // namespace checkin::testing
