#include "cli/run_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace aza::cli {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

Env Base() { return {{"POSTGRES_PASSWORD", "pw"}}; }

// Names the official image accepts, through to the config unchanged.
TEST(ReadRunConfig, AcceptsEveryNamePostgresAccepts) {
  const std::string names[] = {
      "my-app",  "my cool postgres database", "MyApp", "a.b", "it's", "say \"hi\"", "back\\slash",
      "données", std::string(63, 'x')};
  for (const std::string& n : names) {
    Env env = Base();
    env["APP_USER"] = n;
    env["POSTGRES_DB"] = n;
    const auto c = ReadRunConfig(env);
    ASSERT_TRUE(c) << n << ": " << c.error().message;
    EXPECT_EQ(c->database, n);
    EXPECT_THAT(c->script_env, Contains("POSTGRES_DB=" + n));
    EXPECT_THAT(c->script_env, Contains("APP_USER=" + n));
    if (n.find_first_of("\"'\\") == std::string::npos) {
      env["POSTGRES_USER"] = n;
      EXPECT_EQ(ReadRunConfig(env)->user, n);
    }
  }
}

TEST(ReadRunConfig, RefusesWhatPostgresOrAzaReserves) {
  const struct {
    const char* var;
    std::string value;
    const char* says;
  } cases[] = {
      {"POSTGRES_USER", "pg_admin", "reserved"},
      {"POSTGRES_USER", "PG_Admin", "reserved"},
      {"APP_USER", "pg_app", "reserved"},
      {"POSTGRES_DB", "template0", "template database"},
      {"POSTGRES_DB", "template1", "template database"},
      {"POSTGRES_DB", std::string(64, 'x'), "at most 63"},
      {"POSTGRES_USER", "two\nlines", "single line"},
      {"POSTGRES_USER", "it's", "superuser's name"},
      {"POSTGRES_USER", "a\\b", "superuser's name"},
      {"POSTGRES_USER", "say \"hi\"", "superuser's name"},
      {"POSTGRES_USER", "a$b", "superuser's name"},
      {"REPLICATION_SLOT_NAME", "Slot-1", "use a-z"},
  };
  for (const auto& c : cases) {
    Env env = Base();
    env[c.var] = c.value;
    const auto r = ReadRunConfig(env);
    ASSERT_FALSE(r) << c.var << "=" << c.value;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_THAT(r.error().message, HasSubstr(c.var));
    EXPECT_THAT(r.error().message, HasSubstr(c.says));
  }
}

class SecretFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/aza-secret-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    return dir_ + "/" + name;
  }
  std::string dir_;
};

// Every *_FILE is read once here; scripts see the plain variable and no path.
TEST_F(SecretFiles, ScriptsGetResolvedValues) {
  Env env = Base();
  env["APP_PASSWORD_FILE"] = Write("app", "s3cret\n");
  env["POSTGRES_USER_FILE"] = Write("user", "owner\n");
  const auto c = ReadRunConfig(env);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->user, "owner");
  EXPECT_THAT(c->script_env, Contains("APP_PASSWORD=s3cret"));
  EXPECT_THAT(c->script_env, Contains("POSTGRES_USER=owner"));
  EXPECT_THAT(c->script_env, Contains("POSTGRES_DB=owner"));
  EXPECT_THAT(c->script_env, Contains("POSTGRES_PASSWORD=pw"));
  for (const std::string& kv : c->script_env) EXPECT_THAT(kv, Not(HasSubstr("_FILE=")));
}

TEST_F(SecretFiles, ADirectoryIsCalledOne) {
  Env env;
  env["POSTGRES_PASSWORD_FILE"] = dir_;
  const auto c = ReadRunConfig(env);
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("is a directory"));
}

TEST_F(SecretFiles, EveryPasswordIsOneLine) {
  Env env = Base();
  env["EXPORTER_PASSWORD_FILE"] = Write("exp", "one\ntwo\n");
  const auto c = ReadRunConfig(env);
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("EXPORTER_PASSWORD: must be a single line"));
}

TEST(ReadRunConfig, IgnoreOldDataIsABoolean) {
  Env env = Base();
  env["POSTGRES_IGNORE_OLD_DATA"] = "true";
  EXPECT_TRUE(ReadRunConfig(env)->ignore_old_data);
  env["POSTGRES_IGNORE_OLD_DATA"] = "maybe";
  EXPECT_FALSE(ReadRunConfig(env));
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
