// os_native.cpp: the OS calls of package os (the Gol side is os.gol). Symbols are Go's names
// ("os.Exit", "os.argv") via __asm__ labels; strings cross as GoString (two registers).
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/abi.h"

namespace {
int gArgc;
char** gArgv;
// glibc passes (argc, argv, envp) to .init_array functions: os.Args without a runtime hook.
void captureArgs(int argc, char** argv, char**) {
  gArgc = argc;
  gArgv = argv;
}
__attribute__((section(".init_array"), used)) void (*gCapture)(int, char**, char**) = captureArgs;

GoString fromC(const char* s) {
  int64_t n = int64_t(std::strlen(s));
  return gol_slicebytetostring(reinterpret_cast<const uint8_t*>(s), n);
}
// A NUL-terminated copy of s (no libstdc++: the library links with cc).
struct CStr {
  char buf[4096];
  CStr(GoString s) {
    size_t n = s.len < int64_t(sizeof buf) - 1 ? size_t(s.len) : sizeof buf - 1;
    std::memcpy(buf, s.ptr, n);
    buf[n] = 0;
  }
  const char* c_str() const { return buf; }
};
CStr toC(GoString s) { return CStr(s); }
}  // namespace

extern "C" {
// Weak: the runtime's syscall wrappers (runtime/syscall.cpp) may not be linked in yet.
int64_t gol_sys_write(int64_t fd, const void* p, int64_t n) __attribute__((weak));

int64_t os_argc() __asm__("os.argc");
int64_t os_argc() { return gArgc; }

GoString os_argv(int64_t i) __asm__("os.argv");
GoString os_argv(int64_t i) { return i >= 0 && i < gArgc ? fromC(gArgv[i]) : GoString{}; }

// All of p[0:n], retrying short writes and EINTR; the count, or -errno.
int64_t writeAll(int64_t fd, const uint8_t* p, int64_t n) {
  int64_t done = 0;
  while (done < n) {
    // Through the runtime's syscall wrapper (entersyscall/exitsyscall) when it has one.
    int64_t r;
    if (gol_sys_write) {
      r = gol_sys_write(fd, p + done, n - done);
    } else {
      r = int64_t(::write(int(fd), p + done, size_t(n - done)));
      if (r < 0) r = -int64_t(errno);
    }
    if (r == -EINTR) continue;
    if (r < 0) return r;
    done += r;
  }
  return done;
}

int64_t os_write(int64_t fd, GoString s) __asm__("os.write");
int64_t os_write(int64_t fd, GoString s) { return writeAll(fd, s.ptr, s.len); }

int64_t os_writeb(int64_t fd, const uint8_t* p, int64_t n) __asm__("os.writeb");
int64_t os_writeb(int64_t fd, const uint8_t* p, int64_t n) { return writeAll(fd, p, n); }

// read(2), open(2) and close(2) block: always through the runtime's wrappers.
int64_t os_read(int64_t fd, uint8_t* p, int64_t n) __asm__("os.read");
int64_t os_read(int64_t fd, uint8_t* p, int64_t n) { return gol_sys_read(fd, p, n); }

int64_t os_open(GoString path, int64_t flags, int64_t mode) __asm__("os.open");
int64_t os_open(GoString path, int64_t flags, int64_t mode) { return gol_sys_open(path.ptr, path.len, flags, mode); }

int64_t os_closefd(int64_t fd) __asm__("os.closefd");
int64_t os_closefd(int64_t fd) { return gol_sys_close(fd); }

// Path calls that touch the disk: bracketed by entersyscall/exitsyscall here.
int64_t os_unlink(GoString path) __asm__("os.unlink");
int64_t os_unlink(GoString path) {
  CStr c(path);
  gol_entersyscall();
  int r = ::unlink(c.c_str());
  int e = errno;
  gol_exitsyscall();
  return r < 0 ? -int64_t(e) : 0;
}

int64_t os_rmdir(GoString path) __asm__("os.rmdir");
int64_t os_rmdir(GoString path) {
  CStr c(path);
  gol_entersyscall();
  int r = ::rmdir(c.c_str());
  int e = errno;
  gol_exitsyscall();
  return r < 0 ? -int64_t(e) : 0;
}

int64_t os_mkdir(GoString path, int64_t mode) __asm__("os.mkdir");
int64_t os_mkdir(GoString path, int64_t mode) {
  CStr c(path);
  gol_entersyscall();
  int r = ::mkdir(c.c_str(), mode_t(mode));
  int e = errno;
  gol_exitsyscall();
  return r < 0 ? -int64_t(e) : 0;
}

// Go's errno texts are glibc's with the first letter in lower case.
GoString os_errstr(int64_t e) __asm__("os.errstr");
GoString os_errstr(int64_t e) {
  char buf[128];
  const char* m = strerror_r(int(e), buf, sizeof buf);  // GNU: may return a static string
  char out[128];
  std::snprintf(out, sizeof out, "%s", m);
  if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z')) out[0] = char(out[0] - 'A' + 'a');
  return fromC(out);
}

// pipe2(2) never blocks; both ends are blocking descriptors, so reads park in the runtime's
// read wrapper like any file's.
int64_t os_pipe() __asm__("os.pipe");
int64_t os_pipe() {
  int32_t fds[2];
  int64_t r = gol_sys_pipe2(fds, 0);
  if (r < 0) return r;
  return int64_t(uint32_t(fds[0])) | (int64_t(fds[1]) << 32);
}

int64_t os_getpid() __asm__("os.getpid");
int64_t os_getpid() { return ::getpid(); }

GoString os_getenv(GoString key) __asm__("os.getenv");
GoString os_getenv(GoString key) {
  const char* v = std::getenv(toC(key).c_str());
  return v ? fromC(v) : GoString{};
}

bool os_isenv(GoString key) __asm__("os.isenv");
bool os_isenv(GoString key) { return std::getenv(toC(key).c_str()) != nullptr; }

void os_Exit(int64_t code) __asm__("os.Exit");
void os_Exit(int64_t code) { ::_exit(int(code)); }
}
