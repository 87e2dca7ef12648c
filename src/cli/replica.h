// cli/replica.h — replica mode of the entrypoint (PRIMARY_HOST set): clone an empty data
// directory from the primary with pg_basebackup over the replication slot, and keep the
// settings PostgreSQL requires to be at least the primary's (read from the replica's own
// pg_control, which WAL replay keeps current) from ever being tuned lower.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "tune/tune.h"
#include "supervisor/process.h"

namespace aza::cli {

struct ReplicaConfig {
  std::string primary_host;
  std::string primary_port = "5432";
  std::string user = "replicator";
  std::string password;
  std::string slot = "replica_1";
  int wait_seconds = 120;  // how long to wait for the primary before giving up
};

// nullopt when PRIMARY_HOST is unset (not a replica). Errors name the variable.
Expected<std::optional<ReplicaConfig>> ReadReplicaConfig(const Env& env);

// Settings a hot standby needs at least as high as the primary's; the tuner takes them as an
// option.
using PrimaryMinimums = tune::PrimaryMinimums;

// Parses `pg_controldata` output ("max_connections setting:  150" ...). Missing lines stay 0.
PrimaryMinimums ParseControlData(const std::string& text);

// Runs pg_controldata on `pgdata`.
Expected<PrimaryMinimums> ReadPrimaryMinimums(const std::string& pgdata,
                                              const std::vector<std::string>& env,
                                              supervisor::Supervisor& sup);

// Waits for the primary (bounded, one log line per attempt), then runs pg_basebackup into
// the empty `pgdata`. On failure `pgdata` is emptied again, so nothing half-built remains.
Expected<void> CloneFromPrimary(const ReplicaConfig& cfg, const std::string& pgdata,
                                const std::vector<std::string>& env, supervisor::Supervisor& sup);

}  // namespace aza::cli
