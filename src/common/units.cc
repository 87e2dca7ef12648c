#include "common/units.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "common/text.h"

namespace aza {
namespace {

struct UnitName {
  std::string_view name;
  std::uint64_t multiplier;
};

// Lower-case spellings; the input is lower-cased before matching.
constexpr std::array<UnitName, 13> kUnits{{
    {"b", 1},
    {"k", kKiB},
    {"kb", kKiB},
    {"kib", kKiB},
    {"m", kMiB},
    {"mb", kMiB},
    {"mib", kMiB},
    {"g", kGiB},
    {"gb", kGiB},
    {"gib", kGiB},
    {"t", kTiB},
    {"tb", kTiB},
    {"tib", kTiB},
}};

// Largest size we accept: far above any machine, far below uint64 overflow.
constexpr double kMaxBytes = static_cast<double>(64 * kTiB);

}  // namespace

Expected<std::uint64_t> ParseMemorySize(std::string_view what, std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const auto bad = [&](std::string_view why) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': {} (examples: 4096, 4096MB, 4GB, 2GiB)", what, text, why));
  };
  if (trimmed.empty()) return bad("empty value");

  std::size_t split = 0;
  while (split < trimmed.size() &&
         ((trimmed[split] >= '0' && trimmed[split] <= '9') || trimmed[split] == '.')) {
    ++split;
  }
  const std::string_view number = trimmed.substr(0, split);
  const std::string unit = ToLower(Trim(trimmed.substr(split)));

  const std::optional<double> value = ParseDecimal(number);
  if (!value) return bad("not a number followed by an optional unit");

  std::uint64_t multiplier = kMiB;  // a bare number is MB, as the guide documents
  if (unit.empty()) {
    if (number.find('.') != std::string_view::npos) return bad("a bare number must be whole MB");
  } else {
    bool found = false;
    for (const UnitName& u : kUnits) {
      if (unit == u.name) {
        multiplier = u.multiplier;
        found = true;
      }
    }
    if (!found) return bad(fmt::format("unknown unit '{}'", unit));
  }
  const double bytes = *value * static_cast<double>(multiplier);
  if (bytes < 1) return bad("must be greater than zero");
  if (bytes > kMaxBytes) return bad("larger than 64 TiB");
  return static_cast<std::uint64_t>(std::llround(bytes));
}

std::string FormatPgMemory(std::uint64_t bytes) {
  if (bytes >= kGiB && bytes % kGiB == 0) return fmt::format("{}GB", bytes / kGiB);
  if (bytes >= kMiB && bytes % kMiB == 0) return fmt::format("{}MB", bytes / kMiB);
  return fmt::format("{}kB", bytes / kKiB);
}

std::string FormatHuman(std::uint64_t bytes) {
  constexpr std::array<std::string_view, 5> kNames{"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t i = 0;
  while (value >= 1024 && i + 1 < kNames.size()) {
    value /= 1024;
    ++i;
  }
  if (value == std::floor(value)) return fmt::format("{:.0f} {}", value, kNames[i]);
  return fmt::format("{:.1f} {}", value, kNames[i]);
}

}  // namespace aza
