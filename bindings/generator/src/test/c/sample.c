#include "sample.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct sample_counter { int value; };

struct sample_counter * sample_counter_new(int start) {
    struct sample_counter * c = malloc(sizeof *c);
    c->value = start;
    return c;
}
int sample_counter_next(struct sample_counter * counter) { return counter->value++; }
void sample_counter_free(struct sample_counter * counter) { free(counter); }

struct sample_point sample_point_make(int32_t x, int32_t y) { struct sample_point p = { x, y }; return p; }
int64_t sample_point_dot(struct sample_point a, struct sample_point b) { return (int64_t) a.x * b.x + (int64_t) a.y * b.y; }

struct sample_shape sample_shape_translate(struct sample_shape shape, int32_t dx, int32_t dy) {
    shape.origin.x += dx;
    shape.origin.y += dy;
    for (int i = 0; i < 4; i++) { shape.corners[i].x += dx; shape.corners[i].y += dy; }
    return shape;
}
double sample_shape_weight_sum(const struct sample_shape * shape) {
    return shape->weights[0] + shape->weights[1] + shape->weights[2];
}
double sample_number_as_double(union sample_number n) { return n.d; }
int64_t sample_tagged_sum(struct sample_tagged t) {
    return t.tag + (t.tag == 1 ? (int64_t) t.as_double : t.as_int) + t.halves.lo + ((int64_t) t.halves.hi << 16);
}
sample_rgb sample_rgb_invert(sample_rgb c) { sample_rgb r = { 255 - c.r, 255 - c.g, 255 - c.b }; return r; }
enum sample_color sample_color_next(enum sample_color color) {
    return color == SAMPLE_RED ? SAMPLE_GREEN : color == SAMPLE_GREEN ? SAMPLE_BLUE : SAMPLE_RED;
}

size_t sample_strlen(const char * text) { return strlen(text); }
const char * sample_greeting(void) { return "h\xc3\xa9llo"; }
int sample_apply(sample_binary_op op, int a, int b, void * user_data) { return op(a, b, user_data); }
struct sample_point sample_make_with(sample_point_maker maker, int32_t x, int32_t y) { return maker(x, y); }

const char * sample_ops_describe(const struct sample_ops * ops, int a, int b) {
    static char buffer[64];
    int combined = ops->combine(a, b, NULL);
    snprintf(buffer, sizeof buffer, "%s=%d", ops->name(), combined);
    return buffer;
}

int sample_sum_ints(int count, ...) {
    va_list args;
    va_start(args, count);
    int sum = 0;
    for (int i = 0; i < count; i++) sum += va_arg(args, int);
    va_end(args);
    return sum;
}
int sample_old_answer(void) { return 41; }
int sample_answer(void) { return 42; }
void sample_fill(int32_t * values, int32_t count, int32_t value) { for (int i = 0; i < count; i++) values[i] = value; }
