// runner.cpp: gol_e2e, the end-to-end test runner. Each test is one .gol file whose expectations
// are Go comments, so every test stays a valid Go program and `go` can serve as the oracle.
//
//   gol_e2e --golc build/bin/golc tests/e2e/fib.gol tests/e2e/errors/*.gol
//   gol_e2e --go-only tests/e2e/*.gol        check the expectations against Go alone
//   gol_e2e --diff-go tests/e2e/*.gol        also require Go to agree (GOL_E2E_DIFF_GO=1)
//
// Run tests (tests/e2e/*.gol, tests/e2e/crash/*.gol) are compiled with golc into a fresh
// temporary directory and run there. Their directives (full-line comments):
//
//   // Output:            the lines after it, up to the end of the comment group, are the exact
//   // hello              stdout ("// Output:" with no lines = empty stdout; no Output block =
//                         stdout must be empty). Like Go's example tests.
//   // Stderr:            the same for the exact stderr (no Stderr block = stderr unchecked)
//   // StderrFirst: text  the first line of stderr must be `text` (crash tests; hex addresses
//                         such as 0xc000010000 match any address)
//   // StderrLine: text   some line of stderr, leading white space removed, must be exactly
//                         `text` (repeatable; e.g. `panic: second` of a nested panic, or a
//                         goroutine header with its wait reason in a crash dump)
//   // StderrLacks: text  no line of stderr may contain `text` (repeatable; e.g. a runtime
//                         frame that a goroutine dump must hide)
//   // StderrMatch: re    some line of stderr, leading white space removed, matches the
//                         ECMAScript regex `re` entirely (repeatable; e.g. a dump's file:line,
//                         whose directory is the run's work directory)
//   // Exit: N            the expected exit status (default 0)
//   // Args: a b          program arguments (split at spaces)
//   // Env: K=V           an environment variable for the program (repeatable)
//   // Stdin:             a block, like Output, fed to the program's stdin
//   // Timeout: S         seconds before the program is killed and the test fails (default 10)
//   // Flags: -O0         extra golc flags
//
// A block ends at the first line that is not a `//` comment: put blocks last in their comment
// group, or end them with a blank line.
//
// Error tests (tests/e2e/errors/*.gol, and errors-gol/*.gol for Gol's own limits, which are not
// checked against Go) carry `// ERROR "regexp"` comments (several regexps may
// follow one ERROR, Go-test style; `regexp` also works). golc must exit 1; each regexp must
// match (std::regex ECMAScript search) the message of some diagnostic reported on that line;
// every diagnostic `file:L:C: message` must be matched by a regexp on its line; an
// "internal compiler error" or death by signal fails the test.
//
// Output: `[PASS] name` or `[FAIL] name` with the reasons and a diff, then `N/M tests passed`.
// Exit status 0 when every test passed.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <poll.h>
#include <regex>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

// ---------------------------------------------------------------------------------------------
// Small string and file helpers

