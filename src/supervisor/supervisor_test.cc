// The supervisor's signal state machine against a scripted Os: which signal reaches the child
// for each one PID 1 receives, escalation, reaping, exit codes and every wait's response to a
// stop request, with no process and no real time (the clock advances by each wait's timeout).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <deque>
#include <utility>
#include <vector>

#include "supervisor/process.h"

namespace aza::supervisor {
namespace {

using std::chrono::milliseconds;

class FakeOs final : public Os {
 public:
  // What happens at the next calls of WaitSignal: a signal (or 0 for a timeout), and the
  // children that have exited by then, with their wait status.
  struct Step {
    int signal = 0;
    std::vector<std::pair<pid_t, int>> exited;
  };
  std::deque<Step> script;
  std::vector<std::pair<pid_t, int>> kills;
  std::chrono::steady_clock::time_point now{};
  int waits = 0;

  Expected<pid_t> Spawn(const SpawnSpec&) override { return next_pid_++; }
  void Kill(pid_t pid, int sig) override { kills.emplace_back(pid, sig); }
  int WaitSignal(int timeout_ms) override {
    ++waits;
    now += milliseconds(timeout_ms);
    if (script.empty()) return 0;
    Step s = script.front();
    script.pop_front();
    for (const auto& e : s.exited) exited_.push_back(e);
    return s.signal;
  }
  pid_t Reap(int* status) override {
    if (exited_.empty()) return 0;
    const auto [pid, st] = exited_.front();
    exited_.pop_front();
    *status = st;
    return pid;
  }
  std::chrono::steady_clock::time_point Now() override { return now; }

 private:
  pid_t next_pid_ = 100;
  std::deque<std::pair<pid_t, int>> exited_;
};

int Exited(int code) { return code << 8; }  // a wait status as waitpid reports an exit
int Killed(int sig) { return sig; }         // ... and a death by signal

TEST(SupervisorStates, TermBecomesIntThenQuit) {
  FakeOs os;
  Supervisor sup(os);
  const pid_t child = *sup.Spawn({});
  os.script = {{SIGTERM, {}}, {SIGTERM, {}}, {0, {{child, Exited(0)}}}};
  EXPECT_EQ(sup.Wait(child).ShellCode(), 0);
  EXPECT_EQ(os.kills, (std::vector<std::pair<pid_t, int>>{{child, SIGINT}, {child, SIGQUIT}}));
  EXPECT_EQ(sup.phase(), Phase::kImmediateShutdown);
}

TEST(SupervisorStates, OtherSignalsPassThroughUnchanged) {
  FakeOs os;
  Supervisor sup(os);
  const pid_t child = *sup.Spawn({});
  os.script = {{SIGHUP, {}}, {SIGUSR1, {}}, {SIGUSR2, {}}, {SIGCHLD, {{child, Exited(3)}}}};
  EXPECT_EQ(sup.Wait(child).ShellCode(), 3);
  EXPECT_EQ(os.kills, (std::vector<std::pair<pid_t, int>>{
                          {child, SIGHUP}, {child, SIGUSR1}, {child, SIGUSR2}}));
  EXPECT_EQ(sup.phase(), Phase::kRunning);
}

TEST(SupervisorStates, QuitIsImmediateAtOnce) {
  FakeOs os;
  Supervisor sup(os);
  const pid_t child = *sup.Spawn({});
  os.script = {{SIGQUIT, {{child, Killed(SIGQUIT)}}}};
  EXPECT_EQ(sup.Wait(child).ShellCode(), 128 + SIGQUIT);
  EXPECT_EQ(os.kills, (std::vector<std::pair<pid_t, int>>{{child, SIGQUIT}}));
  EXPECT_EQ(sup.phase(), Phase::kImmediateShutdown);
}

TEST(SupervisorStates, OrphansAreReapedAndTheTargetEndsTheWait) {
  FakeOs os;
  Supervisor sup(os);
  const pid_t child = *sup.Spawn({});
  os.script = {{SIGCHLD, {{4242, Exited(0)}, {4243, Exited(1)}}},
               {0, {}},
               {SIGCHLD, {{4244, Exited(0)}, {child, Exited(7)}}}};
  EXPECT_EQ(sup.Wait(child).code, 7);
  int status = 0;
  EXPECT_LE(os.Reap(&status), 0) << "every exited child was reaped";
}

TEST(SupervisorStates, SleepRunsToItsEndWithoutASignal) {
  FakeOs os;
  Supervisor sup(os);
  EXPECT_TRUE(sup.Sleep(milliseconds(3500)));
  EXPECT_EQ(os.waits, 4);  // waits of at most a second: 1000, 1000, 1000, 500
  EXPECT_TRUE(os.kills.empty());
}

TEST(SupervisorStates, SleepEndsWithinOneWaitOfAStopRequest) {
  FakeOs os;
  Supervisor sup(os);
  os.script = {{0, {}}, {SIGTERM, {}}};
  EXPECT_FALSE(sup.Sleep(std::chrono::hours(1)));
  EXPECT_EQ(os.waits, 2);
  EXPECT_TRUE(os.kills.empty()) << "no child to forward to";
  EXPECT_FALSE(sup.Sleep(std::chrono::hours(1))) << "no wait after a stop request";
  EXPECT_EQ(os.waits, 2);
}

}  // namespace
}  // namespace aza::supervisor
