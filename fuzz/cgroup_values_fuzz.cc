// Every single-value parser of the probe on the same input: limits, cpu.max, v1 quota,
// CPU lists, key/value files, tmpfs options and sysfs choice files.
#include <string>
#include <vector>

#include "common/text.h"
#include "fuzz/fuzz_target.h"
#include "probe/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace aza::probe;
  const std::string_view text = AsText(data, size);

  const LimitValue limit = ParseLimit(text);
  if (limit.kind != LimitValue::Kind::kValue) FUZZ_CHECK(limit.value == 0);

  const CpuQuota q = ParseCpuMax(text);
  if (q.kind != CpuQuota::Kind::kMalformed) FUZZ_CHECK(q.period_us > 0);
  if (q.kind == CpuQuota::Kind::kLimited) FUZZ_CHECK(q.quota_us > 0);

  const std::size_t nl = text.find('\n');
  const CpuQuota v1 = ParseV1Quota(
      text.substr(0, nl), nl == text.npos ? std::nullopt : std::optional(text.substr(nl + 1)));
  if (v1.kind == CpuQuota::Kind::kLimited) FUZZ_CHECK(v1.quota_us > 0 && v1.period_us > 0);

  if (const auto n = CountCpuList(text)) FUZZ_CHECK(*n > 0);
  (void)FindKeyNumber(text, "MemTotal");
  (void)FindKeyNumber(text, "hierarchical_memory_limit");
  (void)FindKeyText(text, "Cpus_allowed_list");

  std::vector<std::string> options;
  for (const auto part : aza::Split(text, ',')) options.emplace_back(part);
  (void)TmpfsSize(options, std::uint64_t{16} << 30);
  if (const auto choice = SelectedChoice(text)) FUZZ_CHECK(!choice->empty());
  return 0;
}
