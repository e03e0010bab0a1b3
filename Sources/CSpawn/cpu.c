// Which of Neural's product kernels this CPU runs, for `handout` to pass on only a `NEURAL_ISA`
// the notebook program can use (Literate does not link Neural). The same test as Neural's
// `neural_isa_supported` (CNeuralKernels/kernels.c).
#include "CSpawn.h"

#include <string.h>

int cspawn_cpu_runs(const char *isa) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (strcmp(isa, "sse2") == 0) return 1;
  if (strcmp(isa, "avx2") == 0) return __builtin_cpu_supports("avx2") ? 1 : 0;
  if (strcmp(isa, "avx512") == 0) return __builtin_cpu_supports("avx512f") ? 1 : 0;
  return 0;
#else
  return strcmp(isa, "sse2") == 0;  // Neural's portable C path answers to this name elsewhere
#endif
}
