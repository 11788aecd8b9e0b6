// The one C seam to libedit (GNU-readline-compatible API).
// Swift 6 forbids assigning C globals directly, so the few settings we need are
// wrapped in small static inline setters here.
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <editline/readline.h>

typedef char **(*psy_completer_t)(const char *text, int start, int end);

static inline void psy_rl_set_name(const char *name) { rl_readline_name = name; }
static inline void psy_rl_set_completer(psy_completer_t f) { rl_attempted_completion_function = f; }
static inline void psy_rl_set_attempted_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void psy_rl_set_catch_signals(int v) { rl_catch_signals = v; }
static inline void psy_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }
