#include "bootstrap/layout.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/text.h"
#include "probe/parse.h"

namespace aza::bootstrap {
namespace {

std::string Join(std::string_view dir, std::string_view name) { return probe::JoinPath(dir, name); }

// Whether `path` is `dir` or lies below it.
bool Within(std::string_view path, std::string_view dir) {
  return path == dir ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

bool MountedAt(const probe::Root& root, std::string_view point) {
  const probe::FileText f = root.Read("/proc/self/mountinfo");
  if (f.state != probe::FileText::State::kOk) return false;
  int skipped = 0;
  for (const probe::Mount& m : probe::ParseMountInfo(f.text, &skipped)) {
    if (m.mount_point == point) return true;
  }
  return false;
}

// What to do with a cluster of `major` found at `path` instead of PGDATA.
std::string NextStep(std::string_view path, std::string_view major) {
  if (major != kServerMajor) {
    return fmt::format(
        "  next step: this image runs PostgreSQL {} and cannot open a PostgreSQL {} cluster; "
        "upgrade it with pg_upgrade or a dump and restore (README, \"Upgrading\"), or keep "
        "running it with a PostgreSQL {} image",
        kServerMajor, major, major);
  }
  if (path == kVolumeRoot) {
    return fmt::format(
        "  next step: mount that volume at {} and set PGDATA={} to use it where it is",
        kLegacyPgdata, kLegacyPgdata);
  }
  return fmt::format("  next step: set PGDATA={} to use it where it is", path);
}

}  // namespace

DataState InspectDataDirectory(const probe::Root& root, std::string_view pgdata) {
  if (root.Read(Join(pgdata, "PG_VERSION")).state == probe::FileText::State::kAbsent) {
    return DataState::kEmpty;
  }
  if (root.Read(Join(pgdata, kMarkerFile)).state != probe::FileText::State::kAbsent) {
    return DataState::kInitialized;
  }
  if (root.Read(Join(pgdata, kInitializingFile)).state != probe::FileText::State::kAbsent) {
    return DataState::kHalfInitialized;
  }
  return DataState::kForeign;
}

std::optional<std::string> ClusterMajor(const probe::Root& root, std::string_view dir) {
  const probe::FileText f = root.Read(Join(dir, "PG_VERSION"));
  if (f.state == probe::FileText::State::kAbsent) return std::nullopt;
  const std::string_view v = Trim(f.text);
  return std::string(v.empty() ? "of an unknown version" : v);
}

std::vector<std::string> FindStrandedData(const probe::Root& root, std::string_view pgdata) {
  std::vector<std::string> candidates = {kVolumeRoot, kLegacyPgdata};
  for (const std::string& name : root.List(kVolumeRoot)) {
    if (ParseUint(name)) candidates.push_back(Join(Join(kVolumeRoot, name), "docker"));
  }
  std::vector<std::string> out;
  for (const std::string& dir : candidates) {
    if (dir == pgdata) continue;
    const auto major = ClusterMajor(root, dir);
    if (!major) continue;
    out.push_back(fmt::format(
        "{} holds a PostgreSQL {} cluster, but PGDATA is {}: starting would serve a new, empty "
        "database beside it",
        dir, *major, pgdata));
    out.push_back(NextStep(dir, *major));
  }
  if (!Within(pgdata, kLegacyPgdata) && MountedAt(root, kLegacyPgdata) &&
      !ClusterMajor(root, kLegacyPgdata)) {
    out.push_back(fmt::format(
        "a volume is mounted at {}, but PGDATA is {}: the data would not be written to it",
        kLegacyPgdata, pgdata));
    out.push_back(fmt::format("  next step: mount the volume at {} instead (or set PGDATA={})",
                              kVolumeRoot, kLegacyPgdata));
  }
  if (!out.empty()) {
    out.push_back(fmt::format(
        "  to start a new, empty database anyway, leaving the data above as it is: set {}=true",
        kIgnoreOldDataVar));
  }
  return out;
}

std::vector<std::string> RefuseExisting(const probe::Root& root, std::string_view pgdata,
                                        DataState state) {
  const std::string major = ClusterMajor(root, pgdata).value_or("");
  if (state == DataState::kEmpty) return {};
  if (major != kServerMajor) {
    return {fmt::format("{} holds a PostgreSQL {} cluster", pgdata, major),
            NextStep(pgdata, major)};
  }
  const std::string marker = Join(pgdata, kMarkerFile);
  if (state == DataState::kHalfInitialized) {
    const probe::FileText note = root.Read(Join(pgdata, kInitializingFile));
    return {fmt::format("{} holds a cluster whose first start did not finish: {}", pgdata,
                        Trim(note.text).empty() ? "it was interrupted" : Trim(note.text)),
            "  its init scripts may have run only in part, so it is not started as if complete",
            "  next step: fix the cause, then remove the volume to start over (docker compose down "
            "-v, or docker volume rm VOLUME); if you know the data is complete: touch " +
                marker};
  }
  if (state == DataState::kForeign) {
    return {fmt::format("{} holds a PostgreSQL {} cluster that aza-pg did not initialize (no {})",
                        pgdata, major, kMarkerFile),
            "  it may come from another image, a restore or a first start that was killed",
            "  next step: if it is complete, adopt it once: docker run --rm -v VOLUME:" +
                std::string(kVolumeRoot) + " --entrypoint touch IMAGE " + marker};
  }
  return {};
}

void EmptyDirectory(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::filesystem::remove_all(e.path(), ec);
  }
}

}  // namespace aza::bootstrap
