#include "bench/configs.h"

#include <algorithm>
#include <cmath>

#include "common/units.h"
#include "tune/tune.h"

namespace aza::bench {
namespace {

// The benchmark's containers run with --shm-size 1g.
constexpr std::uint64_t kBenchShm = 1 * kGiB;
// PostgreSQL's minimums: work_mem 64kB, maintenance_work_mem 1MB.
constexpr std::uint64_t kWorkMemMin = 64 * kKiB;
constexpr std::uint64_t kMaintenanceMin = 1 * kMiB;

const std::vector<std::string> kBufferWorkloads = {"tpcb", "select", "analytics"};
const std::vector<std::string> kSortWorkloads = {"analytics", "groupby"};
const std::vector<std::string> kWalWorkloads = {"tpcb"};
const std::vector<std::string> kIndexWorkloads = {"btree", "hnsw"};

Config GridPoint(std::string name, const std::vector<std::string>& workloads, std::string setting,
                 std::string value) {
  return {std::move(name), Base::kAza, true, workloads, {{std::move(setting), std::move(value)}}};
}

}  // namespace

std::string BaseName(Base base) {
  switch (base) {
    case Base::kStock:
      return "stock";
    case Base::kAza:
      return "aza";
    case Base::kStatic:
      return "static";
  }
  return "?";
}

std::vector<Config> Configs(std::uint64_t memory_bytes, double cpus) {
  const tune::Tuning aza = tune::Tune({memory_bytes, cpus, kBenchShm, 0}, {});
  const tune::Values& v = aza.values;
  const PeerInputs peer{memory_bytes, std::max(1, static_cast<int>(std::floor(cpus))),
                        v.max_connections};
  std::vector<Config> configs = {
      {"defaults", Base::kStock, false, kWorkloads, {}},
      {"aza", Base::kAza, false, kWorkloads, {}},
      {"pgtune", Base::kStatic, false, kWorkloads, PgTuneWeb(peer)},
      {"tstune", Base::kStatic, false, kWorkloads, TimescaleTune(peer)},
      // One factor at a time around aza-pg's values: halve and double shared_buffers, a
      // quarter and four times work_mem and maintenance_work_mem, and max_wal_size from
      // PostgreSQL's default to four times aza-pg's base configuration.
      GridPoint("sb-half", kBufferWorkloads, "shared_buffers",
                FormatPgMemory(v.shared_buffers / 2)),
      GridPoint("sb-double", kBufferWorkloads, "shared_buffers",
                FormatPgMemory(v.shared_buffers * 2)),
      GridPoint("wm-quarter", kSortWorkloads, "work_mem",
                FormatPgMemory(std::max(kWorkMemMin, v.work_mem / 4))),
      GridPoint("wm-x4", kSortWorkloads, "work_mem", FormatPgMemory(v.work_mem * 4)),
      GridPoint("wal-1GB", kWalWorkloads, "max_wal_size", FormatPgMemory(1 * kGiB)),
      GridPoint("wal-16GB", kWalWorkloads, "max_wal_size", FormatPgMemory(16 * kGiB)),
      GridPoint("mwm-quarter", kIndexWorkloads, "maintenance_work_mem",
                FormatPgMemory(std::max(kMaintenanceMin, v.maintenance_work_mem / 4))),
      GridPoint("mwm-x4", kIndexWorkloads, "maintenance_work_mem",
                FormatPgMemory(v.maintenance_work_mem * 4)),
      // aza-pg's base configuration compresses full-page images with lz4 (the guide's
      // choice); off trades WAL volume for the CPU it costs writers and index builds.
      GridPoint("walcomp-off", {"tpcb", "btree"}, "wal_compression", "off"),
  };
  // Twice aza-pg's parallel maintenance workers (PostgreSQL's default is 2 whatever the
  // cores); without parallel workers (one core) there is nothing to double.
  if (v.max_parallel_maintenance_workers > 0) {
    configs.push_back(GridPoint("pmw-x2", kIndexWorkloads, "max_parallel_maintenance_workers",
                                std::to_string(2 * v.max_parallel_maintenance_workers)));
  }
  return configs;
}

}  // namespace aza::bench
