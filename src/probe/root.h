// probe/root.h — the probe's one seam to the OS: every /proc and /sys path is read relative
// to a root directory ("/" in production, a fixture tree in tests, `--root DIR` on the CLI).
// Stateless apart from the root path; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aza::probe {

// The outcome of reading one file. Absent and unreadable are different facts: an absent
// memory.max means the controller is not enabled at that level; an unreadable one means we
// do not know.
struct FileText {
  enum class State { kOk, kAbsent, kUnreadable } state = State::kAbsent;
  std::string text;
  std::string error;  // strerror text when unreadable
};

class Root {
 public:
  explicit Root(std::string dir);

  // Reads an absolute in-container path (e.g. "/proc/self/cgroup") under the root. Reads at
  // most 1 MiB: no file the probe needs is larger, and /proc files can be unbounded.
  FileText Read(std::string_view path) const;

  // True if the absolute in-container path is a directory under the root.
  bool IsDirectory(std::string_view path) const;

  // The names in an in-container directory, sorted; empty when it is absent or unreadable.
  std::vector<std::string> List(std::string_view path) const;

 private:
  std::string dir_;  // without trailing '/'; empty for "/"
};

// Joins in-container absolute paths: JoinPath("/sys/fs/cgroup", "/a/b") == "/sys/fs/cgroup/a/b";
// empty components and trailing slashes are dropped.
std::string JoinPath(std::string_view base, std::string_view rest);

}  // namespace aza::probe
