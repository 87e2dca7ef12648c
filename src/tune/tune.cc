#include "tune/tune.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "common/units.h"
#include "tune/huge_pages.h"
#include "tune/settings.h"

namespace aza::tune {
namespace {

// ---------------------------------------------------------------------------------------
// Constants. Each has its unit and why; sources are in docs/tuning.md.

// shared_buffers = RAM / 8 (12.5%): the guide's documented baseline (1 GiB -> 128MB,
// 2 GiB -> 256MB, 4 GiB -> 512MB). Inside a memory cgroup the page cache is charged to the
// same limit, so the host tuners' 25% double-buffers (measured 2x slower select-only at
// 512MB vs 128MB in a 2 GiB container, docs/shared-buffers-evidence.md).
constexpr std::uint64_t kSharedBuffersDivisor = 8;
constexpr std::uint64_t kSharedBuffersCap = 8 * kGiB;     // guide cap
constexpr std::uint64_t kSharedBuffersFloor = 16 * kMiB;  // PostgreSQL needs a few MB to work

// effective_cache_size = 3/8 of RAM: the guide's 1 GiB -> 384MB, 4 GiB -> 1536MB. A planner
// hint only; it allocates nothing.
constexpr std::uint64_t kCacheNumerator = 3;
constexpr std::uint64_t kCacheDenominator = 8;

// maintenance_work_mem = RAM / 8, cap 2GB (guide). Only one maintenance command at a time is
// counted in the budget. The guide's RAM / 32 (1 GiB -> 32MB) cannot hold a pgvector HNSW
// graph of 100k 128-dimension vectors (about 125 MB): pgvector then falls back to a build
// that bench/REPORT.md measures several times slower. timescaledb-tune uses RAM / 8 too.
constexpr std::uint64_t kMaintenanceDivisor = 8;
constexpr std::uint64_t kMaintenanceCap = 2 * kGiB;
constexpr std::uint64_t kMaintenanceFloor = 16 * kMiB;

// autovacuum_work_mem = RAM / 32 within [16MB, 1GB]: every autovacuum worker may hold this
// at once, so it stays at the guide's maintenance fraction rather than following
// maintenance_work_mem; 1GB per worker is ample since PG17's TID store.
constexpr std::uint64_t kAutovacuumDivisor = 32;
constexpr std::uint64_t kAutovacuumWorkMemFloor = 16 * kMiB;
constexpr std::uint64_t kAutovacuumWorkMemCap = 1 * kGiB;

// work_mem: what the budget leaves, shared by every backend; cap 32MB (guide), floor 64kB
// (PostgreSQL's minimum). Rounded down to whole MB from 16MB up and to 64kB steps below, where
// a whole MB would throw away up to half of what the budget allows.
constexpr std::uint64_t kWorkMemFineBelow = 16 * kMiB;
constexpr std::uint64_t kWorkMemFineStep = 64 * kKiB;
constexpr std::uint64_t kWorkMemCap = 32 * kMiB;
constexpr std::uint64_t kWorkMemFloor = 64 * kKiB;

// hash_mem_multiplier: PostgreSQL 18's default, set explicitly because the budget counts it.
constexpr double kHashMemMultiplier = 2.0;

// wal_buffers = shared_buffers / 32 within [1MB, 16MB]: PostgreSQL's own -1 rule (one WAL
// segment at most), written out so the budget and the explain table show it.
constexpr std::uint64_t kWalBuffersDivisor = 32;
constexpr std::uint64_t kWalBuffersFloor = 1 * kMiB;
constexpr std::uint64_t kWalBuffersCap = 16 * kMiB;

// max_connections: 100 up to 4 GiB, +12.5 per GiB above 4, 200 from 12 GiB (guide range
// 100-200; PgBouncer multiplexes clients onto these). Rounded down to a multiple of 10.
constexpr int kMinConnections = 100;
constexpr int kMaxConnections = 200;
constexpr double kConnectionsPerGiB = 12.5;
constexpr double kConnectionsBase = 50;

// Per-process private memory that is not work_mem: catalog and plan caches, buffers of
// pg_stat_statements/pgaudit, stack. An idle PG 18 backend holds about 1.5-2 MB.
constexpr std::uint64_t kBackendOverhead = 2 * kMiB;
// Without huge pages every process that touches all of shared_buffers needs page tables:
// 8 bytes per 4 kB page, i.e. shared_buffers / 512, charged to the memory cgroup.
constexpr std::uint64_t kPageTableDivisor = 512;
// Auxiliary processes: checkpointer, background writer, WAL writer, autovacuum launcher,
// logical replication launcher, pg_cron launcher.
constexpr int kAuxiliaryProcesses = 6;

// Reserve outside the budget: max(64 MiB, 5% of memory) for the kernel's share of the cgroup
// (page cache that cannot be dropped, socket buffers), shared libraries and the postmaster.
constexpr std::uint64_t kReserveFloor = 64 * kMiB;
constexpr double kReserveFraction = 0.05;

// Background workers beyond parallel query: pg_cron's launcher plus its job workers
// (cron.use_background_workers = on, cron.max_running_jobs = 3 in postgresql-base.conf), the
// logical replication launcher, and a margin for extensions and logical replication workers.
constexpr int kPgCronWorkers = 1 + 3;
constexpr int kLogicalLauncherWorkers = 1;
constexpr int kWorkerMargin = 4;
constexpr int kMinWorkerProcesses = 8;  // PostgreSQL's default; never go below it

// Parallelism per query and per maintenance command stays at 4: beyond that returns fall off
// and one query could starve the others (PGTune caps at 4 too).
constexpr int kMaxPerGather = 4;
constexpr int kMaxMaintenanceWorkers = 4;

// io_workers (io_method = worker): half the cores within [3, 16]. PostgreSQL's default is 3
// and its maximum 32; I/O workers mostly wait, but each is a process.
constexpr int kMinIoWorkers = 3;
constexpr int kMaxIoWorkers = 16;

// autovacuum_max_workers: PostgreSQL's 3, one more per 8 cores, at most 6.
constexpr int kMinAutovacuumWorkers = 3;
constexpr int kMaxAutovacuumWorkers = 6;
constexpr int kCoresPerExtraAutovacuumWorker = 8;

// /dev/shm: dynamic shared memory of parallel queries (hash joins share their table there)
// and of parallel maintenance (pgvector's parallel HNSW build keeps its whole graph there,
// parallel VACUUM its dead-tuple store, each up to maintenance_work_mem), plus a baseline for
// the other DSM users.
constexpr std::uint64_t kShmBaseline = 16 * kMiB;

// Cores that drive worker counts are capped at one per 256 MiB of memory: every parallel,
// I/O or autovacuum worker is a process with its own overhead and work_mem, so 64 CPUs in a
// 512 MiB container would otherwise spend the whole budget on idle workers.
constexpr std::uint64_t kMemoryPerCore = 256 * kMiB;

// ---------------------------------------------------------------------------------------

std::uint64_t RoundDownMiB(std::uint64_t bytes) {
  return bytes >= kMiB ? bytes / kMiB * kMiB : bytes / kKiB * kKiB;
}

std::uint64_t Scale(std::uint64_t bytes, double factor) {
  return static_cast<std::uint64_t>(static_cast<double>(bytes) * factor);
}

class Tuner {
 public:
  Tuner(const Inputs& in, const Options& options) : in_(in), options_(options) {}

