// cli/config.h — reads and validates every environment variable and flag value that sizing
// depends on, before anything else happens. Each error is one line naming the variable and
// the bad value. Pure: the environment is passed in. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "probe/probe.h"
#include "tune/tune.h"

namespace aza::cli {

using Env = std::map<std::string, std::string, std::less<>>;

// The process environment as an Env.
Env ProcessEnv();

// The value of `name`, or `fallback` when it is unset or empty.
std::string Var(const Env& env, const std::string& name, const std::string& fallback);

// Limits on what we accept as a memory figure: below 256 MiB PostgreSQL with 100
// connections cannot be tuned meaningfully; above 64 TiB is a typo.
inline constexpr std::uint64_t kMinSizingMemory = 256ull << 20;

// Parses a sizing memory figure (POSTGRES_MEMORY, --memory): ParseMemorySize plus the floor.
Expected<std::uint64_t> ParseSizingMemory(std::string_view what, std::string_view text);

// Parses a CPU count (POSTGRES_CPUS, --cpus): a positive decimal, at most 4096.
Expected<double> ParseCpus(std::string_view what, std::string_view text);

// Parses a boolean variable: true/false, case-insensitive (also 1/0, yes/no, on/off);
// anything else is an error.
Expected<bool> ParseBool(std::string_view what, std::string_view text);

// Reads an integer variable in [lo, hi]; unset or empty gives `fallback`.
Expected<int> IntVar(const Env& env, const std::string& name, int fallback, int lo, int hi);

// Parses --max-connections: an integer in [10, 10000].
Expected<int> ParseMaxConnections(std::string_view what, std::string_view text);

// The guide's auto-config variables.
struct AutoConfig {
  bool skip = false;                    // POSTGRES_SKIP_AUTOCONFIG
  std::optional<std::uint64_t> memory;  // POSTGRES_MEMORY
  std::optional<double> cpus;           // POSTGRES_CPUS
};

// Reads POSTGRES_SKIP_AUTOCONFIG, POSTGRES_MEMORY and POSTGRES_CPUS; unset or empty means
// "not given".
Expected<AutoConfig> ReadAutoConfig(const Env& env);

// Command-line sizing inputs of detect/tune, unvalidated.
struct SizingFlags {
  std::string root = "/";
  std::string memory;  // empty = not given
  std::string cpus;
  std::string shm;
};

// The resources to size for: flags win over environment overrides, which win over detection.
// With both --memory and --cpus nothing is detected (a pure prediction; --shm adds /dev/shm).
Expected<probe::Resources> ResolveResources(const SizingFlags& flags, const AutoConfig& env);

// The least a first start needs, with a margin over what was measured with the image
// (docs/design.md, "First start": initdb was killed at 32 MiB and passed at 48 MiB; it failed
// with 1 MiB of /dev/shm and passed with 2 MiB). Below these the start is refused at once.
inline constexpr std::uint64_t kMinStartMemory = 64ull << 20;
inline constexpr std::uint64_t kMinStartShm = 4ull << 20;

// Refuses resources PostgreSQL cannot start with: a container memory limit or /dev/shm below
// the minimums above, a POSTGRES_MEMORY above the host's memory. Errors name the input.
Expected<void> CheckStartable(const probe::Resources& r);

// What the tuner reads of the resources.
tune::Inputs TuneInputs(const probe::Resources& r);

}  // namespace aza::cli
