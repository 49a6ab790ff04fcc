// The library's version. The number is written once, in CMakeLists.txt's
// project(); CMake generates vigil_version.h (VIGIL_VERSION_MAJOR, _MINOR,
// _PATCH, _STRING, _NUMBER) from it, and everything else reads those.
//
// Example:
//   std::cout << "vigil " << vigil::EngineVersion();   // "0.1.0"
//   static_assert(VIGIL_VERSION_MAJOR == 0, "built for major version 0");
#ifndef VIGIL_VERSION_H_
#define VIGIL_VERSION_H_

#include "vigil/vigil_version.h"

namespace vigil {

// VIGIL_VERSION_STRING ("MAJOR.MINOR.PATCH"); the engine_version of every
// report. Also declared in vigil/engine.h.
const char* EngineVersion();

}  // namespace vigil

#endif  // VIGIL_VERSION_H_
