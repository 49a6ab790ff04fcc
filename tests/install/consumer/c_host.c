/* A C host of an installed libvigil: the header's version is the library's,
 * and the rule pack given compiles. Usage: c_host RULES_FILE */
#include <stdio.h>
#include <string.h>
#include <vigil/vigil.h>

int main(int argc, char** argv) {
  vigil_engine* engine = NULL;
  char* error = NULL;
  int status;
  if (argc != 2) {
    fprintf(stderr, "usage: c_host RULES_FILE\n");
    return 2;
  }
  if (strcmp(vigil_version(), VIGIL_VERSION_STRING) != 0) {
    fprintf(stderr, "header %s, library %s\n", VIGIL_VERSION_STRING,
            vigil_version());
    return 1;
  }
  status = vigil_engine_create_from_file(argv[1], &engine, &error);
  if (status != VIGIL_OK) {
    fprintf(stderr, "%s: %s\n", vigil_status_name(status), error);
    vigil_free(error);
    return 1;
  }
  vigil_engine_destroy(engine);
  printf("vigil %s: pack compiled\n", vigil_version());
  return 0;
}
