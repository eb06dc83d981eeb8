// AxDSE LUT kernels: fake-quantization, LUT convolution and LUT dense (ARCHITECTURE.md section 3).
//
// The arithmetic (quantization, index formation, the exact int64 accumulation with its zero-point terms,
// the float output) lives in lut_arith.cuh as __host__ __device__ functions; CudaArithmeticTest compiles
// that header with the host C++ compiler and compares it bit for bit with the Java CPU kernels. The kernels
// below only add the grid-stride loop and the table placement.
//
// Regenerate the packaged PTX (src/main/resources/org/axdse/kernel/cuda/lut_kernels.ptx) with
// build-ptx.sh beside this file; CudaKernelBuildTest fails when the committed copy is stale.
//
// ---------------------------------------------------------------------------------------------------
// Where the 128 KiB table goes, and why
//
// Every product is a gather lut[(a << 8) | w] whose address depends on the data, so the table must sit
// where random 4-byte (or 2-byte) reads are cheapest.
//
// * TFApprox bound the table to a 1-D texture and tiled the convolution 8x8, reaching about 140 GMAC/s on
//   a GTX 1080 for ResNet-8. Textures and __ldg share the same read-only data cache on sm_75+, so a texture
//   buys nothing over __ldg there, and costs a texture object per table.
// * Whole table in shared memory (the *_smem16 kernels): shared memory serves a random gather per thread
//   at register-like latency, with bank conflicts as the only cost, and no traffic to L1/L2 at all after
//   staging. 256 x 256 entries as int16 are exactly 131,072 bytes of dynamic shared memory, which fits the
//   per-block opt-in limit of sm_80 (A100: 163 KiB) and sm_90 (H100: 227 KiB) but not sm_75 (64 KiB),
//   sm_86/sm_89 (99 KiB) or sm_120 (99 KiB): the host must ask the device
//   (CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN >= 131072), not guess from the architecture,
//   and set CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 131072 on the function before launching.
//   16-bit entries cover every mul8u table (0..65535, stored as unsigned, zero-extended) and signed
//   tables whose entries lie in -32768..32767 (sign-extended). With 128 KiB per block only one block fits
//   an SM, so the block is large (1024 threads, __launch_bounds__ caps registers at 64) and the grid is
//   one block per SM: each block stages the table once (8 x 16-byte loads per thread, from L2 after the
//   first block) and then walks its share of the outputs with a grid-stride loop.
// * Read-only data cache (the *_ldg kernels): the int32 table (256 KiB) through __ldg. Used where the
//   smem16 kernels cannot be: sm_75 and the 99 KiB parts, and int32 tables (signed entries beyond int16).
//   A layer touches few distinct weight codes per thread block (one filter per output channel), so the
//   live part of the table is a few 1 KiB columns per warp and stays in L1/L2.
// * Per-block row staging (copying only the rows of the codes a block needs) was not chosen: activation
//   codes are data-dependent and span most of the 256 rows in any real layer, so a block would stage
//   nearly the whole table anyway, with an extra pass to find the rows.
//
// Thread mapping: one thread per output element, ox fastest (NCHW) / o fastest (dense), so neighbouring
// threads read neighbouring input codes (coalesced) and the same filter bytes (broadcast).
// ---------------------------------------------------------------------------------------------------

#include "lut_arith.cuh"

/** Most threads per block of the *_smem16 kernels (__launch_bounds__); the host launches this many. */
#define AXDSE_SMEM16_THREADS 1024
/** Bytes of dynamic shared memory the *_smem16 kernels need: the whole table as 16-bit entries. */
#define AXDSE_SMEM16_BYTES (65536 * 2)

/** Copies the 16-bit table (131,072 bytes, 16-byte aligned) from global to shared memory, 16 bytes at a time. */
__device__ inline void axdse_stage_lut16(const short* __restrict__ lut16, unsigned short* shared) {
    const int4* src = reinterpret_cast<const int4*>(lut16);
    int4* dst = reinterpret_cast<int4*>(shared);
    for (int i = threadIdx.x; i < AXDSE_SMEM16_BYTES / 16; i += blockDim.x) {
        dst[i] = __ldg(src + i);
    }
    __syncthreads();
}

