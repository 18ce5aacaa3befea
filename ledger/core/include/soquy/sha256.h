// soquy — SHA-256 (OpenSSL) as lowercase hex, for the journal's hash chain and manifests.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace soquy {

using Sha256Digest = std::array<unsigned char, 32>;

std::string sha256_hex(std::string_view bytes);
// The 32 raw bytes (what the journal stores); sha256_hex is their lowercase hex.
Sha256Digest sha256_digest(std::string_view bytes);

// Lowercase hex of `size` bytes.
std::string to_hex(const unsigned char* bytes, std::size_t size);
// The 32 bytes of a 64-digit hex digest (either case); nullopt if `hex` is not one.
std::optional<Sha256Digest> digest_from_hex(std::string_view hex);

// Incremental hashing of a large file or stream. finish_hex() leaves the object ready to hash
// a new message.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string finish_hex();
  Sha256Digest finish();

 private:
  void* ctx_;  // EVP_MD_CTX*, hidden so OpenSSL's headers stay private
};

}  // namespace soquy
