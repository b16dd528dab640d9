#ifndef CHAT_CSUPPORT_SHIM_H
#define CHAT_CSUPPORT_SHIM_H

#define _GNU_SOURCE 1
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>
#include <errno.h>
#include <wchar.h>
#include <locale.h>
#include <sys/resource.h>

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

#endif
