// llama-jvm-probe: test-runs one ggml backend module (a CPU variant such as libggml-cpu-zen4.so, or a
// GPU backend) in a process of its own, so the JVM never commits to a module that kills it.
//
// Some machines advertise instructions their (virtual) CPU then refuses: ggml scores its CPU
// variants by cpuid alone and llama.cpp dies of SIGILL in the first matrix product (AMX tile
// instructions on this project's build machines). A GPU module may lack its driver. The Java loader
// runs this program on each candidate, best first, and loads the first that passes.
//
// The test is what llama.cpp does with weights: every weight type the probe covers is placed in
// each buffer type the device offers (the CPU's AMX and repacking buffers included, whose kernels
// are the ones that fault), multiplied by activations of several batch sizes, checked against a
// plain reference, then pushed through the element-wise ops of a transformer layer.
//
//   usage: llama-jvm-probe <backend module>
//          llama-jvm-probe --score <backend module>
//   stdout: one line per device: "device<TAB>name<TAB>description<TAB>type<TAB>free<TAB>total";
//           with --score, only the module's ggml_backend_score() (0 when it has none), as ggml
//           itself asks a CPU variant before choosing it: for the JNI engine, which cannot open a
//           library without running it in the JVM (the Panama engine asks in-process)
//   exit:   0 passed; 2 the module has no usable device; 3 the module does not load;
//           4 wrong results; 5 memory could not be allocated or the graph did not compute;
//           64 usage; death by a signal when the module's code faults.

#include "ggml.h"
#include "ggml-alloc.h"
#include "ggml-backend.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int EXIT_NO_DEVICE = 2;
constexpr int EXIT_LOAD_FAILED = 3;
constexpr int EXIT_WRONG = 4;
constexpr int EXIT_NOT_COMPUTED = 5;
constexpr int EXIT_USAGE = 64;

// Shapes AMX accepts (rows a multiple of 32, K of 256 for k-quants) and batch sizes that take
// llama.cpp's token-by-token, small-prompt and large-prompt kernels.
constexpr int64_t K = 256;
constexpr int64_t N = 64;
const int64_t BATCHES[] = {1, 7, 32};
// A CPU variant runs every type's kernels, where an instruction the processor refuses would fault.
// A GPU backend only has to show that its driver computes right: each pipeline it compiles costs
// time (a minute for all of these on Mesa's software Vulkan), so one type is enough there.
const std::vector<ggml_type> CPU_WEIGHT_TYPES = {GGML_TYPE_F32, GGML_TYPE_F16, GGML_TYPE_Q8_0, GGML_TYPE_Q4_0, GGML_TYPE_Q4_K};
const std::vector<ggml_type> GPU_WEIGHT_TYPES = {GGML_TYPE_F16};

const char * device_type_name(enum ggml_backend_dev_type type) {
    switch (type) {
        case GGML_BACKEND_DEVICE_TYPE_CPU: return "cpu";
        case GGML_BACKEND_DEVICE_TYPE_GPU: return "gpu";
        case GGML_BACKEND_DEVICE_TYPE_IGPU: return "igpu";
        case GGML_BACKEND_DEVICE_TYPE_ACCEL: return "accel";
        default: return "other";
    }
}

// Deterministic values in [-1, 1): the same input on every run and machine.
std::vector<float> pseudo_random(size_t n, uint32_t seed) {
    std::vector<float> v(n);
    uint32_t x = seed * 2654435761u + 1;
    for (auto & f : v) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        f = (float) ((x >> 8) & 0xFFFF) / 32768.0f - 1.0f;
    }
    return v;
}

// The weight bytes in ggml's layout for `type`, and the values they stand for (the reference).
struct Weights {
    std::vector<uint8_t> bytes;
    std::vector<float> values;
};

Weights make_weights(ggml_type type) {
    std::vector<float> source = pseudo_random(K * N, 7 + (uint32_t) type);
    Weights w;
    w.bytes.resize(ggml_row_size(type, K) * N);
    ggml_quantize_chunk(type, source.data(), w.bytes.data(), 0, N, K, nullptr);
    w.values.resize(K * N);
    const ggml_type_traits * traits = ggml_get_type_traits(type);
    if (type == GGML_TYPE_F32) {
        w.values = source;
    } else {
        traits->to_float(w.bytes.data(), w.values.data(), K * N);
    }
    return w;
}

// What went wrong in one check: the exit code and a message; exit 0 when it passed.
struct Failure {
    int exit = 0;
    std::string text;
};

