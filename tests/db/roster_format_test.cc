#include "db/roster_format.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::DataFile;

Result<MappedRoster> Map(const std::string& name, RosterFormat f = RosterFormat::kAuto,
                         const std::vector<ColumnMap>& maps = {}) {
  auto t = ReadCsvFile(DataFile("import/" + name));
  if (!t.ok()) return t.status();
  return MapRoster(*t, f, maps);
}

TEST(RosterFormatTest, RecognisesEventbriteAndMapsItsStatuses) {
  auto r = Map("eventbrite.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->format, RosterFormat::kEventbrite);
  ASSERT_EQ(r->records.size(), 6u);
  const RosterRecord& first = r->records[0];
  EXPECT_EQ(first.ticket_code, "4815162342271828001");
  EXPECT_EQ(first.ticket_id, "3141592653");
  EXPECT_EQ(first.order_id, "4815162342");
  EXPECT_EQ(first.first_name, "María José");
  EXPECT_EQ(first.last_name, "Muñoz Peña");
  EXPECT_EQ(first.ticket_type, "Speaker");
  int valid = 0, cancelled = 0, refunded = 0;
  for (const auto& rec : r->records) {
    valid += rec.status == TicketStatus::kValid;
    cancelled += rec.status == TicketStatus::kCancelled;
    refunded += rec.status == TicketStatus::kRefunded;
  }
  EXPECT_EQ(valid, 4);      // Attending x3, Checked In
  EXPECT_EQ(cancelled, 1);  // Not Attending
  EXPECT_EQ(refunded, 1);
}

TEST(RosterFormatTest, RecognisesPretix) {
  auto r = Map("pretix.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->format, RosterFormat::kPretix);
  ASSERT_EQ(r->records.size(), 6u);
  EXPECT_EQ(r->records[0].ticket_id, "Z3AB9-1");
  EXPECT_EQ(r->records[1].ticket_id, "Z3AB9-2");
  EXPECT_EQ(r->records[0].first_name, "Juan Pablo");
  EXPECT_EQ(r->records[0].last_name, "Peña Ríos");
  EXPECT_EQ(r->records[0].ticket_type, "Entrada General");
  EXPECT_EQ(r->records[1].email, "compras@example.co") << "falls back to the order email";
  int valid = 0;
  for (const auto& rec : r->records) valid += rec.status == TicketStatus::kValid;
  EXPECT_EQ(valid, 4);  // Paid; Canceled and Pending are not admissible
}

TEST(RosterFormatTest, PretixValidityTimesBecomeUtcAndAddOnsRideOnTheirParent) {
  const std::string header =
      "Order code,Position ID,Status,Attendee name,Product,Secret,Valid from,Valid until,"
      "Add-on to position ID\n";
  auto map = [&](const std::string& rows) {
    auto t = ParseCsv(header + rows);
    EXPECT_TRUE(t.ok());
    return MapRoster(*t, RosterFormat::kAuto, {});
  };
  auto r =
      map("AB1,1,Paid,Ana Gómez,General,secret-ab1-1,2025-11-29T08:00:00-05:00,,\n"
          "AB1,2,Paid,,Taller,secret-ab1-2,,,1\n"
          "AB1,3,Paid,Luis Díaz,General,secret-ab1-3,,2025-11-28T18:00:00-05:00,\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_EQ(r->records[0].valid_from, "2025-11-29T13:00:00.000Z");
  EXPECT_EQ(r->records[1].ticket_id, "AB1-3");
  EXPECT_EQ(r->records[1].valid_until, "2025-11-28T23:00:00.000Z");
  auto bad = map("AB1,1,Paid,Ana Gómez,General,secret-ab1-1,mañana,,\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2: valid_from"), std::string::npos)
      << bad.status().message();
}

TEST(RosterFormatTest, RecognisesSymplaWithBomAndSemicolons) {
  auto r = Map("sympla.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->format, RosterFormat::kSympla);
  ASSERT_EQ(r->records.size(), 5u);
  // The QR holds the ticket number without its dashes; the number is the id.
  EXPECT_EQ(r->records[0].ticket_code, "B7RK4E9P2W");
  EXPECT_EQ(r->records[0].ticket_id, "B7RK-4E-9P2W");
  EXPECT_EQ(r->records[0].first_name, "João");
  EXPECT_EQ(r->records[0].order_id, "QX7K2M");
  int refunded = 0, cancelled = 0;
  for (const auto& rec : r->records) {
    refunded += rec.status == TicketStatus::kRefunded;
    cancelled += rec.status == TicketStatus::kCancelled;
  }
  EXPECT_EQ(refunded, 1);
  EXPECT_EQ(cancelled, 1);
}

TEST(RosterFormatTest, GenericWithMessyHeadersAndReorderedColumns) {
  auto spaces = Map("spaces.csv");
  ASSERT_TRUE(spaces.ok()) << spaces.status().message();
  EXPECT_EQ(spaces->format, RosterFormat::kGeneric);
  EXPECT_EQ(spaces->records[0].first_name, "Juan Pablo");
  EXPECT_EQ(spaces->records[0].ticket_id, "T300352");
  EXPECT_EQ(spaces->records[1].status, TicketStatus::kCancelled);

  auto reordered = Map("reordered_columns.csv");
  ASSERT_TRUE(reordered.ok()) << reordered.status().message();
  ASSERT_EQ(reordered->records.size(), 3u);
  EXPECT_EQ(reordered->records[0].ticket_code, "KCD26-CXLW2KVBG2");
  EXPECT_EQ(reordered->records[0].first_name, "Ana María");
  EXPECT_EQ(reordered->records[0].status, TicketStatus::kValid) << "no status column: valid";
  EXPECT_EQ(reordered->records[0].ticket_id, "KCD26-CXLW2KVBG2") << "no ticket_id: the code";
}

TEST(RosterFormatTest, MultilineCompanyBecomesOneLine) {
  auto r = Map("quoted_multiline.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->records[0].company, "Nubecita SAS Sede Bogotá");
}

TEST(RosterFormatTest, ExactDuplicateRowsCollapse) {
  auto r = Map("duplicate_rows.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->records.size(), 4u);
  EXPECT_EQ(r->duplicate_rows, 2);
}

TEST(RosterFormatTest, MissingCodeIsRejectedWithItsLine) {
  auto r = Map("bad_row_missing_code.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 4: ticket_code is empty"), std::string::npos)
      << r.status().message();
}

TEST(RosterFormatTest, ConflictingDuplicateCodeNamesBothLines) {
  auto r = Map("bad_row_conflicting_duplicate.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 5"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("line 3"), std::string::npos) << r.status().message();
  // A ticket code lets anyone in: it stays out of messages and logs.
  EXPECT_EQ(r.status().message().find("KCD26-VOICSGGBJR"), std::string::npos)
      << r.status().message();
}

TEST(RosterFormatTest, UnknownLayoutListsFoundAndNeededColumns) {
  auto r = Map("bad_wrong_columns.csv");
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("codigo, nombre, apellido, correo"), std::string::npos) << m;
  EXPECT_NE(m.find("ticket_code"), std::string::npos) << m;
  EXPECT_NE(m.find("--map"), std::string::npos) << m;
}

TEST(RosterFormatTest, ColumnMapsFixUnknownLayouts) {
  std::vector<ColumnMap> maps;
  for (const char* spec :
       {"codigo=ticket_code", "Nombre=first_name", "apellido=last_name", "correo=email"}) {
    auto m = ParseColumnMap(spec);
    ASSERT_TRUE(m.ok()) << spec;
    maps.push_back(*m);
  }
  auto r = Map("bad_wrong_columns.csv", RosterFormat::kAuto, maps);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->records.size(), 3u);
  EXPECT_EQ(r->records[0].email, "yesenia.cordoba@example.co");
  EXPECT_EQ(r->records[0].last_name, "Córdoba Rincón");
}

TEST(RosterFormatTest, BadColumnMapsAreRefused) {
  EXPECT_FALSE(ParseColumnMap("codigo").ok());
  EXPECT_FALSE(ParseColumnMap("codigo=telefono").ok());
  auto m = ParseColumnMap("nope=ticket_code");
  ASSERT_TRUE(m.ok());
  auto r = Map("bad_wrong_columns.csv", RosterFormat::kAuto, {*m});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no column 'nope'"), std::string::npos);
}

TEST(RosterFormatTest, UnknownStatusWordIsAnErrorNotAGuess) {
  auto t =
      ParseCsv("ticket_code,first_name,last_name,status\nA1,Ana,Ruiz,valid\nA2,Luis,Paz,maybe\n");
  ASSERT_TRUE(t.ok());
  auto r = MapRoster(*t, RosterFormat::kAuto, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 3: the status column"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("valid, valido"), std::string::npos) << "a hint of words";
}

// Issue 9, item 11: a column mapped wrong puts personal data in the status
// cell; the error names the line and the column, never the cell.
TEST(RosterFormatTest, UnknownStatusDoesNotEchoTheCell) {
  auto t =
      ParseCsv("ticket_code,first_name,last_name,status\nA1,Carla,Ruiz,carla.secret@gmail.com\n");
  ASSERT_TRUE(t.ok());
  auto r = MapRoster(*t, RosterFormat::kAuto, {});
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("line 2"), std::string::npos) << m;
  EXPECT_NE(m.find("status"), std::string::npos) << m;
  EXPECT_EQ(m.find("carla"), std::string::npos) << m;
  EXPECT_EQ(m.find("gmail"), std::string::npos) << m;
}

TEST(RosterFormatTest, FileWithoutHeaderRowDoesNotEchoAnAddress) {
  auto t = ParseCsv("A1,Carla,Ruiz,carla.secret@gmail.com\nA2,Luis,Paz,luis@example.co\n");
  ASSERT_TRUE(t.ok());
  auto r = MapRoster(*t, RosterFormat::kAuto, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("carla.secret"), std::string::npos) << r.status().message();
}

TEST(RosterFormatTest, ForcedFormatMustMatchTheColumns) {
  auto r = Map("generic_basic.csv", RosterFormat::kEventbrite);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("as eventbrite"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace checkin::db
