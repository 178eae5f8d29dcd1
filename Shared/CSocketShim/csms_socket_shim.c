// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

#define _GNU_SOURCE
#include "csms_socket_shim.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

const short csms_pollrdhup = POLLRDHUP;

ssize_t csms_send_fd(int socket, int fd, const void *data, size_t length) {
    struct iovec iov = {.iov_base = (void *)data, .iov_len = length};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {0};
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = sizeof(control.buffer);
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof(int));
    ssize_t sent;
    do {
        sent = sendmsg(socket, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent;
}

ssize_t csms_recv_fd(int socket, int *fd, void *buffer, size_t capacity) {
    *fd = -1;
    struct iovec iov = {.iov_base = buffer, .iov_len = capacity};
    union {
        char buffer[CMSG_SPACE(sizeof(int) * 4)];
        struct cmsghdr align;
    } control;
    struct msghdr message = {0};
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = sizeof(control.buffer);
    ssize_t received;
    do {
        received = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    } while (received < 0 && errno == EINTR);
    if (received < 0) {
        return -1;
    }
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL;
         header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
            continue;
        }
        size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        int *fds = (int *)CMSG_DATA(header);
        for (size_t i = 0; i < count; i++) {
            int value;
            memcpy(&value, &fds[i], sizeof(int));
            if (*fd < 0) {
                *fd = value;
            } else {
                close(value);
            }
        }
    }
    if (message.msg_flags & MSG_CTRUNC) {
        // Descriptors were cut off: the ones that arrived are closed so nothing leaks.
        if (*fd >= 0) {
            close(*fd);
            *fd = -1;
        }
        errno = EMSGSIZE;
        return -1;
    }
    return received;
}

int csms_accept4(int socket, struct sockaddr *address, socklen_t *length, int nonblocking) {
    int flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
    int fd;
    do {
        fd = accept4(socket, address, length, flags);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

int csms_peer_uid(int socket, uid_t *uid) {
    struct ucred credentials;
    socklen_t length = sizeof(credentials);
    if (getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
        return -1;
    }
    *uid = credentials.uid;
    return 0;
}

int csms_seqpacket_socket(void) {
    return socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
}
