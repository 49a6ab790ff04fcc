// The 'vigil funnel' command.
#ifndef VIGIL_TOOLS_VIGIL_FUNNEL_COMMAND_H_
#define VIGIL_TOOLS_VIGIL_FUNNEL_COMMAND_H_

namespace vigil_tool {

// Runs 'vigil funnel' (argv[1] == "funnel"); returns the exit status.
int RunFunnel(int argc, char** argv);

// Its --help text.
const char* FunnelUsage();

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_FUNNEL_COMMAND_H_
