// common/units.h — memory sizes as operators write them and as PostgreSQL reads them.
// All multiples are binary (1 MB = 1 MiB), as in PostgreSQL's GUC units and Docker's -m flag.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace aza {

inline constexpr std::uint64_t kKiB = 1024;
inline constexpr std::uint64_t kMiB = 1024 * kKiB;
inline constexpr std::uint64_t kGiB = 1024 * kMiB;
inline constexpr std::uint64_t kTiB = 1024 * kGiB;

// Parses a memory size. A bare number is MiB (the guide's POSTGRES_MEMORY=<MB>); otherwise a
// number followed by a unit, case-insensitive, optional space: B, k/kB/KiB, M/MB/MiB,
// G/GB/GiB, T/TB/TiB. Decimals are allowed with a unit ("1.5GiB"). Returns bytes, or
// kInvalidInput naming `what` and the text.
Expected<std::uint64_t> ParseMemorySize(std::string_view what, std::string_view text);

// Formats bytes the way PostgreSQL's GUC parser accepts them, using the largest unit that
// represents the value exactly: 8GB, 1536MB, 471kB. Values below 1 kB print as "0kB"-free
// bytes are never produced by the tuner (it rounds to kB first).
std::string FormatPgMemory(std::uint64_t bytes);

// Formats bytes for people: "512 MiB", "1.5 GiB", "23.4 GiB".
std::string FormatHuman(std::uint64_t bytes);

}  // namespace aza
