#include "fuzz/fuzz_target.h"
#include "probe/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int skipped = 0;
  const auto mounts = aza::probe::ParseMountInfo(AsText(data, size), &skipped);
  FUZZ_CHECK(skipped >= 0);
  for (const auto& m : mounts) {
    FUZZ_CHECK(!m.fstype.empty());
    FUZZ_CHECK(m.fstype.find(' ') == std::string::npos);
  }
  return 0;
}
