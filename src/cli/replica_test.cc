#include "cli/replica.h"

#include <gtest/gtest.h>

namespace aza::cli {
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

TEST(ReadReplicaConfig, NotAReplicaWithoutPrimaryHost) {
  const auto c = ReadReplicaConfig({});
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->has_value());
}

TEST(ReadReplicaConfig, ValidatesEveryVariable) {
  Env env{{"PRIMARY_HOST", "db1"}, {"REPLICATION_PASSWORD", "pw"}};
  const auto ok = ReadReplicaConfig(env);
  ASSERT_TRUE(ok.has_value() && ok->has_value());
  EXPECT_EQ((*ok)->primary_port, "5432");
  EXPECT_EQ((*ok)->slot, "replica_1");
  for (const auto& [name, value, message] :
       {std::tuple{"PRIMARY_PORT", "70000", "PRIMARY_PORT='70000'"},
        std::tuple{"REPLICATION_SLOT_NAME", "Bad-Slot", "REPLICATION_SLOT_NAME='Bad-Slot'"},
        std::tuple{"REPLICA_WAIT_SECONDS", "soon", "REPLICA_WAIT_SECONDS"},
        std::tuple{"REPLICATION_PASSWORD", "", "REPLICATION_PASSWORD or"}}) {
    Env bad = env;
    bad[name] = value;
    const auto c = ReadReplicaConfig(bad);
    ASSERT_FALSE(c.has_value()) << name;
    EXPECT_NE(c.error().message.find(message), std::string::npos) << c.error().message;
  }
}

}  // namespace
}  // namespace aza::cli
