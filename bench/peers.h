// bench/peers.h — the settings two peer tuners would choose for the same memory, CPUs and
// connections, from their published formulas (../shared/research/tuners.md §1a, §3.1, §3.2):
//   PGTune "web" profile: le0pard/pgtune src/features/configuration/configurationSlice.js
//     @7caef27 (Linux, SSD, dbSize mid_ram, PostgreSQL 18).
//   timescaledb-tune default profile: timescale/timescaledb-tune pkg/pgtune/*.go @c7a642b.
// Only the benchmark uses these; they are checked against the research's hand-computed tables.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aza::bench {

struct PeerInputs {
  std::uint64_t memory_bytes = 0;
  int cpus = 1;
  int max_connections = 200;
};

using PeerSettings = std::vector<std::pair<std::string, std::string>>;

PeerSettings PgTuneWeb(const PeerInputs& in);
PeerSettings TimescaleTune(const PeerInputs& in);

}  // namespace aza::bench