extern "C" __global__ void axdse_quantize(const float* __restrict__ x, unsigned char* __restrict__ codes, long long n,
                                          int scheme, float scale, int zero) {
    long long step = (long long) gridDim.x * blockDim.x;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
        codes[i] = (unsigned char) axdse_quantize_pattern(__ldg(x + i), scheme, scale, zero);
    }
}

#define AXDSE_CONV_PARAMS                                                                                          \
    const float* __restrict__ wscale, const int* __restrict__ wzero, const float* __restrict__ bias,               \
        float* __restrict__ out, int scheme, float in_scale, int in_zero, int N, int C, int H, int W, int O, int KH, \
        int KW, int OH, int OW, int strideH, int strideW, int padTop, int padLeft, int dilH, int dilW, int groups

#define AXDSE_CONV_STRUCT                                                                                          \
    AxdseConv g = {scheme, in_zero, N, C, H, W, O, KH, KW, OH, OW, strideH, strideW, padTop, padLeft, dilH, dilW,   \
                   groups}

#define AXDSE_DENSE_PARAMS                                                                                         \
    const float* __restrict__ wscale, const int* __restrict__ wzero, const float* __restrict__ bias,               \
        float* __restrict__ out, int scheme, float in_scale, int in_zero, int N, int K, int O

/**
 * The grid-stride loop of a convolution: every output element, and its exact accumulator into acc[i] when acc is
 * not null (the *_acc kernels; the plain kernels pass a constant null, so the store is compiled out).
 */
template <class Lut>
__device__ inline void axdse_conv_loop(const AxdseConv& g, const unsigned char* __restrict__ codes,
                                       const unsigned char* __restrict__ wcodes, const Lut& table,
                                       const float* __restrict__ wscale, const int* __restrict__ wzero,
                                       const float* __restrict__ bias, float* __restrict__ out, float in_scale,
                                       long long* __restrict__ acc) {
    long long total = axdse_conv_outputs(g);
    long long step = (long long) gridDim.x * blockDim.x;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += step) {
        out[i] = axdse_conv_element(g, codes, wcodes, table, wscale, wzero, bias, in_scale, i, acc ? acc + i : (long long*) 0);
    }
}

/** The grid-stride loop of a dense layer, as axdse_conv_loop. */
template <class Lut>
__device__ inline void axdse_dense_loop(const AxdseDense& d, const unsigned char* __restrict__ codes,
                                        const unsigned char* __restrict__ wcodes, const Lut& table,
                                        const float* __restrict__ wscale, const int* __restrict__ wzero,
                                        const float* __restrict__ bias, float* __restrict__ out, float in_scale,
                                        long long* __restrict__ acc) {
    long long total = (long long) d.N * d.O;
    long long step = (long long) gridDim.x * blockDim.x;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += step) {
        out[i] = axdse_dense_element(d, codes, wcodes, table, wscale, wzero, bias, in_scale, i, acc ? acc + i : (long long*) 0);
    }
}

extern "C" __global__ void axdse_lut_conv2d_ldg(const unsigned char* __restrict__ codes,
                                                const unsigned char* __restrict__ wcodes, const int* __restrict__ lut,
                                                AXDSE_CONV_PARAMS) {
    AXDSE_CONV_STRUCT;
    AxdseLutInt32 table = {lut};
    axdse_conv_loop(g, codes, wcodes, table, wscale, wzero, bias, out, in_scale, (long long*) 0);
}

extern "C" __global__ void __launch_bounds__(AXDSE_SMEM16_THREADS)
axdse_lut_conv2d_smem16(const unsigned char* __restrict__ codes, const unsigned char* __restrict__ wcodes,
                        const short* __restrict__ lut16, AXDSE_CONV_PARAMS) {
    extern __shared__ int4 axdse_shared_conv[];
    unsigned short* shared = reinterpret_cast<unsigned short*>(axdse_shared_conv);
    axdse_stage_lut16(lut16, shared);
    AXDSE_CONV_STRUCT;
    AxdseLut16 table = {shared, scheme != AXDSE_UNSIGNED_AFFINE};
    axdse_conv_loop(g, codes, wcodes, table, wscale, wzero, bias, out, in_scale, (long long*) 0);
}

