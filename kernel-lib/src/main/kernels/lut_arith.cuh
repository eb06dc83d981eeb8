// AxDSE LUT kernels: the arithmetic core (ARCHITECTURE.md section 3), shared by the CUDA kernels
// (lut_kernels.cu) and by the host check (src/test/kernels/arith_check.cpp), which compiles this file
// with the system C++ compiler and compares every result bit for bit with the Java CPU kernels
// (CudaArithmeticTest). Everything a kernel computes per element lives here; the kernels only add the
// grid-stride loop and the table placement.
//
// Exactness rules, mirrored from the Java code:
//  * float arithmetic is IEEE float32, round to nearest, in the Java expression order, never contracted
//    into FMA: on the device through the explicit __fdiv_rn/__fadd_rn/__fmul_rn intrinsics (immune to
//    -fmad and --use_fast_math), on the host through plain operators compiled with -ffp-contract=off.
//  * integer sums are exact in 64 bits (long long), whatever the table's entries.
#ifndef AXDSE_LUT_ARITH_CUH
#define AXDSE_LUT_ARITH_CUH

#ifdef __CUDACC__
#define AXDSE_HD __host__ __device__
#else
#define AXDSE_HD
#include <cmath>
#endif

/** Quantization scheme numbers of the kernel ABI (QuantScheme.ordinal()). */
#define AXDSE_UNSIGNED_AFFINE 0
#define AXDSE_SIGNED_SYMMETRIC 1

// ---------------------------------------------------------------------------------------------------
// IEEE float32 primitives, round to nearest even, no contraction.

AXDSE_HD inline float axdse_fdiv(float a, float b) {
#ifdef __CUDA_ARCH__
    return __fdiv_rn(a, b);
#else
    return a / b;
#endif
}

AXDSE_HD inline float axdse_fadd(float a, float b) {
#ifdef __CUDA_ARCH__
    return __fadd_rn(a, b);
#else
    return a + b;
#endif
}

AXDSE_HD inline float axdse_fmul(float a, float b) {
#ifdef __CUDA_ARCH__
    return __fmul_rn(a, b);
#else
    return a * b;
#endif
}

/** Java's (float) of a long: round to nearest even. */
AXDSE_HD inline float axdse_ll2float(long long v) {
#ifdef __CUDA_ARCH__
    return __ll2float_rn(v);
#else
    return (float) v; // cvtsi2ss under the default MXCSR rounding mode: to nearest even
#endif
}

AXDSE_HD inline float axdse_floor(float v) {
#ifdef __CUDA_ARCH__
    return floorf(v);
#else
    return std::floor(v);
#endif
}

/** Round half to even (Java's Math.rint, PyTorch's rounding), under the default rounding mode. */
AXDSE_HD inline float axdse_rint(float v) {
#ifdef __CUDA_ARCH__
    return rintf(v);
#else
    return std::nearbyint(v);
#endif
}

/** Read-only global load: through the read-only data cache on the device. */
template <class T>
AXDSE_HD inline T axdse_ldg(const T* p) {
#ifdef __CUDA_ARCH__
    return __ldg(p);
#else
    return *p;
#endif
}

// ---------------------------------------------------------------------------------------------------
// Quantization (QuantParams.quantize), returning the code's byte pattern 0..255.

/**
 * scheme 0, unsigned-affine: t = floor(x / scale + zero + 0.5f), each step rounded to float, clamped to
 * 0..255; scheme 1, signed-symmetric: t = round_half_even(x / scale) clamped to -128..127, returned as its
 * byte pattern. NaN gives code 0 in both (as Java's (int) NaN does); +-inf clamp.
 */
AXDSE_HD inline int axdse_quantize_pattern(float x, int scheme, float scale, int zero) {
    if (scheme == AXDSE_UNSIGNED_AFFINE) {
        float t = axdse_floor(axdse_fadd(axdse_fadd(axdse_fdiv(x, scale), (float) zero), 0.5f));
        if (t != t) {
            return 0;
        }
        return t <= 0.0f ? 0 : t >= 255.0f ? 255 : (int) t;
    }
    float t = axdse_rint(axdse_fdiv(x, scale));
    if (t != t) {
        return 0;
    }
    int q = t <= -128.0f ? -128 : t >= 127.0f ? 127 : (int) t;
    return q & 0xFF;
}

/** The operand value of a byte pattern (Signedness.codeOf): unsigned p, signed (signed char) p. */
AXDSE_HD inline int axdse_code_of(int pattern, int scheme) {
    return scheme == AXDSE_UNSIGNED_AFFINE ? (pattern & 0xFF) : (int) (signed char) (pattern & 0xFF);
}

