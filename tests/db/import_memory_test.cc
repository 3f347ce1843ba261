// Issue 9, item 6: an import's memory stays bounded whatever the file. The
// bound is measured here as the peak of bytes live through operator new,
// counted by this binary's own replacement, so it holds the same under the
// sanitizers (which make address-space and RSS limits meaningless). What
// libcsv and ICU allocate with malloc is not counted; the parser caps it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>

#include "db/registration_source.h"
#include "tests/fakes/test_db.h"

namespace {

std::atomic<size_t> g_live{0};
std::atomic<size_t> g_peak{0};
constexpr size_t kHeader = alignof(std::max_align_t);

}  // namespace

void* operator new(size_t n) {
  void* block = std::malloc(n + kHeader);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<size_t*>(block) = n;
  const size_t live = g_live.fetch_add(n) + n;
  size_t peak = g_peak.load();
  while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {
  }
  return static_cast<char*>(block) + kHeader;
}

void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  void* block = static_cast<char*>(p) - kHeader;
  g_live.fetch_sub(*static_cast<size_t*>(block));
  std::free(block);
}

void operator delete(void* p, size_t) noexcept { operator delete(p); }

namespace checkin::db {
namespace {

using checkin::testing::TempDir;

// 16 MB files: big enough that reading them whole, or reserving a record per
// line, shows far above the bound; small enough for a sanitized build in CI.
constexpr size_t kFileBytes = 16u << 20;
constexpr size_t kBoundBytes = 8u << 20;

class ImportMemoryTest : public ::testing::Test {
 protected:
  // Writes `head`, then `fill` up to kFileBytes.
  std::string Write(const std::string& name, const std::string& head, char fill) {
    const std::string path = dir_.File(name);
    std::ofstream out(path, std::ios::binary);
    out << head;
    const std::string block(1u << 20, fill);
    for (size_t n = head.size(); n < kFileBytes; n += block.size()) {
      out.write(block.data(), static_cast<std::streamsize>(std::min(block.size(), kFileBytes - n)));
    }
    return path;
  }
  // Fetches the roster; the peak of heap bytes above what was live before.
  Result<RosterSnapshot> Fetch(const std::string& path, size_t* peak) {
    const size_t before = g_live.load();
    g_peak.store(before);
    CsvExportSource source(path, RosterFormat::kAuto, {});
    auto snap = source.Fetch();
    *peak = g_peak.load() - before;
    return snap;
  }
  TempDir dir_;
};

TEST_F(ImportMemoryTest, OneRowThenBlankLinesIsReadInBoundedMemory) {
  const std::string path =
      Write("blank.csv", "ticket_code,first_name,last_name\nA1,Ana,Ruiz\n", '\n');
  size_t peak = 0;
  auto snap = Fetch(path, &peak);
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->records.size(), 1u);
  EXPECT_LT(peak, kBoundBytes) << "peak heap bytes during the import";
}

TEST_F(ImportMemoryTest, SingleHugeLineIsRefusedInBoundedMemory) {
  for (const char fill : {'x', '\xE9'}) {  // ASCII, and Latin-1 that needs decoding
    const std::string path = Write("line.csv", "", fill);
    size_t peak = 0;
    auto snap = Fetch(path, &peak);
    ASSERT_FALSE(snap.ok()) << int{fill};
    EXPECT_NE(snap.status().message().find("line 1 is longer than"), std::string::npos)
        << snap.status().message();
    EXPECT_LT(peak, kBoundBytes) << "peak heap bytes for fill " << int{fill};
  }
}

}  // namespace
}  // namespace checkin::db
