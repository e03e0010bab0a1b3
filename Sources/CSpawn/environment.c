#define _GNU_SOURCE
#include "CSpawn.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

uintptr_t arguments_start = 0, arguments_end = 0;

/// The kernel's bounds of this process's command line and environment blocks (/proc/self/stat
/// fields 48 to 51).
static int process_blocks(uintptr_t *arguments, uintptr_t *arguments_stop, uintptr_t *start,
                          uintptr_t *end) {
  FILE *file = fopen("/proc/self/stat", "re");
  if (!file) return -1;
  char line[4096];
  size_t n = fread(line, 1, sizeof line - 1, file);
  fclose(file);
  line[n] = 0;
  char *p = strrchr(line, ')');
  if (!p) return -1;
  // Field 2 ends at `)`; the fields after it are 3, 4, …
  unsigned long long values[52] = {0};
  int field = 2;
  for (char *token = strtok(p + 1, " \n"); token && field < 51; token = strtok(NULL, " \n")) {
    field++;
    values[field] = strtoull(token, NULL, 10);
  }
  if (field < 51 || values[50] == 0 || values[51] <= values[50]) return -1;
  if (values[48] != 0 && values[49] > values[48]) {
    *arguments = (uintptr_t)values[48];
    *arguments_stop = (uintptr_t)values[49];
  }
  *start = (uintptr_t)values[50];
  *end = (uintptr_t)values[51];
  return 0;
}

void cspawn_hide_environment(void) {
  uintptr_t start = 0, end = 0;
  if (process_blocks(&arguments_start, &arguments_end, &start, &end) != 0) return;
  size_t count = 0;
  for (char **e = environ; e && *e; e++) count++;
  char **copies = calloc(count + 1, sizeof *copies);
  if (!copies) return;
  for (size_t i = 0; i < count; i++) {
    copies[i] = strdup(environ[i]);
    if (!copies[i]) {
      for (size_t j = 0; j < i; j++) free(copies[j]);
      free(copies);
      return;
    }
  }
  clearenv();
  // putenv keeps the heap copies as the environment's strings; nothing points into the block now.
  for (size_t i = 0; i < count; i++) putenv(copies[i]);
  free(copies);
  memset((void *)start, 0, end - start);
}

