// os_native.cpp: the OS calls of package os (the Gol side is os.gol). Symbols are Go's names
// ("os.Exit", "os.argv") via __asm__ labels; strings cross as GoString (two registers).
#include <unistd.h>

#include <cerrno>

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

int64_t os_write(int64_t fd, GoString s) __asm__("os.write");
int64_t os_write(int64_t fd, GoString s) {
  int64_t done = 0;
  while (done < s.len) {
    // Through the runtime's syscall wrapper (entersyscall/exitsyscall) when it has one.
    int64_t n = gol_sys_write ? gol_sys_write(fd, s.ptr + done, s.len - done)
                              : int64_t(::write(int(fd), s.ptr + done, size_t(s.len - done)));
    if (n < 0 && errno == EINTR && !gol_sys_write) continue;
    if (n < 0) return -1;
    done += n;
  }
  return done;
}

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
