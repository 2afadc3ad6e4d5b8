// pcln.cpp: pc → file:line for goroutine dumps, from the line tables golc emits.
//
// golc gives every function lowered from Gol source a line table (compiler/lower_debug.cpp):
// DWARF 4 .debug_line only, no types or variables. A dump is rare, so the table is read when
// one is printed, straight from the executable that traceback.cpp has mapped: no start-up cost
// (gccgo decompresses DWARF at start-up for this job), no allocation (a dying M may hold the
// allocator's locks). Each unit's line program is run until the row covering pc is found; the
// C++ runtime's units (other DWARF versions, if it was built with -g) are skipped, so its
// frames print `?:0` as before.
//
// The file name returned lives in a static buffer: dumps print it before the next lookup,
// and dumps are serialised (one dying M prints, the others wait on the print lock).
#include <cstring>

#include "runtime.h"

namespace gol::rt {
namespace {

struct reader {
  const uint8_t* p;
  const uint8_t* end;
  bool ok() const { return p <= end; }
  uint8_t u8() { return p < end ? *p++ : (p = end + 1, 0); }
  uint16_t u16() { uint16_t v = 0; for (int i = 0; i < 2; i++) v |= uint16_t(u8()) << (8 * i); return v; }
  uint32_t u32() { uint32_t v = 0; for (int i = 0; i < 4; i++) v |= uint32_t(u8()) << (8 * i); return v; }
  uint64_t u64() { uint64_t v = 0; for (int i = 0; i < 8; i++) v |= uint64_t(u8()) << (8 * i); return v; }
  uint64_t uleb() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && ok(); shift += 7) {
      uint8_t b = u8();
      v |= uint64_t(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    return v;
  }
  int64_t sleb() {
    int64_t v = 0;
    int shift = 0;
    uint8_t b = 0;
    do {
      b = u8();
      if (shift < 64) v |= int64_t(b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0 && ok());
    if (shift < 64 && (b & 0x40) != 0) v |= -(int64_t(1) << shift);
    return v;
  }
  const char* str() {  // a NUL-terminated string inside the section
    auto* s = reinterpret_cast<const char*>(p);
    while (p < end && *p != 0) p++;
    if (p >= end) return p = end + 1, "";
    p++;
    return s;
  }
};

// One unit's header: what the line program needs, and where its tables of names start.
struct unit {
  const uint8_t* dirs;   // include_directories: NUL-terminated strings, then an empty one
  const uint8_t* files;  // file_names: name, dir index, mtime, length; then an empty name
  const uint8_t* program;
  const uint8_t* end;
  const uint8_t* oplengths;  // standard_opcode_lengths[opcode_base - 1]
  uint8_t minlen, linerange, opbase;
  int8_t linebase;
};

// The n-th (1-based) file of u as "dir/name" in buf.
const char* filename(const unit& u, uint64_t n, char* buf, size_t size) {
  reader r{u.files, u.program};
  const char* name = "?";
  uint64_t dir = 0;
  for (uint64_t i = 1; r.ok(); i++) {
    const char* s = r.str();
    if (*s == 0) return "?";
    uint64_t d = r.uleb();
    r.uleb(), r.uleb();
    if (i == n) {
      name = s, dir = d;
      break;
    }
  }
  const char* dirname = nullptr;
  reader dr{u.dirs, u.files};
  for (uint64_t i = 1; dir != 0 && dr.ok() && i <= dir; i++) {
    const char* s = dr.str();
    if (*s == 0) break;
    if (i == dir) dirname = s;
  }
  size_t k = 0;
  auto append = [&](const char* s) {
    while (*s != 0 && k + 1 < size) buf[k++] = *s++;
  };
  if (dirname != nullptr && name[0] != '/') append(dirname), append("/");
  append(name);
  buf[k] = 0;
  return buf;
}

// Runs u's line program; the row covering addr (a link-time address) gives *fileno and *line.
bool lookup(const unit& u, uint64_t addr, uint64_t* fileno, int32_t* line) {
  reader r{u.program, u.end};
  uint64_t address = 0, file = 1, prevaddr = 0, prevfile = 0;
  int64_t ln = 1, prevline = 0;
  bool haveprev = false;
  // A new row at `address`: the previous one covers [prevaddr, address).
  auto row = [&](bool endseq) {
    if (haveprev && prevaddr <= addr && addr < address) {
      *fileno = prevfile;
      *line = int32_t(prevline);
      return true;
    }
    haveprev = !endseq;
    prevaddr = address, prevfile = file, prevline = ln;
    return false;
  };
  while (r.p < r.end && r.ok()) {
    uint8_t op = r.u8();
    if (op >= u.opbase) {
      uint8_t adj = op - u.opbase;
      address += uint64_t(adj / u.linerange) * u.minlen;
      ln += u.linebase + adj % u.linerange;
      if (row(false)) return true;
      continue;
    }
    switch (op) {
      case 0: {  // extended
        uint64_t len = r.uleb();
        const uint8_t* next = r.p + len;
        if (len == 0 || next > r.end) return false;
        uint8_t sub = r.u8();
        if (sub == 1) {  // DW_LNE_end_sequence
          if (row(true)) return true;
          address = 0, file = 1, ln = 1;
        } else if (sub == 2 && len == 9) {  // DW_LNE_set_address
          address = r.u64();
        }
        r.p = next;
        break;
      }
      case 1: if (row(false)) return true; break;  // DW_LNS_copy
      case 2: address += r.uleb() * u.minlen; break;
      case 3: ln += r.sleb(); break;
      case 4: file = r.uleb(); break;
      case 5: r.uleb(); break;  // column
      case 6: case 7: case 10: case 11: break;
      case 8: address += uint64_t((255 - u.opbase) / u.linerange) * u.minlen; break;
      case 9: address += r.u16(); break;
      default:  // an opcode this reader does not know: skip its operands
        for (uint8_t i = 0; i < u.oplengths[op - 1]; i++) r.uleb();
    }
  }
  return false;
}

char namebuf[1024];

}  // namespace

bool pcfileline(uintptr_t pc, const char** file, int32_t* line) {
  uint64_t size = 0;
  uintptr_t bias = 0;
  const char* sec = exedebugline(&size, &bias);
  if (sec == nullptr) return false;
  uint64_t addr = pc - bias;
  reader r{reinterpret_cast<const uint8_t*>(sec), reinterpret_cast<const uint8_t*>(sec) + size};
  while (r.p + 4 <= r.end) {
    uint32_t len = r.u32();
    const uint8_t* next = r.p + len;
    if (len >= 0xfffffff0u || next > r.end) return false;  // 64-bit DWARF: not emitted by golc
    uint16_t version = r.u16();
    if (version != 4) {
      r.p = next;
      continue;
    }
    uint32_t hdrlen = r.u32();
    unit u{};
    u.program = r.p + hdrlen;
    u.end = next;
    u.minlen = r.u8();
    r.u8();  // maximum_operations_per_instruction: 1 on x86-64
    r.u8();  // default_is_stmt
    u.linebase = int8_t(r.u8());
    u.linerange = r.u8();
    u.opbase = r.u8();
    u.oplengths = r.p;
    if (u.linerange == 0 || u.opbase == 0 || u.program > next) return false;
    r.p += u.opbase - 1;
    u.dirs = r.p;
    while (r.ok() && *r.str() != 0) {}
    u.files = r.p;
    uint64_t fileno = 0;
    if (r.ok() && lookup(u, addr, &fileno, line)) {
      *file = filename(u, fileno, namebuf, sizeof namebuf);
      return true;
    }
    r.p = next;
  }
  return false;
}

}  // namespace gol::rt
