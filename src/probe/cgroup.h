// probe/cgroup.h — finds the directories that hold one controller's limits for this process:
// the process's own cgroup (from /proc/self/cgroup) mapped onto its mount (from mountinfo,
// honouring the mount's root), and every ancestor up to the mount point. v1, v2 and hybrid
// hosts are resolved per controller, so memory may be v2 while cpu is v1.
// Algorithm after OpenJDK's cgroupSubsystem_linux.cpp (JDK-8322420 walk, JDK-8343191 moved
// process); see docs/design.md. Pure apart from directory checks through Root.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probe/parse.h"
#include "probe/probe.h"
#include "probe/root.h"

namespace aza::probe {

struct Hierarchy {
  int version = 0;                // 1 or 2; 0 when the controller was not found
  std::string mount_point;        // e.g. /sys/fs/cgroup or /sys/fs/cgroup/memory
  std::vector<std::string> walk;  // directories to read, the process's own first, mount last
  std::string why;                // when version == 0: what was missing
};

// Resolves `controller` ("memory", "cpu"). Adds a warning when the process's cgroup path lies
// outside the mount (moved or nsenter'ed processes).
Hierarchy ResolveHierarchy(std::string_view controller, const std::vector<Mount>& mounts,
                           const std::vector<CgroupLine>& cgroups, const Root& root,
                           std::vector<Warning>* warnings);

}  // namespace aza::probe