// One weight placement: weight `type` in buffer type `buft`, multiplied on `backend`. Passes too
// when the device would not place such a weight there.
Failure check_matmul(ggml_backend_dev_t dev, ggml_backend_t backend, ggml_backend_buffer_type_t buft,
                         ggml_type type) {
    ggml_init_params weight_params = {ggml_tensor_overhead() * 2, nullptr, true};
    ggml_context * weight_ctx = ggml_init(weight_params);
    ggml_tensor * w = ggml_new_tensor_2d(weight_ctx, type, K, N);
    ggml_backend_buffer_t weight_buf = ggml_backend_alloc_ctx_tensors_from_buft(weight_ctx, buft);
    if (weight_buf == nullptr) {
        ggml_free(weight_ctx);
        return {EXIT_NOT_COMPUTED, std::string("could not allocate a ") + ggml_type_name(type) + " weight in "
                + ggml_backend_buft_name(buft)};
    }

    const size_t n_ops = sizeof(BATCHES) / sizeof(BATCHES[0]);
    ggml_init_params graph_params = {ggml_tensor_overhead() * (n_ops * 8 + 8) + ggml_graph_overhead(), nullptr, true};
    ggml_context * ctx = ggml_init(graph_params);
    std::vector<ggml_tensor *> inputs, products, tails;
    bool placeable = true;
    for (int64_t m : BATCHES) {
        ggml_tensor * x = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, K, m);
        ggml_tensor * y = ggml_mul_mat(ctx, w, x);
        // llama.cpp puts a weight in a buffer type only where the device can multiply it from there.
        placeable = placeable && ggml_backend_dev_supports_op(dev, y);
        // A transformer layer's element-wise work, run by the same module's vector code.
        ggml_tensor * tail = ggml_soft_max(ctx, ggml_mul(ctx, ggml_silu(ctx, ggml_rms_norm(ctx, y, 1e-5f)), y));
        inputs.push_back(x);
        products.push_back(y);
        tails.push_back(tail);
    }
    Failure error;
    if (placeable) {
        ggml_cgraph * graph = ggml_new_graph(ctx);
        for (ggml_tensor * t : tails) {
            ggml_build_forward_expand(graph, t);
        }
        ggml_backend_buffer_t buf = ggml_backend_alloc_ctx_tensors(ctx, backend);
        if (buf == nullptr) {
            ggml_free(ctx);
            ggml_backend_buffer_free(weight_buf);
            ggml_free(weight_ctx);
            return {EXIT_NOT_COMPUTED, std::string("could not allocate the activations on ") + ggml_backend_dev_name(dev)};
        }
        Weights weights = make_weights(type);
        ggml_backend_tensor_set(w, weights.bytes.data(), 0, weights.bytes.size());
        std::vector<std::vector<float>> xs;
        for (size_t i = 0; i < inputs.size(); i++) {
            xs.push_back(pseudo_random(ggml_nelements(inputs[i]), 100 + (uint32_t) i));
            ggml_backend_tensor_set(inputs[i], xs[i].data(), 0, xs[i].size() * sizeof(float));
        }
        if (ggml_backend_graph_compute(backend, graph) != GGML_STATUS_SUCCESS) {
            error = {EXIT_NOT_COMPUTED, std::string("the graph did not compute with a ") + ggml_type_name(type)
                    + " weight in " + ggml_backend_buft_name(buft)};
        }
        for (size_t i = 0; i < products.size() && error.exit == 0; i++) {
            const int64_t m = BATCHES[i];
            std::vector<float> y(N * m), tail(N * m);
            ggml_backend_tensor_get(products[i], y.data(), 0, y.size() * sizeof(float));
            ggml_backend_tensor_get(tails[i], tail.data(), 0, tail.size() * sizeof(float));
            // Activations are quantized to 8 bits for quantized weights: a loose bound, far below
            // what a broken kernel produces.
            for (int64_t col = 0; col < m && error.exit == 0; col++) {
                for (int64_t row = 0; row < N; row++) {
                    double ref = 0, scale = 0;
                    for (int64_t k = 0; k < K; k++) {
                        double term = (double) weights.values[row * K + k] * xs[i][col * K + k];
                        ref += term;
                        scale += std::fabs(term);
                    }
                    double got = y[col * N + row];
                    if (!std::isfinite(got) || std::fabs(got - ref) > 0.02 * scale + 1e-3
                            || !std::isfinite(tail[col * N + row])) {
                        char text[256];
                        std::snprintf(text, sizeof text, "wrong result with a %s weight in %s, batch %lld: %g, expected %g",
                                      ggml_type_name(type), ggml_backend_buft_name(buft), (long long) m, got, ref);
                        error = {EXIT_WRONG, text};
                        break;
                    }
                }
            }
        }
        ggml_backend_buffer_free(buf);
    }
    ggml_free(ctx);
    ggml_backend_buffer_free(weight_buf);
    ggml_free(weight_ctx);
    return error;
}

