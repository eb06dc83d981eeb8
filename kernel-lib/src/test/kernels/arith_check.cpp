// Host driver of CudaArithmeticTest: runs the CUDA kernels' arithmetic core (src/main/kernels/lut_arith.cuh)
// on the CPU, through the very functions the kernel bodies call, so the Java test can compare every code,
// accumulator and output bit for bit with the Java CPU kernels.
//
// Build: g++ -O2 -std=c++17 -ffp-contract=off -fno-fast-math -I src/main/kernels -o arith_check arith_check.cpp
// Usage: arith_check IN OUT. All numbers little-endian; IN starts with an int32 mode:
//   1 quantize: int32 count, then count x (float x, int32 scheme, float scale, int32 zero)
//       -> OUT: count int32, what axdse_quantize_pattern returns (the code patterns 0..255)
//   2 conv: int32 scheme, float in_scale, int32 in_zero, int32 N C H W O KH KW OH OW strideH strideW padTop
//       padLeft dilH dilW groups, float input[N*C*H*W], uint8 wcodes[O*K], float wscale[O], int32 wzero[O],
//       float bias[O], int32 lut[65536]
//   3 dense: int32 scheme, float in_scale, int32 in_zero, int32 N K O, float input[N*K], then as conv
//   4 positions: int32 N O OH OW, int32 count, int64 index[count] -> OUT: per index int32 n oc oy ox (conv,
//       axdse_conv_position) and int64 n, int32 o (dense with outputs O, axdse_dense_element's split)
//   conv/dense -> OUT: uint8 codes[inputs], int64 acc[outputs], float out[outputs] (int32 table, the *_ldg
//       kernels' path), int32 fits16, and when fits16 != 0 int64 acc16[outputs], float out16[outputs]
//       (the table stored as 16 bits, the *_smem16 kernels' path)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "lut_arith.cuh"

namespace {

FILE* in;
FILE* out;

void fail(const char* what) {
    std::fprintf(stderr, "arith_check: %s\n", what);
    std::exit(2);
}

template <class T>
T read1() {
    T v;
    if (std::fread(&v, sizeof v, 1, in) != 1) {
        fail("input file too short");
    }
    return v;
}

template <class T>
std::vector<T> readN(long long n) {
    std::vector<T> v((size_t) n);
    if (n > 0 && std::fread(v.data(), sizeof(T), (size_t) n, in) != (size_t) n) {
        fail("input file too short");
    }
    return v;
}

template <class T>
void write(const T* p, long long n) {
    if (n > 0 && std::fwrite(p, sizeof(T), (size_t) n, out) != (size_t) n) {
        fail("cannot write the output file");
    }
}

struct Layer {
    int scheme;
    float in_scale;
    int in_zero;
    std::vector<float> input;
    std::vector<unsigned char> wcodes;
    std::vector<float> wscale;
    std::vector<int> wzero;
    std::vector<float> bias;
    std::vector<int> lut;
    std::vector<unsigned char> codes;
    std::vector<unsigned short> lut16;
    bool fits16 = true;

    void readOperands(long long inputs, long long weights, int outChannels) {
        input = readN<float>(inputs);
        wcodes = readN<unsigned char>(weights);
        wscale = readN<float>(outChannels);
        wzero = readN<int>(outChannels);
        bias = readN<float>(outChannels);
        lut = readN<int>(65536);
        codes.resize((size_t) inputs);
        for (long long i = 0; i < inputs; i++) {
            codes[(size_t) i] = (unsigned char) axdse_quantize_pattern(input[(size_t) i], scheme, in_scale, in_zero);
        }
        lut16.resize(65536);
        for (int i = 0; i < 65536; i++) {
            fits16 = fits16 && axdse_fits16(lut[i], scheme);
            lut16[i] = (unsigned short) (lut[i] & 0xFFFF); // the host's staging rule: the low 16 bits
        }
    }

