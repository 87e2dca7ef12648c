// supervisor/process.h — PID 1 mechanics: signals handled synchronously in one loop, children
// spawned with the default signal state, every child reaped, exit codes as a shell reports
// them. Knows processes, not PostgreSQL or tuning. Single-threaded by design.
//
// Signal mapping while waiting for a child (the "target"):
//   SIGTERM, SIGINT  first: SIGINT to the target (PostgreSQL fast shutdown: a smart one would
//                    outlive Docker's 10 s grace and end in SIGKILL); again: SIGQUIT
//                    (immediate shutdown)
//   SIGQUIT          SIGQUIT (immediate)
//   SIGHUP, SIGUSR1, SIGUSR2   forwarded unchanged (SIGHUP reloads the configuration)
//   SIGCHLD          reap; the wait ends when the target has exited
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "supervisor/os.h"

namespace aza::supervisor {

// Blocks the signals above so they queue for Supervisor::Wait. Call first thing in main,
// before any child exists.
void BlockSignals();

struct SpawnSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH
  std::vector<std::string> env;   // "NAME=value"; the child sees only these
  int stdin_fd = -1;              // -1: inherit
  int stdout_fd = -1;             // -1: inherit
  std::vector<int> inherit_fds;   // descriptors the child keeps beyond 0-2 (e.g. a pipe)
};

// Starts a child with the original (empty) signal mask and default dispositions.
// Errors: kIo naming argv[0] (exit code 127 for ENOENT, 126 for EACCES in ExecFailureCode).
Expected<pid_t> Spawn(const SpawnSpec& spec);

// Runs a child to completion and returns its standard output; a non-zero exit is an error
// naming argv[0]. Signals arriving meanwhile are handled by `sup` as in Wait, also while the
// child is still writing.
class Supervisor;
Expected<std::string> RunCapture(const SpawnSpec& spec, Supervisor& sup);

// The exit code for a spawn failure errno: 127 not found, 126 not executable, else 1.
int ExecFailureCode(int err);

struct ExitStatus {
  int code = 0;    // exit code when exited
  int signal = 0;  // terminating signal, 0 if exited
  // As a shell reports it: the code, or 128 + signal.
  int ShellCode() const { return signal != 0 ? 128 + signal : code; }
  bool Success() const { return signal == 0 && code == 0; }
};

// Where a shutdown request stands (never goes backwards).
enum class Phase { kRunning, kFastShutdown, kImmediateShutdown };

class Supervisor {
 public:
  explicit Supervisor(Os& os = SystemOs()) : os_(os) {}

  // Starts a child (see the free Spawn above) through the seam.
  Expected<pid_t> Spawn(const SpawnSpec& spec) { return os_.Spawn(spec); }

  // Starts a child and waits for it (Wait's signal handling): its exit status, or the
  // spawn's error.
  Expected<ExitStatus> Run(const SpawnSpec& spec) {
    auto pid = Spawn(spec);
    if (!pid) return tl::unexpected(pid.error());
    return Wait(*pid);
  }

  // Sends `sig` to `pid` through the seam.
  void Kill(pid_t pid, int sig) { os_.Kill(pid, sig); }

  // Waits until `target` exits, forwarding signals to it per the mapping above and reaping
  // every other child (orphans re-parented to PID 1 included). Wakes at least once a second
  // to reap even when no SIGCHLD arrives. noexcept: PID 1 must not unwind.
  ExitStatus Wait(pid_t target) noexcept;

  // Like Wait, but returns nullopt when `target` is still running after `timeout_ms`.
  std::optional<ExitStatus> Poll(pid_t target, int timeout_ms) noexcept;

  // Sleeps up to `duration`, handling signals and reaping meanwhile. Returns false as soon as
  // a stop is requested (at once if one already was): no wait outlives `docker stop`.
  bool Sleep(std::chrono::milliseconds duration) noexcept;

  // Whether a stop was requested (during init this aborts the remaining steps).
  Phase phase() const { return phase_; }

 private:
  void Forward(pid_t target, int sig) noexcept;
  Os& os_;
  Phase phase_ = Phase::kRunning;
};

}  // namespace aza::supervisor
