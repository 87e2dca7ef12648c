#include "probe/probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/text.h"
#include "common/units.h"
#include "probe/cgroup.h"
#include "probe/parse.h"
#include "probe/root.h"

namespace aza::probe {
namespace {

// v1's "unlimited" sentinels (LONG_MAX rounded down to a page) are all above this; no real
// machine has this much memory.
constexpr std::uint64_t kSentinelFloor = std::uint64_t{1} << 62;

std::string Describe(const FileText& f) {
  switch (f.state) {
    case FileText::State::kAbsent:
      return "absent";
    case FileText::State::kUnreadable:
      return "unreadable (" + f.error + ")";
    case FileText::State::kOk:
      break;
  }
  return "";
}

class Detector {
 public:
  explicit Detector(const std::string& root) : root_(root) {}

  Resources Run() {
    ReadHost();
    int bad_mounts = 0;
    int bad_cgroups = 0;
    const FileText mi = Read("/proc/self/mountinfo");
    const FileText pc = Read("/proc/self/cgroup");
    mounts_ = ParseMountInfo(mi.text, &bad_mounts);
    const std::vector<CgroupLine> cgroups = ParseProcCgroup(pc.text, &bad_cgroups);
    if (bad_mounts > 0) Trace(fmt::format("mountinfo: skipped {} malformed line(s)", bad_mounts));
    if (bad_cgroups > 0) Trace(fmt::format("cgroup: skipped {} malformed line(s)", bad_cgroups));

    DetectMemory(ResolveHierarchy("memory", mounts_, cgroups, root_, &r_.warnings));
    DetectCpu(ResolveHierarchy("cpu", mounts_, cgroups, root_, &r_.warnings));
    DetectShm();
    DetectShmemThp();
    return std::move(r_);
  }

 private:
  FileText Read(const std::string& path) {
    FileText f = root_.Read(path);
    if (f.state != FileText::State::kOk) Trace(fmt::format("{}: {}", path, Describe(f)));
    return f;
  }
  void Trace(std::string line) { r_.trace.push_back(std::move(line)); }

  void ReadHost() {
    const FileText meminfo = Read("/proc/meminfo");
    if (const auto total = FindKeyNumber(meminfo.text, "MemTotal")) {
      r_.host_memory_bytes = *total;
    } else {
      r_.warnings.push_back({WarningCode::kNoHostMemory,
                             "/proc/meminfo has no readable MemTotal: host memory unknown"});
    }
    const auto free_pages = FindKeyNumber(meminfo.text, "HugePages_Free");
    const auto page_size = FindKeyNumber(meminfo.text, "Hugepagesize");
    if (free_pages && page_size && *page_size > 0 && *free_pages < UINT64_MAX / *page_size) {
      r_.huge_pages_free_bytes = *free_pages * *page_size;
      r_.huge_page_bytes = *page_size;
    }
  }

  // What a limit value `v` read from `what` means: nullopt for "unlimited" spelled as a number
  // (v1's sentinels, LONG_MAX rounded down to a page); the host's memory for a limit at or
  // above it, which lets the container use the whole host (a "4 GB" VPS shows about 3.8 GiB of
  // MemTotal and its operator writes 4g), with `*note` saying so; else `v`.
  std::optional<std::uint64_t> Judge(const std::string& what, std::uint64_t v, std::string* note) {
    if (v >= kSentinelFloor) {
      Trace(fmt::format("{}: {} (the unlimited sentinel: no limit)", what, v));
      return std::nullopt;
    }
    if (r_.host_memory_bytes > 0 && v >= r_.host_memory_bytes) {
      *note = fmt::format(" ({} at or above the host's memory: clamped to MemTotal {})",
                          FormatHuman(v), FormatHuman(r_.host_memory_bytes));
      Trace(fmt::format("{}: {}{}", what, v, *note));
      return r_.host_memory_bytes;
    }
    Trace(fmt::format("{}: {} ({})", what, v, FormatHuman(v)));
    return v;
  }

  // Reads one memory limit file and considers the limit it sets.
  void ConsiderFile(const std::string& path, const std::string& source) {
    const FileText f = Read(path);
    if (f.state != FileText::State::kOk) return;
    const LimitValue v = ParseLimit(f.text);
    if (v.kind == LimitValue::Kind::kUnlimited) {
      Trace(fmt::format("{}: max (unlimited)", path));
    } else if (v.kind == LimitValue::Kind::kMalformed || v.value == 0) {
      Trace(fmt::format("{}: malformed '{}'", path, Trim(f.text)));
    } else {
      Consider(path, v.value, source);
    }
  }

  void Consider(const std::string& what, std::uint64_t value, const std::string& source) {
    std::string note;
    const std::optional<std::uint64_t> v = Judge(what, value, &note);
    if (v && (!r_.memory_limit_bytes || *v < *r_.memory_limit_bytes)) {
      r_.memory_limit_bytes = *v;
      r_.memory_source = source + note;
    }
  }

