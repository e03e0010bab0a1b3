#!/bin/sh
# `make same-bits`: renders the course once normally and once under each condition that must not
# change a handout, and compares the output trees byte for byte (issue 16):
#   - GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA,-AVX2   glibc's code for a CPU without FMA or AVX2
#   - NEURAL_THREADS=1                             one thread instead of every core
#   - NEURAL_ISA=sse2|avx2|avx512                  each product kernel this CPU can run
# Each render is fresh (its own cache; the cache key does not include the environment).
# The handouts carry no timings or dates, so nothing is redacted; a difference is a failure. It also
# checks that the objects of the product kernels and the vector math have no FMA instruction.
#
# usage: bench/same-bits.sh HANDOUT_BINARY [NOTEBOOKS] [WORK_DIR]
set -u
bin=${1:?usage: bench/same-bits.sh HANDOUT_BINARY [NOTEBOOKS] [WORK_DIR]}
notebooks=${2:-notebooks}
work=${3:-$(mktemp -d)}
mkdir -p "$work"

variants="base:"
variants="$variants glibc-no-fma:GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA,-AVX2"
variants="$variants one-thread:NEURAL_THREADS=1"
variants="$variants isa-sse2:NEURAL_ISA=sse2"
grep -qw avx2 /proc/cpuinfo && variants="$variants isa-avx2:NEURAL_ISA=avx2"
grep -qw avx512f /proc/cpuinfo && variants="$variants isa-avx512:NEURAL_ISA=avx512"

status=0
# The product kernels, the vector math and the sums of squares must have no fused multiply-add (an FMA rounds once where
# the others round twice).
for object in "$(dirname "$bin")"/CNeuralKernels.build/kernels.c.o "$(dirname "$bin")"/CNeuralKernels.build/vector_math.c.o \
  "$(dirname "$bin")"/CNeuralKernels.build/sums.c.o; do
  if [ -f "$object" ] && command -v objdump >/dev/null; then
    if objdump -d "$object" | grep -qE 'vfn?m(add|sub)'; then
      printf 'same-bits: %s contains FMA instructions\n' "$object"
      status=1
    else
      printf 'same-bits: %s: no FMA instructions\n' "$object"
    fi
  fi
done
for v in $variants; do
  name=${v%%:*}
  setting=${v#*:}
  rm -rf "$work/$name" "$work/cache-$name"
  printf 'same-bits: rendering %s %s\n' "$name" "${setting:+($setting)}"
  if ! env $setting "$bin" render "$notebooks" --out "$work/$name" --cache "$work/cache-$name" --fresh \
    >"$work/$name.log" 2>&1; then
    printf 'same-bits: %s: render failed (see %s)\n' "$name" "$work/$name.log"
    status=1
  fi
  if [ "$name" != base ]; then
    if diff -r "$work/base" "$work/$name" >"$work/$name.diff" 2>&1; then
      printf 'same-bits: %s: identical to base\n' "$name"
    else
      printf 'same-bits: %s: DIFFERS from base:\n' "$name"
      head -n 20 "$work/$name.diff"
      status=1
    fi
  fi
done
[ $status -eq 0 ] && printf 'same-bits: every handout, figure and page identical (%s)\n' "$work"
[ $status -ne 0 ] && printf 'same-bits: FAILED (renders and diffs in %s)\n' "$work"
exit $status
