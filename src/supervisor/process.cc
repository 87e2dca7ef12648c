#include "supervisor/process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>

namespace aza::supervisor {
namespace {

// How long the loop sleeps without a signal before reaping anyway.
constexpr long kReapIntervalSeconds = 1;

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD}) sigaddset(&set, s);
  return set;
}

ExitStatus FromWaitStatus(int status) {
  if (WIFSIGNALED(status)) return {0, WTERMSIG(status)};
  return {WEXITSTATUS(status), 0};
}

}  // namespace

void BlockSignals() {
  const sigset_t set = HandledSignals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
}

int ExecFailureCode(int err) {
  if (err == ENOENT) return 127;
  if (err == EACCES || err == ENOEXEC) return 126;
  return 1;
}

Expected<pid_t> Spawn(const SpawnSpec& spec) {
  if (spec.argv.empty()) return Fail(ErrorCode::kIo, "spawn: empty command");
  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  // The child starts with nothing blocked and every handled signal at its default, so
  // PostgreSQL installs its own handlers on a clean slate (posix_spawn does this without
  // running any of our code between fork and exec).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  const sigset_t defaults = HandledSignals();
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (spec.stdin_fd >= 0) posix_spawn_file_actions_adddup2(&actions, spec.stdin_fd, 0);
  if (spec.stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, spec.stdout_fd, 1);
  // Descriptors we open are O_CLOEXEC; the ones the child must keep are dup2'ed onto
  // themselves, which clears the flag in the child only.
  for (int fd : spec.inherit_fds) posix_spawn_file_actions_adddup2(&actions, fd, fd);

  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return Fail(ErrorCode::kIo, fmt::format("cannot run {}: {}", spec.argv[0], std::strerror(rc)));
  }
  return pid;
}

Expected<std::string> RunCapture(const SpawnSpec& spec, Supervisor& sup) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return tl::unexpected(FromErrno("pipe", errno));
  SpawnSpec s = spec;
  s.stdout_fd = fds[1];
  auto pid = sup.Spawn(s);
  close(fds[1]);
  if (!pid) {
    close(fds[0]);
    return tl::unexpected(pid.error());
  }
  // Read while handling signals: a stop request reaches the child even while it writes.
  std::string out;
  char buf[4096];
  std::optional<ExitStatus> exited;
  pollfd pfd{fds[0], POLLIN, 0};
  while (true) {
    const int ready = poll(&pfd, 1, 100);
    if (ready > 0) {
      const ssize_t n = read(fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    } else if (ready < 0 && errno != EINTR) {
      break;
    }
    if (!exited) exited = sup.Poll(*pid, 0);
  }
  close(fds[0]);
  const ExitStatus st = exited ? *exited : sup.Wait(*pid);
  if (!st.Success()) {
    return Fail(ErrorCode::kIo,
                fmt::format("{} failed with exit code {}", spec.argv[0], st.ShellCode()));
  }
  return out;
}

void Supervisor::Forward(pid_t target, int sig) noexcept {
  int to_send = sig;
  if (sig == SIGTERM || sig == SIGINT) {
    if (phase_ == Phase::kRunning) {
      phase_ = Phase::kFastShutdown;
      to_send = SIGINT;
    } else {
      phase_ = Phase::kImmediateShutdown;
      to_send = SIGQUIT;
    }
    (void)std::fprintf(stderr, "aza-pg: received SIG%s: %s shutdown\n", sigabbrev_np(sig),
                       to_send == SIGINT ? "fast" : "immediate");
  } else if (sig == SIGQUIT) {
    phase_ = Phase::kImmediateShutdown;
  }
  if (target > 0) os_.Kill(target, to_send);
}

bool Supervisor::Sleep(std::chrono::milliseconds duration) noexcept {
  const auto deadline = os_.Now() + duration;
  while (phase_ == Phase::kRunning) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - os_.Now());
    if (left.count() <= 0) return true;
    Poll(0, static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), 1000)));
  }
  return false;
}

ExitStatus Supervisor::Wait(pid_t target) noexcept {
  while (true) {
    if (const auto status = Poll(target, kReapIntervalSeconds * 1000)) return *status;
  }
}

std::optional<ExitStatus> Supervisor::Poll(pid_t target, int timeout_ms) noexcept {
  const int sig = os_.WaitSignal(timeout_ms);
  if (sig > 0 && sig != SIGCHLD) Forward(target, sig);
  // Reap everything that has exited: the target ends the wait; anything else is an orphan
  // re-parented to PID 1 or a finished helper.
  std::optional<ExitStatus> result;
  while (true) {
    int status = 0;
    const pid_t pid = os_.Reap(&status);
    if (pid <= 0) break;
    if (pid == target) result = FromWaitStatus(status);
  }
  return result;
}

namespace {

class System final : public Os {
 public:
  Expected<pid_t> Spawn(const SpawnSpec& spec) override { return supervisor::Spawn(spec); }
  void Kill(pid_t pid, int sig) override { kill(pid, sig); }
  int WaitSignal(int timeout_ms) override {
    const sigset_t set = HandledSignals();
    const timespec interval{timeout_ms / 1000, static_cast<long>(timeout_ms % 1000) * 1000000L};
    siginfo_t info{};
    const int sig = sigtimedwait(&set, &info, &interval);
    return sig > 0 ? sig : 0;
  }
  pid_t Reap(int* status) override { return waitpid(-1, status, WNOHANG); }
  std::chrono::steady_clock::time_point Now() override { return std::chrono::steady_clock::now(); }
};

}  // namespace

Os& SystemOs() {
  static System os;
  return os;
}

}  // namespace aza::supervisor
