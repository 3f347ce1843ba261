// A check that stays on in release builds: fuzz targets and their replays must
// fail loudly whatever NDEBUG says.
#pragma once

#define FUZZ_CHECK(cond)           \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)
