/* Stands in for the C library's stdio.h when bindings/generate.sh --check parses the headers for
 * other targets (no sysroot of theirs is here): the headers use FILE only behind pointers. */
typedef struct FILE FILE;
