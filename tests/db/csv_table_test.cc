// Each messy trait of real exports has a fixture in tests/data/import.
#include "db/csv_table.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::DataFile;

CsvTable Read(const std::string& name) {
  auto t = ReadCsvFile(DataFile("import/" + name));
  EXPECT_TRUE(t.ok()) << name << ": " << t.status().message();
  return t.ok() ? std::move(t).value() : CsvTable{};
}

size_t Col(const CsvTable& t, const std::string& name) {
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(CsvTableTest, PlainUtf8) {
  CsvTable t = Read("generic_basic.csv");
  EXPECT_EQ(t.encoding, "UTF-8");
  EXPECT_EQ(t.delimiter, ',');
  ASSERT_EQ(t.rows.size(), 5u);
  EXPECT_EQ(t.rows[0].fields[Col(t, "first_name")], "María José");
  EXPECT_EQ(t.rows[0].line, 2);
}

TEST(CsvTableTest, Utf8BomIsNotPartOfTheFirstColumnName) {
  CsvTable t = Read("bom_utf8.csv");
  EXPECT_EQ(t.encoding, "UTF-8 with BOM");
  EXPECT_EQ(t.header[0], "ticket_code");
  EXPECT_EQ(t.rows[0].fields[Col(t, "first_name")], "Sebastián");
}

TEST(CsvTableTest, SpanishExcelWindows1252WithSemicolonsAndCrlf) {
  CsvTable t = Read("cp1252.csv");
  EXPECT_EQ(t.encoding, "windows-1252");
  EXPECT_EQ(t.delimiter, ';');
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0].fields[Col(t, "first_name")], "Begoña");
  EXPECT_EQ(t.rows[0].fields[Col(t, "last_name")], "Ñañez Agüero");
  EXPECT_EQ(t.rows[0].fields[Col(t, "company")], "Café € SAS");
  EXPECT_EQ(t.rows[1].fields[Col(t, "company")], "Empresa “La Nube” Ltda.");
  EXPECT_EQ(t.rows[1].fields[Col(t, "checkin_lists")], "main") << "no stray \\r";
}

TEST(CsvTableTest, Latin1) {
  CsvTable t = Read("latin1.csv");
  EXPECT_NE(t.encoding.find("1252"), std::string::npos);  // a superset of Latin-1
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[1].fields[Col(t, "first_name")], "João");
  EXPECT_EQ(t.rows[1].fields[Col(t, "last_name")], "Conceição");
}

TEST(CsvTableTest, SemicolonDelimiterKeepsCommasInFields) {
  CsvTable t = Read("semicolon.csv");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.rows[0].fields[Col(t, "company")], "Datos, Nube y Café S.A.S.");
}

TEST(CsvTableTest, QuotedFieldsWithNewlinesQuotesAndCommas) {
  CsvTable t = Read("quoted_multiline.csv");
  ASSERT_EQ(t.rows.size(), 4u);
  const size_t company = Col(t, "company");
  EXPECT_EQ(t.rows[0].fields[company], "Nubecita SAS\nSede Bogotá");
  EXPECT_EQ(t.rows[1].fields[company], "Empresa \"La Nube\" SAS");
  EXPECT_EQ(t.rows[2].fields[company], "Datos, Nube y Café S.A.S.");
  EXPECT_EQ(t.rows[1].line, 4) << "the embedded newline moves later rows down";
}

TEST(CsvTableTest, CrlfLeavesNoCarriageReturns) {
  CsvTable t = Read("crlf.csv");
  ASSERT_EQ(t.rows.size(), 4u);
  for (const auto& row : t.rows) {
    for (const auto& f : row.fields)
      EXPECT_EQ(f.find('\r'), std::string::npos) << "line " << row.line;
  }
  EXPECT_EQ(t.rows[3].line, 5);
}

TEST(CsvTableTest, TrailingBlankLinesAreIgnored) {
  EXPECT_EQ(Read("trailing_blank_lines.csv").rows.size(), 3u);
}

TEST(CsvTableTest, SurroundingSpacesAreTrimmed) {
  CsvTable t = Read("spaces.csv");
  EXPECT_EQ(t.header[0], "Ticket_Code");
  EXPECT_EQ(t.rows[0].fields[0], "KCD26-AFC7NWOK3E");
}

TEST(CsvTableTest, MalformedInputNamesTheLine) {
  struct Case {
    std::string csv;
    std::string expect;
  };
  const Case cases[] = {
      {"", "empty"},
      {"a,b,c\n1,2,3\n4,5\n", "line 3: 2 fields, but the header has 3"},
      {"a,b\n1,\"unterminated\n", "line 2"},
      {"a,b\n1,2\n3,x\"y\"z\n", "line 3"},
      {"a,b\n1," + std::string(kMaxFieldBytes + 1, 'x') + "\n", "line 2: a field is longer"},
  };
  for (const auto& c : cases) {
    auto r = ParseCsv(c.csv);
    ASSERT_FALSE(r.ok()) << c.csv.substr(0, 40);
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << "got: " << r.status().message();
  }
}

TEST(CsvTableTest, ExcelTrailingEmptyCellsAndDelimiterOnlyRowsAreTolerated) {
  auto r = ParseCsv("a;b\r\n1;2;;\r\n;;\r\n;\r\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].fields.size(), 2u);
}

TEST(CsvTableTest, Utf16WithBom) {
  const std::string utf16le(
      "\xFF\xFE"
      "a\0,\0b\0\n\0\xF1\0,\0x\0\n\0",
      16);
  auto r = ParseCsv(utf16le);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "UTF-16LE");
  EXPECT_EQ(r->rows[0].fields[0], "ñ");
}

TEST(CsvTableTest, MissingFileIsNotFound) {
  auto r = ReadCsvFile("/nonexistent/roster.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace checkin::db