  Tuning Run() {
    const auto by_memory =
        static_cast<int>(std::max<std::uint64_t>(1, in_.memory_bytes / kMemoryPerCore));
    cores_ = std::clamp(static_cast<int>(std::floor(in_.cpus + 1e-9)), 1, by_memory);
    Memory();
    Cpu();
    Connections();
    WorkMem();
    CheckShm();
    if (auto advice = HugePagesAdvice(v_.shared_buffers, in_.huge_pages_free_bytes,
                                      in_.huge_page_bytes, in_.shmem_thp)) {
      t_.warnings.push_back(std::move(*advice));
    }
    Emit();
    return std::move(t_);
  }

 private:
  void Memory() {
    const std::uint64_t m = in_.memory_bytes;
    v_.shared_buffers =
        RoundDownMiB(std::clamp(m / kSharedBuffersDivisor, kSharedBuffersFloor, kSharedBuffersCap));
    clamps_["shared_buffers"] = m / kSharedBuffersDivisor > kSharedBuffersCap
                                    ? "capped at 8GB (guide)"
                                : m / kSharedBuffersDivisor < kSharedBuffersFloor ? "floor 16MB"
                                                                                  : "";
    v_.effective_cache_size = RoundDownMiB(m / kCacheDenominator * kCacheNumerator);
    v_.maintenance_work_mem =
        RoundDownMiB(std::clamp(m / kMaintenanceDivisor, kMaintenanceFloor, kMaintenanceCap));
    clamps_["maintenance_work_mem"] = m / kMaintenanceDivisor > kMaintenanceCap
                                          ? "capped at 2GB (guide)"
                                      : m / kMaintenanceDivisor < kMaintenanceFloor ? "floor 16MB"
                                                                                    : "";
    v_.autovacuum_work_mem = RoundDownMiB(
        std::clamp(m / kAutovacuumDivisor, kAutovacuumWorkMemFloor, kAutovacuumWorkMemCap));
    v_.wal_buffers = RoundDownMiB(
        std::clamp(v_.shared_buffers / kWalBuffersDivisor, kWalBuffersFloor, kWalBuffersCap));
    v_.hash_mem_multiplier = kHashMemMultiplier;
    v_.huge_pages = HugePagesFit(v_.shared_buffers, in_.huge_pages_free_bytes);
  }

