// page_cost — what a buffer pool of a given size costs this host before it is warm, measured
// the way PostgreSQL uses memory: one shared anonymous mapping made by the postmaster, written
// first by whichever process touches a page (the kernel allocates and zeroes it then), and
// mapped again, page by page, by every backend forked afterwards (fork does not copy the page
// tables of a shared mapping). Then the same for private memory, as a backend's sort or hash
// table takes it: first written, written again as soon as it was freed, and written again after
// a pause, which tells whether the host takes freed memory back (a balloon driver's free page
// reporting: the next write faults in the hypervisor too). Figures, not pass/fail:
// `build/ci/bench/page_cost [MiB...]`. Why it matters: docs/shared-buffers-evidence.md ("A
// large pool in 4 kB pages warms slowly") and docs/tuning-evidence.md (the B-tree build).
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kLine = 64;
constexpr std::size_t kRandomReads = 20'000'000;
// Long enough for free page reporting to hand freed memory back (it reports 2 s after a large
// enough page is freed: Documentation/mm/free_page_reporting.rst), short enough to keep the run
// brief.
constexpr auto kReclaimPause = std::chrono::seconds(5);

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string FirstLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return "unreadable";
  return line;
}

// Reads one byte of every page and returns the microseconds per page.
double TouchEveryPage(const volatile unsigned char* p, std::size_t bytes, unsigned* sink) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < bytes; i += kPage) *sink += p[i];
  return Seconds(start) * 1e6 / static_cast<double>(bytes / kPage);
}

// Reads kRandomReads cache lines at random offsets (xorshift) and returns nanoseconds per read.
double RandomReads(const volatile unsigned char* p, std::size_t bytes, unsigned* sink) {
  std::uint64_t x = 88172645463325252ULL;
  const std::size_t lines = bytes / kLine;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < kRandomReads; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *sink += p[(x % lines) * kLine];
  }
  return Seconds(start) * 1e9 / static_cast<double>(kRandomReads);
}

int Measure(std::size_t mib) {
  const std::size_t bytes = mib << 20;
  void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    fmt::print(stderr, "page_cost: cannot map {} MiB of shared memory\n", mib);
    return 1;
  }
  auto* p = static_cast<volatile unsigned char*>(mem);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < bytes; i += kPage) p[i] = 1;
  const double allocate_us = Seconds(start) * 1e6 / static_cast<double>(bytes / kPage);

  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {  // a backend: maps the populated pool page by page, then reads it at random
    unsigned sink = 0;
    const double map_us = TouchEveryPage(p, bytes, &sink);
    const double again_us = TouchEveryPage(p, bytes, &sink);
    const double random_ns = RandomReads(p, bytes, &sink);
    fmt::print("{:>8} {:>14.2f} {:>18.2f} {:>12.3f} {:>14.1f}\n", mib, allocate_us, map_us,
               again_us, random_ns);
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  munmap(mem, bytes);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

// Maps MiB of private anonymous memory, writes one byte of every page, unmaps it, and returns
// the microseconds per page, or a negative value when the mapping fails.
double WritePrivate(std::size_t mib) {
  const std::size_t bytes = mib << 20;
  void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return -1;
  auto* p = static_cast<volatile unsigned char*>(mem);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < bytes; i += kPage) p[i] = 1;
  const double us = Seconds(start) * 1e6 / static_cast<double>(bytes / kPage);
  munmap(mem, bytes);
  return us;
}

int MeasurePrivate(std::size_t mib) {
  const double fresh = WritePrivate(mib);
  const double at_once = WritePrivate(mib);
  std::this_thread::sleep_for(kReclaimPause);
  const double after_pause = WritePrivate(mib);
  if (fresh < 0 || at_once < 0 || after_pause < 0) {
    fmt::print(stderr, "page_cost: cannot map {} MiB of private memory\n", mib);
    return 1;
  }
  fmt::print("{:>8} {:>14.2f} {:>18.2f} {:>20.2f}\n", mib, fresh, at_once, after_pause);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) {
    char* end = nullptr;
    const unsigned long long mib = std::strtoull(argv[i], &end, 10);
    if (end == argv[i] || *end != '\0' || mib == 0 || mib > (1ULL << 20)) {
      fmt::print(stderr, "page_cost: '{}' is not a size in MiB (1 to 1048576)\n", argv[i]);
      return 2;
    }
    sizes.push_back(mib);
  }
  if (sizes.empty()) sizes = {128, 512, 1024, 2048};
  fmt::print("shmem THP (/sys/kernel/mm/transparent_hugepage/shmem_enabled): {}\n",
             FirstLine("/sys/kernel/mm/transparent_hugepage/shmem_enabled"));
  fmt::print("{:>8} {:>14} {:>18} {:>12} {:>14}\n", "pool MiB", "allocate us/pg",
             "map in child us/pg", "again us/pg", "random read ns");
  int rc = 0;
  for (const std::size_t mib : sizes) rc |= Measure(mib);
  fmt::print(
      "\nprivate memory (a backend's sort or hash table), written per 4 kB page; free page "
      "reporting order (/sys/module/page_reporting/parameters/page_reporting_order): {}\n",
      FirstLine("/sys/module/page_reporting/parameters/page_reporting_order"));
  fmt::print("{:>8} {:>14} {:>18} {:>20}\n", "MiB", "first us/pg", "freed, at once us/pg",
             "freed, after 5 s us/pg");
  for (const std::size_t mib : sizes) rc |= MeasurePrivate(mib);
  return rc;
}
