#include "probe/cgroup.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/text.h"

namespace aza::probe {
namespace {

constexpr std::string_view kCgroupRoot = "/sys/fs/cgroup";

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool UnderCgroupRoot(const Mount& m) {
  return m.mount_point == kCgroupRoot ||
         m.mount_point.rfind(std::string(kCgroupRoot) + "/", 0) == 0;
}

// Picks a mount: the one under /sys/fs/cgroup wins over duplicates elsewhere (bind mounts such
// as /cgroup-in, stray /cpusets); otherwise the first.
const Mount* PickMount(const std::vector<const Mount*>& candidates) {
  for (const Mount* m : candidates) {
    if (UnderCgroupRoot(*m)) return m;
  }
  return candidates.empty() ? nullptr : candidates.front();
}

std::vector<std::string_view> Components(std::string_view path) {
  std::vector<std::string_view> out;
  for (const std::string_view c : Split(path, '/')) {
    if (!c.empty()) out.push_back(c);
  }
  return out;
}

std::string JoinComponents(const std::vector<std::string_view>& c, std::size_t from,
                           std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    out += '/';
    out += c[i];
  }
  return out;
}

// Maps the process's cgroup path onto a directory below the mount point, returning the
// path relative to the mount point ("" = the mount point itself).
std::string RelativeToMount(const Mount& mount, std::string_view cgroup_path, const Root& root,
                            std::vector<Warning>* warnings) {
  const std::vector<std::string_view> path = Components(cgroup_path);
  if (std::find(path.begin(), path.end(), "..") != path.end()) {
    warnings->push_back({WarningCode::kOutsideNamespace,
                         fmt::format("cgroup path {} lies outside this cgroup namespace (process "
                                     "moved or entered with nsenter): reading limits at {} only",
                                     cgroup_path, mount.mount_point)});
    return "";
  }
  const std::vector<std::string_view> mroot = Components(mount.root);
  if (path.size() >= mroot.size() && std::equal(mroot.begin(), mroot.end(), path.begin())) {
    return JoinComponents(path, mroot.size(), path.size());  // host root "/" or docker's own
  }
  // The process was moved to a cgroup outside the mounted subtree: take the longest suffix of
  // its path that exists under the mount point (JDK-8343191).
  for (std::size_t from = 0; from < path.size(); ++from) {
    std::string rel = JoinComponents(path, from, path.size());
    if (root.IsDirectory(JoinPath(mount.mount_point, rel))) return rel;
  }
  warnings->push_back(
      {WarningCode::kNotBelowMount,
       fmt::format(
           "cgroup path {} is not below the mount root {} of {}: reading limits at the mount point",
           cgroup_path, mount.root, mount.mount_point)});
  return "";
}

std::vector<std::string> WalkUp(const std::string& mount_point, const std::string& rel) {
  std::vector<std::string> walk;
  std::vector<std::string_view> c = Components(rel);
  while (true) {
    walk.push_back(JoinPath(mount_point, JoinComponents(c, 0, c.size())));
    if (c.empty()) break;
    c.pop_back();
  }
  return walk;
}

}  // namespace

Hierarchy ResolveHierarchy(std::string_view controller, const std::vector<Mount>& mounts,
                           const std::vector<CgroupLine>& cgroups, const Root& root,
                           std::vector<Warning>* warnings) {
  // v1 first: on hybrid hosts a controller bound to a v1 hierarchy is not available in v2.
  const CgroupLine* v1_line = nullptr;
  const CgroupLine* v2_line = nullptr;
  for (const CgroupLine& l : cgroups) {
    if (l.hierarchy != 0 && Contains(l.controllers, controller)) v1_line = &l;
    if (l.hierarchy == 0 && l.controllers.empty()) v2_line = &l;
  }
  std::vector<const Mount*> v1_mounts;
  std::vector<const Mount*> v2_mounts;
  for (const Mount& m : mounts) {
    if (m.fstype == "cgroup" && Contains(m.super_options, controller)) v1_mounts.push_back(&m);
    if (m.fstype == "cgroup2") v2_mounts.push_back(&m);
  }

  Hierarchy h;
  if (v1_line != nullptr) {
    if (const Mount* m = PickMount(v1_mounts)) {
      h.version = 1;
      h.mount_point = m->mount_point;
      h.walk = WalkUp(m->mount_point, RelativeToMount(*m, v1_line->path, root, warnings));
      return h;
    }
    h.why = fmt::format(
        "/proc/self/cgroup names a v1 {} hierarchy but no such cgroup mount "
        "is in /proc/self/mountinfo",
        controller);
    return h;
  }
  const Mount* m = PickMount(v2_mounts);
  if (v2_line == nullptr || m == nullptr) {
    h.why = v2_line == nullptr ? fmt::format("no {} line in /proc/self/cgroup", controller)
                               : "no cgroup2 mount in /proc/self/mountinfo";
    return h;
  }
  // On v2 the controllers available to this subtree are listed at the mount point; an empty
  // or unreadable list is not proof of absence (the walk then simply finds no files).
  const std::string list_path = JoinPath(m->mount_point, "cgroup.controllers");
  const FileText list = root.Read(list_path);
  if (list.state == FileText::State::kOk && !Trim(list.text).empty()) {
    const std::vector<std::string_view> names = SplitWhitespace(list.text);
    if (std::find(names.begin(), names.end(), controller) == names.end()) {
      h.why = fmt::format("{} does not list the {} controller", list_path, controller);
      return h;
    }
  }
  h.version = 2;
  h.mount_point = m->mount_point;
  h.walk = WalkUp(m->mount_point, RelativeToMount(*m, v2_line->path, root, warnings));
  return h;
}

}  // namespace aza::probe
