// "-" as standard input or output for the tool's file arguments.
#ifndef VIGIL_TOOLS_VIGIL_STD_FILES_H_
#define VIGIL_TOOLS_VIGIL_STD_FILES_H_

#include <cstdint>
#include <fstream>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace vigil_tool {

// The whole of file `path`, or of standard input for "-".
absl::StatusOr<std::string> ReadInputFile(const std::string& path);

// Where output goes: file `path`, or standard output for "-" (or "").
//
// An existing regular file is written over in place and cut to length when
// closed, not truncated when opened: on ext4, a file truncated to nothing
// and written again is forced to disk when closed (auto_da_alloc), which
// cost `vigil spc` 0.8 ms of its 5 ms for a 0.7 MB output rewritten in a
// loop (bench/README.md). A run that fails part way leaves what it wrote
// followed by the old end, as a truncated file would be left partial: the
// exit status says it failed.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() { Close(nullptr); }

  // False, with the system's reason in `error`, when `path` cannot be
  // written (a directory, no permission...).
  bool Open(const std::string& path, std::string* error);
  std::ostream& stream() { return to_stdout_ ? std::cout : file_; }
  // Flushes; a file is closed and cut to what was written. False, with the
  // reason in `error` (when not null), when writing failed. Idempotent.
  bool Close(std::string* error);

 private:
  bool to_stdout_ = true;
  std::string path_;
  int64_t old_size_ = 0;  // Of the file written over in place; 0 if new.
  std::ofstream file_;
};

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_STD_FILES_H_
