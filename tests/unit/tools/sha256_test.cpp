// sha256_test.cpp: golrun's SHA-256 against the FIPS 180-4 example vectors and sha256sum(1).
#include "sha256.h"

#include <doctest/doctest.h>

#include <string>

using gol::tools::Sha256;

TEST_CASE("sha256: FIPS 180-4 example vectors") {
  CHECK(Sha256::hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256::hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256::hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                    "lmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(Sha256::hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(Sha256::hex("The quick brown fox jumps over the lazy dog") ==
        "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
}

// Lengths around the padding boundaries: 55 bytes still fit the length in the last block, 56
// need an extra block. Expected values from `head -c N /dev/zero | tr '\0' a | sha256sum`.
TEST_CASE("sha256: padding at block boundaries") {
  struct {
    size_t n;
    const char* hex;
  } cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.n);
    CHECK(Sha256::hex(std::string(c.n, 'a')) == c.hex);
  }
}

TEST_CASE("sha256: feeding the message in pieces gives the one-shot digest") {
  std::string msg;
  for (int i = 0; i < 300; i++)
    msg += char('a' + i * 7 % 26);
  std::string want = Sha256::hex(msg);
  for (size_t split = 0; split <= msg.size(); split += 13) {
    CAPTURE(split);
    Sha256 h;
    h.update(msg.substr(0, split));
    for (size_t i = split; i < msg.size(); i++)  // the rest byte by byte
      h.update(msg.data() + i, 1);
    CHECK(gol::tools::toHex(h.finish()) == want);
  }
}
