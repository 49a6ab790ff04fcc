// A C++ host of an installed Vigil engine (vigil::vigil_cpp): loads and
// compiles a rule pack. Usage: cpp_host RULES_FILE
#include <iostream>

#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/version.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: cpp_host RULES_FILE\n";
    return 2;
  }
  auto rules = vigil::LoadRuleSet(argv[1]);
  if (!rules.ok()) {
    std::cerr << rules.status() << "\n";
    return 1;
  }
  auto engine = vigil::Engine::Create(*rules);
  if (!engine.ok()) {
    std::cerr << engine.status() << "\n";
    return 1;
  }
  std::cout << "vigil " << vigil::EngineVersion()
            << " (C++): " << rules->rules_size() << " rules compiled\n";
  return 0;
}