  void DetectMemory(const Hierarchy& h) {
    if (h.version == 0) Trace("memory controller: " + h.why);
    for (const std::string& dir : h.walk) {
      if (h.version == 2) {
        // memory.high throttles without OOM; sizing for min(max, high) keeps us out of it.
        // memory.low / memory.min are protections and never cap (kernel cgroup-v2.rst).
        for (const char* name : {"memory.max", "memory.high"}) {
          const std::string p = JoinPath(dir, name);
          ConsiderFile(p, "cgroup v2 " + p);
        }
      } else {
        const std::string p = JoinPath(dir, "memory.limit_in_bytes");
        ConsiderFile(p, "cgroup v1 " + p);
        // A limit on an ancestor invisible from here still shows in memory.stat when the
        // hierarchy is in use (JDK-8370966).
        const FileText use = Read(JoinPath(dir, "memory.use_hierarchy"));
        if (use.state == FileText::State::kOk && Trim(use.text) == "1") {
          const std::string stat = JoinPath(dir, "memory.stat");
          const auto hml = FindKeyNumber(Read(stat).text, "hierarchical_memory_limit");
          if (hml && *hml > 0) {
            Consider(stat + " hierarchical_memory_limit", *hml,
                     "cgroup v1 " + stat + " hierarchical_memory_limit");
          }
        }
      }
    }
    if (r_.memory_limit_bytes) {
      r_.memory_bytes = *r_.memory_limit_bytes;
      return;
    }
    r_.memory_bytes = r_.host_memory_bytes > 0 ? std::min(kDefaultMemoryBytes, r_.host_memory_bytes)
                                               : kDefaultMemoryBytes;
    r_.memory_source = "default (no memory limit found)";
    r_.warnings.push_back(
        {WarningCode::kNoMemoryLimit,
         fmt::format(
             "no container memory limit found (host has {}): sizing for the conservative {} "
             "baseline. A limit set on a parent cgroup (a systemd slice, --cgroup-parent) cannot "
             "be "
             "seen inside the container's private cgroup namespace; to size for more, set the "
             "container's own limit (mem_limit, docker run --memory) or POSTGRES_MEMORY",
             r_.host_memory_bytes > 0 ? FormatHuman(r_.host_memory_bytes) : "an unknown amount",
             FormatHuman(r_.memory_bytes))});
  }

  std::optional<double> Affinity(std::string* source) {
    const FileText status = Read("/proc/self/status");
    if (const auto list = FindKeyText(status.text, "Cpus_allowed_list")) {
      if (const auto n = CountCpuList(*list); n && *n > 0) {
        *source = fmt::format("affinity (/proc/self/status Cpus_allowed_list {})", *list);
        return *n;
      }
    }
    const FileText online = Read("/sys/devices/system/cpu/online");
    if (const auto n = CountCpuList(online.text); n && *n > 0) {
      *source = fmt::format("/sys/devices/system/cpu/online {}", Trim(online.text));
      return *n;
    }
    return std::nullopt;
  }

  void DetectCpu(const Hierarchy& h) {
    std::string affinity_source;
    const std::optional<double> affinity = Affinity(&affinity_source);
    double best = affinity.value_or(0);
    r_.cpu_source = affinity_source;
    std::optional<std::pair<double, std::string>> above;  // the lowest quota above affinity
    if (h.version == 0) Trace("cpu controller: " + h.why);
    for (const std::string& dir : h.walk) {
      CpuQuota q;
      std::string file;
      if (h.version == 2) {
        file = JoinPath(dir, "cpu.max");
        const FileText f = Read(file);
        if (f.state != FileText::State::kOk) continue;
        q = ParseCpuMax(f.text);
      } else {
        file = JoinPath(dir, "cpu.cfs_quota_us");
        const FileText quota = Read(file);
        if (quota.state != FileText::State::kOk) continue;
        const FileText period = Read(JoinPath(dir, "cpu.cfs_period_us"));
        q = ParseV1Quota(quota.text, period.state == FileText::State::kOk
                                         ? std::optional<std::string_view>(period.text)
                                         : std::nullopt);
      }
      if (q.kind != CpuQuota::Kind::kLimited) {
        Trace(fmt::format("{}: {}", file,
                          q.kind == CpuQuota::Kind::kUnlimited ? "no quota" : "malformed"));
        continue;
      }
      const double cpus = static_cast<double>(q.quota_us) / static_cast<double>(q.period_us);
      Trace(
          fmt::format("{}: quota {} / period {} = {:g} CPUs", file, q.quota_us, q.period_us, cpus));
      if (best == 0 || cpus < best) {
        best = cpus;
        r_.cpu_source =
            fmt::format("cgroup v{} {} ({}/{})", h.version, file, q.quota_us, q.period_us);
      } else if (affinity && cpus >= *affinity && (!above || cpus < above->first)) {
        above = {cpus, fmt::format("cgroup v{} {}", h.version, file)};
      }
    }
    // A quota above the CPUs this process may run on cannot be used: say which one was clamped.
    if (above && affinity && best == *affinity) {
      r_.cpu_source += fmt::format("; {} quota of {:g} CPUs is above it: clamped to {:g}",
                                   above->second, above->first, best);
    }
    if (best <= 0) {
      best = 1;
      r_.cpu_source = "default (no CPU information readable)";
      r_.warnings.push_back(
          {WarningCode::kNoCpuCount,
           "neither /proc/self/status nor /sys/devices/system/cpu/online gave a CPU count: "
           "sizing for 1 CPU; set POSTGRES_CPUS to override"});
    }
    r_.cpus = best;
  }

