// The C library's allocator tuning (mallopt), which Swift's Glibc module does not import.
#include <malloc.h>
