#include "vigil/version.h"

namespace vigil {

const char* EngineVersion() { return VIGIL_VERSION_STRING; }

}  // namespace vigil
