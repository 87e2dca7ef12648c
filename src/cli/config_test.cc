#include "cli/config.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace aza::cli {
namespace {

const std::string kFixtures = std::string(AZA_SOURCE_DIR) + "/tests/fixtures/probe/";

TEST(ReadAutoConfig, UnsetMeansNotGiven) {
  const auto c = ReadAutoConfig({});
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->skip);
  EXPECT_FALSE(c->memory.has_value());
  EXPECT_FALSE(c->cpus.has_value());
  EXPECT_TRUE(ReadAutoConfig({{"POSTGRES_MEMORY", ""}})->memory == std::nullopt);
}

TEST(ReadAutoConfig, ValidValues) {
  const auto c = ReadAutoConfig({{"POSTGRES_SKIP_AUTOCONFIG", "TRUE"},
                                 {"POSTGRES_MEMORY", "2048"},
                                 {"POSTGRES_CPUS", "1.5"}});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_TRUE(c->skip);
  EXPECT_EQ(c->memory, 2048ull << 20);
  EXPECT_EQ(c->cpus, 1.5);
  EXPECT_FALSE(ReadAutoConfig({{"POSTGRES_SKIP_AUTOCONFIG", "False"}})->skip);
}

TEST(ReadAutoConfig, EveryBadValueNamesItsVariable) {
  const Env bad[] = {
      {{"POSTGRES_SKIP_AUTOCONFIG", "maybe"}},
      {{"POSTGRES_SKIP_AUTOCONFIG", "tru"}},
      {{"POSTGRES_MEMORY", "lots"}},
      {{"POSTGRES_MEMORY", "-5"}},
      {{"POSTGRES_MEMORY", "100"}},
      {{"POSTGRES_MEMORY", "4XB"}},
      {{"POSTGRES_MEMORY", "1.5"}},
      {{"POSTGRES_CPUS", "0"}},
      {{"POSTGRES_CPUS", "-1"}},
      {{"POSTGRES_CPUS", "two"}},
      {{"POSTGRES_CPUS", "5000"}},
      {{"POSTGRES_CPUS", "1e2"}},
  };
  for (const Env& env : bad) {
    const std::string& name = env.begin()->first;
    const auto c = ReadAutoConfig(env);
    ASSERT_FALSE(c.has_value()) << name << "=" << env.begin()->second << " was accepted";
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(c.error().message.rfind(name + "='" + env.begin()->second + "'", 0), 0u)
        << c.error().message;
    EXPECT_EQ(c.error().message.find('\n'), std::string::npos);
  }
}

TEST(ParseMaxConnections, Range) {
  EXPECT_EQ(*ParseMaxConnections("--max-connections", "150"), 150);
  for (const char* s : {"9", "10001", "abc", "-5", "1.5", ""}) {
    EXPECT_FALSE(ParseMaxConnections("--max-connections", s).has_value()) << s;
  }
}

TEST(ResolveResources, FlagsOnlyDetectNothing) {
  SizingFlags f;
  f.root = "/nonexistent-root";  // would fail if anything were read
  f.memory = "4GB";
  f.cpus = "2";
  const auto r = ResolveResources(f, {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->memory_bytes, 4ull << 30);
  EXPECT_EQ(r->memory_source, "--memory");
  EXPECT_EQ(r->cpus, 2);
  EXPECT_FALSE(r->shm_bytes.has_value());
  EXPECT_TRUE(r->trace.empty());
}

TEST(ResolveResources, FlagBeatsEnvBeatsDetection) {
  SizingFlags f;
  f.root = kFixtures + "v2_private_limit_2g/root";
  AutoConfig env;
  env.memory = 1ull << 30;
  env.cpus = 3;
  auto r = ResolveResources(f, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->memory_bytes, 1ull << 30);
  EXPECT_EQ(r->memory_source, "POSTGRES_MEMORY");
  EXPECT_EQ(r->cpus, 3);
  EXPECT_EQ(r->memory_limit_bytes, 2ull << 30);  // detection still reported
  f.cpus = "1";
  r = ResolveResources(f, env);
  EXPECT_EQ(r->cpus, 1);
  EXPECT_EQ(r->cpu_source, "--cpus");
}

TEST(ResolveResources, BadFlagsAndRoot) {
  SizingFlags f;
  f.memory = "4XB";
  EXPECT_EQ(ResolveResources(f, {}).error().message.rfind("--memory='4XB'", 0), 0u);
  f = {};
  f.cpus = "0";
  EXPECT_EQ(ResolveResources(f, {}).error().message.rfind("--cpus='0'", 0), 0u);
  f = {};
  f.root = "/nonexistent-root";
  EXPECT_EQ(ResolveResources(f, {}).error().message.rfind("--root='/nonexistent-root'", 0), 0u);
}

}  // namespace
}  // namespace aza::cli
