// fuzz/fuzz_target.h — the libFuzzer entry point every target defines. Built with clang's
// -fsanitize=fuzzer under the `fuzz` preset, or linked with replay_main.cc so g++ builds run
// the committed corpus (fuzz/corpus/<target>/) as a CTest case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts (so libFuzzer records a crash) when an invariant does not hold.
#define FUZZ_CHECK(cond)           \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)
