// tune/huge_pages.h — whether PostgreSQL should try huge pages, and what to tell the operator
// of a host with too few for a large pool. Pure; the measurements are in
// docs/shared-buffers-evidence.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aza::tune {

// True when the free huge pages hold shared_buffers with 10% to spare.
bool HugePagesFit(std::uint64_t shared_buffers, std::uint64_t free_bytes);

// True when the host's shmem THP mode (probe::Resources::shmem_thp) maps PostgreSQL's shared
// memory in huge pages: "always", "within_size" and "force". PostgreSQL does not madvise its
// shared memory, so "advise" leaves it in 4 kB pages, as do "never" and "deny".
bool ShmemThpMapsPool(std::string_view mode);

// The warning for a pool of 1GB or more in 4 kB pages, naming the two ways to huge pages
// (hugetlb pages to reserve, or shmem THP); nullopt when none is due (hugetlb pages fit, shmem
// THP maps the pool, the pool is smaller, or page_bytes is 0: no hugetlb).
std::optional<std::string> HugePagesAdvice(std::uint64_t shared_buffers, std::uint64_t free_bytes,
                                           std::uint64_t page_bytes, bool shmem_thp);

}  // namespace aza::tune
