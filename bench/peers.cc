#include "bench/peers.h"

#include <algorithm>
#include <cmath>

#include "common/units.h"

namespace aza::bench {
namespace {

// Both tools print the largest unit that loses no precision, from kB up.
std::string Kb(std::uint64_t kb) { return FormatPgMemory(kb * kKiB); }

}  // namespace

PeerSettings PgTuneWeb(const PeerInputs& in) {
  const std::uint64_t ram_kb = in.memory_bytes / kKiB;
  const std::uint64_t sb_kb = ram_kb / 4;
  const std::uint64_t mwm_kb = std::min<std::uint64_t>(ram_kb / 16, 8 * kMiB);  // 8GB in kB
  // wal_buffers: 3% of shared_buffers, at most 16MB; above 14MB it rounds up to 16MB.
  std::uint64_t wal_kb = sb_kb * 3 / 100;
  if (wal_kb > 14 * 1024) wal_kb = 16 * 1024;
  wal_kb = std::max<std::uint64_t>(wal_kb, 32);
  // work_mem: (RAM - SB) / ((connections + workers) x 3), workers = CPUs from 4 CPUs, else 8.
  const int workers = in.cpus >= 4 ? in.cpus : 8;
  std::uint64_t wm_kb =
      (ram_kb - sb_kb) / (static_cast<std::uint64_t>(in.max_connections + workers) * 3);
  wm_kb = std::max<std::uint64_t>(wm_kb, 4 * 1024);  // 4MB floor
  PeerSettings s = {
      {"max_connections", std::to_string(in.max_connections)},
      {"shared_buffers", Kb(sb_kb)},
      {"effective_cache_size", Kb(ram_kb * 3 / 4)},
      {"maintenance_work_mem", Kb(mwm_kb)},
      {"checkpoint_completion_target", "0.9"},
      {"wal_buffers", Kb(wal_kb)},
      {"default_statistics_target", "100"},
      {"random_page_cost", "1.1"},
      {"effective_io_concurrency", "200"},
      {"work_mem", Kb(wm_kb)},
      {"huge_pages", sb_kb >= 2 * kMiB ? "try" : "off"},
      {"min_wal_size", "1GB"},
      {"max_wal_size", "4GB"},
  };
  if (in.cpus >= 4) {
    const int half = std::min((in.cpus + 1) / 2, 4);
    s.push_back({"max_worker_processes", std::to_string(in.cpus)});
    s.push_back({"max_parallel_workers_per_gather", std::to_string(half)});
    s.push_back({"max_parallel_workers", std::to_string(in.cpus)});
    s.push_back({"max_parallel_maintenance_workers", std::to_string(half)});
  }
  if (in.cpus >= 16) s.push_back({"autovacuum_max_workers", in.cpus >= 32 ? "5" : "4"});
  if (mwm_kb >= 2 * kMiB) s.push_back({"autovacuum_work_mem", "2GB"});
  return s;
}

PeerSettings TimescaleTune(const PeerInputs& in) {
  const double gb = static_cast<double>(in.memory_bytes) / static_cast<double>(kGiB);
  const std::uint64_t ram_kb = in.memory_bytes / kKiB;
  const std::uint64_t mwm_kb = std::min<std::uint64_t>(static_cast<std::uint64_t>(gb * 128 * 1024),
                                                       2047 * 1024);  // RAM_GB x 128MB, cap 2047MB
  // work_mem = RAM_GB x (400MB / connections) / round(CPUs / 2), Go's math.Round; floor 64kB.
  const double cpu_div = std::max(1.0, std::round(static_cast<double>(in.cpus) / 2));
  const auto wm_kb = std::max<std::uint64_t>(
      static_cast<std::uint64_t>(gb * (400.0 * 1024 / in.max_connections) / cpu_div), 64);
  const std::uint64_t wal_kb = gb < 2 ? static_cast<std::uint64_t>(gb * 7864) : 16 * 1024;
  const char* locks = gb >= 32 ? "1024" : gb >= 16 ? "512" : gb >= 8 ? "256" : "128";
  PeerSettings s = {
      {"max_connections", std::to_string(in.max_connections)},
      {"shared_buffers", Kb(ram_kb / 4)},
      {"effective_cache_size", Kb(ram_kb * 3 / 4)},
      {"maintenance_work_mem", Kb(mwm_kb)},
      {"work_mem", Kb(wm_kb)},
      {"wal_buffers", Kb(wal_kb)},
      {"min_wal_size", "512MB"},
      {"max_wal_size", "1GB"},
      {"default_statistics_target", "100"},
      {"random_page_cost", "1.1"},
      {"checkpoint_completion_target", "0.9"},
      {"max_locks_per_transaction", locks},
      {"autovacuum_max_workers", "10"},
      {"autovacuum_naptime", "10"},
      {"effective_io_concurrency", "256"},
  };
  if (in.cpus > 1) {
    s.push_back({"max_worker_processes", std::to_string(3 + 16 + in.cpus)});
    s.push_back({"max_parallel_workers_per_gather",
                 std::to_string(static_cast<int>(std::round(in.cpus / 2.0)))});
    s.push_back({"max_parallel_workers", std::to_string(in.cpus)});
  }
  return s;
}

}  // namespace aza::bench
