// soquy — SHA-256 (OpenSSL) as lowercase hex, for the journal's hash chain and manifests.
#pragma once

#include <string>
#include <string_view>

namespace soquy {

std::string sha256_hex(std::string_view bytes);

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

 private:
  void* ctx_;  // EVP_MD_CTX*, hidden so OpenSSL's headers stay private
};

}  // namespace soquy
