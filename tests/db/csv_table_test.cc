// Each messy trait of real exports has a fixture in tests/data/import.
#include "db/csv_table.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

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
      {"a,b\n1," + std::string(kMaxFieldBytes + 1, 'x') + "\n",
       "line 2, column 2 (b): the field is longer"},
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

// Issue 9, item 5: one stray Latin-1 byte in a UTF-8 export used to turn every
// accent of the roster into mojibake; now the file is refused, naming where.
TEST(CsvTableTest, Utf8WithAStrayByteIsRefusedWithLineAndColumn) {
  auto r = ParseCsv(
      "a,b\nJos\xC3\xA9,Mar\xC3\xAD"
      "a\nLuis,Pe\xF1"
      "a\n");
  ASSERT_FALSE(r.ok()) << "decoded as " << r->encoding;
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("line 3, column 8"), std::string::npos) << m;
  EXPECT_NE(m.find("UTF-8"), std::string::npos) << m;
  EXPECT_NE(m.find("save the file again as UTF-8"), std::string::npos) << m;
}

TEST(CsvTableTest, Utf8BomWithAStrayByteIsRefusedWithLineAndColumn) {
  auto r = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\n1,2\nx,\xFF\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 3, column 3"), std::string::npos)
      << r.status().message();
}

// Without a single valid multi-byte sequence, high bytes are Spanish Excel's
// Windows-1252, as before.
TEST(CsvTableTest, Windows1252WithoutUtf8SequencesIsStillRead) {
  auto r = ParseCsv("a;b\nJos\xE9;Mu\xF1oz \x80\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "windows-1252");
  EXPECT_EQ(r->rows[0].fields[0], "José");
  EXPECT_EQ(r->rows[0].fields[1], "Muñoz €");
}

// Issue 9, item 12: UTF-16 without its mark used to show a column list of NULs.
TEST(CsvTableTest, Utf16WithoutBomIsDetectedAndRead) {
  const std::string le("a\0,\0b\0\n\0\xF1\0,\0x\0\n\0", 16);
  auto r = ParseCsv(le);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "UTF-16LE");
  EXPECT_EQ(r->header, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r->rows[0].fields[0], "ñ");
  const std::string be("\0a\0;\0b\0\n\0\xF1\0;\0x\0\n", 16);
  r = ParseCsv(be);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "UTF-16BE");
  EXPECT_EQ(r->delimiter, ';');
  EXPECT_EQ(r->rows[0].fields[0], "ñ");
}

void SplitCharactersRoundTrip(std::u32string text);

// Files are read in 1 MB pieces: characters split between two pieces, in
// UTF-8 and in UTF-16, come out whole.
TEST(CsvTableTest, CharactersSplitBetweenPiecesComeOutWhole) {
  // Rows are 48 bytes of UTF-8 with the euro sign at bytes 44-46, and 2^20 is
  // 16 modulo 48: headers of 18 and 19 bytes put the first piece's end inside
  // a euro sign, after its second and its first byte.
  for (size_t header_bytes : {18u, 19u}) {
    SplitCharactersRoundTrip(std::u32string(header_bytes - 6, U'n') + U",name\n");
  }
}

void SplitCharactersRoundTrip(std::u32string text) {
  const std::u32string line = std::u32string(37, U'x') + U",Jos\u00E9 \u20AC\n";
  while (text.size() < (1u << 20) + 4096) text += line;
  std::string utf8, utf16le;
  for (char32_t c : text) {
    if (c < 0x80) {
      utf8 += static_cast<char>(c);
    } else if (c < 0x800) {
      utf8 += static_cast<char>(0xC0 | (c >> 6));
      utf8 += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      utf8 += static_cast<char>(0xE0 | (c >> 12));
      utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      utf8 += static_cast<char>(0x80 | (c & 0x3F));
    }
    utf16le += static_cast<char>(c & 0xFF);
    utf16le += static_cast<char>(c >> 8);
  }
  for (const std::string& bytes : {utf8, utf16le}) {
    auto r = ParseCsv(bytes);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_GT(r->rows.size(), 1000u);
    const auto whole = std::count_if(r->rows.begin(), r->rows.end(),
                                     [](const CsvRow& got) { return got.fields[1] == "José €"; });
    EXPECT_EQ(static_cast<size_t>(whole), r->rows.size()) << r->encoding;
  }
}

// Issue 9, item 12: old Mac exports end lines with CR alone.
TEST(CsvTableTest, CrOnlyLineEndingsCountLines) {
  auto r = ParseCsv("a,b\r1,2\r\r3,4\r");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].line, 2);
  EXPECT_EQ(r->rows[1].line, 4);
  auto bad = ParseCsv("a,b\r1,2\r3\r");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos) << bad.status().message();
}

// Issue 9, item 13: "An\0a" was stored, and the badge printed "Ana".
TEST(CsvTableTest, ControlCharactersInAFieldAreRefusedWithLineAndColumn) {
  const std::string cases[] = {
      std::string("ticket_code,first_name\nA1,Ana\nA2,An\0a\n", 38),
      "ticket_code,first_name\nA1,Ana\nA2,\x1B]0;x\x07\n",
      "ticket_code,first_name\nA1,Ana\nA2,An\xC2\x9B"
      "a\n",
  };
  for (const auto& csv : cases) {
    auto r = ParseCsv(csv);
    ASSERT_FALSE(r.ok()) << csv;
    const std::string& m = r.status().message();
    EXPECT_NE(m.find("line 3, column 2 (first_name)"), std::string::npos) << m;
    EXPECT_NE(m.find("control character"), std::string::npos) << m;
  }
  // Tabs and the line breaks of a quoted field are text, not controls.
  auto ok = ParseCsv("a,b\n\"x\ty\",\"two\nlines\"\n");
  EXPECT_TRUE(ok.ok()) << ok.status().message();
}

// Issue 9, item 6: a line that could not be an export is refused as such.
TEST(CsvTableTest, OverlongLineIsRefusedNamingIt) {
  auto r = ParseCsv("a,b\n1,2\n" + std::string(3u << 20, 'x') + "\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 3 is longer than 1 MB"), std::string::npos)
      << r.status().message();
  auto q = ParseCsv("a,b\n1,\"" + std::string(3u << 20, '\n') + "\"\n");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("a quote that is never closed"), std::string::npos)
      << q.status().message();
}

// Issue 9, item 12: a directory used to be "larger than 512 MB"; a FIFO hung.
TEST(CsvTableTest, WhatIsNotARegularFileIsRefusedClearly) {
  checkin::testing::TempDir dir;
  auto r = ReadCsvFile(dir.path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is a directory"), std::string::npos) << r.status().message();
  const std::string fifo = dir.File("pipe.csv");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& path : {fifo, std::string("/dev/zero")}) {
    r = ReadCsvFile(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_NE(r.status().message().find("not a regular file"), std::string::npos)
        << r.status().message();
  }
}

TEST(CsvTableTest, MissingFileIsNotFound) {
  auto r = ReadCsvFile("/nonexistent/roster.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace checkin::db
