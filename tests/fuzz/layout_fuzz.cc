// Fuzz target: any bytes as a badge layout file. Must never crash; a layout
// that parses has a page that can hold a badge, or PlanSheet says why not.
#include <cstddef>
#include <cstdint>
#include <string>

#include "printer/badge_layout.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto layout = checkin::printer::ParseLayout(text, "fuzz.toml");
  if (!layout.ok()) {
    FUZZ_CHECK(!layout.status().message().empty());
    return 0;
  }
  auto grid = checkin::printer::PlanSheet(*layout);
  if (grid.ok()) {
    FUZZ_CHECK(grid->PerPage() >= 1);
    FUZZ_CHECK(grid->cell_width_pt > 0 && grid->cell_height_pt > 0);
  }
  return 0;
}
