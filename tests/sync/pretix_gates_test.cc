// pretix's check-in lists as our gates: the mapping on the recorded page and
// on edited ones, and PretixSource::FetchGates against the fake pretix.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sync/pretix_json.h"
#include "sync/pretix_source.h"
#include "tests/sync/platform_fakes.h"

namespace checkin::sync {
namespace {

using fake::FakePretix;

bool Mentions(const std::vector<std::string>& notes, const std::string& words) {
  for (const auto& n : notes) {
    if (n.find(words) != std::string::npos) return true;
  }
  return false;
}

class CheckinListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ReadItemsPage(fake::ReadData("pretix", "items.json"), &items_).ok());
  }
  // The recorded page with one change made to its JSON, mapped.
  Result<std::vector<Gate>> Mapped(const std::function<void(nlohmann::json&)>& edit = {}) {
    auto page = nlohmann::json::parse(fake::ReadData("pretix", "checkinlists.json"));
    if (edit) edit(page);
    std::vector<PretixCheckinList> lists;
    auto next = ReadCheckinListsPage(page.dump(), &lists);
    if (!next.ok()) return next.status();
    EXPECT_EQ(*next, "");
    return GatesFromCheckinLists(lists, items_, &notes_);
  }

  PretixItems items_;
  std::vector<std::string> notes_;
};

TEST_F(CheckinListsTest, OneGatePerListNamedByItAdmittingItsProducts) {
  auto gates = Mapped();
  ASSERT_TRUE(gates.ok()) << gates.status().message();
  ASSERT_EQ(gates->size(), 3u);
  // all_products: a gate without ticket types, which admits every one.
  EXPECT_EQ((*gates)[0].name, "Entrada principal");
  EXPECT_TRUE((*gates)[0].ticket_types.empty());
  EXPECT_EQ((*gates)[1].name, "Talleres");
  EXPECT_EQ((*gates)[1].ticket_types,
            std::vector<std::string>{"Workshop: Kubernetes in production"});
  // The T-shirt on the list is not a ticket type; a product listed twice is one.
  EXPECT_EQ((*gates)[2].name, "Zona de ponentes");
  EXPECT_EQ((*gates)[2].ticket_types, std::vector<std::string>{"Speaker"});
  for (const Gate& g : *gates) EXPECT_TRUE(g.days.empty()) << g.name;
}

TEST_F(CheckinListsTest, SaysWhatTheGatesCannotCarry) {
  auto gates = Mapped();
  ASSERT_TRUE(gates.ok()) << gates.status().message();
  // Only merch: as a gate with no types it would admit everyone.
  EXPECT_TRUE(Mentions(notes_, "'Entrega de camisetas' admits no admission product: left out"));
  EXPECT_TRUE(Mentions(notes_, "'Talleres' admits pending orders"));
  EXPECT_EQ(notes_.size(), 2u);
}

TEST_F(CheckinListsTest, ADateOfASeriesIsNoted) {
  auto gates = Mapped([](nlohmann::json& j) { j["results"][1]["subevent"] = 7; });
  ASSERT_TRUE(gates.ok()) << gates.status().message();
  EXPECT_TRUE(Mentions(notes_, "'Talleres' is for one date of the series (subevent 7)"));
}

// pretix may send limit_products as null, or not at all, on a list that
// admits every product.
TEST_F(CheckinListsTest, AListOfAllProductsMayLeaveOutItsProducts) {
  for (bool absent : {false, true}) {
    notes_.clear();
    auto gates = Mapped([absent](nlohmann::json& j) {
      if (absent) {
        j["results"][0].erase("limit_products");
      } else {
        j["results"][0]["limit_products"] = nullptr;
      }
    });
    ASSERT_TRUE(gates.ok()) << gates.status().message();
    ASSERT_EQ(gates->size(), 3u);
    EXPECT_EQ((*gates)[0].name, "Entrada principal");
    EXPECT_TRUE((*gates)[0].ticket_types.empty());
  }
}

