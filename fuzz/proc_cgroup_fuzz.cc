#include "fuzz/fuzz_target.h"
#include "probe/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int skipped = 0;
  for (const auto& l : aza::probe::ParseProcCgroup(AsText(data, size), &skipped)) {
    FUZZ_CHECK(l.hierarchy >= 0);
    FUZZ_CHECK(!l.path.empty() && l.path[0] == '/');
    for (const auto& c : l.controllers) FUZZ_CHECK(!c.empty());
  }
  return 0;
}
