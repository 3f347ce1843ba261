#include "web/page.h"

#include <gtest/gtest.h>

namespace checkin::web {
namespace {

TEST(FillTemplateTest, ValuesAreEscapedAndTheLanguageChosen) {
  const std::map<std::string, std::string> vars = {{"name", "<img src=x onerror=\"a\">&"}};
  EXPECT_EQ(FillTemplate("<p title=\"{{=name}}\">{{Hola|Hello}} {{=missing}}</p>",
                         Language::kSpanish, vars),
            "<p title=\"&lt;img src=x onerror=&quot;a&quot;&gt;&amp;\">Hola </p>");
  EXPECT_EQ(FillTemplate("{{Hola|Hello}}", Language::kEnglish, vars), "Hello");
  EXPECT_EQ(FillTemplate("{{ no bar }} {{unclosed", Language::kEnglish, vars),
            " no bar  {{unclosed");
}

// The pages share one <head>: included, filled with the page's values.
TEST(FillTemplateTest, PartialsAreIncludedAndFilled) {
  const std::string page =
      FillTemplate("{{>page_head.html}}<title>{{Mesa|Desk}}</title>", Language::kEnglish,
                   {{"lang", "en"}, {"csrf", "C<S>"}, {"role", "desk"}});
  EXPECT_EQ(page.rfind("<!doctype html>\n<html lang=\"en\">", 0), 0u) << page;
  EXPECT_NE(page.find("<meta name=\"csrf\" content=\"C&lt;S&gt;\">"), std::string::npos) << page;
  EXPECT_NE(page.find("<title>Desk</title>"), std::string::npos);
  EXPECT_EQ(FillTemplate("a{{>no_such_file.html}}b", Language::kEnglish, {}), "ab");
  for (const char* file : {"admin.html", "dashboard.html", "desk.html", "print.html"}) {
    auto tpl = FindAsset(file);
    ASSERT_TRUE(tpl) << file;
    const std::string filled = FillTemplate(tpl->bytes, Language::kSpanish, {{"lang", "es"}});
    EXPECT_EQ(filled.rfind("<!doctype html>\n<html lang=\"es\">\n<head>", 0), 0u) << file;
    EXPECT_EQ(filled.find("{{"), std::string::npos) << file << " left a placeholder";
  }
}

}  // namespace
}  // namespace checkin::web