std::string readFile(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = bool(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool writeFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  return bool(out);
}

std::vector<std::string> splitLines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string trimLeft(const std::string& s) {
  size_t i = s.find_first_not_of(" \t");
  return i == std::string::npos ? "" : s.substr(i);
}

std::string trim(const std::string& s) {
  std::string t = trimLeft(s);
  size_t j = t.find_last_not_of(" \t\r");
  return j == std::string::npos ? "" : t.substr(0, j + 1);
}

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dirName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string stripExt(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

// The first line of a crash's stderr, with every hexadecimal address (0x...) replaced by 0x?:
// Go prints a panic value of a non-basic type as `(main.T) 0xc000012345`, and the address
// differs between runs and between Go and Gol.
std::string firstLine(const std::string& s) {
  static const std::regex addr("0x[0-9a-f]+");
  return std::regex_replace(s.substr(0, s.find('\n')), addr, "0x?");
}

void removeTree(const std::string& dir) {
  if (dir.size() < 8)  // never anything like "/" or "/tmp"
    return;
  std::string cmd = "rm -rf '" + dir + "'";
  if (std::system(cmd.c_str()) != 0)
    std::fprintf(stderr, "gol_e2e: could not remove %s\n", dir.c_str());
}

// ---------------------------------------------------------------------------------------------
// The test file's directives

struct ErrorExpectation {
  int line;
  std::vector<std::string> patterns;
};

struct Spec {
  bool hasStdout = false, hasStderr = false, hasStderrFirst = false;
  std::string stdoutText, stderrText, stderrFirst, stdinText;
  std::vector<std::string> stderrLines;
  std::vector<std::string> stderrLacks;
  std::vector<std::string> stderrMatches;
  int exitCode = 0;
  std::vector<std::string> args, env, flags;
  double timeout = 10;
  std::vector<ErrorExpectation> errors;
  std::vector<std::string> problems;  // malformed directives: the test fails on them
};

std::vector<std::string> splitFields(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

// `// ERROR "a" "b"` → {a, b}; also accepts `a`. Patterns are raw regexps (no unquoting).
std::vector<std::string> parseErrorPatterns(const std::string& rest, bool& ok) {
  std::vector<std::string> pats;
  ok = true;
  size_t i = 0;
  while (i < rest.size()) {
    char c = rest[i];
    if (c == ' ' || c == '\t') {
      i++;
      continue;
    }
    if (c != '"' && c != '`')
      break;  // trailing commentary
    size_t end = rest.find(c, i + 1);
    if (end == std::string::npos) {
      ok = false;
      break;
    }
    pats.push_back(rest.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  if (pats.empty())
    ok = false;
  return pats;
}

Spec parseSpec(const std::string& source) {
  Spec spec;
  std::vector<std::string> lines = splitLines(source);
  auto commentText = [&](size_t i, std::string& text) {
    std::string t = trimLeft(lines[i]);
    if (!startsWith(t, "//"))
      return false;
    text = t.substr(2);
    if (!text.empty() && text[0] == ' ')
      text.erase(0, 1);
    return true;
  };
  // Reads the block starting after line i; `first` is any text on the directive's own line.
  auto readBlock = [&](size_t& i, const std::string& first) {
    std::string block;
    if (!trim(first).empty())
      block += trim(first) + "\n";
    std::string text;
    while (i + 1 < lines.size() && commentText(i + 1, text)) {
      block += text + "\n";
      i++;
    }
    return block;
  };

  for (size_t i = 0; i < lines.size(); i++) {
    size_t err = lines[i].find("// ERROR ");
    if (err != std::string::npos) {
      bool ok;
      auto pats = parseErrorPatterns(lines[i].substr(err + 9), ok);
      if (!ok)
        spec.problems.push_back("line " + std::to_string(i + 1) + ": malformed ERROR comment");
      else
        spec.errors.push_back({int(i + 1), pats});
      continue;
    }
    std::string c;
    if (!commentText(i, c))
      continue;
    size_t colon = c.find(':');
    if (colon == std::string::npos)
      continue;
    std::string key = c.substr(0, colon), value = c.substr(colon + 1);
    if (key == "Output") {
      spec.hasStdout = true;
      spec.stdoutText = readBlock(i, value);
    } else if (key == "Stderr") {
      spec.hasStderr = true;
      spec.stderrText = readBlock(i, value);
    } else if (key == "Stdin") {
      spec.stdinText = readBlock(i, value);
    } else if (key == "StderrLine") {
      spec.stderrLines.push_back(trim(value));
    } else if (key == "StderrMatch") {
      spec.stderrMatches.push_back(trim(value));
    } else if (key == "StderrLacks") {
      spec.stderrLacks.push_back(trim(value));
    } else if (key == "StderrFirst") {
      spec.hasStderrFirst = true;
      spec.stderrFirst = trim(value);
    } else if (key == "Exit") {
      char* end;
      long v = std::strtol(trim(value).c_str(), &end, 10);
      if (*end != '\0' || trim(value).empty())
        spec.problems.push_back("line " + std::to_string(i + 1) + ": Exit wants a number");
      spec.exitCode = int(v);
    } else if (key == "Args") {
      spec.args = splitFields(value);
    } else if (key == "Env") {
      std::string kv = trim(value);
      if (kv.find('=') == std::string::npos)
        spec.problems.push_back("line " + std::to_string(i + 1) + ": Env wants K=V");
      spec.env.push_back(kv);
    } else if (key == "Timeout") {
      spec.timeout = std::atof(trim(value).c_str());
      if (spec.timeout <= 0)
        spec.problems.push_back("line " + std::to_string(i + 1) + ": Timeout wants seconds > 0");
    } else if (key == "Flags") {
      spec.flags = splitFields(value);
    }
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Running a process with a timeout, capturing stdout and stderr

struct Command {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // K=V entries added to (or replacing in) the inherited environment
  std::string dir;
  std::string stdinText;
  double timeout = 10;
};

struct Result {
  std::string out, err;
  int exitCode = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timedOut = false;
  std::string spawnError;

  std::string describe() const {
    if (!spawnError.empty())
      return "could not run: " + spawnError;
    if (timedOut)
      return "timed out (killed)";
    if (signal != 0)
      return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    return "exit status " + std::to_string(exitCode);
  }
};

std::vector<std::string> makeEnv(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> vars;
  std::vector<std::string> order;
  auto put = [&](const std::string& kv) {
    std::string k = kv.substr(0, kv.find('='));
    if (!vars.count(k))
      order.push_back(k);
    vars[k] = kv;
  };
  for (char** e = environ; *e != nullptr; e++)
    put(*e);
  for (const std::string& kv : extra)
    put(kv);
  std::vector<std::string> out;
  for (const std::string& k : order)
    out.push_back(vars[k]);
  return out;
}

Result runCommand(const Command& cmd) {
  constexpr size_t maxCapture = 16 << 20;
  Result r;
  int inPipe[2], outPipe[2], errPipe[2];
  if (pipe2(inPipe, O_CLOEXEC) || pipe2(outPipe, O_CLOEXEC) || pipe2(errPipe, O_CLOEXEC)) {
    r.spawnError = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  std::vector<std::string> envStrings = makeEnv(cmd.env);
  std::vector<char*> argv, envp;
  for (const std::string& a : cmd.argv)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : envStrings)
    envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    r.spawnError = std::string("fork: ") + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    setpgid(0, 0);  // the whole process group is killed on timeout
    signal(SIGPIPE, SIG_DFL);  // the runner ignores it; an ignored signal would survive exec
    dup2(inPipe[0], 0);
    dup2(outPipe[1], 1);
    dup2(errPipe[1], 2);
    if (!cmd.dir.empty() && chdir(cmd.dir.c_str()) != 0)
      _exit(126);
    execve(argv[0], argv.data(), envp.data());
    dprintf(2, "gol_e2e: exec %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);
  close(inPipe[0]);
  close(outPipe[1]);
  close(errPipe[1]);

  int inFd = inPipe[1], outFd = outPipe[0], errFd = errPipe[0];
  fcntl(inFd, F_SETFL, O_NONBLOCK);
  size_t inPos = 0;
  if (cmd.stdinText.empty()) {
    close(inFd);
    inFd = -1;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(cmd.timeout);
  while (outFd >= 0 || errFd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (outFd >= 0)
      fds[n++] = {outFd, POLLIN, 0};
    if (errFd >= 0)
      fds[n++] = {errFd, POLLIN, 0};
    if (inFd >= 0)
      fds[n++] = {inFd, POLLOUT, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timedOut = true;
      kill(-pid, SIGKILL);
      break;
    }
    if (poll(fds, nfds_t(n), int(std::min<long>(left.count(), 1000))) < 0 && errno != EINTR)
      break;
    for (int i = 0; i < n; i++) {
      if (fds[i].revents == 0)
        continue;
      if (fds[i].fd == inFd) {
        ssize_t w = write(inFd, cmd.stdinText.data() + inPos, cmd.stdinText.size() - inPos);
        if (w > 0)
          inPos += size_t(w);
        if (w < 0 || inPos == cmd.stdinText.size()) {
          close(inFd);
          inFd = -1;
        }
        continue;
      }
      char buf[65536];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      std::string& sink = fds[i].fd == outFd ? r.out : r.err;
      if (got > 0) {
        if (sink.size() < maxCapture)
          sink.append(buf, size_t(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        (fds[i].fd == outFd ? outFd : errFd) = -1;
      }
    }
  }
  for (int fd : {inFd, outFd, errFd})
    if (fd >= 0)
      close(fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  } else {
    r.exitCode = WEXITSTATUS(status);
    if (r.exitCode == 127 && startsWith(r.err, "gol_e2e: exec "))
      r.spawnError = trim(r.err);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// A line diff (LCS) printed in unified style with three lines of context

void printDiff(const std::string& what, const std::string& expected, const std::string& actual) {
  std::vector<std::string> a = splitLines(expected), b = splitLines(actual);
  if (!expected.empty() && expected.back() != '\n')
    a.back() += "⏎ (no newline at end)";
  if (!actual.empty() && actual.back() != '\n')
    b.back() += "⏎ (no newline at end)";
  std::printf("  %s differs (- expected, + actual):\n", what.c_str());
  const size_t n = a.size(), m = b.size();
  if (n * m > 4000000) {  // too big for the table: show both, truncated
    std::printf("  (outputs too long to diff: %zu vs %zu lines)\n", n, m);
    return;
  }
  // lcs[i][j] = length of the LCS of a[i:] and b[j:]
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Op {
    char kind;
    std::string text;
  };
  std::vector<Op> ops;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j])
      ops.push_back({' ', a[i++]}), j++;
    else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]))
      ops.push_back({'+', b[j++]});
    else
      ops.push_back({'-', a[i++]});
  }
  if (n == 0 && m == 0)
    return;
  constexpr size_t context = 3;
  std::vector<bool> show(ops.size(), false);
  for (size_t k = 0; k < ops.size(); k++)
    if (ops[k].kind != ' ')
      for (size_t d = (k >= context ? k - context : 0); d <= std::min(ops.size() - 1, k + context); d++)
        show[d] = true;
  bool gap = false;
  for (size_t k = 0; k < ops.size(); k++) {
    if (!show[k]) {
      gap = true;
      continue;
    }
    if (gap)
      std::printf("  @@\n");
    gap = false;
    std::printf("  %c%s\n", ops[k].kind, ops[k].text.c_str());
  }
  if (std::find_if(ops.begin(), ops.end(), [](const Op& o) { return o.kind != ' '; }) == ops.end())
    std::printf("  (identical?)\n");
}

// ---------------------------------------------------------------------------------------------
// The tests

struct Options {
  std::string golc;
  std::string go = "/usr/lib/go-1.19/bin/go";
  std::string goCache;
  std::string workDir;  // parent of the per-test temporary directories
  bool diffGo = false;
  bool goOnly = false;
  bool keep = false;
  bool verbose = false;
};

// One test's failures, printed after its [FAIL] line.
struct Report {
  std::vector<std::string> reasons;
  std::vector<std::tuple<std::string, std::string, std::string>> diffs;
  void fail(const std::string& why) { reasons.push_back(why); }
  bool ok() const { return reasons.empty() && diffs.empty(); }
};

// Checks a run's result against the spec; `who` prefixes reasons ("" for Gol, "go: " for Go).
void checkRun(const Spec& spec, const Result& r, const std::string& who, Report& rep) {
  if (!r.spawnError.empty() || r.timedOut) {
    rep.fail(who + r.describe());
    return;
  }
  if (r.signal != 0 || r.exitCode != spec.exitCode)
    rep.fail(who + "expected exit status " + std::to_string(spec.exitCode) + ", got " + r.describe());
  std::string wantOut = spec.hasStdout ? spec.stdoutText : "";
  if (r.out != wantOut)
    rep.diffs.push_back({who + "stdout", wantOut, r.out});
  if (spec.hasStderr && r.err != spec.stderrText)
    rep.diffs.push_back({who + "stderr", spec.stderrText, r.err});
  if (spec.hasStderrFirst && firstLine(r.err) != firstLine(spec.stderrFirst)) {
    rep.fail(who + "first line of stderr: expected \"" + spec.stderrFirst + "\", got \"" + firstLine(r.err) + "\"");
    if (!spec.hasStderr)
      rep.reasons.back() += "\n  stderr was:\n" + r.err.substr(0, 4000);
  }
  for (const std::string& want : spec.stderrLines) {
    std::vector<std::string> lines = splitLines(r.err);
    for (std::string& l : lines) l = trimLeft(l);  // "\tpanic: second" of a panic chain
    if (std::find(lines.begin(), lines.end(), want) == lines.end()) {
      rep.fail(who + "no line of stderr is \"" + want + "\"");
      if (!spec.hasStderr)
        rep.reasons.back() += "\n  stderr was:\n" + r.err.substr(0, 4000);
    }
  }
  for (const std::string& re : spec.stderrMatches) {
    std::vector<std::string> lines = splitLines(r.err);
    bool found = false;
    try {
      std::regex rx(re);
      for (const std::string& l : lines) found = found || std::regex_match(trimLeft(l), rx);
    } catch (const std::regex_error&) {
      rep.fail(who + "StderrMatch: bad regex \"" + re + "\"");
      continue;
    }
    if (!found) {
      rep.fail(who + "no line of stderr matches \"" + re + "\"");
      if (!spec.hasStderr)
        rep.reasons.back() += "\n  stderr was:\n" + r.err.substr(0, 4000);
    }
  }
  for (const std::string& bad : spec.stderrLacks) {
    if (r.err.find(bad) != std::string::npos) {
      rep.fail(who + "stderr contains \"" + bad + "\"");
      if (!spec.hasStderr)
        rep.reasons.back() += "\n  stderr was:\n" + r.err.substr(0, 4000);
    }
  }
}

struct Workspace {
  std::string dir;
  bool keep;
  explicit Workspace(const Options& o) : keep(o.keep) {
    std::string parent = o.workDir;
    if (parent.empty()) {
      const char* t = getenv("TMPDIR");
      parent = t && *t ? t : "/tmp";
    }
    mkdir(parent.c_str(), 0755);
    std::string tmpl = parent + "/gol-e2e-XXXXXX";
    if (mkdtemp(tmpl.data()) != nullptr)
      dir = tmpl;
  }
  ~Workspace() {
    if (keep && !dir.empty())
      std::printf("  (kept %s)\n", dir.c_str());
    else if (!dir.empty())
      removeTree(dir);
  }
};

// Go's source for a test: a `#!` first line (allowed in Gol) becomes an empty line.
std::string goSource(const std::string& src) {
  if (startsWith(src, "#!"))
    return src.substr(src.find('\n') == std::string::npos ? src.size() : src.find('\n'));
  return src;
}

std::vector<std::string> goEnv(const Options& o, const std::string& dir) {
  std::string cache = o.goCache.empty() ? "/tmp/gol-e2e-gocache-" + std::to_string(getuid()) : o.goCache;
  return {"GOCACHE=" + cache, "GOPATH=" + dir + "/gopath", "HOME=" + dir, "GO111MODULE=off",
          "GOFLAGS=", "GOTOOLCHAIN=local", "CGO_ENABLED=0"};
}

// Builds the program with Go into dir/prog_go; "" on success, else the reason.
std::string goBuild(const Options& o, const std::string& dir, const std::string& base, Result& build) {
  Command c{{o.go, "build", "-o", dir + "/prog_go", base + ".go"}, goEnv(o, dir), dir, "", 300};
  build = runCommand(c);
  if (build.exitCode != 0)
    return "go build failed (" + build.describe() + "):\n" + build.err;
  return "";
}

void runTest(const Options& o, const std::string& path, const std::string& source, const Spec& spec,
             Report& rep) {
  Workspace ws(o);
  if (ws.dir.empty())
    return rep.fail(std::string("cannot create a work directory: ") + std::strerror(errno));
  std::string base = stripExt(baseName(path));
  Command run{{}, spec.env, ws.dir, spec.stdinText, spec.timeout};

  Result gol;
  if (!o.goOnly) {
    writeFile(ws.dir + "/" + base + ".gol", source);
    Command cc{{o.golc}, {}, ws.dir, "", 300};
    cc.argv.insert(cc.argv.end(), spec.flags.begin(), spec.flags.end());
    cc.argv.insert(cc.argv.end(), {"-o", ws.dir + "/prog", base + ".gol"});
    Result compiled = runCommand(cc);
    if (compiled.exitCode != 0 || compiled.err.find("internal compiler error") != std::string::npos)
      return rep.fail("golc failed (" + compiled.describe() + "):\n" + compiled.err);
    run.argv = {ws.dir + "/prog"};
    run.argv.insert(run.argv.end(), spec.args.begin(), spec.args.end());
    gol = runCommand(run);
    checkRun(spec, gol, "", rep);
  }
  if (!o.goOnly && !o.diffGo)
    return;

  writeFile(ws.dir + "/" + base + ".go", goSource(source));
  Result build;
  std::string why = goBuild(o, ws.dir, base, build);
  if (!why.empty())
    return rep.fail("go: " + why);
  run.argv = {ws.dir + "/prog_go"};
  run.argv.insert(run.argv.end(), spec.args.begin(), spec.args.end());
  Result go = runCommand(run);
  checkRun(spec, go, "go: ", rep);
  if (o.goOnly)
    return;
  if (gol.out != go.out)
    rep.diffs.push_back({"stdout (Go is -, Gol is +)", go.out, gol.out});
  if (gol.exitCode != go.exitCode || gol.signal != go.signal)
    rep.fail("Go says " + go.describe() + ", Gol says " + gol.describe());
  if (firstLine(gol.err) != firstLine(go.err))
    rep.fail("first stderr line: Go says \"" + firstLine(go.err) + "\", Gol says \"" + firstLine(gol.err) + "\"");
}

struct Diagnostic {
  std::string file;
  int line;
  std::string message;
  std::string text;
};

// `file:L:C: message` (the column is optional) lines; the source and caret lines are skipped.
std::vector<Diagnostic> parseDiagnostics(const std::string& err) {
  static const std::regex diag(R"(^(\S[^:]*):(\d+):(?:\d+:)? (.*)$)");
  std::vector<Diagnostic> out;
  for (const std::string& l : splitLines(err)) {
    std::smatch m;
    if (std::regex_match(l, m, diag))
      out.push_back({m[1], std::stoi(m[2]), m[3], l});
  }
  return out;
}

void matchDiagnostics(const std::string& who, const std::string& base, const Spec& spec,
                      const Result& r, Report& rep) {
  std::vector<Diagnostic> diags = parseDiagnostics(r.err);
  std::vector<bool> matched(diags.size(), false);
  for (const ErrorExpectation& e : spec.errors) {
    for (const std::string& pat : e.patterns) {
      std::regex re;
      try {
        re = std::regex(pat, std::regex::ECMAScript);
      } catch (const std::regex_error& ex) {
        rep.fail("line " + std::to_string(e.line) + ": bad regexp \"" + pat + "\": " + ex.what());
        continue;
      }
      bool any = false;
      for (size_t i = 0; i < diags.size(); i++) {
        if (diags[i].line == e.line && std::regex_search(diags[i].message, re)) {
          matched[i] = true;
          any = true;
        }
      }
      if (!any)
        rep.fail(who + "line " + std::to_string(e.line) + ": no diagnostic matches \"" + pat + "\"");
    }
  }
  for (size_t i = 0; i < diags.size(); i++) {
    bool sameFile = stripExt(baseName(diags[i].file)) == base;
    if (!matched[i])
      rep.fail(who + "unexpected diagnostic" + (sameFile ? "" : " in another file") + ": " + diags[i].text);
  }
  if (!rep.ok() || diags.empty()) {
    if (diags.empty())
      rep.fail(who + "no diagnostics");
    rep.reasons.back() += "\n  " + who + "compiler output was:\n" + r.err.substr(0, 4000);
  }
}

void errorTest(const Options& o, const std::string& path, const std::string& source, const Spec& spec,
               Report& rep) {
  if (spec.errors.empty())
    rep.fail("no // ERROR comments: an error test must expect at least one diagnostic");
  Workspace ws(o);
  if (ws.dir.empty())
    return rep.fail(std::string("cannot create a work directory: ") + std::strerror(errno));
  std::string base = stripExt(baseName(path));

  if (!o.goOnly) {
    writeFile(ws.dir + "/" + base + ".gol", source);
    Command cc{{o.golc}, {}, ws.dir, "", 60};
    cc.argv.insert(cc.argv.end(), spec.flags.begin(), spec.flags.end());
    cc.argv.insert(cc.argv.end(), {"-o", ws.dir + "/prog", base + ".gol"});
    Result r = runCommand(cc);
    if (r.err.find("internal compiler error") != std::string::npos)
      rep.fail("internal compiler error:\n" + r.err);
    else if (r.signal != 0 || r.exitCode >= 128 || r.timedOut || !r.spawnError.empty())
      rep.fail("golc crashed: " + r.describe() + "\n" + r.err);
    else if (r.exitCode != 1)
      rep.fail("golc: expected exit status 1, got " + r.describe() + "\n" + r.err);
    else
      matchDiagnostics("", base, spec, r, rep);
  }
  if (o.goOnly || o.diffGo) {  // the regexps must match Go's own wording too
    writeFile(ws.dir + "/" + base + ".go", goSource(source));
    Result build;
    goBuild(o, ws.dir, base, build);
    if (build.exitCode <= 0)  // go build exits 1 or 2 on compile errors
      rep.fail("go: expected go build to fail, got " + build.describe());
    else
      matchDiagnostics("go: ", base, spec, build, rep);
  }
}

// e2e/foo.gol, errors/foo.gol, crash/foo.gol: the directory and file, as ctest names the test.
std::string testName(const std::string& path) {
  return baseName(dirName(path)) + "/" + baseName(path);
}

bool runOne(const Options& o, const std::string& path) {
  std::string name = testName(path);
  bool ok;
  std::string source = readFile(path, ok);
  Report rep;
  if (!ok) {
    rep.fail("cannot read " + path);
  } else {
    Spec spec = parseSpec(source);
    for (const std::string& p : spec.problems)
      rep.fail(p);
    if (baseName(dirName(path)) == "errors" || baseName(dirName(path)) == "errors-gol")
      errorTest(o, path, source, spec, rep);
    else
      runTest(o, path, source, spec, rep);
  }
  std::printf("[%s] %s\n", rep.ok() ? "PASS" : "FAIL", name.c_str());
  for (const std::string& why : rep.reasons)
    std::printf("  %s\n", why.c_str());
  for (const auto& [what, want, got] : rep.diffs)
    printDiff(what, want, got);
  std::fflush(stdout);
  return rep.ok();
}

void usage() {
  std::fprintf(stderr,
               "usage: gol_e2e [--golc PATH] [--go PATH] [--go-cache DIR] [--work-dir DIR]\n"
               "               [--diff-go | --go-only] [--keep] FILE.gol...\n"
               "  --golc PATH     the compiler (default: golc next to gol_e2e)\n"
               "  --diff-go       also build each test with Go and require the same stdout, exit\n"
               "                  status and first stderr line (also GOL_E2E_DIFF_GO=1); skipped\n"
               "                  when Go is not installed\n"
               "  --go-only       check the tests' expectations against Go alone\n"
               "  --keep          keep the temporary directories\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a program that exits without reading its stdin
  Options o;
  std::vector<std::string> files;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--golc")
      o.golc = value();
    else if (a == "--go")
      o.go = value();
    else if (a == "--go-cache")
      o.goCache = value();
    else if (a == "--work-dir")
      o.workDir = value();
    else if (a == "--diff-go")
      o.diffGo = true;
    else if (a == "--go-only")
      o.goOnly = true;
    else if (a == "--keep")
      o.keep = true;
    else if (a == "-h" || a == "--help")
      return usage(), 0;
    else if (startsWith(a, "-"))
      return usage(), 2;
    else
      files.push_back(a);
  }
  if (const char* d = getenv("GOL_E2E_DIFF_GO"); d && std::string(d) == "1")
    o.diffGo = true;
  if (o.golc.empty()) {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    o.golc = (n > 0 ? dirName(std::string(buf, size_t(n))) : ".") + "/golc";
  }
  if ((o.diffGo || o.goOnly) && access(o.go.c_str(), X_OK) != 0) {
    if (o.goOnly) {
      std::fprintf(stderr, "gol_e2e: --go-only needs Go at %s\n", o.go.c_str());
      return 2;
    }
    std::printf("(Go not found at %s: --diff-go skipped)\n", o.go.c_str());
    o.diffGo = false;
  }
  if (files.empty())
    return usage(), 2;

  int passed = 0;
  for (const std::string& f : files)
    passed += runOne(o, f);
  if (files.size() > 1)
    std::printf("%d/%zu tests passed\n", passed, files.size());
  return passed == int(files.size()) ? 0 : 1;
}
