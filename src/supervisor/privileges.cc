#include "supervisor/privileges.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace aza::supervisor {

Expected<Account> LookupAccount(const std::string& name) {
  const passwd* pw = getpwnam(name.c_str());
  if (pw == nullptr) return Fail(ErrorCode::kIo, fmt::format("no '{}' user in /etc/passwd", name));
  return Account{name, pw->pw_uid, pw->pw_gid};
}

Expected<void> OwnDirectory(const std::string& path, const Account& owner, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Fail(ErrorCode::kIo, fmt::format("{}: cannot create: {}", path, ec.message()));
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return tl::unexpected(FromErrno(path, errno));
  if ((st.st_uid != owner.uid || st.st_gid != owner.gid) &&
      chown(path.c_str(), owner.uid, owner.gid) != 0) {
    return tl::unexpected(FromErrno("chown " + path, errno));
  }
  if ((st.st_mode & 07777) != mode && chmod(path.c_str(), mode) != 0) {
    return tl::unexpected(FromErrno("chmod " + path, errno));
  }
  return {};
}

Expected<void> EnsureOpenFiles(std::uint64_t needed) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return tl::unexpected(FromErrno("getrlimit", errno));
  if (rl.rlim_cur >= needed) return {};
  if (rl.rlim_max < needed) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("open-file limit {} is below the {} this configuration needs: raise "
                            "the container's nofile ulimit or lower PGBOUNCER_MAX_CLIENT_CONN",
                            rl.rlim_max, needed));
  }
  rl.rlim_cur = needed;
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return tl::unexpected(FromErrno("setrlimit", errno));
  return {};
}

Expected<void> DropTo(const Account& to) {
  if (setgroups(0, nullptr) != 0) return tl::unexpected(FromErrno("setgroups", errno));
  if (setgid(to.gid) != 0) return tl::unexpected(FromErrno("setgid", errno));
  if (setuid(to.uid) != 0) return tl::unexpected(FromErrno("setuid", errno));
  return {};
}

}  // namespace aza::supervisor
