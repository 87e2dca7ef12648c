// Runs Detect() on every fixture tree under tests/fixtures/probe/<case>/root and checks the
// facts listed in <case>/expected ("key = value" lines; '#' lines describe the case).
// Adding a case is adding a folder.
#include "probe/probe.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/text.h"

namespace aza::probe {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(AZA_SOURCE_DIR) / "tests/fixtures/probe";

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::multimap<std::string, std::string> ReadExpected(const fs::path& file) {
  std::ifstream in(file);
  std::multimap<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    out.emplace(line.substr(0, eq), line.substr(eq + 3));
  }
  return out;
}

std::vector<std::string> Texts(const std::vector<Warning>& warnings) {
  std::vector<std::string> out;
  out.reserve(warnings.size());
  for (const Warning& w : warnings) out.push_back(w.text);
  return out;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += "\n  " + s;
  return out;
}

class ProbeFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ProbeFixture, MatchesExpected) {
  const fs::path dir = kFixtures / GetParam();
  const auto expected = ReadExpected(dir / "expected");
  ASSERT_FALSE(expected.empty()) << dir << "/expected lists no facts";
  const Resources r = Detect((dir / "root").string());
  const std::string context = "case " + GetParam() + "\nwarnings:" + Joined(Texts(r.warnings)) +
                              "\ntrace:" + Joined(r.trace);

  for (const auto& entry : expected) {
    const std::string& key = entry.first;     // not a structured binding: clang 14 cannot
    const std::string& value = entry.second;  // capture those in the lambda below
    SCOPED_TRACE(fmt::format("{} = {}", key, value));
    if (key == "memory_limit") {
      if (value == "none") {
        EXPECT_FALSE(r.memory_limit_bytes.has_value()) << context;
      } else {
        ASSERT_TRUE(r.memory_limit_bytes.has_value()) << context;
        EXPECT_EQ(*r.memory_limit_bytes, std::stoull(value)) << context;
        EXPECT_EQ(r.memory_bytes, std::stoull(value)) << context;
      }
    } else if (key == "memory") {
      EXPECT_EQ(r.memory_bytes, std::stoull(value)) << context;
    } else if (key == "memory_source") {
      EXPECT_NE(r.memory_source.find(value), std::string::npos) << r.memory_source << context;
    } else if (key == "cpus") {
      EXPECT_DOUBLE_EQ(r.cpus, std::stod(value)) << context;
    } else if (key == "cpu_source") {
      EXPECT_NE(r.cpu_source.find(value), std::string::npos) << r.cpu_source << context;
    } else if (key == "shm") {
      if (value == "none") {
        EXPECT_FALSE(r.shm_bytes.has_value()) << context;
      } else {
        ASSERT_TRUE(r.shm_bytes.has_value()) << context;
        EXPECT_EQ(*r.shm_bytes, std::stoull(value)) << context;
      }
    } else if (key == "host_memory") {
      EXPECT_EQ(r.host_memory_bytes, std::stoull(value)) << context;
    } else if (key == "huge_pages_free") {
      EXPECT_EQ(r.huge_pages_free_bytes, std::stoull(value)) << context;
    } else if (key == "huge_page_size") {
      EXPECT_EQ(r.huge_page_bytes, std::stoull(value)) << context;
    } else if (key == "shmem_thp") {
      EXPECT_EQ(r.shmem_thp, value == "none" ? "" : value) << context;
    } else if (key == "warning") {
      EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(), [&](const Warning& w) {
        return w.text.find(value) != std::string::npos;
      })) << context;
    } else if (key == "warnings") {
      EXPECT_EQ(r.warnings.size(), std::stoull(value)) << context;
    } else {
      ADD_FAILURE() << "unknown key '" << key << "' in " << dir << "/expected";
    }
  }
  // Whatever the case, nothing becomes zero.
  EXPECT_GT(r.memory_bytes, 0u) << context;
  EXPECT_GT(r.cpus, 0) << context;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ProbeFixture, ::testing::ValuesIn(CaseNames()),
                         [](const auto& p) { return p.param; });

TEST(ProbeFixtures, AtLeastFortyCases) { EXPECT_GE(CaseNames().size(), 40u); }

TEST(Override, MemoryAboveDetectedLimitWarns) {
  Resources r;
  r.memory_limit_bytes = 1ull << 30;
  r.memory_bytes = 1ull << 30;
  r.memory_source = "cgroup v2 /sys/fs/cgroup/memory.max";
  OverrideMemory(r, 4ull << 30, "POSTGRES_MEMORY");
  EXPECT_EQ(r.memory_bytes, 4ull << 30);
  EXPECT_EQ(r.memory_source, "POSTGRES_MEMORY");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].code, WarningCode::kOverrideAboveLimit);
  EXPECT_NE(r.warnings[0].text.find("exceeds the container's memory limit"), std::string::npos);
}

TEST(Override, RemovesBaselineWarning) {
  const Resources detected = Detect((kFixtures / "v2_unlimited_max/root").string());
  Resources r = detected;
  ASSERT_EQ(r.warnings.size(), 1u);
  OverrideMemory(r, 2ull << 30, "POSTGRES_MEMORY");
  EXPECT_TRUE(r.warnings.empty());
}

}  // namespace
}  // namespace aza::probe
