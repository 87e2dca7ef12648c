// tune/huge_pages.h — whether PostgreSQL should try huge pages, and what to tell the operator
// of a host with too few for a large pool. Pure; the measurements are in docs/tuning-evidence.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace aza::tune {

// True when the free huge pages hold shared_buffers with 10% to spare.
bool HugePagesFit(std::uint64_t shared_buffers, std::uint64_t free_bytes);

// The warning for a pool of 1GB or more that does not fit, naming the huge pages to reserve;
// nullopt when none is due (it fits, the pool is smaller, or page_bytes is 0: no hugetlb).
std::optional<std::string> HugePagesAdvice(std::uint64_t shared_buffers, std::uint64_t free_bytes,
                                           std::uint64_t page_bytes);

}  // namespace aza::tune
