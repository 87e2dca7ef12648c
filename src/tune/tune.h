// tune/tune.h — turns memory, CPUs and /dev/shm into PostgreSQL 18 settings. A pure
// function: no files, environment, clock or logging. Every rule and constant is explained in
// tune.cc and docs/tuning.md. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aza::tune {

struct Inputs {
  std::uint64_t memory_bytes = 0;          // the sizing figure (limit, override or baseline)
  double cpus = 1;                         // fractional CPUs
  std::optional<std::uint64_t> shm_bytes;  // /dev/shm size; nullopt = unknown, not checked
  std::uint64_t huge_pages_free_bytes = 0;
  std::uint64_t huge_page_bytes = 0;  // Hugepagesize; 0 = no hugetlb support, no advice
  bool shmem_thp = false;             // the host's shmem THP maps shared memory in huge pages
};

// What a hot standby must have at least as high as its primary (PostgreSQL refuses to start
// otherwise; PostgreSQL docs, "Hot Standby"). All 0 on a primary.
struct PrimaryMinimums {
  int max_connections = 0;
  int max_worker_processes = 0;
  int max_wal_senders = 0;
  int max_prepared_transactions = 0;
  int max_locks_per_transaction = 0;
};

struct Options {
  std::optional<int> max_connections;  // operator's choice; otherwise derived from memory
  PrimaryMinimums primary;             // on a standby: never tune below these
};

// The numbers behind the settings, for tests and the budget. Bytes are exact values that
// the settings print.
struct Values {
  std::uint64_t shared_buffers = 0;
  std::uint64_t effective_cache_size = 0;
  std::uint64_t maintenance_work_mem = 0;
  std::uint64_t autovacuum_work_mem = 0;
  std::uint64_t work_mem = 0;
  std::uint64_t wal_buffers = 0;
  double hash_mem_multiplier = 2.0;
  int max_connections = 0;
  int max_worker_processes = 0;
  int max_parallel_workers = 0;
  int max_parallel_workers_per_gather = 0;
  int max_parallel_maintenance_workers = 0;
  int io_workers = 0;
  int autovacuum_max_workers = 0;
  bool huge_pages = false;  // true = "try"
  // Set only on a standby (0 = left to the configuration files).
  int max_wal_senders = 0;
  int max_prepared_transactions = 0;
  int max_locks_per_transaction = 0;
};

struct Setting {
  std::string name;
  std::string value;  // exactly as PostgreSQL accepts it
  std::string rule;   // the formula or rule, in words (tune/settings.h)
  std::string clamp;  // the cap, floor or override that decided it; empty when none
};

// The worst case: every connection and parallel worker using work_mem x hash_mem_multiplier
// at once, plus everything PostgreSQL allocates regardless.
struct Budget {
  std::uint64_t worst_case_bytes = 0;
  std::uint64_t limit_bytes = 0;       // the sizing memory
  std::uint64_t reserve_bytes = 0;     // kept back for the kernel, page cache and libraries
  std::uint64_t shm_needed_bytes = 0;  // /dev/shm that full parallelism may use
  struct Term {
    std::string name;
    std::uint64_t bytes;
  };
  std::vector<Term> terms;  // the parts of worst_case_bytes
};

struct Tuning {
  Values values;
  std::vector<Setting> settings;  // fixed order, so every renderer is byte-stable
  Budget budget;
  std::vector<std::string> warnings;
};

// Computes the settings. Requires memory_bytes > 0 and cpus > 0 (the CLI validates inputs).
Tuning Tune(const Inputs& in, const Options& options);

}  // namespace aza::tune
