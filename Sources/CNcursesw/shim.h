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

/* Colours, mouse and extended keys (macros or globals Swift cannot reach). */
static inline int chat_colors(void) { return COLORS; }
static inline int chat_color_pairs(void) { return COLOR_PAIRS; }
static inline mmask_t chat_button1_mask(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED; }
static inline mmask_t chat_button1_events(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }
/* The next mouse event's position and buttons; returns ERR when there is none. */
static inline int chat_getmouse(int *y, int *x, mmask_t *bstate) {
    MEVENT event;
    if (getmouse(&event) != OK) return ERR;
    *y = event.y; *x = event.x; *bstate = event.bstate;
    return OK;
}
/* The key code ncurses assigned to a terminfo capability such as "kUP3" (Alt-Up), or -1. */
static inline int chat_key_code_for(const char *capname) {
    char *sequence = tigetstr(capname);
    if (sequence == 0 || sequence == (char *)-1) return -1;
    return key_defined(sequence);
}
#endif