/** The byte pattern that padded taps (real zeros) take: the activation zero point's pattern. */
AXDSE_HD inline int axdse_zero_pattern(int in_zero) {
    return in_zero & 0xFF;
}

// ---------------------------------------------------------------------------------------------------
// Table access. Entries are indexed (a << 8) | w by the operands' byte patterns.

/** An int32 table in global memory, read through the read-only data cache. */
struct AxdseLutInt32 {
    const int* entries;
    AXDSE_HD inline int operator()(int index) const {
        return axdse_ldg(entries + index);
    }
};

/**
 * A table stored as 16 bits per entry (in shared memory on the device): zero-extended for unsigned tables
 * (entries 0..65535, which every mul8u table satisfies), sign-extended for signed ones (entries
 * -32768..32767). The host stores each entry's low 16 bits.
 */
struct AxdseLut16 {
    const unsigned short* entries;
    int sign_extend;
    AXDSE_HD inline int operator()(int index) const {
        int v = entries[index];
        return sign_extend ? (int) (short) v : v;
    }
};

/** Whether an entry can be stored in a 16-bit table for this scheme (the host's rule for the smem16 kernels). */
AXDSE_HD inline bool axdse_fits16(int entry, int scheme) {
    return scheme == AXDSE_UNSIGNED_AFFINE ? entry >= 0 && entry <= 65535 : entry >= -32768 && entry <= 32767;
}

// ---------------------------------------------------------------------------------------------------
// Accumulation and output.

/**
 * The exact accumulator from its three sums (ARCHITECTURE.md section 3):
 * acc = sum lut[qa][qw] - zw*sum qa - za*sum qw + K*za*zw (all zero points 0 for signed-symmetric).
 */
AXDSE_HD inline long long axdse_correct(long long lut_sum, long long sum_a, long long sum_w, long long taps,
                                        int in_zero, int w_zero) {
    return lut_sum - (long long) w_zero * sum_a - (long long) in_zero * sum_w + taps * in_zero * w_zero;
}

/** The float output (ConvOutput.emit): (sa * sw) * (float) acc + bias, each step rounded, no FMA. */
AXDSE_HD inline float axdse_output(float in_scale, float w_scale, long long acc, float bias) {
    return axdse_fadd(axdse_fmul(axdse_fmul(in_scale, w_scale), axdse_ll2float(acc)), bias);
}

/** Convolution shape and quantization, as the kernels receive them (see lut_kernels.cu). */
struct AxdseConv {
    int scheme;
    int in_zero;
    int N, C, H, W, O, KH, KW, OH, OW;
    int strideH, strideW, padTop, padLeft, dilH, dilW, groups;
};

/** Outputs of a convolution: N * O * OH * OW. */
AXDSE_HD inline long long axdse_conv_outputs(const AxdseConv& g) {
    return (long long) g.N * g.O * g.OH * g.OW;
}

/** Position (n, oc, oy, ox) of NCHW output element {@code index} (ox fastest). */
struct AxdseOutputPosition {
    int n, oc, oy, ox;
};

AXDSE_HD inline AxdseOutputPosition axdse_conv_position(const AxdseConv& g, long long index) {
    AxdseOutputPosition p;
    if (index <= 0x7fffffffLL) { // 32-bit division: a fraction of the cost of 64-bit division on the device
        int i = (int) index;
        p.ox = i % g.OW;
        i /= g.OW;
        p.oy = i % g.OH;
        i /= g.OH;
        p.oc = i % g.O;
        p.n = i / g.O;
    } else {
        p.ox = (int) (index % g.OW);
        long long r = index / g.OW;
        p.oy = (int) (r % g.OH);
        r /= g.OH;
        p.oc = (int) (r % g.O);
        p.n = (int) (r / g.O);
    }
    return p;
}

/**
 * The exact accumulator of the output at {@code p}, from NCHW input code patterns and OIHW weight
 * patterns. Taps in weight order (channel of the group, kernel row, kernel column); a tap outside the
 * input is a real zero, i.e. the activation zero point, and still goes through the table.
 */
