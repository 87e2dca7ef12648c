#include "bootstrap/replica.h"

#include <gtest/gtest.h>

namespace aza::bootstrap {
namespace {

TEST(ParseControlData, ReadsThePrimarysSettings) {
  const PrimaryMinimums m = ParseControlData(
      "pg_control version number:            1800\n"
      "wal_level setting:                    replica\n"
      "max_connections setting:              150\n"
      "max_worker_processes setting:         11\n"
      "max_wal_senders setting:              10\n"
      "max_prepared_xacts setting:           0\n"
      "max_locks_per_xact setting:           64\n");
  EXPECT_EQ(m.max_connections, 150);
  EXPECT_EQ(m.max_worker_processes, 11);
  EXPECT_EQ(m.max_wal_senders, 10);
  EXPECT_EQ(m.max_prepared_transactions, 0);
  EXPECT_EQ(m.max_locks_per_transaction, 64);
  EXPECT_EQ(ParseControlData("garbage\nmax_connections setting: x\n").max_connections, 0);
}

}  // namespace
}  // namespace aza::bootstrap
