// Golden files for every output format at one fixed input, so a change in wording, order or
// values shows up as a reviewed diff (tests/golden/render/).
#include "render/render.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/units.h"
#include "render/pgbackrest.h"
#include "render/pgbouncer.h"
#include "tests/support/golden.h"

namespace aza::render {
namespace {

probe::Resources FourGiBTwoCpus() {
  probe::Resources r;
  r.memory_bytes = 4 * kGiB;
  r.memory_limit_bytes = 4 * kGiB;
  r.memory_source = "cgroup v2 /sys/fs/cgroup/memory.max";
  r.host_memory_bytes = 16 * kGiB;
  r.cpus = 2;
  r.cpu_source = "cgroup v2 /sys/fs/cgroup/cpu.max (200000/100000)";
  r.shm_bytes = 64 * kMiB;
  r.shm_source = "/proc/self/mountinfo /dev/shm size=65536k";
  return r;
}

tune::Tuning TuneFor(const probe::Resources& r) {
  return tune::Tune({r.memory_bytes, r.cpus, r.shm_bytes, r.huge_pages_free_bytes}, {});
}

TEST(Render, FlagsGolden) {
  const auto r = FourGiBTwoCpus();
  aza::testing::ExpectGolden("render/flags.txt", FlagsText(TuneFor(r)));
}

TEST(Render, ConfGolden) {
  const auto r = FourGiBTwoCpus();
  aza::testing::ExpectGolden("render/tuned.conf", Conf(r, TuneFor(r)));
}

TEST(Render, ExplainGolden) {
  const auto r = FourGiBTwoCpus();
  aza::testing::ExpectGolden("render/explain.txt", Explain(r, TuneFor(r)));
}

TEST(Render, JsonGolden) {
  const auto r = FourGiBTwoCpus();
  aza::testing::ExpectGolden("render/tune.json", TuneJson(r, TuneFor(r)).dump(2) + "\n");
}

TEST(Render, JsonContractKeys) {
  const auto r = FourGiBTwoCpus();
  const auto j = TuneJson(r, TuneFor(r));
  for (const char* key : {"memory_bytes", "memory_limit_bytes", "memory_source",
                          "host_memory_bytes", "cpus", "cpu_source", "shm_bytes", "warnings"}) {
    EXPECT_TRUE(j["inputs"].contains(key)) << key;
  }
  EXPECT_EQ(j["settings"]["shared_buffers"], "512MB");
  EXPECT_TRUE(j["budget"]["worst_case_bytes"].is_number_unsigned());
  EXPECT_EQ(j["budget"]["limit_bytes"], 4 * kGiB);
  probe::Resources none = r;
  none.memory_limit_bytes.reset();
  none.shm_bytes.reset();
  EXPECT_TRUE(DetectJson(none)["memory_limit_bytes"].is_null());
  EXPECT_TRUE(DetectJson(none)["shm_bytes"].is_null());
}

TEST(Render, FlagsArePairs) {
  const auto t = TuneFor(FourGiBTwoCpus());
  const auto flags = Flags(t);
  ASSERT_EQ(flags.size(), t.settings.size() * 2);
  for (std::size_t i = 0; i < flags.size(); i += 2) {
    EXPECT_EQ(flags[i], "-c");
    EXPECT_NE(flags[i + 1].find('='), std::string::npos);
  }
}

TEST(Render, LogLinesCarryWhatTheGuideGreps) {
  const auto r = FourGiBTwoCpus();
  EXPECT_EQ(DetectedLogLine(r).rfind("detected RAM=4096MB", 0), 0u) << DetectedLogLine(r);
  EXPECT_NE(TunedLogLine(TuneFor(r)).find("shared_buffers=512MB"), std::string::npos);
}

}  // namespace
}  // namespace aza::render

namespace aza::render {
namespace {

PgBouncerSettings Sample() {
  PgBouncerSettings s;
  s.auth_password = "auth \"quoted\" pw";
  s.stats_password = "stats-pw";
  s.pools = tune::SizePools({100, 3, 0, std::nullopt});
  return s;
}

TEST(PgBouncer, IniGolden) {
  aza::testing::ExpectGolden("render/pgbouncer.ini", PgBouncerIni(Sample()));
}

TEST(PgBouncer, NoPasswordInIni) {
  const std::string ini = PgBouncerIni(Sample());
  EXPECT_EQ(ini.find("auth \"quoted\" pw"), std::string::npos);
  EXPECT_EQ(ini.find("stats-pw"), std::string::npos);
  EXPECT_NE(ini.find("auth_type = scram-sha-256"), std::string::npos);
  EXPECT_NE(ini.find("max_prepared_statements = 200"), std::string::npos);
}

TEST(PgBouncer, AuthFileDoublesQuotes) {
  EXPECT_EQ(PgBouncerAuthFile(Sample()),
            "\"pgbouncer_auth\" \"auth \"\"quoted\"\" pw\"\n\"pgbouncer_stats\" \"stats-pw\"\n");
  PgBouncerSettings no_stats = Sample();
  no_stats.stats_password.clear();
  EXPECT_EQ(PgBouncerIni(no_stats).find("stats_users"), std::string::npos);
}

TEST(PgBackRest, ConfGolden) {
  PgBackRestSettings s;
  s.pgdata = "/var/lib/postgresql/18/docker";
  s.superuser = "my cool postgres user";
  aza::testing::ExpectGolden("render/pgbackrest.conf", PgBackRestConf(s));
}

TEST(PgBackRest, CipherOnlyWhenAPassphraseIsGiven) {
  PgBackRestSettings s;
  EXPECT_EQ(PgBackRestConf(s).find("cipher"), std::string::npos);
  s.cipher_pass = "correct horse";
  EXPECT_NE(
      PgBackRestConf(s).find("repo1-cipher-type=aes-256-cbc\nrepo1-cipher-pass=correct horse\n"),
      std::string::npos);
}

}  // namespace
}  // namespace aza::render

// docs/tuning.md's rules table is the settings table, rendered: they cannot drift apart.
TEST(Render, TuningDocMatchesTheSettingsTable) {
  const std::filesystem::path doc = std::filesystem::path(AZA_SOURCE_DIR) / "docs/tuning.md";
  std::ifstream in(doc);
  ASSERT_TRUE(in) << doc;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string begin = "<!-- rules:begin (generated) -->\n";
  const std::string end = "<!-- rules:end -->";
  const std::size_t a = text.find(begin);
  const std::size_t b = text.find(end);
  ASSERT_NE(a, std::string::npos) << doc << " lacks " << begin;
  ASSERT_NE(b, std::string::npos) << doc << " lacks " << end;
  const std::string have = text.substr(a + begin.size(), b - a - begin.size());
  const std::string want = aza::render::RulesMarkdown();
  if (std::getenv("AZA_UPDATE_GOLDEN") != nullptr && have != want) {
    text.replace(a + begin.size(), have.size(), want);
    std::ofstream(doc) << text;
    return;
  }
  EXPECT_EQ(have, want) << doc << " differs from src/tune/settings.cc; rerun with "
                        << "AZA_UPDATE_GOLDEN=1 and review the diff";
}
