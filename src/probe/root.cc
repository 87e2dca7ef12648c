#include "probe/root.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/text.h"

namespace aza::probe {
namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;

}  // namespace

Root::Root(std::string dir) : dir_(std::move(dir)) {
  while (!dir_.empty() && dir_.back() == '/') dir_.pop_back();
}

FileText Root::Read(std::string_view path) const {
  const std::string full = dir_ + std::string(path);
  const int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return {FileText::State::kAbsent, {}, {}};
    return {FileText::State::kUnreadable, {}, std::strerror(err)};
  }
  FileText out{FileText::State::kOk, {}, {}};
  char buf[4096];
  while (out.text.size() < kMaxFileBytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out = {FileText::State::kUnreadable, {}, std::strerror(errno)};
      break;
    }
    if (n == 0) break;
    out.text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

bool Root::IsDirectory(std::string_view path) const {
  struct stat st {};
  const std::string full = dir_ + std::string(path);
  return ::stat(full.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> Root::List(std::string_view path) const {
  std::vector<std::string> names;
  const std::string full = dir_ + std::string(path);
  DIR* d = ::opendir(full.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name(e->d_name);
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::string JoinPath(std::string_view base, std::string_view rest) {
  std::string out;
  for (const std::string_view part : {base, rest}) {
    for (const std::string_view c : Split(part, '/')) {
      if (c.empty()) continue;
      out += '/';
      out += c;
    }
  }
  return out.empty() ? "/" : out;
}

}  // namespace aza::probe
