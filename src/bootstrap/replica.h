// bootstrap/replica.h — a replica's data directory (PRIMARY_HOST set): clone an empty one from
// the primary with pg_basebackup over the replication slot, and read the settings PostgreSQL
// requires to be at least the primary's from the replica's own pg_control (WAL replay keeps
// it current). Uses the supervisor and health only; cli reads the configuration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "supervisor/process.h"
#include "tune/tune.h"

namespace aza::bootstrap {

struct ReplicaConfig {
  std::string primary_host;
  std::string primary_port = "5432";
  std::string user = "replicator";
  std::string password;
  std::string slot = "replica_1";
  int wait_seconds = 120;  // how long to wait for the primary before giving up
};

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

}  // namespace aza::bootstrap
