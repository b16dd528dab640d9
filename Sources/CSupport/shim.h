#ifndef CHAT_CSUPPORT_SHIM_H
#define CHAT_CSUPPORT_SHIM_H

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <pthread.h>
#include <poll.h>
#include <errno.h>
#include <wchar.h>
#include <locale.h>
#include <sys/signalfd.h>
#include <string.h>

/* Glibc hides these from Swift's Glibc module; declare them here. */
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
extern int pipe2(int pipefd[2], int flags);
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);

static inline int chat_errno(void) { return errno; }
static inline int chat_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline int chat_accept_nonblocking(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
static inline int chat_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}
static inline int chat_fcntl_setfd_cloexec(int fd) { return fcntl(fd, F_SETFD, FD_CLOEXEC); }

/* Blocks SIGTERM, SIGINT and SIGHUP for the calling thread (and the threads it starts) and
   returns a non-blocking signalfd that reads them, so a poll loop sees signals as readable
   events instead of running code in a signal handler. -1 on failure. */
static inline int chat_termination_signalfd(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}
/* Reads one pending signal from a signalfd; returns its number or 0 when none. */
static inline int chat_read_signal(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    if (n != (ssize_t)sizeof info) return 0;
    return (int)info.ssi_signo;
}
static inline void chat_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

/* epoll for chat-bench's client loops (thousands of idle sockets; poll would scan them all every
   turn). struct epoll_event is packed on x86_64, so Swift gets keys and events in plain arrays. */
#include <sys/epoll.h>
#include <stdint.h>
enum { CHAT_EPOLL_IN = EPOLLIN, CHAT_EPOLL_OUT = EPOLLOUT, CHAT_EPOLL_ERR = EPOLLERR, CHAT_EPOLL_HUP = EPOLLHUP };
enum { CHAT_EPOLL_ADD = EPOLL_CTL_ADD, CHAT_EPOLL_MOD = EPOLL_CTL_MOD, CHAT_EPOLL_DEL = EPOLL_CTL_DEL };
static inline int chat_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }
static inline int chat_epoll_control(int epfd, int op, int fd, uint32_t events, uint64_t key) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = key;
    return epoll_ctl(epfd, op, fd, &event);
}
static inline int chat_epoll_wait(int epfd, uint64_t *keys, uint32_t *events, int capacity, int timeout_ms) {
    struct epoll_event ready[512];
    if (capacity > 512) capacity = 512;
    int count = epoll_wait(epfd, ready, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        keys[i] = ready[i].data.u64;
        events[i] = ready[i].events;
    }
    return count;
}
#endif
