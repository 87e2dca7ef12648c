// bench/configs.h — the configurations the benchmark compares at one (memory, CPUs) point:
// PostgreSQL's stock settings, aza-pg's auto-config, two peer tuners (bench/peers.h), and a
// one-factor-at-a-time grid around aza-pg's own values that estimates the best achievable.
// Only the benchmark uses this. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/peers.h"

namespace aza::bench {

// What a configuration starts from before its own settings are added.
enum class Base {
  kStock,   // initdb's postgresql.conf in PGDATA, auto-config off; only aza-pg's feature lines
            // (preloaded extensions, pgAudit, pg_cron) are added, so tuning is what differs
  kAza,     // the image's postgresql.conf with auto-config on; settings override its flags
  kStatic,  // the image's postgresql.conf with auto-config off, plus a peer tuner's settings
};

// The workloads of bench/run.sh, in the order they run inside one server session.
inline const std::vector<std::string> kWorkloads = {"tpcb",    "select", "analytics",
                                                    "groupby", "btree",  "hnsw"};

struct Config {
  std::string name;
  Base base = Base::kAza;
  bool grid = false;                   // a grid point, not a tuner a user could pick
  std::vector<std::string> workloads;  // those its settings can change (grid points)
  PeerSettings settings;               // -c name=value on top of the base
};

// Every configuration for `memory_bytes` and `cpus`, sized as aza-pg sizes a container with
// a 1 GiB /dev/shm (the benchmark's --shm-size). Peers get aza-pg's max_connections, so all
// tuners size work_mem for the same number of connections.
std::vector<Config> Configs(std::uint64_t memory_bytes, double cpus);

std::string BaseName(Base base);

}  // namespace aza::bench
