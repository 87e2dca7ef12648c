#include "bootstrap/layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace aza::bootstrap {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kPgdata[] = "/var/lib/postgresql/18/docker";

// A container's file tree below a temporary root, built file by file.
class Tree {
 public:
  Tree() {
    char tmpl[] = "/tmp/aza-layout-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~Tree() { fs::remove_all(dir_); }
  Tree& File(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(dir_ + path).parent_path());
    std::ofstream(dir_ + path) << text;
    return *this;
  }
  Tree& Cluster(const std::string& dir, const std::string& major) {
    return File(dir + "/PG_VERSION", major + "\n").File(dir + "/global/pg_control", "x");
  }
  Tree& Mount(const std::string& point) {
    mountinfo_ += "100 90 0:50 / " + point + " rw - ext4 /dev/vdb rw\n";
    return File("/proc/self/mountinfo", mountinfo_);
  }
  probe::Root Root() const { return probe::Root(dir_); }

 private:
  std::string dir_;
  std::string mountinfo_ = "90 1 0:40 / / rw - overlay overlay rw\n";
};

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

TEST(InspectDataDirectory, States) {
  Tree t;
  EXPECT_EQ(InspectDataDirectory(t.Root(), kPgdata), DataState::kEmpty);
  t.Cluster(kPgdata, "18");
  EXPECT_EQ(InspectDataDirectory(t.Root(), kPgdata), DataState::kForeign);
  t.File(std::string(kPgdata) + "/" + kInitializingFile, "init script 02-bad.sql failed\n");
  EXPECT_EQ(InspectDataDirectory(t.Root(), kPgdata), DataState::kHalfInitialized);
  t.File(std::string(kPgdata) + "/" + kMarkerFile, "");
  EXPECT_EQ(InspectDataDirectory(t.Root(), kPgdata), DataState::kInitialized);
}

TEST(FindStrandedData, NothingAroundAFreshVolume) {
  Tree t;
  t.Mount("/var/lib/postgresql");
  EXPECT_THAT(FindStrandedData(t.Root(), kPgdata), IsEmpty());
}

// Each place an operator's cluster may sit, the major it holds, and the step it is told.
TEST(FindStrandedData, EveryLayoutNamesPathMajorAndNextStep) {
  const struct {
    const char* dir;
    const char* major;
    const char* step;
  } cases[] = {
      {"/var/lib/postgresql/data", "15", "upgrade it with pg_upgrade"},
      {"/var/lib/postgresql/data", "18", "set PGDATA=/var/lib/postgresql/data"},
      {"/var/lib/postgresql", "15", "upgrade it with pg_upgrade"},
      {"/var/lib/postgresql", "18", "mount that volume at /var/lib/postgresql/data"},
      {"/var/lib/postgresql/17/docker", "17", "keep running it with a PostgreSQL 17 image"},
  };
  for (const auto& c : cases) {
    Tree t;
    t.Cluster(c.dir, c.major);
    const std::string out = Joined(FindStrandedData(t.Root(), kPgdata));
    EXPECT_THAT(out, AllOf(HasSubstr(std::string(c.dir) + " holds a PostgreSQL " + c.major),
                           HasSubstr(c.step), HasSubstr("POSTGRES_IGNORE_OLD_DATA=true")))
        << c.dir << " " << c.major;
  }
}

TEST(FindStrandedData, AnUnusedMountAtTheOldPath) {
  Tree t;
  t.Mount("/var/lib/postgresql/data");
  EXPECT_THAT(Joined(FindStrandedData(t.Root(), kPgdata)),
              AllOf(HasSubstr("a volume is mounted at /var/lib/postgresql/data"),
                    HasSubstr("mount the volume at /var/lib/postgresql instead")));
  // With PGDATA inside that mount, the mount is used.
  EXPECT_THAT(FindStrandedData(t.Root(), "/var/lib/postgresql/data/pgdata"), IsEmpty());
}

TEST(FindStrandedData, PgdataItselfIsNotStranded) {
  Tree t;
  t.Cluster("/var/lib/postgresql/data", "18");
  EXPECT_THAT(FindStrandedData(t.Root(), "/var/lib/postgresql/data"), IsEmpty());
}

TEST(RefuseExisting, OtherMajorAtPgdata) {
  Tree t;
  t.Cluster(kPgdata, "17").File(std::string(kPgdata) + "/" + kMarkerFile, "");
  EXPECT_THAT(Joined(RefuseExisting(t.Root(), kPgdata, DataState::kInitialized)),
              AllOf(HasSubstr("holds a PostgreSQL 17 cluster"), HasSubstr("pg_upgrade")));
}

TEST(RefuseExisting, HalfInitializedQuotesTheFailedStep) {
  Tree t;
  t.Cluster(kPgdata, "18")
      .File(std::string(kPgdata) + "/" + kInitializingFile,
            "init script 02-bad.sql failed with exit code 3\n");
  EXPECT_THAT(Joined(RefuseExisting(t.Root(), kPgdata, DataState::kHalfInitialized)),
              AllOf(HasSubstr("init script 02-bad.sql failed with exit code 3"),
                    HasSubstr("docker compose down -v")));
}

TEST(RefuseExisting, ForeignClusterIsOfferedAdoption) {
  Tree t;
  t.Cluster(kPgdata, "18");
  EXPECT_THAT(Joined(RefuseExisting(t.Root(), kPgdata, DataState::kForeign)),
              AllOf(HasSubstr("aza-pg did not initialize"), HasSubstr("--entrypoint touch")));
  t.File(std::string(kPgdata) + "/" + kMarkerFile, "");
  EXPECT_THAT(RefuseExisting(t.Root(), kPgdata, DataState::kInitialized), IsEmpty());
}

}  // namespace
}  // namespace aza::bootstrap
