#include "supervisor/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <fmt/format.h>

namespace aza::supervisor {
namespace {

namespace fs = std::filesystem;

Expected<void> Own(const std::string& path, uid_t uid, gid_t gid, mode_t mode) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Fail(ErrorCode::kIo, fmt::format("{}: cannot create: {}", path, ec.message()));
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return tl::unexpected(FromErrno(path, errno));
  if ((st.st_uid != uid || st.st_gid != gid) && chown(path.c_str(), uid, gid) != 0) {
    return tl::unexpected(FromErrno("chown " + path, errno));
  }
  if ((st.st_mode & 07777) != mode && chmod(path.c_str(), mode) != 0) {
    return tl::unexpected(FromErrno("chmod " + path, errno));
  }
  return {};
}

}  // namespace

Expected<void> PrepareAndDropPrivileges(const std::string& pgdata, const std::string& socket_dir) {
  if (geteuid() != 0) {
    std::error_code ec;
    fs::create_directories(pgdata, ec);
    if (ec || access(pgdata.c_str(), W_OK) != 0) {
      return Fail(ErrorCode::kIo, fmt::format("PGDATA='{}': not writable by uid {}", pgdata,
                                              geteuid()));
    }
    return {};
  }
  const passwd* pw = getpwnam("postgres");
  if (pw == nullptr) return Fail(ErrorCode::kIo, "no 'postgres' user in /etc/passwd");
  const uid_t uid = pw->pw_uid;
  const gid_t gid = pw->pw_gid;
  if (auto r = Own(pgdata, uid, gid, 0700); !r) return r;
  if (auto r = Own(socket_dir, uid, gid, 03775); !r) return r;
  if (setgroups(0, nullptr) != 0) return tl::unexpected(FromErrno("setgroups", errno));
  if (setgid(gid) != 0) return tl::unexpected(FromErrno("setgid", errno));
  if (setuid(uid) != 0) return tl::unexpected(FromErrno("setuid", errno));
  return {};
}

}  // namespace aza::supervisor
