#include "cli/config.h"

#include <fmt/format.h>
#include <unistd.h>

#include "common/text.h"
#include "common/units.h"
#include "tune/huge_pages.h"

extern char** environ;  // NOLINT: POSIX

namespace aza::cli {
namespace {

constexpr double kMaxCpus = 4096;
constexpr int kMinConnectionsAccepted = 10;
constexpr int kMaxConnectionsAccepted = 10000;

std::optional<std::string_view> Get(const Env& env, std::string_view name) {
  const auto it = env.find(name);
  if (it == env.end() || Trim(it->second).empty()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace

Env ProcessEnv() {
  Env env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view kv(*e);
    const std::size_t eq = kv.find('=');
    if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

std::string Var(const Env& env, const std::string& name, const std::string& fallback) {
  const auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

Expected<std::uint64_t> ParseSizingMemory(std::string_view what, std::string_view text) {
  auto bytes = ParseMemorySize(what, text);
  if (bytes && *bytes < kMinSizingMemory) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': {} is below the 256MB minimum aza-pg can tune for", what,
                            text, FormatHuman(*bytes)));
  }
  return bytes;
}

Expected<double> ParseCpus(std::string_view what, std::string_view text) {
  const auto v = ParseDecimal(Trim(text));
  if (!v || *v <= 0 || *v > kMaxCpus) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': expected a positive number of CPUs up to 4096 (e.g. 2 or "
                            "1.5)",
                            what, text));
  }
  return *v;
}

Expected<bool> ParseBool(std::string_view what, std::string_view text) {
  const std::string v = ToLower(Trim(text));
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return Fail(ErrorCode::kInvalidInput, fmt::format("{}='{}': expected true or false", what, text));
}

Expected<int> IntVar(const Env& env, const std::string& name, int fallback, int lo, int hi) {
  const auto it = env.find(name);
  if (it == env.end() || it->second.empty()) return fallback;
  const auto v = ParseUint(Trim(it->second));
  if (!v || *v < static_cast<std::uint64_t>(lo) || *v > static_cast<std::uint64_t>(hi)) {
    return Fail(ErrorCode::kInvalidInput, fmt::format("{}='{}': expected an integer from {} to {}",
                                                      name, it->second, lo, hi));
  }
  return static_cast<int>(*v);
}

Expected<int> ParseMaxConnections(std::string_view what, std::string_view text) {
  const auto v = ParseUint(Trim(text));
  if (!v || *v < kMinConnectionsAccepted || *v > kMaxConnectionsAccepted) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': expected an integer from 10 to 10000", what, text));
  }
  return static_cast<int>(*v);
}

Expected<AutoConfig> ReadAutoConfig(const Env& env) {
  AutoConfig c;
  if (const auto v = Get(env, "POSTGRES_SKIP_AUTOCONFIG")) {
    auto b = ParseBool("POSTGRES_SKIP_AUTOCONFIG", *v);
    if (!b) return tl::unexpected(b.error());
    c.skip = *b;
  }
  if (const auto v = Get(env, "POSTGRES_MEMORY")) {
    auto m = ParseSizingMemory("POSTGRES_MEMORY", *v);
    if (!m) return tl::unexpected(m.error());
    c.memory = *m;
  }
  if (const auto v = Get(env, "POSTGRES_CPUS")) {
    auto n = ParseCpus("POSTGRES_CPUS", *v);
    if (!n) return tl::unexpected(n.error());
    c.cpus = *n;
  }
  return c;
}

Expected<probe::Resources> ResolveResources(const SizingFlags& flags, const AutoConfig& env) {
  std::optional<std::uint64_t> memory;
  std::optional<double> cpus;
  std::optional<std::uint64_t> shm;
  if (!flags.memory.empty()) {
    auto m = ParseSizingMemory("--memory", flags.memory);
    if (!m) return tl::unexpected(m.error());
    memory = *m;
  }
  if (!flags.cpus.empty()) {
    auto n = ParseCpus("--cpus", flags.cpus);
    if (!n) return tl::unexpected(n.error());
    cpus = *n;
  }
  if (!flags.shm.empty()) {
    auto s = ParseMemorySize("--shm", flags.shm);
    if (!s) return tl::unexpected(s.error());
    shm = *s;
  }

  probe::Resources r;
  if (memory && cpus) {
    r.shm_source = shm ? "--shm" : "not checked (--memory and --cpus given)";
  } else {
    if (::access(flags.root.c_str(), R_OK | X_OK) != 0) {
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("--root='{}': not a readable directory", flags.root));
    }
    r = probe::Detect(flags.root);
    if (env.memory) probe::OverrideMemory(r, *env.memory, "POSTGRES_MEMORY");
    if (env.cpus) probe::OverrideCpus(r, *env.cpus, "POSTGRES_CPUS");
  }
  if (memory) probe::OverrideMemory(r, *memory, "--memory");
  if (cpus) probe::OverrideCpus(r, *cpus, "--cpus");
  if (shm) {
    r.shm_bytes = *shm;
    r.shm_source = "--shm";
  }
  return r;
}

Expected<void> CheckStartable(const probe::Resources& r) {
  if (r.memory_source == "POSTGRES_MEMORY" && r.host_memory_bytes > 0 &&
      r.memory_bytes > r.host_memory_bytes) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("POSTGRES_MEMORY={}: above this host's memory ({}); leave it unset to "
                            "size for the container's limit",
                            FormatHuman(r.memory_bytes), FormatHuman(r.host_memory_bytes)));
  }
  if (r.memory_limit_bytes && *r.memory_limit_bytes < kMinStartMemory) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("the container's memory limit is {}: PostgreSQL needs at least {} to "
                            "start; raise mem_limit (docker run --memory)",
                            FormatHuman(*r.memory_limit_bytes), FormatHuman(kMinStartMemory)));
  }
  if (r.shm_bytes && *r.shm_bytes < kMinStartShm) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("/dev/shm is {} ({}): PostgreSQL needs at least {} to start; raise "
                            "shm_size (docker run --shm-size)",
                            FormatHuman(*r.shm_bytes), r.shm_source, FormatHuman(kMinStartShm)));
  }
  return {};
}

tune::Inputs TuneInputs(const probe::Resources& r) {
  return {r.memory_bytes,    r.cpus,
          r.shm_bytes,       r.huge_pages_free_bytes,
          r.huge_page_bytes, tune::ShmemThpMapsPool(r.shmem_thp)};
}

}  // namespace aza::cli
