#include "tune/tune.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "common/units.h"
#include "tests/support/golden.h"
#include "tune/huge_pages.h"

namespace aza::tune {
namespace {

Tuning At(std::uint64_t memory, double cpus, Options o = {}) {
  return Tune(Inputs{memory, cpus, std::nullopt, 0}, o);
}

std::map<std::string, std::string> ByName(const Tuning& t) {
  std::map<std::string, std::string> m;
  for (const Setting& s : t.settings) m[s.name] = s.value;
  return m;
}

// The guide's documented values ("Auto-Config Memory Allocation") hold exactly, except
// maintenance_work_mem: the guide's RAM / 32 is what autovacuum workers get, while one
// maintenance command gets RAM / 8, which the HNSW benchmark justifies (docs/tuning-evidence.md).
TEST(Tune, GuideDocumentedValues) {
  auto one = ByName(At(1 * kGiB, 2));
  EXPECT_EQ(one["shared_buffers"], "128MB");
  EXPECT_EQ(one["effective_cache_size"], "384MB");
  EXPECT_EQ(one["autovacuum_work_mem"], "32MB");
  EXPECT_EQ(one["maintenance_work_mem"], "128MB");
  EXPECT_EQ(ByName(At(2 * kGiB, 2))["shared_buffers"], "256MB");
  auto four = ByName(At(4 * kGiB, 2));
  EXPECT_EQ(four["shared_buffers"], "512MB");
  EXPECT_EQ(four["effective_cache_size"], "1536MB");
  EXPECT_EQ(four["autovacuum_work_mem"], "128MB");
  EXPECT_EQ(four["maintenance_work_mem"], "512MB");
}

// A /dev/shm smaller than maintenance_work_mem lowers it to fit, keeping parallel index builds
// (pgvector's parallel HNSW build holds its graph there), and says which shm_size would do.
// When at least half fits; with less, maintenance_work_mem stays and parallel maintenance goes.
TEST(Tune, SmallShmLowersMaintenanceWorkMemKeepingParallelBuilds) {
  const Tuning t = Tune(Inputs{8 * kGiB, 8, 1 * kGiB, 0}, {});
  EXPECT_EQ(t.values.maintenance_work_mem, 1008 * kMiB);
  EXPECT_EQ(t.values.max_parallel_maintenance_workers, 4);
  ASSERT_FALSE(t.warnings.empty());
  EXPECT_NE(t.warnings.front().find("shm_size to at least 1088MB"), std::string::npos)
      << t.warnings.front();
  // With room, nothing changes.
  EXPECT_EQ(Tune(Inputs{16 * kGiB, 8, 4 * kGiB, 0}, {}).values.maintenance_work_mem, 2 * kGiB);
  // Docker's default 64MB: the memory stays, parallel maintenance goes.
  const Tuning small = Tune(Inputs{4 * kGiB, 2, 64 * kMiB, 0}, {});
  EXPECT_EQ(small.values.maintenance_work_mem, 512 * kMiB);
  EXPECT_EQ(small.values.max_parallel_maintenance_workers, 0);
}

// work_mem below 16MB keeps 64kB steps instead of losing up to a whole MB.
TEST(Tune, SmallWorkMemKeepsKilobytes) {
  const Values v = At(1 * kGiB, 2).values;
  EXPECT_EQ(v.work_mem % (64 * kKiB), 0u);
  EXPECT_GT(v.work_mem, 1 * kMiB);
  EXPECT_EQ(At(64 * kGiB, 8).values.work_mem % kMiB, 0u);
}

TEST(Tune, GuideCaps) {
  const Values v = At(128 * kGiB, 64).values;
  EXPECT_EQ(v.shared_buffers, 8 * kGiB);
  EXPECT_EQ(v.maintenance_work_mem, 2 * kGiB);
  EXPECT_EQ(v.work_mem, 32 * kMiB);
  EXPECT_EQ(v.max_connections, 200);
  EXPECT_EQ(At(1 * kGiB, 1).values.max_connections, 100);
}

// Every memory/CPU point 0.5-128 GiB x 0.5-64 CPUs: the worst case fits and the settings are
// mutually consistent. 0.5 GiB steps to 16 GiB, 4 GiB steps beyond.
TEST(Tune, BudgetAndConsistencyOverGrid) {
  const std::regex pg_memory("^[0-9]+(kB|MB|GB)$");
  int points = 0;
  for (std::uint64_t m = 512 * kMiB; m <= 128 * kGiB;
       m += (m < 16 * kGiB ? 512 * kMiB : 4 * kGiB)) {
    for (double cpus :
         {0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0}) {
      ++points;
      const Tuning t = At(m, cpus);
      const Values& v = t.values;
      const std::string at = fmt::format("memory {} cpus {}", FormatHuman(m), cpus);
      EXPECT_LE(t.budget.worst_case_bytes, m) << at;
      EXPECT_LE(t.budget.worst_case_bytes + t.budget.reserve_bytes, m) << at;
      EXPECT_TRUE(t.warnings.empty() || v.work_mem < kMiB) << at << ": " << t.warnings[0];
      EXPECT_LE(v.shared_buffers, 8 * kGiB) << at;
      EXPECT_LE(v.maintenance_work_mem, 2 * kGiB) << at;
      EXPECT_LE(v.work_mem, 32 * kMiB) << at;
      EXPECT_GE(v.work_mem, 64 * kKiB) << at;
      EXPECT_GE(v.max_connections, 100) << at;
      EXPECT_LE(v.max_connections, 200) << at;
      EXPECT_GE(v.max_worker_processes, v.max_parallel_workers + 4 + 1 + 4) << at;
      EXPECT_LE(v.max_parallel_workers_per_gather, v.max_parallel_workers) << at;
      EXPECT_LE(v.max_parallel_maintenance_workers, v.max_parallel_workers) << at;
      EXPECT_LE(v.max_parallel_workers, static_cast<int>(std::max(1.0, cpus))) << at;
      EXPECT_LE(v.max_parallel_workers, static_cast<int>(m / (256 * kMiB))) << at;
      EXPECT_GE(v.io_workers, 1) << at;
      EXPECT_LE(v.io_workers, 32) << at;  // PostgreSQL's range for io_workers
      EXPECT_GE(v.autovacuum_max_workers, 3) << at;
      EXPECT_LE(v.autovacuum_work_mem, v.maintenance_work_mem) << at;
      for (const Setting& s : t.settings) {
        if (s.name.ends_with("_mem") || s.name.ends_with("_buffers") ||
            s.name == "effective_cache_size") {
          EXPECT_TRUE(std::regex_match(s.value, pg_memory))
              << at << " " << s.name << "=" << s.value;
        }
      }
    }
  }
  EXPECT_GT(points, 700);
}

TEST(Tune, MonotonicInMemory) {
  Values prev = At(512 * kMiB, 4).values;
  for (std::uint64_t m = 768 * kMiB; m <= 128 * kGiB; m += 256 * kMiB) {
    const Values v = At(m, 4).values;
    EXPECT_GE(v.shared_buffers, prev.shared_buffers) << FormatHuman(m);
    EXPECT_GE(v.maintenance_work_mem, prev.maintenance_work_mem) << FormatHuman(m);
    EXPECT_GE(v.max_connections, prev.max_connections) << FormatHuman(m);
    prev = v;
  }
}

TEST(Tune, SmallShmReducesParallelismWithWarning) {
  const Tuning roomy = Tune({4 * kGiB, 4, 1 * kGiB, 0}, {});
  const Tuning tight = Tune({4 * kGiB, 4, 64 * kMiB, 0}, {});
  EXPECT_EQ(roomy.values.max_parallel_workers, 4);
  EXPECT_TRUE(roomy.warnings.empty());
  EXPECT_LT(tight.values.max_parallel_workers, 4);
  EXPECT_LE(tight.values.max_parallel_workers_per_gather, tight.values.max_parallel_workers);
  ASSERT_FALSE(tight.warnings.empty());
  EXPECT_NE(tight.warnings[0].find("shm_size"), std::string::npos) << tight.warnings[0];
  // What remains fits in the /dev/shm we have.
  const Tuning check =
      Tune({4 * kGiB, static_cast<double>(tight.values.max_parallel_workers), std::nullopt, 0}, {});
  EXPECT_GE(roomy.budget.shm_needed_bytes, check.budget.shm_needed_bytes);
}

// The /dev/shm warning names only the settings it changed, at every shm size and CPU count.
TEST(Tune, ShmWarningNamesOnlyWhatChanged) {
  const std::regex unchanged(R"(max_parallel_\w+ (\d+) -> \1\b)");
  for (const double cpus : {2.0, 4.0, 8.0, 16.0}) {
    for (std::uint64_t shm = 4 * kMiB; shm <= 2 * kGiB; shm += 4 * kMiB) {
      for (const std::string& w : Tune({8 * kGiB, cpus, shm, 0}, {}).warnings) {
        EXPECT_FALSE(std::regex_search(w, unchanged)) << cpus << " CPUs, shm " << shm << ": " << w;
      }
    }
  }
}

TEST(Tune, OneCpuDisablesParallelQuery) {
  const Values v = At(8 * kGiB, 1.5).values;
  EXPECT_EQ(v.max_parallel_workers, 0);
  EXPECT_EQ(v.max_parallel_workers_per_gather, 0);
  EXPECT_EQ(v.max_worker_processes, 9);  // pg_cron 4 + logical launcher 1 + margin 4
}

TEST(Tune, HugePagesOnlyWhenTheyFit) {
  EXPECT_FALSE(Tune({8 * kGiB, 4, std::nullopt, 1 * kGiB}, {}).values.huge_pages);
  EXPECT_TRUE(Tune({8 * kGiB, 4, std::nullopt, 2 * kGiB}, {}).values.huge_pages);
}

TEST(Tune, WithoutHugePagesALargePoolGetsAdvice) {
  constexpr std::uint64_t k2M = 2 * kMiB;
  // 8 GiB: a 1GB pool, 1GB x 1.1 + 64MB = 1190.4 MB, 596 pages of 2 MB.
  const Tuning none = Tune({8 * kGiB, 2, std::nullopt, 0, k2M}, {});
  ASSERT_EQ(none.warnings.size(), 1U);
  EXPECT_NE(none.warnings[0].find("at least 596 free huge pages of 2 MiB"), std::string::npos)
      << none.warnings[0];
  // Enough free: huge_pages = try, no advice; too few: advice with what is free.
  EXPECT_TRUE(Tune({8 * kGiB, 2, std::nullopt, 596 * k2M, k2M}, {}).warnings.empty());
  const Tuning few = Tune({8 * kGiB, 2, std::nullopt, 100 * k2M, k2M}, {});
  ASSERT_EQ(few.warnings.size(), 1U);
  EXPECT_NE(few.warnings[0].find("(200 MiB of huge pages free,"), std::string::npos)
      << few.warnings[0];
  // Below a 1GB pool (4 GiB: 512MB) the cost was not measurable; no hugetlb: nothing to advise.
  EXPECT_TRUE(Tune({4 * kGiB, 2, std::nullopt, 0, k2M}, {}).warnings.empty());
  EXPECT_TRUE(Tune({8 * kGiB, 2, std::nullopt, 0, 0}, {}).warnings.empty());
  // The advice names shmem THP as the way that needs no reservation.
  EXPECT_NE(none.warnings[0].find("shmem_enabled"), std::string::npos) << none.warnings[0];
}

TEST(Tune, ShmemThpMapsThePoolSoNoAdvice) {
  constexpr std::uint64_t k2M = 2 * kMiB;
  const Tuning t = Tune({8 * kGiB, 2, std::nullopt, 0, k2M, true}, {});
  EXPECT_TRUE(t.warnings.empty());
  EXPECT_FALSE(t.values.huge_pages);  // hugetlb is still off: none are free
  const auto hp = std::find_if(t.settings.begin(), t.settings.end(),
                               [](const Setting& s) { return s.name == "huge_pages"; });
  ASSERT_NE(hp, t.settings.end());
  EXPECT_NE(hp->clamp.find("shmem THP"), std::string::npos) << hp->clamp;
}

// A standby: the tuner itself keeps the settings PostgreSQL requires at least as high as the
// primary's, sizes work_mem for the primary's connection count, and emits the three settings
// it does not otherwise tune; nothing is patched afterwards.
TEST(Tune, StandbyTakesThePrimarysMinimums) {
  Options o;
  o.primary = {300, 20, 12, 5, 128};
  const Tuning own = At(4 * kGiB, 2);
  const Tuning t = At(4 * kGiB, 2, o);
  const auto s = ByName(t);
  EXPECT_EQ(s.at("max_connections"), "300");
  EXPECT_EQ(s.at("max_worker_processes"), "20");
  EXPECT_EQ(s.at("max_wal_senders"), "12");
  EXPECT_EQ(s.at("max_prepared_transactions"), "5");
  EXPECT_EQ(s.at("max_locks_per_transaction"), "128");
  EXPECT_LT(t.values.work_mem, own.values.work_mem);
  EXPECT_LE(t.budget.worst_case_bytes, t.budget.limit_bytes);
  EXPECT_EQ(ByName(own).count("max_wal_senders"), 0u);  // a primary leaves them to its files
  // Lower minimums change nothing.
  o.primary = {10, 1, 0, 0, 0};
  EXPECT_EQ(ByName(At(4 * kGiB, 2, o)), ByName(own));
}

TEST(HugePages, ShmemThpModesThatMapThePool) {
  for (const char* yes : {"always", "within_size", "force"}) EXPECT_TRUE(ShmemThpMapsPool(yes));
  for (const char* no : {"advise", "never", "deny", "inherit", ""}) {
    EXPECT_FALSE(ShmemThpMapsPool(no)) << no;
  }
}

TEST(Tune, ConnectionOverrideBeyondMemoryWarns) {
  Options o;
  o.max_connections = 5000;
  const Tuning t = At(1 * kGiB, 2, o);
  EXPECT_EQ(t.values.max_connections, 5000);
  EXPECT_EQ(t.values.work_mem, 64 * kKiB);
  ASSERT_FALSE(t.warnings.empty());
  EXPECT_NE(t.warnings[0].find("cannot hold 5000 connections"), std::string::npos);
}

// Golden table at 1-128 GiB x 1-64 CPUs (tests/golden/tune_table.tsv). Regenerate after an
// intended rule change with AZA_UPDATE_GOLDEN=1 and review the diff.
TEST(Tune, GoldenTable) {
  std::ostringstream out;
  bool header = true;
  for (int gib : {1, 2, 4, 8, 16, 32, 64, 128}) {
    for (int cpus : {1, 2, 4, 8, 16, 64}) {
      const Tuning t = At(static_cast<std::uint64_t>(gib) * kGiB, cpus);
      if (header) {
        out << "memory\tcpus";
        for (const Setting& s : t.settings) out << '\t' << s.name;
        out << "\tworst_case\n";
        header = false;
      }
      out << gib << "GiB\t" << cpus;
      for (const Setting& s : t.settings) out << '\t' << s.value;
      out << '\t' << FormatHuman(t.budget.worst_case_bytes) << '\n';
    }
  }
  aza::testing::ExpectGolden("tune_table.tsv", out.str());
}

}  // namespace
}  // namespace aza::tune
