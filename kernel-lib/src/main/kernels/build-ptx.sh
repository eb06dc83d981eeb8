#!/usr/bin/env bash
# Regenerates the PTX that kernel-lib ships (executors load it with the CUDA driver's JIT; they need no nvcc):
#   kernel-lib/src/main/kernels/build-ptx.sh            writes src/main/resources/org/axdse/kernel/cuda/lut_kernels.ptx
#   kernel-lib/src/main/kernels/build-ptx.sh OUT.ptx    writes OUT.ptx instead (CudaKernelBuildTest's freshness check)
# Run it after every change to lut_kernels.cu or lut_arith.cuh and commit the result; CudaKernelBuildTest
# fails while the committed PTX differs from what this script generates (with the same nvcc release).
# nvcc: $NVCC, else nvcc on the PATH, else /usr/local/cuda/bin/nvcc.
#
# Flags: compute_75 PTX (Turing and newer, JIT-compiled by the driver for the device at hand); -O3; no
# --use_fast_math, so division stays IEEE (the kernels use __fdiv_rn/__fadd_rn/__fmul_rn anyway) and
# --fmad=false so no plain float expression can ever be contracted into an FMA. No -lineinfo: its .file
# directives carry the source's path and modification time, which would make the output differ per checkout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../resources/org/axdse/kernel/cuda/lut_kernels.ptx}"
nvcc="${NVCC:-}"
if [[ -z "$nvcc" ]]; then
  nvcc="$(command -v nvcc || true)"
fi
if [[ -z "$nvcc" && -x /usr/local/cuda/bin/nvcc ]]; then
  nvcc=/usr/local/cuda/bin/nvcc
fi
if [[ -z "$nvcc" ]]; then
  echo "build-ptx.sh: nvcc not found (set NVCC, or put nvcc on the PATH)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
# Compile from this directory with a relative source name, so nothing machine-specific enters the PTX.
cd "$here"
"$nvcc" -ptx -arch=compute_75 -O3 --fmad=false -o "$out" lut_kernels.cu
echo "wrote $out"
