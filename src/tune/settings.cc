#include "tune/settings.h"

#include <fmt/format.h>

#include <array>

#include "common/units.h"

namespace aza::tune {
namespace {

std::string Int(int v) { return std::to_string(v); }
std::string AtLeastPrimary(int v) { return v > 0 ? std::to_string(v) : ""; }

// clang-format off
constexpr std::array kRows{
  SettingRow{"shared_buffers", "memory / 8", "8GB cap, 16MB floor",
    "The guide: 1 GiB → 128MB, 2 GiB → 256MB, 4 GiB → 512MB, cap 8GB. Host tuners use 25%, but a "
    "memory cgroup charges page cache to the same limit, so a large shared_buffers double-buffers: "
    "in a 2 GiB container 512MB ran select-only about 2× slower than 128MB "
    "([shared-buffers-evidence.md](shared-buffers-evidence.md)).",
    Apply::kRestart, [](const Values& v) { return FormatPgMemory(v.shared_buffers); }},
  SettingRow{"effective_cache_size", "memory x 3/8", "",
    "The guide: 1 GiB → 384MB, 4 GiB → 1536MB. A planner estimate only; it allocates nothing.",
    Apply::kReload, [](const Values& v) { return FormatPgMemory(v.effective_cache_size); }},
  SettingRow{"maintenance_work_mem", "memory / 8", "2GB cap, 16MB floor; lowered to fit /dev/shm",
    "One maintenance command at a time (CREATE INDEX, VACUUM, ALTER TABLE). The guide's "
    "memory / 32 (1 GiB → 32MB) cannot hold a pgvector HNSW graph of 100k 128-dimension vectors "
    "(about 125 MB), and pgvector then falls back to a build several times slower. "
    "timescaledb-tune uses memory / 8 too; cap 2GB from the guide.",
    Apply::kReload, [](const Values& v) { return FormatPgMemory(v.maintenance_work_mem); }},
  SettingRow{"autovacuum_work_mem", "memory / 32 within [16MB, 1GB]", "[16MB, 1GB]",
    "The guide's maintenance fraction (1 GiB → 32MB, 4 GiB → 128MB), kept for autovacuum because "
    "every autovacuum worker may hold it at once; 1GB each is ample with PostgreSQL 17+'s TID "
    "store and bounds the budget.",
    Apply::kReload, [](const Values& v) { return FormatPgMemory(v.autovacuum_work_mem); }},
  SettingRow{"work_mem",
    "(memory - reserve - fixed costs) / ((connections + parallel workers) x hash_mem_multiplier)",
    "32MB cap, 64kB floor",
    "The budget below, solved for work_mem; cap from the guide; the floor is PostgreSQL's "
    "minimum. Rounded down to whole MB from 16MB up, to 64kB steps below (1728kB at 1 GiB "
    "rather than 1MB).",
    Apply::kReload, [](const Values& v) { return FormatPgMemory(v.work_mem); }},
  SettingRow{"hash_mem_multiplier", "PostgreSQL default, counted in the budget", "",
    "PostgreSQL's default, written out because the budget counts it.",
    Apply::kReload, [](const Values& v) { return fmt::format("{:g}", v.hash_mem_multiplier); }},
  SettingRow{"wal_buffers", "shared_buffers / 32 within [1MB, 16MB]", "[1MB, 16MB]",
    "PostgreSQL's own `-1` rule (at most one WAL segment), explicit so it shows in the budget.",
    Apply::kRestart, [](const Values& v) { return FormatPgMemory(v.wal_buffers); }},
  SettingRow{"max_connections", "50 + 12.5 per GiB, within [100, 200]",
    "[100, 200]; a standby's at least the primary's",
    "The guide's range: 100 up to 4 GiB, 150 at 8 GiB, 200 from 12 GiB, rounded down to 10. "
    "PgBouncer multiplexes clients onto these. A hot standby needs at least the primary's value "
    "(PostgreSQL docs, \"Hot Standby\"); work_mem is then sized for that many.",
    Apply::kRestart, [](const Values& v) { return Int(v.max_connections); }},
  SettingRow{"max_worker_processes",
    "max_parallel_workers + pg_cron (4) + logical launcher + 4, at least 8",
    "≥ 8; a standby's at least the primary's",
    "Leaves slots for pg_cron and extensions even when parallelism is busy (tembo/tembo #996: "
    "pg_cron starved of slots).",
    Apply::kRestart, [](const Values& v) { return Int(v.max_worker_processes); }},
  SettingRow{"max_parallel_workers", "cores (0 below 2 cores)", "0 below 2 cores",
    "Parallel query on one core only adds overhead.",
    Apply::kReload, [](const Values& v) { return Int(v.max_parallel_workers); }},
  SettingRow{"max_parallel_workers_per_gather", "cores / 2, at most 4 (0 below 2 cores)",
    "≤ 4, 0 below 2 cores",
    "Beyond 4, returns fall off and one query can starve the rest (PGTune caps at 4 too).",
    Apply::kReload, [](const Values& v) { return Int(v.max_parallel_workers_per_gather); }},
  SettingRow{"max_parallel_maintenance_workers", "cores / 2, at most 4 (0 below 2 cores)",
    "≤ 4, 0 below 2 cores", "As above, for index builds and parallel VACUUM.",
    Apply::kReload, [](const Values& v) { return Int(v.max_parallel_maintenance_workers); }},
  SettingRow{"io_workers", "cores / 2 within [3, 16]", "[3, 16]",
    "PostgreSQL's default is 3, its maximum 32; I/O workers mostly wait, but each is a process. "
    "`io_method = worker` (base config).",
    Apply::kReload, [](const Values& v) { return Int(v.io_workers); }},
  SettingRow{"autovacuum_max_workers", "3 + cores / 8, at most 6", "≤ 6",
    "PostgreSQL's 3, one more per 8 cores (PGTune: 4 from 16 cores, 5 from 32).",
    Apply::kReload, [](const Values& v) { return Int(v.autovacuum_max_workers); }},
  SettingRow{"huge_pages", "try only if free huge pages hold shared_buffers + 10%", "",
    "`try` can end in SIGBUS where a hugetlb cgroup grants fewer pages than the host shows "
    "(kubernetes #71233). From a 1GB pool up, without huge pages or shmem THP, `off` comes with "
    "a warning naming both ways to huge pages (\"Huge pages\" below).",
    Apply::kRestart, [](const Values& v) { return std::string(v.huge_pages ? "try" : "off"); }},
  SettingRow{"max_wal_senders", "the primary's, on a standby only", "",
    "A hot standby refuses to start with less than the primary's value (PostgreSQL docs, "
    "\"Hot Standby\"); read from the standby's own pg_control at every start.",
    Apply::kRestart, [](const Values& v) { return AtLeastPrimary(v.max_wal_senders); }},
  SettingRow{"max_prepared_transactions", "the primary's, on a standby only", "", "As above.",
    Apply::kRestart, [](const Values& v) { return AtLeastPrimary(v.max_prepared_transactions); }},
  SettingRow{"max_locks_per_transaction", "the primary's, on a standby only", "", "As above.",
    Apply::kRestart, [](const Values& v) { return AtLeastPrimary(v.max_locks_per_transaction); }},
};
// clang-format on

}  // namespace

std::span<const SettingRow> SettingTable() { return kRows; }

}  // namespace aza::tune
