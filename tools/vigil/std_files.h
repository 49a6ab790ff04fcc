// "-" as standard input or output for the tool's file arguments.
#ifndef VIGIL_TOOLS_VIGIL_STD_FILES_H_
#define VIGIL_TOOLS_VIGIL_STD_FILES_H_

#include <fstream>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace vigil_tool {

// The whole of file `path`, or of standard input for "-".
absl::StatusOr<std::string> ReadInputFile(const std::string& path);

// Where output goes: file `path`, or standard output for "-" (or "").
class OutputFile {
 public:
  // False, with the system's reason in `error`, when `path` cannot be
  // written (a directory, no permission...).
  bool Open(const std::string& path, std::string* error);
  std::ostream& stream() { return to_stdout_ ? std::cout : file_; }

 private:
  bool to_stdout_ = true;
  std::ofstream file_;
};

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_STD_FILES_H_
