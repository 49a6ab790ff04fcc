// "-" as standard input or output for the tool's file arguments.
#ifndef VIGIL_TOOLS_VIGIL_STD_FILES_H_
#define VIGIL_TOOLS_VIGIL_STD_FILES_H_

#include <cstdint>
#include <ext/stdio_filebuf.h>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace vigil_tool {

// The whole of file `path`, or of standard input for "-".
absl::StatusOr<std::string> ReadInputFile(const std::string& path);

// Where output goes: file `path`, or standard output for "-" (or "").
//
// A run ends with Close when it succeeded; otherwise (an error returned, an
// exception) the destructor discards the output: a regular file is left
// empty, as a file truncated when opened would be, so no half output is
// mistaken for a whole one. FIFOs, devices and pipes are written as they
// come.
//
// A regular file that exists is written over in place and cut to length
// when closed, not truncated when opened: on ext4 a file truncated to
// nothing and written again is forced to disk when closed (auto_da_alloc),
// 0.8 ms of CPU for `vigil spc`'s 0.7 MB rewritten in a loop
// (bench/README.md). A run killed part way leaves what it wrote followed by
// the old file's end.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() { Discard(); }

  // False, with the system's reason in `error`, when `path` cannot be
  // written (a directory, no permission...).
  bool Open(const std::string& path, std::string* error);
  std::ostream& stream() { return to_stdout_ ? std::cout : *file_; }
  // Flushes; a regular file is cut to what was written; the file is
  // closed. False, with the reason in `error` (when not null), when
  // writing, cutting or closing failed; the output is then discarded.
  bool Close(std::string* error);
  // A file not closed yet: a regular one is left empty, then closed.
  // Standard output is left as it is. Nothing when closed already.
  void Discard();

 private:
  bool to_stdout_ = true;
  std::string path_;
  int fd_ = -1;  // While open.
  bool regular_ = false;
  int64_t old_size_ = 0;  // Of a regular file when opened.
  std::unique_ptr<__gnu_cxx::stdio_filebuf<char>> buffer_;
  std::unique_ptr<std::ostream> file_;
};

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_STD_FILES_H_
