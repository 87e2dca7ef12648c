// Process tests in the style of tini's and dumb-init's suites: a forked child runs the
// supervisor with the real signal mask, the test sends it signals as Docker would, and the
// child's exit code says what the supervisor did. No container; bounds are generous (they
// check that a stop is honoured, not how fast).
#include "supervisor/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

namespace aza::supervisor {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// Runs `body` in a forked child whose handled signals are blocked as in PID 1, sends it
// `signals` (one every 300 ms, after a 300 ms start), and returns its exit code and how long
// it lived.
struct Outcome {
  int code = -1;
  Clock::duration lived{};
};
Outcome RunChild(const std::function<int(Supervisor&)>& body, const std::vector<int>& signals) {
  const auto start = Clock::now();
  const pid_t child = fork();
  if (child == 0) {
    BlockSignals();
    Supervisor sup;
    _exit(body(sup));
  }
  for (const int sig : signals) {
    std::this_thread::sleep_for(milliseconds(300));
    kill(child, sig);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), Clock::now() - start};
}

SpawnSpec Shell(const std::string& script) { return {{"sh", "-c", script}, {}, -1, -1, {}}; }

TEST(Supervisor, SleepEndsAtAStopRequest) {
  const Outcome o =
      RunChild([](Supervisor& sup) { return sup.Sleep(seconds(60)) ? 0 : 3; }, {SIGTERM});
  EXPECT_EQ(o.code, 3);
  EXPECT_LT(o.lived, seconds(10));
}

TEST(Supervisor, SleepRunsItsCourseWithoutASignal) {
  const Outcome o = RunChild(
      [](Supervisor& sup) {
        return sup.Sleep(milliseconds(200)) && sup.phase() == Phase::kRunning ? 0 : 3;
      },
      {});
  EXPECT_EQ(o.code, 0);
}

TEST(Supervisor, NoSleepAfterAStop) {
  const Outcome o = RunChild(
      [](Supervisor& sup) {
        while (sup.Sleep(milliseconds(50))) {
        }
        return sup.Sleep(seconds(60)) ? 0 : 4;  // must return at once
      },
      {SIGINT});
  EXPECT_EQ(o.code, 4);
  EXPECT_LT(o.lived, seconds(10));
}

// The signal mapping in process.h: SIGTERM -> SIGINT (fast), again -> SIGQUIT (immediate).
TEST(Supervisor, WaitMapsTermToIntThenQuit) {
  const auto body = [](Supervisor& sup) {
    auto pid =
        Spawn(Shell("trap 'echo int >/dev/null' INT; trap 'exit 9' QUIT; "
                    "trap 'exit 7' USR1; while :; do sleep 0.05; done"));
    if (!pid) return 100;
    return sup.Wait(*pid).ShellCode();
  };
  EXPECT_EQ(RunChild(body, {SIGTERM, SIGTERM}).code, 9);  // the second escalates
  EXPECT_EQ(RunChild(body, {SIGUSR1}).code, 7);           // forwarded unchanged
}

TEST(Supervisor, WaitReportsTheChildsSignalAsAShellDoes) {
  const Outcome o = RunChild(
      [](Supervisor& sup) {
        auto pid = Spawn(Shell("kill -KILL $$"));
        return pid ? sup.Wait(*pid).ShellCode() : 100;
      },
      {});
  EXPECT_EQ(o.code, 128 + SIGKILL);
}

TEST(Supervisor, OrphansAreReaped) {
  const Outcome o = RunChild(
      [](Supervisor& sup) {
        // As PID 1 would, adopt orphans: the shell leaves a grandchild behind, which becomes
        // ours when the shell exits. Once it ends, the sleep's reaping must collect it.
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        auto pid = Spawn(Shell("sleep 0.1 & exit 0"));
        if (!pid) return 100;
        sup.Wait(*pid);
        sup.Sleep(milliseconds(400));
        return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD ? 0 : 5;
      },
      {});
  EXPECT_EQ(o.code, 0);
}

TEST(Supervisor, RunCaptureHonoursAStopWhileTheChildWrites) {
  const Outcome o = RunChild(
      [](Supervisor& sup) {
        auto out =
            RunCapture(Shell("trap 'exit 5' INT; while :; do echo x; sleep 0.05; done"), sup);
        return out ? 0 : (sup.phase() == Phase::kFastShutdown ? 6 : 7);
      },
      {SIGTERM});
  EXPECT_EQ(o.code, 6);
  EXPECT_LT(o.lived, seconds(10));
}

TEST(Supervisor, RunCaptureReturnsTheOutput) {
  const Outcome o = RunChild(
      [](Supervisor& sup) {
        auto out = RunCapture(Shell("printf 'a\\nb'"), sup);
        return out && *out == "a\nb" ? 0 : 8;
      },
      {});
  EXPECT_EQ(o.code, 0);
}

}  // namespace
}  // namespace aza::supervisor
