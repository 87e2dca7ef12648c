// probe/probe.h — what this container may really use: memory and CPU limits of the process's
// own cgroup (walked up to the mount point, lowest wins), the CPU affinity, /dev/shm, free
// huge pages and the host's transparent huge pages for shared memory, each with the file that
// supplied it. Knows nothing of PostgreSQL.
// Thread-compatible; Detect() performs only reads below the given root.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aza::probe {

// The conservative baseline when no limit is found (the guide: "defaults to 1GB").
inline constexpr std::uint64_t kDefaultMemoryBytes = std::uint64_t{1} << 30;

// What a warning is about, so callers act on the code and never on the text.
enum class WarningCode {
  kNoHostMemory,        // /proc/meminfo has no MemTotal
  kNoMemoryLimit,       // sizing for the 1 GiB baseline; an override removes it
  kNoCpuCount,          // sizing for 1 CPU; an override removes it
  kOutsideNamespace,    // the cgroup path has ".." in it
  kNotBelowMount,       // the cgroup path is outside the mounted subtree
  kOverrideAboveLimit,  // POSTGRES_MEMORY / --memory above the detected limit
};

struct Warning {
  WarningCode code;
  std::string text;  // a full sentence for the log
};

struct Resources {
  std::uint64_t memory_bytes = 0;                   // the figure sizing uses
  std::optional<std::uint64_t> memory_limit_bytes;  // lowest cgroup limit; nullopt = none
  std::string memory_source;                        // file (and level) or override name
  std::uint64_t host_memory_bytes = 0;              // MemTotal
  double cpus = 1;                                  // fractional: 1.5 CPUs is 1.5
  std::string cpu_source;
  std::optional<std::uint64_t> shm_bytes;  // size of the /dev/shm tmpfs
  std::string shm_source;
  std::uint64_t huge_pages_free_bytes = 0;  // HugePages_Free x Hugepagesize
  std::uint64_t huge_page_bytes = 0;        // Hugepagesize; 0 = no hugetlb support
  std::string shmem_thp;  // the host's shmem THP mode for PMD-size pages; empty = unknown
  std::vector<Warning> warnings;
  std::vector<std::string> trace;  // every file consulted and what it said
};

// Detects resources below `root` ("/" in production).
Resources Detect(const std::string& root);

// Replaces the memory figure with an override (POSTGRES_MEMORY, --memory); warns when it
// exceeds a detected limit, since PostgreSQL would then be sized past what the kernel allows.
void OverrideMemory(Resources& r, std::uint64_t bytes, const std::string& source);

// Replaces the CPU figure with an override (POSTGRES_CPUS, --cpus).
void OverrideCpus(Resources& r, double cpus, const std::string& source);

}  // namespace aza::probe
