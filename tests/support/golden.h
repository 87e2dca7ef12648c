// tests/support/golden.h — compares output with a committed golden file under tests/golden/.
// After an intended change, regenerate with AZA_UPDATE_GOLDEN=1 and review the diff.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace aza::testing {

inline void ExpectGolden(const std::string& relative, const std::string& actual) {
  const std::filesystem::path path =
      std::filesystem::path(AZA_SOURCE_DIR) / "tests/golden" / relative;
  if (std::getenv("AZA_UPDATE_GOLDEN") != nullptr) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << actual;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " is missing; run with AZA_UPDATE_GOLDEN=1";
  const std::string want((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(actual, want) << "output differs from " << path;
}

}  // namespace aza::testing
