// The benchmark's configurations: peers sized for aza-pg's connections, grid points one
// setting each, around aza-pg's own values.
#include "bench/configs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "common/units.h"

namespace aza::bench {
namespace {

std::map<std::string, Config> ByName(std::uint64_t memory, double cpus) {
  std::map<std::string, Config> out;
  for (Config& c : Configs(memory, cpus)) out[c.name] = c;
  return out;
}

std::string Setting(const Config& c, const std::string& name) {
  for (const auto& [k, v] : c.settings) {
    if (k == name) return v;
  }
  return "";
}

TEST(Configs, TunersAndGridAtTwoGiB) {
  auto c = ByName(2 * kGiB, 2);
  ASSERT_EQ(c.size(), 14u);
  EXPECT_EQ(c["defaults"].base, Base::kStock);
  EXPECT_TRUE(c["defaults"].settings.empty());
  EXPECT_EQ(c["aza"].base, Base::kAza);
  EXPECT_TRUE(c["aza"].settings.empty());
  EXPECT_EQ(c["pgtune"].base, Base::kStatic);
  // aza-pg's 100 connections at 2 GiB, so PGTune's work_mem is
  // (2097152 kB - 524288 kB) / ((100 + 8) x 3) = 4854 kB.
  EXPECT_EQ(Setting(c["pgtune"], "max_connections"), "100");
  EXPECT_EQ(Setting(c["pgtune"], "work_mem"), "4854kB");
  EXPECT_EQ(Setting(c["tstune"], "max_connections"), "100");
  // aza-pg at 2 GiB: shared_buffers 256MB, maintenance_work_mem 256MB (the quarter is the
  // guide's RAM / 32).
  EXPECT_EQ(Setting(c["sb-half"], "shared_buffers"), "128MB");
  EXPECT_EQ(Setting(c["sb-double"], "shared_buffers"), "512MB");
  EXPECT_EQ(Setting(c["mwm-quarter"], "maintenance_work_mem"), "64MB");
  EXPECT_EQ(Setting(c["mwm-x4"], "maintenance_work_mem"), "1GB");
  EXPECT_EQ(Setting(c["wal-16GB"], "max_wal_size"), "16GB");
  EXPECT_EQ(Setting(c["walcomp-off"], "wal_compression"), "off");
  // Two cores: aza-pg gives one parallel maintenance worker.
  EXPECT_EQ(Setting(c["pmw-x2"], "max_parallel_maintenance_workers"), "2");
  EXPECT_EQ(ByName(2 * kGiB, 1).count("pmw-x2"), 0u);
}

TEST(Configs, GridPointsChangeOneSettingForTheWorkloadsItMoves) {
  for (const Config& c : Configs(1 * kGiB, 1)) {
    if (!c.grid) continue;
    EXPECT_EQ(c.settings.size(), 1u) << c.name;
    EXPECT_EQ(c.base, Base::kAza) << c.name;
    EXPECT_FALSE(c.workloads.empty()) << c.name;
    for (const std::string& w : c.workloads) {
      EXPECT_NE(std::find(kWorkloads.begin(), kWorkloads.end(), w), kWorkloads.end()) << c.name;
    }
  }
}

TEST(Configs, WorkMemQuarterNeverBelowPostgresMinimum) {
  // 512 MiB: aza-pg's work_mem is small; a quarter of it must stay >= 64kB.
  auto c = ByName(512 * kMiB, 1);
  const auto bytes = ParseMemorySize("work_mem", Setting(c["wm-quarter"], "work_mem"));
  ASSERT_TRUE(bytes.has_value());
  EXPECT_GE(*bytes, 64 * kKiB);
}

}  // namespace
}  // namespace aza::bench