  void Cpu() {
    const int half = std::max(1, cores_ / 2);
    if (cores_ >= 2) {
      v_.max_parallel_workers = cores_;
      v_.max_parallel_workers_per_gather = std::min(half, kMaxPerGather);
      v_.max_parallel_maintenance_workers = std::min(half, kMaxMaintenanceWorkers);
    }
    v_.io_workers = std::clamp((cores_ + 1) / 2, kMinIoWorkers, kMaxIoWorkers);
    v_.autovacuum_max_workers =
        std::clamp(kMinAutovacuumWorkers + cores_ / kCoresPerExtraAutovacuumWorker,
                   kMinAutovacuumWorkers, kMaxAutovacuumWorkers);
    SetWorkerProcesses();
  }

  void SetWorkerProcesses() {
    v_.max_worker_processes =
        std::max(kMinWorkerProcesses, v_.max_parallel_workers + kPgCronWorkers +
                                          kLogicalLauncherWorkers + kWorkerMargin);
    if (options_.primary.max_worker_processes > v_.max_worker_processes) {
      v_.max_worker_processes = options_.primary.max_worker_processes;
      clamps_["max_worker_processes"] = "raised to the primary's";
    }
  }

  void Connections() {
    std::string& clamp = clamps_["max_connections"];
    if (options_.max_connections) {
      v_.max_connections = *options_.max_connections;
      clamp = "operator override";
    } else {
      const double gib = static_cast<double>(in_.memory_bytes) / static_cast<double>(kGiB);
      const int raw = static_cast<int>(kConnectionsBase + kConnectionsPerGiB * gib) / 10 * 10;
      v_.max_connections = std::clamp(raw, kMinConnections, kMaxConnections);
      if (raw < kMinConnections) clamp = "floor 100 (guide)";
      if (raw > kMaxConnections) clamp = "cap 200 (guide)";
    }
    // A standby: the primary's count, and work_mem sized for it (WorkMem runs after this).
    if (options_.primary.max_connections > v_.max_connections) {
      v_.max_connections = options_.primary.max_connections;
      clamp = "raised to the primary's";
    }
    v_.max_wal_senders = options_.primary.max_wal_senders;
    v_.max_prepared_transactions = options_.primary.max_prepared_transactions;
    v_.max_locks_per_transaction = options_.primary.max_locks_per_transaction;
  }

  std::uint64_t PerProcessOverhead() const {
    return kBackendOverhead + (v_.huge_pages ? 0 : v_.shared_buffers / kPageTableDivisor);
  }

  int Backends() const { return v_.max_connections + v_.max_parallel_workers; }

  int Processes() const {
    return Backends() + v_.autovacuum_max_workers + v_.io_workers + kAuxiliaryProcesses;
  }

