#include "common/text.h"
#include "common/units.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = AsText(data, size);
  const auto bytes = aza::ParseMemorySize("POSTGRES_MEMORY", text);
  if (bytes) {
    FUZZ_CHECK(*bytes > 0 && *bytes <= 64 * aza::kTiB);
    // What we print, PostgreSQL-style, parses back to the same kB-rounded value.
    const auto again = aza::ParseMemorySize("x", aza::FormatPgMemory(*bytes));
    FUZZ_CHECK(!again || *again == *bytes / aza::kKiB * aza::kKiB || *bytes < aza::kKiB);
  } else {
    FUZZ_CHECK(bytes.error().message.rfind("POSTGRES_MEMORY='", 0) == 0);
  }
  if (const auto d = aza::ParseDecimal(text)) FUZZ_CHECK(*d >= 0);
  return 0;
}
