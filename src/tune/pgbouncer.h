// tune/pgbouncer.h — PgBouncer pool sizes from the server it fronts. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace aza::tune {

struct PoolInputs {
  int max_connections = 100;  // the server's
  int superuser_reserved_connections = 3;
  int reserved_connections = 0;
  std::optional<int> default_pool_size;  // operator override
};

struct Pools {
  int max_db_connections = 0;  // all PgBouncer may open to the server
  int default_pool_size = 0;   // per (database, user) pair
  int reserve_pool_size = 0;   // extra when clients wait longer than reserve_pool_timeout
  std::string rule;            // how they were derived, for the log
};

// Server connections left after the superuser and reserved slots and a margin for direct
// connections (exporter, administrators, migrations on :5432) all go to PgBouncer.
Pools SizePools(const PoolInputs& in);

}  // namespace aza::tune