  void WorkMem() {
    const std::uint64_t m = in_.memory_bytes;
    t_.budget.limit_bytes = m;
    t_.budget.reserve_bytes = std::max(kReserveFloor, Scale(m, kReserveFraction));
    const std::uint64_t fixed = FixedBytes();
    const std::uint64_t usable = m > t_.budget.reserve_bytes ? m - t_.budget.reserve_bytes : 0;
    const double per_backend = static_cast<double>(usable > fixed ? usable - fixed : 0) /
                               (static_cast<double>(Backends()) * v_.hash_mem_multiplier);
    const auto raw = static_cast<std::uint64_t>(per_backend);
    const std::uint64_t clamped = std::clamp(raw, kWorkMemFloor, kWorkMemCap);
    v_.work_mem = clamped >= kWorkMemFineBelow ? RoundDownMiB(clamped)
                                               : clamped / kWorkMemFineStep * kWorkMemFineStep;
    if (raw > kWorkMemCap) clamps_["work_mem"] = "capped at 32MB (guide)";
    if (raw < kWorkMemFloor) {
      clamps_["work_mem"] = "floor 64kB (PostgreSQL minimum)";
      t_.warnings.push_back(fmt::format(
          "memory {} cannot hold {} connections: even at work_mem 64kB the worst case exceeds "
          "it; lower max_connections or give the container more memory",
          FormatHuman(m), v_.max_connections));
    } else if (v_.work_mem < kMiB) {
      t_.warnings.push_back(fmt::format(
          "work_mem is only {} for {} connections in {}: sorts and hashes will spill to disk",
          FormatPgMemory(v_.work_mem), v_.max_connections, FormatHuman(m)));
    }
    FillBudget();
  }

  std::uint64_t FixedBytes() const {
    return v_.shared_buffers + v_.wal_buffers + v_.maintenance_work_mem +
           static_cast<std::uint64_t>(v_.autovacuum_max_workers) * v_.autovacuum_work_mem +
           static_cast<std::uint64_t>(Processes()) * PerProcessOverhead();
  }

  void FillBudget() {
    Budget& b = t_.budget;
    const auto backends = static_cast<std::uint64_t>(Backends());
    b.terms = {
        {"shared_buffers", v_.shared_buffers},
        {"wal_buffers", v_.wal_buffers},
        {"work_mem x hash_mem_multiplier x (connections + parallel workers)",
         Scale(v_.work_mem * backends, v_.hash_mem_multiplier)},
        {"per-process overhead x processes",
         PerProcessOverhead() * static_cast<std::uint64_t>(Processes())},
        {"autovacuum_work_mem x autovacuum_max_workers",
         v_.autovacuum_work_mem * static_cast<std::uint64_t>(v_.autovacuum_max_workers)},
        {"maintenance_work_mem (one maintenance command)", v_.maintenance_work_mem},
    };
    b.worst_case_bytes = 0;
    for (const Budget::Term& term : b.terms) b.worst_case_bytes += term.bytes;
    if (b.worst_case_bytes > b.limit_bytes) {
      t_.warnings.push_back(fmt::format("worst-case memory {} exceeds the sizing memory {}",
                                        FormatHuman(b.worst_case_bytes),
                                        FormatHuman(b.limit_bytes)));
    }
  }

  // Dynamic shared memory that parallel work may place in /dev/shm: every parallel worker and
  // its leader holding a shared hash table, or one parallel maintenance command's
  // maintenance_work_mem.
  std::uint64_t ShmNeeded(int workers, int per_gather, int maintenance) const {
    std::uint64_t query = 0;
    if (workers > 0 && per_gather > 0) {
      const int leaders = (workers + per_gather - 1) / per_gather;
      query = Scale(v_.work_mem * static_cast<std::uint64_t>(workers + leaders),
                    v_.hash_mem_multiplier);
    }
    const std::uint64_t maint = maintenance > 0 ? v_.maintenance_work_mem : 0;
    return kShmBaseline + std::max(query, maint);
  }

  // A /dev/shm smaller than maintenance_work_mem would fail a parallel HNSW build or parallel
  // VACUUM. When at least half of maintenance_work_mem fits, it is lowered to fit and parallel
  // maintenance stays; with less, the memory matters more (an HNSW graph that does not fit
  // builds several times slower) and CheckShm turns parallel maintenance off instead.
  void FitMaintenanceToShm() {
    if (!in_.shm_bytes || v_.max_parallel_maintenance_workers == 0) return;
    const std::uint64_t shm = *in_.shm_bytes;
    if (shm < kShmBaseline + kMaintenanceFloor) return;
    const std::uint64_t fit = RoundDownMiB(shm - kShmBaseline);
    if (v_.maintenance_work_mem <= fit || fit * 2 < v_.maintenance_work_mem) return;
    t_.warnings.push_back(fmt::format(
        "/dev/shm is {}: maintenance_work_mem lowered from {} to {} so that parallel index builds "
        "fit; set the container's shm_size to at least {} for the full value",
        FormatHuman(shm), FormatPgMemory(v_.maintenance_work_mem), FormatPgMemory(fit),
        FormatPgMemory(RoundUpShm(v_.maintenance_work_mem + kShmBaseline))));
    v_.maintenance_work_mem = fit;
    clamps_["maintenance_work_mem"] =
        fmt::format("lowered to fit /dev/shm {}", FormatPgMemory(shm));
    FillBudget();
  }

