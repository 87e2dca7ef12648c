#include "cli/backup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aza::cli {
namespace {

using ::testing::HasSubstr;

TEST(ParseRestoreTarget, EveryKindAndTheLatestPoint) {
  EXPECT_EQ(ParseRestoreTarget("latest")->type, "");
  EXPECT_EQ(ParseRestoreTarget("")->type, "");
  const auto t = ParseRestoreTarget("time:2026-12-07 10:42:00+00");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "time");
  EXPECT_EQ(t->value, "2026-12-07 10:42:00+00");  // the colons inside the value stay
  EXPECT_EQ(ParseRestoreTarget("lsn:0/3000060")->value, "0/3000060");
  EXPECT_EQ(ParseRestoreTarget("xid:1234")->type, "xid");
  EXPECT_EQ(ParseRestoreTarget("name:before-migration")->value, "before-migration");
}

TEST(ParseRestoreTarget, AnythingElseNamesTheFlag) {
  for (const char* bad : {"yesterday", "time:", "when:10:00", "lsn"}) {
    const auto t = ParseRestoreTarget(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidInput);
    EXPECT_THAT(t.error().message, HasSubstr("--target='")) << bad;
  }
}

TEST(ReadBackupSettings, DefaultsAndEveryBadValue) {
  RunConfig cfg;
  cfg.pgdata = "/var/lib/postgresql/18/docker";
  const auto s = ReadBackupSettings({}, cfg);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->retention_full, 2);
  EXPECT_EQ(s->compress, "zst");
  EXPECT_TRUE(s->cipher_pass.empty());
  EXPECT_EQ(s->superuser, "postgres");
  for (const auto& [var, value] :
       {std::pair{"BACKUP_RETENTION_FULL", "0"}, std::pair{"BACKUP_RETENTION_FULL", "many"},
        std::pair{"BACKUP_PROCESS_MAX", "65"}, std::pair{"BACKUP_COMPRESS", "brotli"}}) {
    const auto r = ReadBackupSettings({{var, value}}, cfg);
    ASSERT_FALSE(r) << var << "=" << value;
    EXPECT_THAT(r.error().message, HasSubstr(var));
  }
  EXPECT_EQ(ReadBackupSettings({{"BACKUP_CIPHER_PASS", "pass phrase"}}, cfg)->cipher_pass,
            "pass phrase");
}

}  // namespace
}  // namespace aza::cli
