// runtime1.cpp: the environment's runtime settings (Go 1.5's runtime1.go): GODEBUG's
// variables and GOTRACEBACK.
//
//   GODEBUG=name=val,name=val   schedtrace=MS (sysmon prints the scheduler's state every MS
//                               ms), scheddetail=1 (with every P, M and G), gctrace=1 (the
//                               collector's), scavenge=1 (sysmon's GC and scavenger hooks
//                               every 10/20 ms, for testing)
//   GOTRACEBACK=none|single|all|system|crash   (0, 1, 2 are Go 1.5's numeric spellings)
#include "runtime.h"

namespace gol::rt {

dbgvar_values debug;

namespace {

struct dbgvar {
  const char* name;
  int32_t* value;
};

// Go 1.5's traceback_cache: level << 2 | all << 1 | crash.
uint32_t traceback_cache = 1 << 2;  // single

bool hasprefix(const char* s, const char* prefix) {
  while (*prefix != 0) {
    if (*s++ != *prefix++) return false;
  }
  return true;
}

bool streq(const char* a, const char* b, const char* aend) {
  while (a < aend && *b != 0 && *a == *b) a++, b++;
  return a == aend && *b == 0;
}

}  // namespace

void parsedebugvars() {
  const dbgvar dbgvars[] = {
      {"gctrace", &debug.gctrace},
      {"schedtrace", &debug.schedtrace},
      {"scheddetail", &debug.scheddetail},
      {"scavenge", &debug.scavenge},
  };
  if (const char* s = gogetenv("GODEBUG")) {
    // GODEBUG is a comma-separated list of name=val pairs; unknown names are ignored.
    while (*s != 0) {
      const char* end = s;
      while (*end != 0 && *end != ',') end++;
      const char* eq = s;
      while (eq < end && *eq != '=') eq++;
      if (eq < end) {
        char num[24];
        int n = 0;
        for (const char* c = eq + 1; c < end && n < int(sizeof num) - 1; c++) num[n++] = *c;
        num[n] = 0;
        for (const dbgvar& v : dbgvars) {
          if (streq(s, v.name, eq)) *v.value = int32_t(atoi(num));
        }
      }
      s = *end == ',' ? end + 1 : end;
    }
  }

  const char* tb = gogetenv("GOTRACEBACK");
  if (tb == nullptr) tb = "";
  if (*tb == 0 || hasprefix(tb, "single")) {
    traceback_cache = 1 << 2;
  } else if (hasprefix(tb, "none")) {
    traceback_cache = 0;
  } else if (hasprefix(tb, "all")) {
    traceback_cache = 1 << 2 | 1 << 1;
  } else if (hasprefix(tb, "system")) {
    traceback_cache = 2 << 2 | 1 << 1;
  } else if (hasprefix(tb, "crash")) {
    traceback_cache = 2 << 2 | 1 << 1 | 1;
  } else if (*tb >= '0' && *tb <= '9') {
    // Go 1.5's numbers: 0 none, 1 all (its default), 2 system.
    uint32_t n = uint32_t(atoi(tb));
    traceback_cache = n == 0 ? 0 : (n > 2 ? 2 : n) << 2 | 1 << 1;
  } else {
    traceback_cache = 1 << 2;  // unknown: the default
  }
}

// The level for the dump in progress: a fatal error (m.throwing > 0) shows every goroutine
// even at `single`, as Go's does.
tracebackLevel gotraceback() {
  tracebackLevel t;
  t.level = int32_t(traceback_cache >> 2);
  t.all = (traceback_cache & 2) != 0;
  t.crash = (traceback_cache & 1) != 0;
  if (g* gp = getg(); gp != nullptr && gp->m->throwing > 0) t.all = true;
  return t;
}

}  // namespace gol::rt
