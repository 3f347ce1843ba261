#include "common/text.h"

#include <gtest/gtest.h>

namespace checkin {
namespace {

TEST(TextTest, FoldRemovesAccentsAndCase) {
  EXPECT_EQ(Fold("José MUÑOZ Peña"), "jose munoz pena");
  EXPECT_EQ(Fold("Número do Ingresso"), "numero do ingresso");
  EXPECT_EQ(Fold("Ørsted"), "ørsted");  // ø is a letter of its own, not o + mark
  EXPECT_EQ(Fold("Attendee #"), "attendee #");
}

TEST(TextTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("María José Łukasz 日本"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(
      IsValidUtf8("Mar\xED"
                  "a"));  // Latin-1 í
}

TEST(TextTest, MasksEmails) {
  EXPECT_EQ(MaskEmail("maria.munoz@example.co"), "m***@example.co");
  EXPECT_EQ(MaskEmail("ñandu@example.org"), "ñ***@example.org");
  EXPECT_EQ(MaskEmail(""), "");
  EXPECT_EQ(MaskEmail("no-at-sign"), "***");
}

TEST(TextTest, NormalizesSpaces) {
  EXPECT_EQ(NormalizeSpaces("  María   José \t Muñoz \n"), "María José Muñoz");
}

TEST(TextTest, ConvertsWindows1252) {
  auto r = ToUtf8(
      "Pe\xF1"
      "a \x80 \x93hola\x94",
      "windows-1252");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "Peña € “hola”");
}

}  // namespace
}  // namespace checkin
