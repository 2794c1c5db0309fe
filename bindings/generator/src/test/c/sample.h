/* A small header with one of everything the generator must handle; sample.c implements it. */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAMPLE_VERSION 3
#define SAMPLE_BIG 0x100000000LL
#define SAMPLE_RATIO 0.25
#define SAMPLE_NAME "sample"
#define SAMPLE_TYPE_MACRO int /* not a constant: left out */

#ifdef __GNUC__
#define SAMPLE_DEPRECATED(decl, hint) decl __attribute__((deprecated(hint)))
#else
#define SAMPLE_DEPRECATED(decl, hint) decl
#endif

enum sample_color { SAMPLE_RED, SAMPLE_GREEN = 5, SAMPLE_BLUE };
enum { SAMPLE_ANONYMOUS_ENUM = -7 };

/* An opaque type: only pointers cross. */
struct sample_counter;

struct sample_point {
    int32_t x;
    int32_t y;
};

/* Padding, a nested struct by value, fixed arrays, a pointer, a bool. */
struct sample_shape {
    char kind;
    double area;
    struct sample_point origin;
    struct sample_point corners[4];
    float weights[3];
    const char * label;
    bool closed;
};

union sample_number {
    int64_t i;
    double d;
    uint8_t bytes[8];
};

/* An anonymous union member and a named member of anonymous struct type. */
struct sample_tagged {
    int tag;
    union {
        int64_t as_int;
        double as_double;
    };
    struct {
        uint16_t lo;
        uint16_t hi;
    } halves;
};

typedef struct {
    uint8_t r, g, b;
} sample_rgb;

typedef int (*sample_binary_op)(int a, int b, void * user_data);
typedef struct sample_point (*sample_point_maker)(int32_t x, int32_t y);

/* A struct holding a function pointer field (not through a typedef). */
struct sample_ops {
    const char * (*name)(void);
    sample_binary_op combine;
};

struct sample_counter * sample_counter_new(int start);
int sample_counter_next(struct sample_counter * counter);
void sample_counter_free(struct sample_counter * counter);

struct sample_point sample_point_make(int32_t x, int32_t y);
int64_t sample_point_dot(struct sample_point a, struct sample_point b);
struct sample_shape sample_shape_translate(struct sample_shape shape, int32_t dx, int32_t dy);
double sample_shape_weight_sum(const struct sample_shape * shape);
double sample_number_as_double(union sample_number n);
int64_t sample_tagged_sum(struct sample_tagged t);
sample_rgb sample_rgb_invert(sample_rgb color);
enum sample_color sample_color_next(enum sample_color color);

size_t sample_strlen(const char * text);
const char * sample_greeting(void);
int sample_apply(sample_binary_op op, int a, int b, void * user_data);
struct sample_point sample_make_with(sample_point_maker maker, int32_t x, int32_t y);
const char * sample_ops_describe(const struct sample_ops * ops, int a, int b);
int sample_sum_ints(int count, ...);
SAMPLE_DEPRECATED(int sample_old_answer(void), "use sample_answer");
int sample_answer(void);
void sample_fill(int32_t * values, int32_t count, int32_t value);

#endif