TEST_F(CheckinListsTest, RefusesWhatCannotBeGates) {
  struct Case {
    const char* name;
    std::function<void(nlohmann::json&)> edit;
    const char* words;
  };
  const Case cases[] = {
      {"unknown product",
       [](nlohmann::json& j) {
         j["results"][1]["limit_products"] = {2, 99};
       },
       "'Talleres' admits product 99, which the event's product list does not have"},
      {"same name, other case and accents",
       [](nlohmann::json& j) { j["results"][2]["name"] = "TALLÉRES"; },
       "two check-in lists are named 'TALLÉRES'"},
      {"limit_products not a list",
       [](nlohmann::json& j) { j["results"][1]["limit_products"] = "2"; },
       "check-in list 2 member 'limit_products' is not a list"},
      {"a product id as text", [](nlohmann::json& j) { j["results"][1]["limit_products"] = {"2"}; },
       "check-in list 2 member 'limit_products' holds a product id that is not a whole number"},
      {"all_products missing", [](nlohmann::json& j) { j["results"][0].erase("all_products"); },
       "check-in list 1 member 'all_products' is not true or false"},
      {"name null", [](nlohmann::json& j) { j["results"][3]["name"] = nullptr; },
       "check-in list 4 member 'name' is null"},
      {"name blank", [](nlohmann::json& j) { j["results"][3]["name"] = "  "; },
       "check-in list 4 has an empty or overlong name"},
      {"results missing", [](nlohmann::json& j) { j.erase("results"); }, "member 'results'"},
  };
  for (const Case& c : cases) {
    auto gates = Mapped(c.edit);
    ASSERT_FALSE(gates.ok()) << c.name;
    EXPECT_EQ(gates.status().code(), StatusCode::kInvalidInput) << c.name;
    EXPECT_NE(gates.status().message().find(c.words), std::string::npos)
        << c.name << ": " << gates.status().message();
  }
}

class FetchGatesTest : public ::testing::Test {
 protected:
  Result<PretixGates> FetchGates(const std::string& token = fake::kPretixToken,
                                 const std::string& event = "bogota2025") {
    PretixOptions o;
    o.url = pretix_.base();
    o.organizer = "kcd";
    o.event = event;
    o.token = token;
    o.http.connect_timeout = std::chrono::seconds(5);
    o.http.read_timeout = std::chrono::seconds(5);
    PretixSource source(o, SystemClock(), RealSleeper());
    return source.FetchGates();
  }

  FakePretix pretix_;
};

TEST_F(FetchGatesTest, ReadsTheListsOfTheEvent) {
  auto got = FetchGates();
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->gates.size(), 3u);
  EXPECT_EQ(got->gates[1].name, "Talleres");
  EXPECT_EQ(got->notes.size(), 2u);
  const auto targets = pretix_.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], std::string(fake::kPretixEventPath) + "/items/");
  EXPECT_EQ(targets[1], std::string(fake::kPretixEventPath) + "/checkinlists/");
}

TEST_F(FetchGatesTest, FollowsThePages) {
  const auto recorded = nlohmann::json::parse(fake::ReadData("pretix", "checkinlists.json"));
  auto first = recorded, second = recorded;
  first["results"].erase(first["results"].begin() + 2, first["results"].end());
  first["next"] = pretix_.base() + "api/v1/organizers/kcd/events/bogota2025/checkinlists/?page=2";
  second["results"].erase(second["results"].begin(), second["results"].begin() + 2);
  pretix_.SetCheckinLists({first.dump(), second.dump()});
  auto got = FetchGates();
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->gates.size(), 3u);
  EXPECT_EQ(got->gates[2].name, "Zona de ponentes");
  EXPECT_EQ(pretix_.targets().back(),
            std::string(fake::kPretixEventPath) + "/checkinlists/?page=2");
}

TEST_F(FetchGatesTest, AWrongTokenOrEventSaysSo) {
  auto refused = FetchGates("not-the-token");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(refused.status().message().find("the token is wrong or expired"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find("not-the-token"), std::string::npos);

  auto missing = FetchGates(fake::kPretixToken, "bogota2024");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no event 'bogota2024'"), std::string::npos)
      << missing.status().message();
}

}  // namespace
}  // namespace checkin::sync