template <class Lut>
AXDSE_HD inline long long axdse_conv_acc(const AxdseConv& g, const unsigned char* codes,
                                         const unsigned char* wcodes, const Lut& lut, int w_zero,
                                         AxdseOutputPosition p) {
    int cg = g.C / g.groups;
    int grp = p.oc / (g.O / g.groups);
    int taps = cg * g.KH * g.KW;
    int pad_pattern = axdse_zero_pattern(g.in_zero);
    int y0 = p.oy * g.strideH - g.padTop;
    int x0 = p.ox * g.strideW - g.padLeft;
    const unsigned char* image = codes + ((long long) p.n * g.C + (long long) grp * cg) * g.H * g.W;
    const unsigned char* filter = wcodes + (long long) p.oc * taps;

    long long lut_sum = 0;
    long long sum_a = 0;
    long long sum_w = 0;
    for (int c = 0; c < cg; c++) {
        const unsigned char* plane = image + (long long) c * g.H * g.W;
        for (int kh = 0; kh < g.KH; kh++) {
            int iy = y0 + kh * g.dilH;
            bool row_inside = iy >= 0 && iy < g.H;
            for (int kw = 0; kw < g.KW; kw++) {
                int ix = x0 + kw * g.dilW;
                int a = row_inside && ix >= 0 && ix < g.W ? (int) axdse_ldg(plane + iy * g.W + ix) : pad_pattern;
                int w = axdse_ldg(filter);
                filter++;
                lut_sum += lut((a << 8) | w);
                sum_a += axdse_code_of(a, g.scheme);
                sum_w += axdse_code_of(w, g.scheme);
            }
        }
    }
    return axdse_correct(lut_sum, sum_a, sum_w, taps, g.in_zero, w_zero);
}

/** NCHW output element {@code index} of the convolution as a float; its accumulator in {@code *acc} when not null. */
template <class Lut>
AXDSE_HD inline float axdse_conv_element(const AxdseConv& g, const unsigned char* codes,
                                         const unsigned char* wcodes, const Lut& lut, const float* wscale,
                                         const int* wzero, const float* bias, float in_scale, long long index,
                                         long long* acc) {
    AxdseOutputPosition p = axdse_conv_position(g, index);
    long long a = axdse_conv_acc(g, codes, wcodes, lut, axdse_ldg(wzero + p.oc), p);
    if (acc) {
        *acc = a;
    }
    return axdse_output(in_scale, axdse_ldg(wscale + p.oc), a, axdse_ldg(bias + p.oc));
}

/** Dense layer shape and quantization: input [N, K], weights [O, K], output [N, O]. */
struct AxdseDense {
    int scheme;
    int in_zero;
    int N, K, O;
};

/** Row n and column o of dense output element {@code index} = n * O + o. */
AXDSE_HD inline void axdse_dense_split(int O, long long index, long long* n, int* o) {
    if (index <= 0x7fffffffLL) { // 32-bit division where it suffices, as in axdse_conv_position
        *o = (int) index % O;
        *n = (int) index / O;
    } else {
        *o = (int) (index % O);
        *n = index / O;
    }
}

/** The exact accumulator of dense output (n, o). */
template <class Lut>
AXDSE_HD inline long long axdse_dense_acc(const AxdseDense& d, const unsigned char* codes,
                                          const unsigned char* wcodes, const Lut& lut, int w_zero, long long n,
                                          int o) {
    const unsigned char* x = codes + n * d.K;
    const unsigned char* w = wcodes + (long long) o * d.K;
    long long lut_sum = 0;
    long long sum_a = 0;
    long long sum_w = 0;
    for (int k = 0; k < d.K; k++) {
        int a = axdse_ldg(x + k);
        int b = axdse_ldg(w + k);
        lut_sum += lut((a << 8) | b);
        sum_a += axdse_code_of(a, d.scheme);
        sum_w += axdse_code_of(b, d.scheme);
    }
    return axdse_correct(lut_sum, sum_a, sum_w, d.K, d.in_zero, w_zero);
}

/** Dense output element {@code index} = n * O + o as a float; its accumulator in {@code *acc} when not null. */
template <class Lut>
AXDSE_HD inline float axdse_dense_element(const AxdseDense& d, const unsigned char* codes,
                                          const unsigned char* wcodes, const Lut& lut, const float* wscale,
                                          const int* wzero, const float* bias, float in_scale, long long index,
                                          long long* acc) {
    int o;
    long long n;
    axdse_dense_split(d.O, index, &n, &o);
    long long a = axdse_dense_acc(d, codes, wcodes, lut, axdse_ldg(wzero + o), n, o);
    if (acc) {
        *acc = a;
    }
    return axdse_output(in_scale, axdse_ldg(wscale + o), a, axdse_ldg(bias + o));
}

#endif // AXDSE_LUT_ARITH_CUH
