// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// Socket calls that Swift's Glibc module cannot reach: SCM_RIGHTS descriptor passing (the CMSG_*
// macros), accept4, POLLRDHUP and SO_PEERCRED. Used by the edge router (sender) and the tenant
// worker (receiver) for connection hand-over over a SOCK_SEQPACKET Unix socket.
#ifndef CSMS_SOCKET_SHIM_H
#define CSMS_SOCKET_SHIM_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/// POLLRDHUP (peer closed its writing half), which glibc only defines under _GNU_SOURCE.
extern const short csms_pollrdhup;

/// Sends `fd` and `length` bytes of `data` as one message on `socket` (SCM_RIGHTS).
/// Returns the bytes sent, or -1 with errno set (EAGAIN, ETOOMANYREFS, EPIPE, ...).
ssize_t csms_send_fd(int socket, int fd, const void *data, size_t length);

/// Receives one message with at most one descriptor (MSG_CMSG_CLOEXEC). On success returns the
/// number of data bytes and stores the descriptor in `*fd` (-1 when the message carried none);
/// extra descriptors beyond the first are closed. Returns 0 at end of stream, -1 with errno set.
ssize_t csms_recv_fd(int socket, int *fd, void *buffer, size_t capacity);

/// accept4(2) with SOCK_CLOEXEC (and SOCK_NONBLOCK when `nonblocking` is non-zero).
int csms_accept4(int socket, struct sockaddr *address, socklen_t *length, int nonblocking);

/// The uid of the peer of a connected Unix socket (SO_PEERCRED); 0 on success, -1 with errno set.
int csms_peer_uid(int socket, uid_t *uid);

/// Creates a SOCK_SEQPACKET Unix socket with SOCK_CLOEXEC; -1 with errno set.
int csms_seqpacket_socket(void);

#endif