  void CheckShm() {
    FitMaintenanceToShm();
    t_.budget.shm_needed_bytes =
        ShmNeeded(v_.max_parallel_workers, v_.max_parallel_workers_per_gather,
                  v_.max_parallel_maintenance_workers);
    if (!in_.shm_bytes || *in_.shm_bytes >= t_.budget.shm_needed_bytes) return;
    const std::uint64_t shm = *in_.shm_bytes;
    const int before = v_.max_parallel_workers;
    const int before_maint = v_.max_parallel_maintenance_workers;
    if (ShmNeeded(0, 0, v_.max_parallel_maintenance_workers) > shm) {
      v_.max_parallel_maintenance_workers = 0;
    }
    while (v_.max_parallel_workers > 0 &&
           ShmNeeded(v_.max_parallel_workers, v_.max_parallel_workers_per_gather,
                     v_.max_parallel_maintenance_workers) > shm) {
      --v_.max_parallel_workers;
      v_.max_parallel_workers_per_gather =
          std::min(v_.max_parallel_workers_per_gather, v_.max_parallel_workers);
    }
    if (v_.max_parallel_workers == 0) v_.max_parallel_maintenance_workers = 0;
    for (const char* name : {"max_parallel_workers", "max_parallel_workers_per_gather",
                             "max_parallel_maintenance_workers"}) {
      clamps_[name] = fmt::format("reduced for /dev/shm {}", FormatPgMemory(shm));
    }
    // Name only what changed: "reduced max_parallel_workers 2 -> 2" would be untrue.
    std::string reduced;
    for (const auto& [name, from, to] :
         {std::tuple{"max_parallel_workers", before, v_.max_parallel_workers},
          std::tuple{"max_parallel_maintenance_workers", before_maint,
                     v_.max_parallel_maintenance_workers}}) {
      if (from != to)
        reduced += fmt::format("{}{} {} -> {}", reduced.empty() ? "" : " and ", name, from, to);
    }
    t_.warnings.push_back(fmt::format(
        "/dev/shm is {} but parallel query and parallel maintenance may need {}: reduced {}; set "
        "the container's shm_size to at least {}",
        FormatHuman(shm), FormatHuman(t_.budget.shm_needed_bytes), reduced,
        FormatPgMemory(RoundUpShm(t_.budget.shm_needed_bytes))));
    SetWorkerProcesses();
    FillBudget();  // fewer workers: the worst case shrank
  }

  static std::uint64_t RoundUpShm(std::uint64_t bytes) {
    return (bytes + 64 * kMiB - 1) / (64 * kMiB) * (64 * kMiB);
  }

  // Walks the settings table: every row's value from the computed values, its rule, and the
  // clamp that decided it.
  void Emit() {
    t_.values = v_;
    if (!v_.huge_pages && in_.shmem_thp) {
      clamps_["huge_pages"] = "the host's shmem THP maps the pool in huge pages";
    }
    if (v_.autovacuum_work_mem == kAutovacuumWorkMemCap) {
      clamps_["autovacuum_work_mem"] = "capped at 1GB";
    }
    for (const SettingRow& row : SettingTable()) {
      std::string value = row.value(v_);
      if (value.empty()) continue;
      const auto clamp = clamps_.find(row.name);
      t_.settings.push_back({std::string(row.name), std::move(value), std::string(row.rule),
                             clamp == clamps_.end() ? std::string() : clamp->second});
    }
  }

  const Inputs& in_;
  const Options& options_;
  int cores_ = 1;
  Values v_;
  Tuning t_;
  std::map<std::string_view, std::string> clamps_;  // by setting name; none = not clamped
};

}  // namespace

Tuning Tune(const Inputs& in, const Options& options) { return Tuner(in, options).Run(); }

}  // namespace aza::tune
