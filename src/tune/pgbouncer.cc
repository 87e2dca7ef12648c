#include "tune/pgbouncer.h"

#include <fmt/format.h>

#include <algorithm>

namespace aza::tune {
namespace {

// Direct connections kept free on the server: the exporter (CONNECTION LIMIT 3), a few
// administrators, a migration tool.
constexpr int kDirectConnections = 10;
// PgBouncer's own default pool size: enough server connections per (db, user) pair for
// transaction pooling on the machines aza-pg targets; max_db_connections caps the sum.
constexpr int kDefaultPoolSize = 20;
// Reserve: a tenth of the budget, at most 5.
constexpr int kMaxReserve = 5;

}  // namespace

Pools SizePools(const PoolInputs& in) {
  Pools p;
  const int budget = std::max(1, in.max_connections - in.superuser_reserved_connections -
                                     in.reserved_connections - kDirectConnections);
  p.max_db_connections = budget;
  p.reserve_pool_size = std::min(kMaxReserve, budget / 10);
  p.default_pool_size = std::clamp(in.default_pool_size.value_or(kDefaultPoolSize), 1,
                                   std::max(1, budget - p.reserve_pool_size));
  p.rule = fmt::format(
      "max_db_connections {} = max_connections {} - superuser_reserved {} - reserved {} - {} "
      "direct; default_pool_size {}; reserve_pool_size {}",
      budget, in.max_connections, in.superuser_reserved_connections, in.reserved_connections,
      kDirectConnections, p.default_pool_size, p.reserve_pool_size);
  return p;
}

}  // namespace aza::tune
