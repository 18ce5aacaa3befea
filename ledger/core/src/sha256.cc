#include "soquy/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace soquy {

namespace {

// The algorithm, fetched once (OpenSSL 3 otherwise looks it up at every init).
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One context per thread, reused: creating one per entry costs more than hashing it.
Sha256& thread_hasher() {
  thread_local Sha256 h;
  return h;
}

}  // namespace

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return out;
}

std::optional<Sha256Digest> digest_from_hex(std::string_view hex) {
  Sha256Digest out{};
  if (hex.size() != 2 * out.size()) return std::nullopt;
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || !sha256_md() || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

Sha256Digest Sha256::finish() {
  Sha256Digest digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest.data(), &len);
  // Ready for the next message.
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr);
  return digest;
}

std::string Sha256::finish_hex() {
  const Sha256Digest d = finish();
  return to_hex(d.data(), d.size());
}

Sha256Digest sha256_digest(std::string_view bytes) {
  Sha256& h = thread_hasher();
  h.update(bytes);
  return h.finish();
}

std::string sha256_hex(std::string_view bytes) {
  const Sha256Digest d = sha256_digest(bytes);
  return to_hex(d.data(), d.size());
}

}  // namespace soquy
