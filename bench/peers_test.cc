// The peer formulas against the hand-computed tables of ../shared/research/tuners.md §3.1
// (PGTune web, 200 connections) and §3.2 (timescaledb-tune, --max-conns=200).
#include "bench/peers.h"

#include <gtest/gtest.h>

#include <map>

#include "common/units.h"

namespace aza::bench {
namespace {

std::map<std::string, std::string> Map(const PeerSettings& s) { return {s.begin(), s.end()}; }

TEST(PgTuneWeb, ResearchTable) {
  struct Row {
    std::uint64_t gib;
    int cpus;
    const char *sb, *ecs, *mwm, *wm, *wal, *huge;
  } rows[] = {
      {2, 1, "512MB", "1536MB", "128MB", "4MB", "16MB", "off"},
      {4, 2, "1GB", "3GB", "256MB", "5041kB", "16MB", "off"},
      {16, 8, "4GB", "12GB", "1GB", "20164kB", "16MB", "try"},
      {128, 64, "32GB", "96GB", "8GB", "127100kB", "16MB", "try"},
  };
  for (const Row& r : rows) {
    auto m = Map(PgTuneWeb({r.gib * kGiB, r.cpus, 200}));
    EXPECT_EQ(m["shared_buffers"], r.sb) << r.gib;
    EXPECT_EQ(m["effective_cache_size"], r.ecs) << r.gib;
    EXPECT_EQ(m["maintenance_work_mem"], r.mwm) << r.gib;
    EXPECT_EQ(m["work_mem"], r.wm) << r.gib;
    EXPECT_EQ(m["wal_buffers"], r.wal) << r.gib;
    EXPECT_EQ(m["huge_pages"], r.huge) << r.gib;
  }
  auto big = Map(PgTuneWeb({128 * kGiB, 64, 200}));
  EXPECT_EQ(big["max_parallel_workers_per_gather"], "4");
  EXPECT_EQ(big["autovacuum_max_workers"], "5");
  EXPECT_EQ(big["autovacuum_work_mem"], "2GB");
  EXPECT_EQ(Map(PgTuneWeb({2 * kGiB, 1, 200})).count("max_worker_processes"), 0u);
}

TEST(TimescaleTune, ResearchTable) {
  struct Row {
    std::uint64_t gib;
    int cpus;
    const char *sb, *mwm, *wm, *mwp, *gather, *locks;
  } rows[] = {
      {2, 1, "512MB", "256MB", "4MB", "", "", "128"},
      {4, 2, "1GB", "512MB", "8MB", "21", "1", "128"},
      {16, 8, "4GB", "2047MB", "8MB", "27", "4", "512"},
      {128, 64, "32GB", "2047MB", "8MB", "83", "32", "1024"},
  };
  for (const Row& r : rows) {
    auto m = Map(TimescaleTune({r.gib * kGiB, r.cpus, 200}));
    EXPECT_EQ(m["shared_buffers"], r.sb) << r.gib;
    EXPECT_EQ(m["maintenance_work_mem"], r.mwm) << r.gib;
    EXPECT_EQ(m["work_mem"], r.wm) << r.gib;
    EXPECT_EQ(m["max_worker_processes"], r.mwp) << r.gib;
    EXPECT_EQ(m["max_parallel_workers_per_gather"], r.gather) << r.gib;
    EXPECT_EQ(m["max_locks_per_transaction"], r.locks) << r.gib;
    EXPECT_EQ(m["wal_buffers"], "16MB") << r.gib;
  }
}

}  // namespace
}  // namespace aza::bench
