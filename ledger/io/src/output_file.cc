#include "soquy/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ext/stdio_filebuf.h>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "soquy/i18n.h"

namespace soquy {
namespace {

namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Result<void> check_target(const std::string& path, const std::vector<std::string>& refused) {
  std::error_code ec;
  const fs::path target = fs::weakly_canonical(path, ec);
  const bool resolved = !ec;
  for (const auto& r : refused) {
    if (r.empty()) continue;
    std::error_code rec;
    const fs::path other = fs::weakly_canonical(r, rec);
    if ((resolved && !rec && target == other) || same_file(path, r))
      return fail(Error::cant_create(fmt::format(
          fmt::runtime(tr("{}: this is the database (or its journal); choose another output file")), path)));
  }
  if (fs::is_directory(path, ec)) return fail(Error::cant_create(fmt::format(
      fmt::runtime(tr("{}: is a directory")), path)));
  return {};
}

// Opens a new file beside `path`; fd < 0 when it cannot.
int create_temporary(const std::string& path, std::string& tmp) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::random_device rd;
  for (int attempt = 0; attempt < 16; ++attempt) {
    tmp = (dir / fmt::format(".{}.{:08x}.part", target.filename().string(), rd())).string();
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

// Writes and syncs through `fd` (closed here); the error says what failed.
Result<void> write_and_sync(int fd, const std::string& path,
                            const std::function<Result<void>(std::ostream&)>& writer) {
  Result<void> r;
  bool flushed = false;
  {
    __gnu_cxx::stdio_filebuf<char> buf(fd, std::ios::out | std::ios::binary, 1 << 16);
    std::ostream os(&buf);
    r = writer(os);
    os.flush();
    flushed = static_cast<bool>(os) && buf.pubsync() == 0;
    if (!r && !os) r = {};  // the stream failed under the writer: said below, with the file's name
    if (r && flushed && ::fsync(fd) != 0) flushed = false;
    const int saved = errno;
    buf.close();  // closes fd
    errno = saved;
  }
  if (!r) return r;
  if (!flushed)
    return fail(Error::io(fmt::format(
        fmt::runtime(tr("{}: cannot write the output file ({}); is the disk full?")), path, std::strerror(errno))));
  return {};
}

}  // namespace

Result<void> write_file_atomically(const std::string& path, const std::function<Result<void>(std::ostream&)>& writer,
                                   const std::vector<std::string>& refused) {
  if (auto ok = check_target(path, refused); !ok) return ok;
  std::string tmp;
  const int fd = create_temporary(path, tmp);
  if (fd < 0)
    return fail(Error::cant_create(fmt::format(fmt::runtime(tr("{}: cannot create the output file")), path)));
  auto written = write_and_sync(fd, path, writer);
  std::error_code ec;
  if (!written) {
    fs::remove(tmp, ec);
    return written;
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return fail(Error::cant_create(fmt::format(
        fmt::runtime(tr("{}: cannot move the finished file into place: {}")), path, ec.message())));
  }
  return {};
}

}  // namespace soquy
