// This file links a program: the object golc emitted, the runtime's C main() (libgolrt_main.a,
// which calls main.init and main.main on the main goroutine) and the runtime (libgolrt.a), with
// the system C compiler driver as a child process:
//
//   cc -o OUT prog.o <lib>/libgolrt_main.a <lib>/libgolstd.a <lib>/libgolrt.a -lpthread -lm -Wl,-z,now
//
// libgolstd.a is the standard library (stdlib/), compiled once when the project is built.
//
// -z now binds every PLT entry at start-up: lazy binding would run the dynamic linker on a
// goroutine's small stack (notes/segmented-stacks.md, "traps found").
#include "link.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

extern char** environ;

namespace gol {

static bool isFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The full path of an executable found in $PATH, or "".
static std::string findInPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string cand = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(cand.c_str(), X_OK) == 0 && isFile(cand)) return cand;
    start = end + 1;
  }
  return "";
}

std::string runtimeLibDir() {
  if (const char* dir = std::getenv("GOL_LIBDIR"); dir && *dir) return dir;
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "lib";
  std::string exe(buf, size_t(n));
  std::string binDir = exe.substr(0, exe.rfind('/'));
  return binDir + "/../lib";
}

bool linkExecutable(const std::string& obj, const std::string& out, std::string& err) {
  std::string libDir = runtimeLibDir();
  std::string rtMain = libDir + "/libgolrt_main.a";
  std::string rt = libDir + "/libgolrt.a";
  for (const std::string& lib : {rtMain, rt}) {
    if (!isFile(lib)) {
      err = "runtime library not found: " + lib;
      return false;
    }
  }
  std::string cc = findInPath("cc");
  if (cc.empty()) cc = findInPath("clang-19");
  if (cc.empty()) {
    err = "no C compiler driver (cc or clang-19) in PATH to link with";
    return false;
  }
  std::vector<std::string> args = {cc, "-o", out, obj, rtMain};
  if (std::string std = libDir + "/libgolstd.a"; isFile(std)) args.push_back(std);
  for (const char* a : {"-lpthread", "-lm", "-Wl,-z,now"}) args.push_back(a);
  args.insert(args.end() - 3, rt);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawn(&pid, cc.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0) {
    err = "cannot run " + cc + ": " + std::strerror(rc);
    return false;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      err = "waiting for the linker: " + std::string(std::strerror(errno));
      return false;
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  err = "linking failed: " + cc + (WIFEXITED(status) ? " exited with status " + std::to_string(WEXITSTATUS(status))
                                                     : std::string(" was killed by a signal"));
  return false;
}

}  // namespace gol
