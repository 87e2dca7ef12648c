#include "probe/parse.h"

#include "common/text.h"
#include "common/units.h"

namespace aza::probe {
namespace {

// The kernel's default CFS period (Documentation/admin-guide/cgroup-v2.rst, cpu.max).
constexpr std::uint64_t kDefaultCpuPeriodUs = 100000;

std::string_view FirstLine(std::string_view text) {
  const std::size_t nl = text.find('\n');
  return nl == std::string_view::npos ? text : text.substr(0, nl);
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

}  // namespace

std::string UnescapeOctal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && IsOctal(s[i + 1]) && IsOctal(s[i + 2]) &&
        IsOctal(s[i + 3])) {
      const int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
      if (v <= 0xff) {
        out.push_back(static_cast<char>(v));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::vector<Mount> ParseMountInfo(std::string_view text, int* skipped) {
  std::vector<Mount> mounts;
  int bad = 0;
  for (const std::string_view line : Split(text, '\n')) {
    if (Trim(line).empty()) continue;
    // Optional fields sit between field 6 and " - ", so split the line there first; super
    // options may themselves contain spaces (WSL's 9p path=C:\Program Files\...).
    const std::size_t dash = line.find(" - ");
    if (dash == std::string_view::npos) {
      ++bad;
      continue;
    }
    const std::vector<std::string_view> head = SplitWhitespace(line.substr(0, dash));
    const std::string_view tail = line.substr(dash + 3);
    const std::size_t sp1 = tail.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : tail.find(' ', sp1 + 1);
    if (head.size() < 6 || sp1 == std::string_view::npos || sp2 == std::string_view::npos) {
      ++bad;
      continue;
    }
    Mount m;
    m.root = UnescapeOctal(head[3]);
    m.mount_point = UnescapeOctal(head[4]);
    m.fstype = std::string(tail.substr(0, sp1));
    for (const std::string_view opt : Split(Trim(tail.substr(sp2 + 1)), ',')) {
      if (!opt.empty()) m.super_options.emplace_back(opt);
    }
    mounts.push_back(std::move(m));
  }
  if (skipped != nullptr) *skipped = bad;
  return mounts;
}

std::vector<CgroupLine> ParseProcCgroup(std::string_view text, int* skipped) {
  std::vector<CgroupLine> lines;
  int bad = 0;
  for (const std::string_view raw : Split(text, '\n')) {
    const std::string_view line = Trim(raw);
    if (line.empty()) continue;
    const std::size_t c1 = line.find(':');
    const std::size_t c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    const auto id = c1 == std::string_view::npos ? std::nullopt : ParseUint(line.substr(0, c1));
    if (c2 == std::string_view::npos || !id || *id > 1000000 || line[c2 + 1] != '/') {
      ++bad;
      continue;
    }
    CgroupLine cl;
    cl.hierarchy = static_cast<int>(*id);
    for (const std::string_view c : Split(line.substr(c1 + 1, c2 - c1 - 1), ',')) {
      if (!c.empty()) cl.controllers.emplace_back(c);
    }
    cl.path = std::string(line.substr(c2 + 1));
    lines.push_back(std::move(cl));
  }
  if (skipped != nullptr) *skipped = bad;
  return lines;
}

LimitValue ParseLimit(std::string_view text) {
  const std::string_view s = Trim(FirstLine(text));
  if (s == "max") return {LimitValue::Kind::kUnlimited, 0};
  if (const auto v = ParseUint(s)) return {LimitValue::Kind::kValue, *v};
  return {};
}

CpuQuota ParseCpuMax(std::string_view text) {
  const std::vector<std::string_view> f = SplitWhitespace(FirstLine(text));
  if (f.empty() || f.size() > 2) return {};
  std::uint64_t period = kDefaultCpuPeriodUs;
  if (f.size() == 2) {
    const auto p = ParseUint(f[1]);
    if (!p || *p == 0) return {};
    period = *p;
  }
  if (f[0] == "max") return {CpuQuota::Kind::kUnlimited, 0, period};
  const auto q = ParseUint(f[0]);
  if (!q || *q == 0) return {};
  return {CpuQuota::Kind::kLimited, *q, period};
}

CpuQuota ParseV1Quota(std::string_view quota_text, std::optional<std::string_view> period_text) {
  const auto q = ParseInt(Trim(FirstLine(quota_text)));
  if (!q) return {};
  if (*q < 0) return {CpuQuota::Kind::kUnlimited, 0, 0};
  if (*q == 0 || !period_text) return {};
  const auto p = ParseUint(Trim(FirstLine(*period_text)));
  if (!p || *p == 0) return {};
  return {CpuQuota::Kind::kLimited, static_cast<std::uint64_t>(*q), *p};
}

std::optional<int> CountCpuList(std::string_view text) {
  const std::string_view s = Trim(FirstLine(text));
  if (s.empty()) return std::nullopt;
  // Kernel CPU ids stay far below this; it bounds the count against absurd ranges.
  constexpr std::uint64_t kMaxCpuId = 1 << 20;
  std::uint64_t count = 0;
  for (const std::string_view part : Split(s, ',')) {
    const std::size_t dash = part.find('-');
    const auto lo = ParseUint(part.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : ParseUint(part.substr(dash + 1));
    if (!lo || !hi || *hi < *lo || *hi > kMaxCpuId) return std::nullopt;
    count += *hi - *lo + 1;
  }
  if (count > kMaxCpuId) return std::nullopt;
  return static_cast<int>(count);
}

std::optional<std::string> FindKeyText(std::string_view text, std::string_view key) {
  for (const std::string_view line : Split(text, '\n')) {
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':') {
      return std::string(Trim(line.substr(key.size() + 1)));
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> FindKeyNumber(std::string_view text, std::string_view key) {
  for (const std::string_view line : Split(text, '\n')) {
    if (line.size() <= key.size() || line.substr(0, key.size()) != key) continue;
    const char sep = line[key.size()];
    if (sep != ':' && sep != ' ' && sep != '\t') continue;  // exact key: "limitx" != "limit"
    const std::vector<std::string_view> f = SplitWhitespace(line.substr(key.size() + 1));
    if (f.empty() || f.size() > 2) return std::nullopt;
    const auto v = ParseUint(f[0]);
    if (!v) return std::nullopt;
    if (f.size() == 2) {
      if (f[1] != "kB" || *v > UINT64_MAX / kKiB) return std::nullopt;
      return *v * kKiB;
    }
    return v;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> TmpfsSize(const std::vector<std::string>& super_options,
                                       std::uint64_t host_memory) {
  for (const std::string& opt : super_options) {
    if (opt.rfind("size=", 0) != 0) continue;
    std::string_view v = std::string_view(opt).substr(5);
    if (!v.empty() && v.back() == '%') {
      const auto pct = ParseUint(v.substr(0, v.size() - 1));
      if (!pct || *pct > 100) return std::nullopt;
      return host_memory / 100 * *pct;
    }
    std::uint64_t mult = 1;
    if (!v.empty()) {
      switch (v.back()) {
        case 'k':
        case 'K':
          mult = kKiB;
          break;
        case 'm':
        case 'M':
          mult = kMiB;
          break;
        case 'g':
        case 'G':
          mult = kGiB;
          break;
        default:
          break;
      }
      if (mult != 1) v.remove_suffix(1);
    }
    const auto n = ParseUint(v);
    if (!n || *n > UINT64_MAX / mult) return std::nullopt;
    return *n * mult;
  }
  return std::nullopt;
}

std::optional<std::string> SelectedChoice(std::string_view text) {
  std::optional<std::string> selected;
  for (const std::string_view word : SplitWhitespace(text)) {
    if (word.size() < 3 || word.front() != '[' || word.back() != ']') continue;
    if (selected) return std::nullopt;
    selected = std::string(word.substr(1, word.size() - 2));
  }
  return selected;
}

}  // namespace aza::probe