// Every buffer type a weight may land in on this device: the device's own, then the CPU's extra
// ones (AMX, repacked layouts) when the module offers them.
std::vector<ggml_backend_buffer_type_t> weight_buffer_types(ggml_backend_reg_t reg, ggml_backend_dev_t dev) {
    std::vector<ggml_backend_buffer_type_t> types = {ggml_backend_dev_buffer_type(dev)};
    auto get_extra = (ggml_backend_dev_get_extra_bufts_t) ggml_backend_reg_get_proc_address(
            reg, "ggml_backend_dev_get_extra_bufts");
    if (get_extra != nullptr) {
        for (ggml_backend_buffer_type_t * extra = get_extra(dev); extra != nullptr && *extra != nullptr; extra++) {
            types.push_back(*extra);
        }
    }
    return types;
}

// ggml's last error: it explains a failed load (a missing driver library, say), and the loader
// shows only the probe's last line.
std::string last_ggml_error;

void quiet_log(ggml_log_level level, const char * text, void *) {
    if (level == GGML_LOG_LEVEL_ERROR || level == GGML_LOG_LEVEL_WARN) {
        std::fputs(text, stderr);
        if (level == GGML_LOG_LEVEL_ERROR) {
            last_ggml_error = text;
            while (!last_ggml_error.empty() && (last_ggml_error.back() == '\n' || last_ggml_error.back() == ' ')) {
                last_ggml_error.pop_back();
            }
        }
    }
}

}  // namespace

// The module's ggml_backend_score(), which reads cpuid only; 0 when the module has none.
static int module_score(const char * path) {
    using score_fn = int (*)();
#ifdef _WIN32
    HMODULE module = LoadLibraryA(path);
    if (module == nullptr) {
        return -1;
    }
    auto score = reinterpret_cast<score_fn>(reinterpret_cast<void *>(GetProcAddress(module, "ggml_backend_score")));
#else
    void * module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
        return -1;
    }
    auto score = reinterpret_cast<score_fn>(dlsym(module, "ggml_backend_score"));
#endif
    return score == nullptr ? 0 : score();
}

int main(int argc, char ** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--score") == 0) {
        int score = module_score(argv[2]);
        if (score < 0) {
            std::fprintf(stderr, "error: cannot open %s\n", argv[2]);
            return EXIT_LOAD_FAILED;
        }
        std::printf("%d\n", score);
        return 0;
    }
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <ggml backend module>\n", argc > 0 ? argv[0] : "llama-jvm-probe");
        return EXIT_USAGE;
    }
    ggml_log_set(quiet_log, nullptr);
    ggml_backend_reg_t reg = ggml_backend_load(argv[1]);
    if (reg == nullptr) {
        if (last_ggml_error.empty()) {
            std::fprintf(stderr, "error: ggml could not load %s\n", argv[1]);
        } else {
            std::fprintf(stderr, "error: %s\n", last_ggml_error.c_str());
        }
        return EXIT_LOAD_FAILED;
    }
    size_t n_devices = ggml_backend_reg_dev_count(reg);
    if (n_devices == 0) {
        std::fprintf(stderr, "error: %s found no device\n", ggml_backend_reg_name(reg));
        return EXIT_NO_DEVICE;
    }
    for (size_t i = 0; i < n_devices; i++) {
        ggml_backend_dev_t dev = ggml_backend_reg_dev_get(reg, i);
        size_t free = 0, total = 0;
        ggml_backend_dev_memory(dev, &free, &total);
        std::printf("device\t%s\t%s\t%s\t%zu\t%zu\n", ggml_backend_dev_name(dev), ggml_backend_dev_description(dev),
                    device_type_name(ggml_backend_dev_type(dev)), free, total);
        ggml_backend_t backend = ggml_backend_dev_init(dev, nullptr);
        if (backend == nullptr) {
            std::fprintf(stderr, "error: %s could not start\n", ggml_backend_dev_name(dev));
            return EXIT_NO_DEVICE;
        }
        for (ggml_backend_buffer_type_t buft : weight_buffer_types(reg, dev)) {
            bool cpu = ggml_backend_dev_type(dev) == GGML_BACKEND_DEVICE_TYPE_CPU;
            for (ggml_type type : cpu ? CPU_WEIGHT_TYPES : GPU_WEIGHT_TYPES) {
                Failure failure = check_matmul(dev, backend, buft, type);
                if (failure.exit != 0) {
                    std::fprintf(stderr, "error: %s: %s\n", ggml_backend_dev_name(dev), failure.text.c_str());
                    return failure.exit;
                }
            }
        }
        ggml_backend_free(backend);
    }
    std::fflush(stdout);
    return 0;
}
