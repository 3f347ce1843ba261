// ReadRegistrationToken on real files: what it accepts, and that every
// refusal says what to do without ever showing the token.
#include "sync/token.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/fakes/test_db.h"

namespace checkin::sync {
namespace {

constexpr char kSecret[] = "s3cr3t-token-0123456789";

class TokenTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text, mode_t mode) {
    const std::string path = dir_.File(name);
    std::ofstream(path) << text;
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }
  Result<std::string> FromFile(const std::string& path) {
    RegistrationSettings s;
    s.token_file = path;
    return ReadRegistrationToken(s, [](const char*) -> const char* { return nullptr; });
  }
  Result<std::string> FromEnv(std::map<std::string, std::string> env) {
    RegistrationSettings s;
    s.token_env = "PRETIX_TOKEN";
    return ReadRegistrationToken(s, [env = std::move(env)](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    });
  }
  testing::TempDir dir_;
};

TEST_F(TokenTest, FileOfItsOwnerOnlyIsReadAndTrimmed) {
  auto t = FromFile(Write("pretix.token", std::string("  ") + kSecret + "\r\n", 0600));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(*t, kSecret);
  auto read_only = FromFile(Write("ro.token", kSecret, 0400));
  ASSERT_TRUE(read_only.ok()) << read_only.status().message();
}

TEST_F(TokenTest, FileOthersCanReadIsRefusedWithTheChmodToRun) {
  for (mode_t mode : {0644, 0640, 0604, 0660, 0602}) {
    const std::string path = Write("open.token", kSecret, mode);
    auto t = FromFile(path);
    ASSERT_FALSE(t.ok()) << mode;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(t.status().message().find("run: chmod 600 " + path), std::string::npos)
        << t.status().message();
    EXPECT_EQ(t.status().message().find(kSecret), std::string::npos) << t.status().message();
  }
}

TEST_F(TokenTest, WhatIsNotOneTokenIsRefusedWithoutShowingIt) {
  struct Case {
    std::string text;
    const char* says;
  };
  const Case cases[] = {
      {"", "is empty"},
      {" \n\t\n", "is empty"},
      {std::string(kSecret) + "\nAuthorization: Bearer x", "spaces or control characters"},
      {std::string(kSecret) + " second", "spaces or control characters"},
      {std::string(5000, 'a'), "too long"},
  };
  for (const Case& c : cases) {
    auto t = FromFile(Write("bad.token", c.text, 0600));
    ASSERT_FALSE(t.ok()) << c.says;
    EXPECT_NE(t.status().message().find(c.says), std::string::npos) << t.status().message();
    EXPECT_EQ(t.status().message().find(kSecret), std::string::npos) << t.status().message();
  }
}

TEST_F(TokenTest, MissingFileOrLinkOrFolderIsRefused) {
  auto missing = FromFile(dir_.File("none.token"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("chmod 600"), std::string::npos);

  const std::string real = Write("real.token", kSecret, 0600);
  std::filesystem::create_symlink(real, dir_.File("link.token"));
  auto link = FromFile(dir_.File("link.token"));
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.status().message().find("not a regular file"), std::string::npos);

  auto folder = FromFile(dir_.path().string());
  ASSERT_FALSE(folder.ok());
}

TEST_F(TokenTest, EnvironmentWhenNoFileIsNamed) {
  auto t = FromEnv({{"PRETIX_TOKEN", std::string(kSecret) + "\n"}});
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(*t, kSecret);

  auto unset = FromEnv({});
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unset.status().message().find("PRETIX_TOKEN is not set"), std::string::npos);

  auto empty = FromEnv({{"PRETIX_TOKEN", ""}});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("PRETIX_TOKEN holds no token"), std::string::npos);
}

}  // namespace
}  // namespace checkin::sync
