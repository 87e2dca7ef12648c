// probe/parse.h — pure parsers for the kernel files the probe reads. No I/O: each takes the
// file's text and returns what it means. Every parser is fuzzed (fuzz/) and table-tested.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aza::probe {

// One line of /proc/self/mountinfo (proc(5)); paths are octal-unescaped.
struct Mount {
  std::string root;         // field 4: the path inside the filesystem that is mounted
  std::string mount_point;  // field 5
  std::string fstype;       // first field after " - "
  std::vector<std::string> super_options;  // comma-separated, after the source field
};

// Parses mountinfo. Lines that do not parse are skipped and counted in `*skipped`.
std::vector<Mount> ParseMountInfo(std::string_view text, int* skipped);

// Undoes the kernel's octal escapes in mountinfo paths (\040 space, \011 tab, \012 newline,
// \134 backslash). Anything that is not a three-digit octal escape is kept as is.
std::string UnescapeOctal(std::string_view s);

// One line of /proc/self/cgroup: "hierarchy-ID:controller-list:cgroup-path".
struct CgroupLine {
  int hierarchy = 0;
  std::vector<std::string> controllers;  // empty for the v2 line "0::/path"
  std::string path;                      // may itself contain ':'
};

// Parses /proc/self/cgroup; malformed lines are skipped and counted in `*skipped`.
std::vector<CgroupLine> ParseProcCgroup(std::string_view text, int* skipped);

// What one limit file says. Unlimited covers v2 "max"; the v1 sentinel is a value and is
// judged against host memory by the caller.
struct LimitValue {
  enum class Kind { kValue, kUnlimited, kMalformed } kind = Kind::kMalformed;
  std::uint64_t value = 0;
};

// Parses a single-number file (memory.max, memory.high, memory.limit_in_bytes): the first
// line, trimmed; "max" is unlimited; a non-negative integer is a value; anything else,
// including an empty file and negative numbers, is malformed.
LimitValue ParseLimit(std::string_view text);

// A CPU bandwidth limit as quota/period microseconds.
struct CpuQuota {
  enum class Kind { kLimited, kUnlimited, kMalformed } kind = Kind::kMalformed;
  std::uint64_t quota_us = 0;
  std::uint64_t period_us = 0;
};

// Parses v2 cpu.max: "$MAX $PERIOD"; MAX "max" is unlimited; a single number uses the
// kernel's default period (100000 us); period 0, three or more fields, or non-numbers are
// malformed.
CpuQuota ParseCpuMax(std::string_view text);

// Parses v1 cpu.cfs_quota_us + cpu.cfs_period_us; quota -1 is unlimited; quota 0 or a
// missing/zero/garbled period is malformed.
CpuQuota ParseV1Quota(std::string_view quota_text, std::optional<std::string_view> period_text);

// Counts the CPUs in a list such as "0-3,8,10-11" (Cpus_allowed_list, cpuset.cpus).
// nullopt when malformed or empty.
std::optional<int> CountCpuList(std::string_view text);

// Returns the value of `key` in a "key value" file (memory.stat) or a "Key: value [kB]" file
// (/proc/meminfo, /proc/self/status), with the key matched exactly. For meminfo-style
// lines a trailing " kB" multiplies by 1024. nullopt when absent or not a number.
std::optional<std::uint64_t> FindKeyNumber(std::string_view text, std::string_view key);

// Returns the raw text after "Key:" in a /proc/self/status-style file, trimmed.
std::optional<std::string> FindKeyText(std::string_view text, std::string_view key);

// Returns the bytes of a tmpfs mount's size= option ("size=65536k", "size=64m", "size=1g",
// a bare byte count, or "size=50%" of `host_memory`). nullopt when no size= option.
std::optional<std::uint64_t> TmpfsSize(const std::vector<std::string>& super_options,
                                       std::uint64_t host_memory);

// Returns the selected word of a sysfs choice file such as transparent_hugepage/shmem_enabled
// ("always [within_size] advise never deny force"): the one word in brackets. nullopt when
// no word, or more than one, is bracketed.
std::optional<std::string> SelectedChoice(std::string_view text);

}  // namespace aza::probe
