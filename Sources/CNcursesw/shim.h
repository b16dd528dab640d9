#ifndef CHAT_CNCURSESW_SHIM_H
#define CHAT_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncurses.h>

/* Macros and globals Swift 6 cannot use directly. */
static inline WINDOW *chat_stdscr(void) { return stdscr; }
static inline int chat_lines(void) { return LINES; }
static inline int chat_cols(void) { return COLS; }
static inline attr_t chat_a_bold(void) { return A_BOLD; }
static inline attr_t chat_a_dim(void) { return A_DIM; }
static inline attr_t chat_a_reverse(void) { return A_REVERSE; }
static inline attr_t chat_a_underline(void) { return A_UNDERLINE; }
static inline attr_t chat_a_italic(void) { return A_ITALIC; }
static inline attr_t chat_a_normal(void) { return A_NORMAL; }
static inline attr_t chat_color_pair(int n) { return COLOR_PAIR(n); }
static inline int chat_key_f(int n) { return KEY_F(n); }
#endif
