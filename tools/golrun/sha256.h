// sha256.h: SHA-256 (FIPS 180-4 §6.2), small enough to read in one sitting.
//
// golrun names its cached executables by the SHA-256 of their inputs (cache.h); a fast, strong
// hash lets an unchanged program skip the compiler entirely. The algorithm: pad the message to a
// multiple of 64 bytes with a 1 bit, zeros and the 64-bit big-endian bit length (§5.1.1), then
// run the compression function over each 64-byte block (§6.2.2), starting from the initial hash
// value H(0) (§5.3.3). The digest is H(N) as eight big-endian 32-bit words.
//
// Use: Sha256 h; h.update(a); h.update(b); std::string hex = toHex(h.finish());
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gol::tools {

class Sha256 {
public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();
  void update(const void* data, size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // Pads, processes the last block(s) and returns the digest; the object must not be reused.
  Digest finish();

  // One-shot convenience: the lower-case hex digest of `s`.
  static std::string hex(std::string_view s);

private:
  void compress(const uint8_t block[64]);

  std::array<uint32_t, 8> h_;  // the intermediate hash value H(i)
  uint8_t buf_[64];            // a partial block not yet compressed
  size_t buflen_ = 0;
  uint64_t total_ = 0;         // message length in bytes so far
};

std::string toHex(const Sha256::Digest& d);

}  // namespace gol::tools
