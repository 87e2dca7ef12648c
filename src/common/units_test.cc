#include "common/units.h"

#include <gtest/gtest.h>

#include "common/text.h"

namespace aza {
namespace {

TEST(ParseMemorySize, AcceptedForms) {
  struct Row {
    const char* text;
    std::uint64_t bytes;
  } rows[] = {
      {"4096", 4096 * kMiB},  {"4096MB", 4096 * kMiB}, {"4GB", 4 * kGiB},
      {"4GiB", 4 * kGiB},     {"2gib", 2 * kGiB},      {"512MB", 512 * kMiB},
      {"512 MB", 512 * kMiB}, {"1.5GiB", 1536 * kMiB}, {"4g", 4 * kGiB},
      {"1048576kB", kGiB},    {"1TB", kTiB},           {" 1024 ", kGiB},
      {"1073741824B", kGiB},  {"0.5GB", 512 * kMiB},
  };
  for (const Row& r : rows) {
    const auto v = ParseMemorySize("POSTGRES_MEMORY", r.text);
    ASSERT_TRUE(v.has_value()) << r.text << ": " << v.error().message;
    EXPECT_EQ(*v, r.bytes) << r.text;
  }
}

TEST(ParseMemorySize, RejectedFormsNameTheInput) {
  for (const char* text : {"", "abc", "4XB", "-1", "0", "1.5", "4 G B", "GB", "1e9", "1..5GB",
                           "99999999TB", "4GB extra", "0x10"}) {
    const auto v = ParseMemorySize("POSTGRES_MEMORY", text);
    ASSERT_FALSE(v.has_value()) << "'" << text << "' was accepted";
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(v.error().message.find("POSTGRES_MEMORY='"), std::string::npos) << v.error().message;
  }
}

TEST(FormatPgMemory, LargestExactUnit) {
  EXPECT_EQ(FormatPgMemory(128 * kMiB), "128MB");
  EXPECT_EQ(FormatPgMemory(1536 * kMiB), "1536MB");
  EXPECT_EQ(FormatPgMemory(8 * kGiB), "8GB");
  EXPECT_EQ(FormatPgMemory(471 * kKiB), "471kB");
  EXPECT_EQ(FormatPgMemory(kMiB + kKiB), "1025kB");
}

TEST(FormatHuman, Table) {
  EXPECT_EQ(FormatHuman(512 * kMiB), "512 MiB");
  EXPECT_EQ(FormatHuman(1536 * kMiB), "1.5 GiB");
  EXPECT_EQ(FormatHuman(100), "100 B");
}

TEST(Text, ParseDecimalRejectsWhatLocaleParsersAccept) {
  EXPECT_EQ(ParseDecimal("1.5"), 1.5);
  EXPECT_EQ(ParseDecimal(".5"), 0.5);
  for (const char* s : {"", ".", "1e3", "inf", "nan", "-1", "+1", "1,5", "1.2.3", " 1"}) {
    EXPECT_FALSE(ParseDecimal(s).has_value()) << s;
  }
}

TEST(Text, SplitAndTrim) {
  EXPECT_EQ(Split("a,,b", ',').size(), 3u);
  EXPECT_EQ(SplitWhitespace(" a \t b\n").size(), 2u);
  EXPECT_EQ(Trim(" \r\nx\f "), "x");
  EXPECT_EQ(ParseUint("18446744073709551616"), std::nullopt);  // overflow
  EXPECT_EQ(ParseInt("-1"), -1);
}

}  // namespace
}  // namespace aza
