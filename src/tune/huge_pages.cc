#include "tune/huge_pages.h"

#include <fmt/format.h>

#include "common/units.h"

namespace aza::tune {
namespace {

// huge_pages = try only when the free huge pages hold shared_buffers with 10% to spare;
// otherwise off: "try" can end in SIGBUS where a hugetlb cgroup grants fewer pages than the
// host shows (kubernetes #71233).
constexpr double kHugePagesMargin = 1.1;
// From a 1GB pool up, running without huge pages is a measured cost: select-only at 8 GiB /
// 1 CPU ran 0.75x as fast with the pool in 4 kB pages as in 2 MB ones, while at 512MB the two
// overlapped; most of it is warm-up, each new backend mapping the pool 4 kB at a time
// (docs/shared-buffers-evidence.md). There a warning names the two ways to huge pages: shmem
// THP, which needs no reservation, or hugetlb pages to reserve: the pool with its margin, plus
// PostgreSQL's other shared memory (22-68 MB measured at 128MB-1GB).
constexpr std::uint64_t kHugePagesAdviceFloor = 1 * kGiB;
constexpr std::uint64_t kSharedMemoryBeyondBuffers = 64 * kMiB;

std::uint64_t WithMargin(std::uint64_t shared_buffers) {
  return static_cast<std::uint64_t>(static_cast<double>(shared_buffers) * kHugePagesMargin);
}

}  // namespace

bool HugePagesFit(std::uint64_t shared_buffers, std::uint64_t free_bytes) {
  return free_bytes >= WithMargin(shared_buffers);
}

bool ShmemThpMapsPool(std::string_view mode) {
  return mode == "always" || mode == "within_size" || mode == "force";
}

std::optional<std::string> HugePagesAdvice(std::uint64_t shared_buffers, std::uint64_t free_bytes,
                                           std::uint64_t page_bytes, bool shmem_thp) {
  if (page_bytes == 0 || shmem_thp || shared_buffers < kHugePagesAdviceFloor ||
      HugePagesFit(shared_buffers, free_bytes)) {
    return std::nullopt;
  }
  const std::uint64_t need = WithMargin(shared_buffers) + kSharedMemoryBeyondBuffers;
  return fmt::format(
      "shared_buffers {} is mapped in 4 kB pages ({} of huge pages free, shmem THP off), so "
      "every new connection maps the pool 4 kB at a time and a new server is slow to reach "
      "full speed (docs/tuning.md, \"Huge pages\"); on the host, set "
      "/sys/kernel/mm/transparent_hugepage/shmem_enabled to within_size (no "
      "reservation), or reserve at least {} free huge pages of {} (sysctl vm.nr_hugepages), "
      "then restart the container",
      FormatPgMemory(shared_buffers), FormatHuman(free_bytes), (need + page_bytes - 1) / page_bytes,
      FormatHuman(page_bytes));
}

}  // namespace aza::tune