  // Transparent huge pages for shared memory, which covers shared anonymous mappings such as
  // PostgreSQL's main shared memory (kernel admin-guide/mm/transhuge.rst). A per-size setting
  // for the PMD size other than "inherit" overrides the top-level mode, except the top level's
  // "deny" and "force", which override every size.
  void DetectShmemThp() {
    const std::string dir = "/sys/kernel/mm/transparent_hugepage/";
    const FileText top = Read(dir + "shmem_enabled");
    if (top.state != FileText::State::kOk) return;
    std::optional<std::string> mode = SelectedChoice(top.text);
    if (!mode) {
      Trace(fmt::format("{}shmem_enabled: no selected mode in '{}'", dir, Trim(top.text)));
      return;
    }
    const LimitValue pmd = ParseLimit(Read(dir + "hpage_pmd_size").text);
    if (*mode != "deny" && *mode != "force" && pmd.kind == LimitValue::Kind::kValue &&
        pmd.value >= kKiB) {
      const FileText per_size =
          Read(fmt::format("{}hugepages-{}kB/shmem_enabled", dir, pmd.value / kKiB));
      if (const auto size_mode = SelectedChoice(per_size.text);
          size_mode && *size_mode != "inherit") {
        mode = size_mode;
      }
    }
    r_.shmem_thp = *mode;
    Trace("shmem THP for PMD-size pages: " + *mode);
  }

  void DetectShm() {
    const Mount* shm = nullptr;
    for (const Mount& m : mounts_) {
      if (m.mount_point == "/dev/shm") shm = &m;  // the last mount is the visible one
    }
    if (shm == nullptr) {
      r_.shm_source = "not mounted";
      Trace("/dev/shm: not in /proc/self/mountinfo");
      return;
    }
    if (shm->fstype != "tmpfs") {
      r_.shm_source = "/dev/shm is " + shm->fstype + ", not tmpfs";
      return;
    }
    if (const auto size = TmpfsSize(shm->super_options, r_.host_memory_bytes)) {
      r_.shm_bytes = *size;
      const auto opt = std::find_if(shm->super_options.begin(), shm->super_options.end(),
                                    [](const std::string& o) { return o.rfind("size=", 0) == 0; });
      r_.shm_source = "/proc/self/mountinfo /dev/shm " + *opt;
    } else {
      // tmpfs without size= gets half of RAM (Documentation/filesystems/tmpfs.rst).
      r_.shm_bytes = r_.host_memory_bytes / 2;
      r_.shm_source = "/proc/self/mountinfo /dev/shm (tmpfs default: half of host memory)";
    }
  }

  Root root_;
  Resources r_;
  std::vector<Mount> mounts_;
};

}  // namespace

Resources Detect(const std::string& root) { return Detector(root).Run(); }

void OverrideMemory(Resources& r, std::uint64_t bytes, const std::string& source) {
  if (r.memory_limit_bytes && bytes > *r.memory_limit_bytes) {
    r.warnings.push_back(
        {WarningCode::kOverrideAboveLimit,
         fmt::format(
             "{} ({}) exceeds the container's memory limit ({}, {}): PostgreSQL may be OOM-killed",
             source, FormatHuman(bytes), FormatHuman(*r.memory_limit_bytes), r.memory_source)});
  }
  // The baseline warning no longer applies once someone chose a figure.
  std::erase_if(r.warnings, [](const Warning& w) { return w.code == WarningCode::kNoMemoryLimit; });
  r.memory_bytes = bytes;
  r.memory_source = source;
}

void OverrideCpus(Resources& r, double cpus, const std::string& source) {
  std::erase_if(r.warnings, [](const Warning& w) { return w.code == WarningCode::kNoCpuCount; });
  r.cpus = cpus;
  r.cpu_source = source;
}

}  // namespace aza::probe
