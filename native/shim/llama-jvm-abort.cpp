#include "llama-jvm-abort.h"

#include <atomic>
#include <chrono>
#include <new>

struct llama_jvm_abort_throttle {
    ggml_abort_callback check;
    void * check_data;
    int64_t interval_us;
    std::atomic<int64_t> last_asked_us{INT64_MIN};
};

static int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch()).count();
}

static bool throttled_check(void * data) {
    auto * throttle = static_cast<llama_jvm_abort_throttle *>(data);
    int64_t now = now_us();
    int64_t last = throttle->last_asked_us.load(std::memory_order_relaxed);
    if (last != INT64_MIN && now - last < throttle->interval_us) {
        return false;
    }
    throttle->last_asked_us.store(now, std::memory_order_relaxed);
    bool abort = throttle->check(throttle->check_data);
    if (abort) {
        // A "yes" is not cached: the next ask goes to the check again, whose answer is the one
        // that counts (a session's next call starts with its cancel request cleared).
        throttle->last_asked_us.store(INT64_MIN, std::memory_order_relaxed);
    }
    return abort;
}

struct llama_jvm_abort_throttle * llama_jvm_abort_throttle_init(ggml_abort_callback check, void * check_data,
                                                                int64_t interval_us) {
    auto * throttle = new (std::nothrow) llama_jvm_abort_throttle();
    if (throttle != nullptr) {
        throttle->check = check;
        throttle->check_data = check_data;
        throttle->interval_us = interval_us;
    }
    return throttle;
}

void llama_jvm_abort_throttle_free(struct llama_jvm_abort_throttle * throttle) {
    delete throttle;
}

ggml_abort_callback llama_jvm_abort_throttle_callback(void) {
    return throttled_check;
}
