// supervisor/os.h — the supervisor's one seam to the operating system: starting a child,
// sending it a signal, waiting for one of the handled signals, reaping, and the clock.
// Production uses SystemOs(); unit tests pass a scripted fake, so the signal state machine
// runs without processes (as leveldb's Env and fmt's FMT_SYSTEM let their cores be tested).
#pragma once

#include <sys/types.h>

#include <chrono>

#include "common/error.h"

namespace aza::supervisor {

struct SpawnSpec;

class Os {
 public:
  virtual ~Os() = default;
  virtual Expected<pid_t> Spawn(const SpawnSpec& spec) = 0;
  virtual void Kill(pid_t pid, int sig) = 0;
  // Waits up to `timeout_ms` for one of the handled signals (process.h); returns it, or 0.
  virtual int WaitSignal(int timeout_ms) = 0;
  // Reaps one exited child without blocking: its pid and wait status; a pid <= 0 when none.
  virtual pid_t Reap(int* status) = 0;
  virtual std::chrono::steady_clock::time_point Now() = 0;
};

// The real one: posix_spawn, kill, sigtimedwait, waitpid(-1, WNOHANG), steady_clock.
Os& SystemOs();

}  // namespace aza::supervisor
