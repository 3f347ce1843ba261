#include "common/roles.h"

#include <gtest/gtest.h>

namespace checkin {
namespace {

TEST(RolesTest, TableOfTheIssue) {
  struct Case {
    Action action;
    bool scan, desk, print, admin;
  };
  const Case cases[] = {
      {Action::kRedeem, true, true, false, true},
      {Action::kSearch, true, true, false, true},
      {Action::kStats, true, true, false, true},
      {Action::kPullReplica, true, true, false, true},
      {Action::kUndo, false, true, false, true},
      {Action::kCheckinBySearch, false, true, false, true},
      {Action::kClaimPrintJobs, false, false, true, true},
      {Action::kReadBadgeData, false, false, true, true},
      {Action::kImport, false, false, false, true},
      {Action::kManageDevices, false, false, false, true},
      {Action::kReadReport, false, true, false, true},
      {Action::kReadReportNames, false, false, false, true},
  };
  for (const Case& c : cases) {
    const int n = static_cast<int>(c.action);
    EXPECT_EQ(Allows(Role::kScan, c.action), c.scan) << "action " << n;
    EXPECT_EQ(Allows(Role::kDesk, c.action), c.desk) << "action " << n;
    EXPECT_EQ(Allows(Role::kPrint, c.action), c.print) << "action " << n;
    EXPECT_EQ(Allows(Role::kAdmin, c.action), c.admin) << "action " << n;
  }
  for (Role r : {Role::kScan, Role::kDesk, Role::kPrint, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
}

}  // namespace
}  // namespace checkin
