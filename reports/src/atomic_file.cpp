#include "archsim/reports/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace archsim::reports {

namespace {

namespace fs = std::filesystem;

std::string system_error(int error) { return std::strerror(error); }

/// A random suffix for temporary names: two runs writing to one folder never collide.
std::string random_suffix() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format("{:016x}", generator());
}

/// Writes all of `content` to `fd` and makes it durable; 0 or the errno.
int write_all_and_sync(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<std::size_t>(n);
  }
  // fsync before the rename: after a crash the new name must not point at empty blocks.
  return ::fsync(fd) == 0 ? 0 : errno;
}

/// fsync of a folder, so a rename within it survives a crash. Best effort: some file systems
/// refuse it, and the rename has already happened.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

fs::path parent_of(const fs::path& target) { return target.has_parent_path() ? target.parent_path() : fs::path("."); }

/// "" when `dir` is an existing folder, else why not.
std::string check_folder(const fs::path& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT) return fmt::format("folder {} does not exist", dir.string());
    return fmt::format("cannot use folder {}: {}", dir.string(), system_error(error));
  }
  if (!S_ISDIR(st.st_mode)) return fmt::format("{} is not a folder", dir.string());
  return {};
}

/// Creates a new file `path` (never an existing one) with `mode` (before the umask, when
/// `apply_umask`, else exactly), writes `content` and syncs it; "" or what went wrong.
std::string create_file(const fs::path& path, std::string_view content, mode_t mode, bool apply_umask) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, apply_umask ? mode : 0600);
  if (fd < 0) return fmt::format("cannot create {}: {}", path.string(), system_error(errno));
  int error = apply_umask ? 0 : (::fchmod(fd, mode) == 0 ? 0 : errno);
  if (error == 0) error = write_all_and_sync(fd, content);
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(path.c_str());
    return fmt::format("cannot write {}: {}", path.string(), system_error(error));
  }
  return {};
}

/// "" when `target` can be replaced by a regular file: its folder exists and it is absent or a
/// regular file (not a link, a folder, a device). `st` gets its status, `exists` whether it is there.
std::string check_file_target(const fs::path& target, struct stat& st, bool* exists) {
  if (std::string problem = check_folder(parent_of(target)); !problem.empty()) return problem;
  if (exists != nullptr) *exists = false;
  if (::lstat(target.c_str(), &st) == 0) {
    if (exists != nullptr) *exists = true;
    if (S_ISLNK(st.st_mode)) {
      return fmt::format("{} is a symbolic link; archsim replaces regular files only (remove the link, or name the file it "
                         "points to)",
                         target.string());
    }
    if (S_ISDIR(st.st_mode)) return fmt::format("{} is a folder, not a file", target.string());
    if (!S_ISREG(st.st_mode)) return fmt::format("{} is not a regular file", target.string());
  } else if (errno != ENOENT) {
    return fmt::format("cannot use {}: {}", target.string(), system_error(errno));
  }
  return {};
}

}  // namespace

std::string file_target_problem(const fs::path& target) {
  struct stat st {};
  return check_file_target(target, st, nullptr);
}

std::string write_file_atomically(const fs::path& target, std::string_view content) {
  const fs::path dir = parent_of(target);
  struct stat st {};
  bool exists = false;
  if (std::string problem = check_file_target(target, st, &exists); !problem.empty()) return problem;
  // A unique name in the same folder keeps the final rename atomic (same file system).
  const fs::path temp = dir / fmt::format(".{}.{}.tmp", target.filename().string(), random_suffix());
  if (std::string problem = create_file(temp, content, exists ? (st.st_mode & 07777) : 0666, !exists); !problem.empty()) {
    return problem;
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int error = errno;  // before unlink can change it
    ::unlink(temp.c_str());
    return fmt::format("cannot replace {}: {}", target.string(), system_error(error));
  }
  sync_directory(dir);
  return {};
}

std::string replace_directory_atomically(const fs::path& given, const std::vector<OutputFile>& files,
                                         const std::function<bool(std::string_view name)>& replaceable) {
  // `out/` names the folder `out`: the temporary sibling and the exchange need its own name.
  const fs::path target = given.has_filename() ? given : given.parent_path();
  if (target.empty() || target.filename() == "." || target.filename() == "..") {
    return fmt::format("{} does not name a folder archsim can replace; name a folder of its own", given.string());
  }
  const fs::path parent = parent_of(target);
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) return fmt::format("cannot create folder {}: {}", parent.string(), ec.message());
  if (std::string problem = check_folder(parent); !problem.empty()) return problem;
  struct stat st {};
  bool exists = false;
  if (::lstat(target.c_str(), &st) == 0) {
    exists = true;
    if (S_ISLNK(st.st_mode)) {
      return fmt::format("{} is a symbolic link; archsim replaces real folders only (remove the link, or name the folder it "
                         "points to)",
                         target.string());
    }
    if (!S_ISDIR(st.st_mode)) return fmt::format("{} exists and is not a folder", target.string());
    for (fs::directory_iterator it(target, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!replaceable(name)) {
        return fmt::format("{} holds '{}', which archsim did not write; refusing to replace the folder (empty it or choose "
                           "another)",
                           target.string(), name);
      }
    }
    if (ec) return fmt::format("cannot list {}: {}", target.string(), ec.message());
  } else if (errno != ENOENT) {
    return fmt::format("cannot use {}: {}", target.string(), system_error(errno));
  }

  const fs::path temp = parent / fmt::format(".{}.{}.tmp", target.filename().string(), random_suffix());
  if (::mkdir(temp.c_str(), 0777) != 0) return fmt::format("cannot create {}: {}", temp.string(), system_error(errno));
  const auto abandon = [&](std::string problem) {
    fs::remove_all(temp, ec);
    return problem;
  };
  if (exists && ::chmod(temp.c_str(), st.st_mode & 07777) != 0) {
    return abandon(fmt::format("cannot set the mode of {}: {}", temp.string(), system_error(errno)));
  }
  for (const auto& file : files) {
    if (std::string problem = create_file(temp / file.name, file.content, 0666, true); !problem.empty()) return abandon(problem);
  }
  sync_directory(temp);
  if (!exists) {
    if (::rename(temp.c_str(), target.c_str()) != 0) {
      return abandon(fmt::format("cannot rename {} to {}: {}", temp.string(), target.string(), system_error(errno)));
    }
  } else if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(temp, ec);  // now the old set
  } else {
    const int error = errno;
    if (error != EINVAL && error != ENOSYS && error != ENOTSUP) {
      return abandon(fmt::format("cannot replace {}: {}", target.string(), system_error(error)));
    }
    // A file system without an atomic exchange: two renames, the old set kept until the new one
    // is in place (a crash between them leaves it in the hidden .old folder).
    const fs::path old = parent / fmt::format(".{}.{}.old", target.filename().string(), random_suffix());
    if (::rename(target.c_str(), old.c_str()) != 0) {
      return abandon(fmt::format("cannot move {} aside: {}", target.string(), system_error(errno)));
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
      const int rename_error = errno;
      (void)::rename(old.c_str(), target.c_str());
      return abandon(fmt::format("cannot replace {}: {}", target.string(), system_error(rename_error)));
    }
    fs::remove_all(old, ec);
  }
  sync_directory(parent);
  return {};
}

}  // namespace archsim::reports
