#include "tune/pgbouncer.h"

#include <gtest/gtest.h>

namespace aza::tune {
namespace {

TEST(SizePools, FromServerConnections) {
  struct Row {
    int max_connections, superuser_reserved, reserved;
    int max_db, pool, reserve;
  } rows[] = {
      {100, 3, 0, 87, 20, 5},  // aza-pg's 1-4 GiB servers
      {200, 3, 0, 187, 20, 5},
      {30, 3, 0, 17, 16, 1},  // small server: the pool fits under the budget
      {14, 3, 0, 1, 1, 0},    // nothing left: one connection, never zero
      {100, 3, 10, 77, 20, 5},
  };
  for (const Row& r : rows) {
    const Pools p = SizePools({r.max_connections, r.superuser_reserved, r.reserved, std::nullopt});
    EXPECT_EQ(p.max_db_connections, r.max_db) << r.max_connections;
    EXPECT_EQ(p.default_pool_size, r.pool) << r.max_connections;
    EXPECT_EQ(p.reserve_pool_size, r.reserve) << r.max_connections;
    EXPECT_LE(p.default_pool_size + p.reserve_pool_size, p.max_db_connections) << r.max_connections;
  }
}

TEST(SizePools, OverrideIsCappedByTheBudget) {
  EXPECT_EQ(SizePools({100, 3, 0, 50}).default_pool_size, 50);
  EXPECT_EQ(SizePools({100, 3, 0, 500}).default_pool_size, 82);
}

}  // namespace
}  // namespace aza::tune