extern "C" __global__ void axdse_lut_dense_ldg(const unsigned char* __restrict__ codes,
                                               const unsigned char* __restrict__ wcodes, const int* __restrict__ lut,
                                               AXDSE_DENSE_PARAMS) {
    AxdseDense d = {scheme, in_zero, N, K, O};
    AxdseLutInt32 table = {lut};
    axdse_dense_loop(d, codes, wcodes, table, wscale, wzero, bias, out, in_scale, (long long*) 0);
}

extern "C" __global__ void __launch_bounds__(AXDSE_SMEM16_THREADS)
axdse_lut_dense_smem16(const unsigned char* __restrict__ codes, const unsigned char* __restrict__ wcodes,
                       const short* __restrict__ lut16, AXDSE_DENSE_PARAMS) {
    extern __shared__ int4 axdse_shared_dense[];
    unsigned short* shared = reinterpret_cast<unsigned short*>(axdse_shared_dense);
    axdse_stage_lut16(lut16, shared);
    AxdseDense d = {scheme, in_zero, N, K, O};
    AxdseLut16 table = {shared, scheme != AXDSE_UNSIGNED_AFFINE};
    axdse_dense_loop(d, codes, wcodes, table, wscale, wzero, bias, out, in_scale, (long long*) 0);
}

// ---------------------------------------------------------------------------------------------------
// The *_acc kernels: the kernels above with one more parameter, acc (long long[outputs]), which receives each
// output's exact int64 accumulator beside the float output. Not on the evaluation path: the GPU check
// (org.axdse.kernel.cuda.check.GpuCheck) compares them with CpuLutConv2d/CpuLutDense.accumulators.

extern "C" __global__ void axdse_lut_conv2d_acc_ldg(const unsigned char* __restrict__ codes,
                                                    const unsigned char* __restrict__ wcodes,
                                                    const int* __restrict__ lut, AXDSE_CONV_PARAMS,
                                                    long long* __restrict__ acc) {
    AXDSE_CONV_STRUCT;
    AxdseLutInt32 table = {lut};
    axdse_conv_loop(g, codes, wcodes, table, wscale, wzero, bias, out, in_scale, acc);
}

extern "C" __global__ void __launch_bounds__(AXDSE_SMEM16_THREADS)
axdse_lut_conv2d_acc_smem16(const unsigned char* __restrict__ codes, const unsigned char* __restrict__ wcodes,
                            const short* __restrict__ lut16, AXDSE_CONV_PARAMS, long long* __restrict__ acc) {
    extern __shared__ int4 axdse_shared_conv[];
    unsigned short* shared = reinterpret_cast<unsigned short*>(axdse_shared_conv);
    axdse_stage_lut16(lut16, shared);
    AXDSE_CONV_STRUCT;
    AxdseLut16 table = {shared, scheme != AXDSE_UNSIGNED_AFFINE};
    axdse_conv_loop(g, codes, wcodes, table, wscale, wzero, bias, out, in_scale, acc);
}

extern "C" __global__ void axdse_lut_dense_acc_ldg(const unsigned char* __restrict__ codes,
                                                   const unsigned char* __restrict__ wcodes,
                                                   const int* __restrict__ lut, AXDSE_DENSE_PARAMS,
                                                   long long* __restrict__ acc) {
    AxdseDense d = {scheme, in_zero, N, K, O};
    AxdseLutInt32 table = {lut};
    axdse_dense_loop(d, codes, wcodes, table, wscale, wzero, bias, out, in_scale, acc);
}

extern "C" __global__ void __launch_bounds__(AXDSE_SMEM16_THREADS)
axdse_lut_dense_acc_smem16(const unsigned char* __restrict__ codes, const unsigned char* __restrict__ wcodes,
                           const short* __restrict__ lut16, AXDSE_DENSE_PARAMS, long long* __restrict__ acc) {
    extern __shared__ int4 axdse_shared_dense[];
    unsigned short* shared = reinterpret_cast<unsigned short*>(axdse_shared_dense);
    axdse_stage_lut16(lut16, shared);
    AxdseDense d = {scheme, in_zero, N, K, O};
    AxdseLut16 table = {shared, scheme != AXDSE_UNSIGNED_AFFINE};
    axdse_dense_loop(d, codes, wcodes, table, wscale, wzero, bias, out, in_scale, acc);
}
