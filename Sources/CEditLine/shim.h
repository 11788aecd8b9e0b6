// The one C seam to libedit (GNU-readline-compatible API).
// Swift 6 forbids assigning C globals directly, so the few settings we need are
// wrapped in small static inline setters here.
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <editline/readline.h>
#include <sys/syscall.h>
long syscall(long number, ...);  // <unistd.h>, declared alone so this module exports no POSIX names

// An anonymous in-memory file (memfd_create, close-on-exec), or -1: libedit reads and writes the
// history through /proc/self/fd/N of one, so that it never opens the real history file itself
// (which could be a FIFO it would block on, or a device it would chmod). See EditLineReader.swift.
static inline int psy_memfd(void) { return (int)syscall(SYS_memfd_create, "psychrnn-history", 1u); }

typedef char **(*psy_completer_t)(const char *text, int start, int end);

static inline void psy_rl_set_name(const char *name) { rl_readline_name = name; }
static inline void psy_rl_set_completer(psy_completer_t f) { rl_attempted_completion_function = f; }
static inline void psy_rl_set_attempted_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void psy_rl_set_catch_signals(int v) { rl_catch_signals = v; }
static inline void psy_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }

// Our own input function (reads a character, and notices Ctrl-C; see EditLineReader.swift).
// libedit looks at it only when it initialises, so set it before the first readline/add_history.
typedef int (*psy_getc_t)(FILE *stream);
static inline void psy_rl_set_getc(psy_getc_t f) { rl_getc_function = f; }

// Reading a C global is as unsafe to Swift 6 as writing one: getters for what the completer and
// the history code need.
static inline const char *psy_rl_line_buffer(void) { return rl_line_buffer; }
static inline int psy_history_length(void) { return history_length; }
static inline int psy_history_base(void) { return history_base; }
