// The test build must keep assert() and libstdc++'s checks on: a failure that
// an assert would catch must not pass silently under RelWithDebInfo.
#include <gtest/gtest.h>

#include <cassert>

namespace checkin {
namespace {

TEST(BuildTest, AssertionsAreOnInTheTestBuild) {
#ifndef CHECKIN_EXPECT_ASSERTIONS
  GTEST_SKIP() << "built with CHECKIN_ASSERTIONS=OFF";
#else
#ifdef NDEBUG
  ADD_FAILURE() << "NDEBUG is defined: assert() compiles to nothing";
#endif
#ifndef _GLIBCXX_ASSERTIONS
  ADD_FAILURE() << "_GLIBCXX_ASSERTIONS is not defined";
#endif
  EXPECT_DEATH(assert(false && "assertions are on"), "assertions are on");
#endif
}

}  // namespace
}  // namespace checkin
