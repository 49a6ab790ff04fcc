// vigil spc --chart p|pp|u|up|c|g|t: attribute SPC charts for analysts, as
// qicharts2 0.8.1 computes them (vigil/attribute_spc.h).
#ifndef VIGIL_TOOLS_VIGIL_ATTRIBUTE_SPC_COMMAND_H_
#define VIGIL_TOOLS_VIGIL_ATTRIBUTE_SPC_COMMAND_H_

#include "flags.h"
#include "vigil/attribute_spc.h"

namespace vigil_tool {

// Runs the chart on --input, writing --output; the flags are parsed and
// --input and --output present. Returns the exit status (0, 1 on bad input
// or output, 2 on a bad flag).
int RunAttributeSpc(const Flags& flags, vigil::spc::Chart chart);

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_ATTRIBUTE_SPC_COMMAND_H_
