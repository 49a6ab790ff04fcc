// The 'vigil spc' command.
#ifndef VIGIL_TOOLS_VIGIL_SPC_COMMAND_H_
#define VIGIL_TOOLS_VIGIL_SPC_COMMAND_H_

namespace vigil_tool {

// Runs 'vigil spc' (argv[1] == "spc"); returns the exit status.
int RunSpc(int argc, char** argv);

// Its --help text.
const char* SpcUsage();

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_SPC_COMMAND_H_