    /** Runs element(lutAccessor, index, &acc) for every output; writes acc then out. */
    template <class Element>
    void emit(long long outputs, Element element) {
        std::vector<long long> acc((size_t) outputs);
        std::vector<float> y((size_t) outputs);
        AxdseLutInt32 t32 = {lut.data()};
        for (long long i = 0; i < outputs; i++) {
            y[(size_t) i] = element(t32, i, &acc[(size_t) i]);
        }
        write(codes.data(), (long long) codes.size());
        write(acc.data(), outputs);
        write(y.data(), outputs);
        int f = fits16 ? 1 : 0;
        write(&f, 1);
        if (fits16) {
            AxdseLut16 t16 = {lut16.data(), scheme != AXDSE_UNSIGNED_AFFINE};
            for (long long i = 0; i < outputs; i++) {
                y[(size_t) i] = element(t16, i, &acc[(size_t) i]);
            }
            write(acc.data(), outputs);
            write(y.data(), outputs);
        }
    }
};

void quantize() {
    int count = read1<int>();
    std::vector<int> codes((size_t) count);
    for (int i = 0; i < count; i++) {
        float x = read1<float>();
        int scheme = read1<int>();
        float scale = read1<float>();
        int zero = read1<int>();
        codes[(size_t) i] = axdse_quantize_pattern(x, scheme, scale, zero);
    }
    write(codes.data(), count);
}

void conv() {
    Layer l;
    l.scheme = read1<int>();
    l.in_scale = read1<float>();
    l.in_zero = read1<int>();
    AxdseConv g;
    g.scheme = l.scheme;
    g.in_zero = l.in_zero;
    int* fields[] = {&g.N, &g.C, &g.H, &g.W, &g.O, &g.KH, &g.KW, &g.OH, &g.OW, &g.strideH, &g.strideW,
                     &g.padTop, &g.padLeft, &g.dilH, &g.dilW, &g.groups};
    for (int* f : fields) {
        *f = read1<int>();
    }
    long long taps = (long long) (g.C / g.groups) * g.KH * g.KW;
    l.readOperands((long long) g.N * g.C * g.H * g.W, g.O * taps, g.O);
    l.emit(axdse_conv_outputs(g), [&](const auto& table, long long i, long long* acc) {
        return axdse_conv_element(g, l.codes.data(), l.wcodes.data(), table, l.wscale.data(), l.wzero.data(),
                                  l.bias.data(), l.in_scale, i, acc);
    });
}

void dense() {
    Layer l;
    l.scheme = read1<int>();
    l.in_scale = read1<float>();
    l.in_zero = read1<int>();
    AxdseDense d;
    d.scheme = l.scheme;
    d.in_zero = l.in_zero;
    d.N = read1<int>();
    d.K = read1<int>();
    d.O = read1<int>();
    l.readOperands((long long) d.N * d.K, (long long) d.O * d.K, d.O);
    l.emit((long long) d.N * d.O, [&](const auto& table, long long i, long long* acc) {
        return axdse_dense_element(d, l.codes.data(), l.wcodes.data(), table, l.wscale.data(), l.wzero.data(),
                                   l.bias.data(), l.in_scale, i, acc);
    });
}

void positions() {
    AxdseConv g = {};
    g.N = read1<int>();
    g.O = read1<int>();
    g.OH = read1<int>();
    g.OW = read1<int>();
    int count = read1<int>();
    for (int i = 0; i < count; i++) {
        long long index = read1<long long>();
        AxdseOutputPosition p = axdse_conv_position(g, index);
        int conv[] = {p.n, p.oc, p.oy, p.ox};
        write(conv, 4);
        long long n;
        int o;
        axdse_dense_split(g.O, index, &n, &o);
        write(&n, 1);
        write(&o, 1);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        fail("usage: arith_check IN OUT");
    }
    in = std::fopen(argv[1], "rb");
    if (!in) {
        fail("cannot open the input file");
    }
    out = std::fopen(argv[2], "wb");
    if (!out) {
        fail("cannot open the output file");
    }
    int mode = read1<int>();
    switch (mode) {
        case 1: quantize(); break;
        case 2: conv(); break;
        case 3: dense(); break;
        case 4: positions(); break;
        default: fail("unknown mode");
    }
    if (std::fclose(out) != 0) {
        fail("cannot write the output file");
    }
    std::fclose(in);
    return 0;
}
