#include "probe/parse.h"

#include <gtest/gtest.h>

namespace aza::probe {
namespace {

using LK = LimitValue::Kind;
using QK = CpuQuota::Kind;

TEST(ParseLimit, Table) {
  struct Row {
    const char* text;
    LK kind;
    std::uint64_t value;
  } rows[] = {
      {"2147483648\n", LK::kValue, 2147483648u},
      {"max\n", LK::kUnlimited, 0},
      {"max", LK::kUnlimited, 0},
      {"  8888  \r\n", LK::kValue, 8888},
      {"", LK::kMalformed, 0},
      {"\n", LK::kMalformed, 0},
      {"-1\n", LK::kMalformed, 0},
      {"-51114\n", LK::kMalformed, 0},
      {"abc", LK::kMalformed, 0},
      {"123max", LK::kMalformed, 0},
      {"1000 5000\n", LK::kMalformed, 0},
      {"99999999999999999999999", LK::kMalformed, 0},
      {"42\ngarbage", LK::kValue, 42},
      {"0x10", LK::kMalformed, 0},
  };
  for (const Row& r : rows) {
    const LimitValue v = ParseLimit(r.text);
    EXPECT_EQ(v.kind, r.kind) << "'" << r.text << "'";
    EXPECT_EQ(v.value, r.value) << "'" << r.text << "'";
  }
}

TEST(ParseCpuMax, Table) {
  struct Row {
    const char* text;
    QK kind;
    std::uint64_t quota, period;
  } rows[] = {
      {"max 100000\n", QK::kUnlimited, 0, 100000},
      {"200000 100000\n", QK::kLimited, 200000, 100000},
      {"250000 100000", QK::kLimited, 250000, 100000},
      {"500000\n", QK::kLimited, 500000, 100000},
      {"max\n", QK::kUnlimited, 0, 100000},
      {"250000 100000 100\n", QK::kMalformed, 0, 0},
      {"asdf 100000\n", QK::kMalformed, 0, 0},
      {"500000 njn\n", QK::kMalformed, 0, 0},
      {"100000 0\n", QK::kMalformed, 0, 0},
      {"0 100000\n", QK::kMalformed, 0, 0},
      {"", QK::kMalformed, 0, 0},
      {"\n", QK::kMalformed, 0, 0},
      {"500000us 100000\n", QK::kMalformed, 0, 0},
      {"9223372036854775807 9223372036854775807\n", QK::kLimited, 9223372036854775807u,
       9223372036854775807u},
  };
  for (const Row& r : rows) {
    const CpuQuota q = ParseCpuMax(r.text);
    EXPECT_EQ(q.kind, r.kind) << "'" << r.text << "'";
    if (r.kind != QK::kMalformed) {
      EXPECT_EQ(q.quota_us, r.quota) << r.text;
      EXPECT_EQ(q.period_us, r.period) << r.text;
    }
  }
}

TEST(ParseV1Quota, Table) {
  EXPECT_EQ(ParseV1Quota("-1\n", "100000\n").kind, QK::kUnlimited);
  EXPECT_EQ(ParseV1Quota("-1\n", std::nullopt).kind, QK::kUnlimited);
  const CpuQuota q = ParseV1Quota("150000\n", "100000\n");
  EXPECT_EQ(q.kind, QK::kLimited);
  EXPECT_EQ(q.quota_us, 150000u);
  EXPECT_EQ(ParseV1Quota("200000\n", std::nullopt).kind, QK::kMalformed);
  EXPECT_EQ(ParseV1Quota("200000\n", "0\n").kind, QK::kMalformed);
  EXPECT_EQ(ParseV1Quota("0\n", "100000\n").kind, QK::kMalformed);
  EXPECT_EQ(ParseV1Quota("x\n", "100000\n").kind, QK::kMalformed);
}

TEST(CountCpuList, Table) {
  EXPECT_EQ(CountCpuList("0-3,8,10-11\n"), 7);
  EXPECT_EQ(CountCpuList("0"), 1);
  EXPECT_EQ(CountCpuList("0-63"), 64);
  EXPECT_EQ(CountCpuList(""), std::nullopt);
  EXPECT_EQ(CountCpuList("3-1"), std::nullopt);
  EXPECT_EQ(CountCpuList("0-"), std::nullopt);
  EXPECT_EQ(CountCpuList("a"), std::nullopt);
  EXPECT_EQ(CountCpuList("0,,1"), std::nullopt);
  EXPECT_EQ(CountCpuList("0-99999999999"), std::nullopt);
}

TEST(ParseMountInfo, FieldsAndEscapes) {
  int skipped = -1;
  const auto m = ParseMountInfo(
      "30 24 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
      "41 30 0:41 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct\n"
      "42 30 0:42 / /mnt/a\\040b rw - tmpfs tmpfs rw,size=1k\n"
      "60 24 0:60 / /mnt/c rw - 9p drvfs rw,path=C:\\Program Files\\Docker;uid=0\n"
      "garbage\n"
      "1 2 3\n",
      &skipped);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(skipped, 2);
  EXPECT_EQ(m[0].fstype, "cgroup2");
  EXPECT_EQ(m[0].mount_point, "/sys/fs/cgroup");
  EXPECT_EQ(m[1].root, "/docker/abc");
  EXPECT_EQ(m[1].super_options, (std::vector<std::string>{"rw", "cpu", "cpuacct"}));
  EXPECT_EQ(m[2].mount_point, "/mnt/a b");
  EXPECT_EQ(m[3].fstype, "9p");
  EXPECT_EQ(m[3].super_options.back(), "path=C:\\Program Files\\Docker;uid=0");
}

TEST(UnescapeOctal, Table) {
  EXPECT_EQ(UnescapeOctal("a\\040b"), "a b");
  EXPECT_EQ(UnescapeOctal("tab\\011tab"), "tab\ttab");
  EXPECT_EQ(UnescapeOctal("nl\\012"), "nl\n");
  EXPECT_EQ(UnescapeOctal("back\\134slash"), "back\\slash");
  EXPECT_EQ(UnescapeOctal("\\04"), "\\04");    // too short: kept
  EXPECT_EQ(UnescapeOctal("\\089"), "\\089");  // not octal: kept
  EXPECT_EQ(UnescapeOctal("\\777"), "\\777");  // above a byte: kept
}

TEST(ParseProcCgroup, Table) {
  int skipped = -1;
  const auto l = ParseProcCgroup(
      "12:pids:/docker/abc\n4:cpu,cpuacct:/x\n0::/a:b\ninvalid-line:\n1:name=systemd:/\n"
      "0\\using\\colons\\/\n",
      &skipped);
  ASSERT_EQ(l.size(), 4u);
  EXPECT_EQ(skipped, 2);
  EXPECT_EQ(l[1].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_EQ(l[2].hierarchy, 0);
  EXPECT_TRUE(l[2].controllers.empty());
  EXPECT_EQ(l[2].path, "/a:b");
}

TEST(FindKeyNumber, MeminfoStatusAndStat) {
  EXPECT_EQ(FindKeyNumber("MemTotal:       16384 kB\n", "MemTotal"), 16384u * 1024);
  EXPECT_EQ(FindKeyNumber("HugePages_Free:  12\n", "HugePages_Free"), 12u);
  EXPECT_EQ(FindKeyNumber("hierarchical_memory_limitx 2\nhierarchical_memory_limit 3\n",
                          "hierarchical_memory_limit"),
            3u);
  EXPECT_EQ(FindKeyNumber("foo\tbar\n", "foo"), std::nullopt);
  EXPECT_EQ(FindKeyNumber("foo 1 2 3\n", "foo"), std::nullopt);
  EXPECT_EQ(FindKeyNumber("foo 1 MB\n", "foo"), std::nullopt);
  EXPECT_EQ(FindKeyNumber("", "foo"), std::nullopt);
  EXPECT_EQ(FindKeyText("Cpus_allowed_list:\t0-3\n", "Cpus_allowed_list"), "0-3");
}

TEST(TmpfsSize, Table) {
  using V = std::vector<std::string>;
  EXPECT_EQ(TmpfsSize(V{"rw", "size=65536k"}, 0), 64u << 20);
  EXPECT_EQ(TmpfsSize(V{"size=64m"}, 0), 64u << 20);
  EXPECT_EQ(TmpfsSize(V{"size=1g"}, 0), 1u << 30);
  EXPECT_EQ(TmpfsSize(V{"size=4096"}, 0), 4096u);
  EXPECT_EQ(TmpfsSize(V{"size=50%"}, 1000), 500u);
  EXPECT_EQ(TmpfsSize(V{"rw", "inode64"}, 0), std::nullopt);
  EXPECT_EQ(TmpfsSize(V{"size=abc"}, 0), std::nullopt);
  EXPECT_EQ(TmpfsSize(V{"size=200%"}, 0), std::nullopt);
}

TEST(SelectedChoice, Table) {
  EXPECT_EQ(SelectedChoice("always [within_size] advise never deny force\n"), "within_size");
  EXPECT_EQ(SelectedChoice("[never]"), "never");
  EXPECT_EQ(SelectedChoice("always [inherit] within_size advise never"), "inherit");
  EXPECT_EQ(SelectedChoice("always within_size advise never"), std::nullopt);
  EXPECT_EQ(SelectedChoice("[always] [never]"), std::nullopt);
  EXPECT_EQ(SelectedChoice("[] never"), std::nullopt);
  EXPECT_EQ(SelectedChoice(""), std::nullopt);
}

}  // namespace
}  // namespace aza::probe
