// rtchild.h: running one test case in a fresh child process, for tests whose runtime must
// die (a panic exits 2) or must start clean. Helpers for chan/select/sema/time tests.
//
// fork() alone is not enough once the runtime has booted: the child inherits m0 but not the
// other Ms' threads, so the scheduler would wait for Ms that do not exist. runChild re-executes
// this test binary instead, running only the named case with GOL_TEST_CHILD set to its name:
//
//   CHILD_CASE("chan child: close wakes blocked senders") { ...code that dies... }
//   TEST_CASE("chan: ...") { auto d = runChild("chan child: close wakes blocked senders"); ... }
//
// In the parent (and under ctest) a CHILD_CASE does nothing. Its name must not contain the
// characters doctest's filters treat specially: , * ? \ [ ]
#pragma once
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rtchild {

struct result {
  int status = -1;  // exit status, or 128+signal
  std::string err;  // everything the child wrote to stderr
};

inline bool isChild(const char* name) {
  const char* v = std::getenv("GOL_TEST_CHILD");
  return v != nullptr && std::strcmp(v, name) == 0;
}

inline result runChild(const char* name, const char* gomaxprocs = nullptr) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::string filter = std::string("--test-case=") + name;
  std::fflush(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], 2);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);  // doctest's own report
    close(fds[0]);
    setenv("GOL_TEST_CHILD", name, 1);
    if (gomaxprocs != nullptr) setenv("GOMAXPROCS", gomaxprocs, 1);
    execl("/proc/self/exe", "runtime_tests", filter.c_str(), "--no-breaks", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  result r;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) r.err.append(buf, size_t(n));
  close(fds[0]);
  int ws = 0;
  waitpid(pid, &ws, 0);
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  return r;
}

inline std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace rtchild

#define CHILD_CASE(name) RTCHILD_CASE_IMPL(name, DOCTEST_ANONYMOUS(rtchild_body_))
#define RTCHILD_CASE_IMPL(name, body)      \
  static void body();                      \
  TEST_CASE(name) {                        \
    if (rtchild::isChild(name)) body();    \
  }                                        \
  static void body()
