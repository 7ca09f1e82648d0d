// Key file reading and atomic 0600 writing (see key_file.h).
#include "crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hauptbuch::p2p::crypto {
namespace {

Error io_error(const std::string& what, const std::string& path, int err) {
  return Error(P2PNetworkError::IoFailed,
               what + " '" + path + "': " + std::strerror(err));
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Writes all of `data` to fd, retrying on EINTR and short writes.
bool write_all(int fd, ByteSpan data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// Wipes the encoded key on every exit path.
struct WipeOnExit {
  Bytes& b;
  ~WipeOnExit() { secure_wipe(b); }
};

}  // namespace

Status write_key_file(const std::string& path, const PrivateKey& key, bool force) {
  struct stat st {};
  if (!force && ::lstat(path.c_str(), &st) == 0)
    return Error(P2PNetworkError::IoFailed,
                 "key file '" + path + "' already exists; refusing to overwrite without force");

  std::string tmp = path + ".tmp.XXXXXX";
  // mkstemp opens with O_CREAT|O_EXCL and mode 0600.
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return io_error("cannot create temporary key file for", path, errno);
  auto fail = [&](const std::string& what) -> Status {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return io_error(what, path, err);
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) return fail("cannot set mode 0600 on key file for");
  Bytes data = key.to_protobuf();
  WipeOnExit wipe{data};
  if (!write_all(fd, data)) return fail("cannot write key file");
  if (::fsync(fd) != 0) return fail("cannot fsync key file");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return io_error("cannot close key file", path, err);
  }
  if (force) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      return io_error("cannot rename temporary file onto key file", path, err);
    }
  } else {
    // link() fails with EEXIST atomically, closing the race with the lstat check above.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      if (err == EEXIST)
        return Error(P2PNetworkError::IoFailed, "key file '" + path +
                                                    "' already exists; refusing to overwrite "
                                                    "without force");
      return io_error("cannot link temporary file to key file", path, err);
    }
    ::unlink(tmp.c_str());
  }
  // Make the directory entry durable too; failure here is not fatal for correctness.
  const int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return ok_status();
}

Result<PrivateKey> read_key_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open key file", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return io_error("cannot stat key file", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error(P2PNetworkError::InvalidKey, "key file '" + path + "' is not a regular file");
  }
  const unsigned mode = static_cast<unsigned>(st.st_mode) & 07777U;
  if ((mode & 077U) != 0) {
    ::close(fd);
    char oct[8];
    std::snprintf(oct, sizeof oct, "%04o", mode);
    return Error(P2PNetworkError::InvalidKey,
                 "key file '" + path + "' has mode " + oct +
                     ", which grants access to group or others; run `chmod 600 " + path + "`");
  }
  if (st.st_size > static_cast<off_t>(kMaxKeyFileSize)) {
    ::close(fd);
    return Error(P2PNetworkError::InvalidKey, "key file '" + path + "' is larger than " +
                                                  std::to_string(kMaxKeyFileSize) + " bytes");
  }
  // One byte of slack detects a file that grew after fstat.
  Bytes data(kMaxKeyFileSize + 1);
  WipeOnExit wipe{data};
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return io_error("cannot read key file", path, err);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got > kMaxKeyFileSize)
    return Error(P2PNetworkError::InvalidKey, "key file '" + path + "' is larger than " +
                                                  std::to_string(kMaxKeyFileSize) + " bytes");
  auto key = PrivateKey::from_protobuf(ByteSpan(data).first(got));
  if (!key.ok())
    return Error(P2PNetworkError::InvalidKey,
                 "key file '" + path + "' is corrupt: " + key.error().message());
  return std::move(key).value();
}

}  // namespace hauptbuch::p2p::crypto
