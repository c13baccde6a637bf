/*
 * One UDP socket that serves every local address: the destination address of each datagram comes from IP_PKTINFO
 * (IPV6_PKTINFO), and each reply leaves from the address it answers for (ipi_spec_dst / ipi6_addr). node:dgram cannot
 * do either, so a lab of 10,000 devices would otherwise need 10,000 sockets.
 *
 * Reads are recvmmsg batches into memory that JS allocated and shares (a payload arena of fixed slots and a
 * Uint32Array of per-datagram metadata); JS gets one call per batch. Replies are staged by JS into a second shared
 * arena and sent with one sendmmsg per flush. The JS side (src/index.ts) owns the layout described by the RECV_* and
 * SEND_* word indices below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

/* Per-datagram metadata words (Uint32Array), both directions: the JS wrapper mirrors these. */
#define META_WORDS 12
#define RECV_LENGTH 0     /* bytes stored in the slot */
#define RECV_FLAGS 1      /* bit 0: truncated (the datagram was longer than a slot) */
#define RECV_SRC_PORT 2
#define RECV_IFINDEX 3
#define RECV_SRC 4        /* IPv4: one word, host order; IPv6: 16 bytes in network order over words 4..7 */
#define RECV_DST 8        /* same layout, words 8..11 */
#define SEND_OFFSET 0     /* where the payload starts in the send arena */
#define SEND_LENGTH 1
#define SEND_DST_PORT 2
#define SEND_ERRNO 3      /* written back by flush: 0 when sent, else the errno of the failed send */
#define SEND_DST 4
#define SEND_SRC 8        /* all zero: let the kernel choose the source */

#define FLAG_TRUNCATED 1u
/* At most this many recvmmsg batches per readiness callback, so that one busy socket does not starve the loop. */
#define MAX_BATCHES_PER_WAKEUP 8

typedef struct {
  napi_env env;
  uv_poll_t poll;
  int fd;
  int family;
  int polling;
  int closed;        /* close() called: no more reads or sends */
  int handle_closed; /* uv close callback ran (or the poll handle was never initialised) */
  napi_ref self;     /* strong while open, so the object (and its callbacks) outlive GC while the loop uses it */
  napi_ref keep[5];  /* the shared arrays */
  napi_ref on_batch;
  napi_ref on_error;
  napi_ref on_close;
  napi_async_context async_context;

  uint8_t *recv_data;
  size_t recv_slot;
  uint32_t recv_capacity;
  uint32_t *recv_meta;
  uint8_t *send_data;
  size_t send_data_length;
  uint32_t send_capacity;
  uint32_t *send_meta;

  struct mmsghdr *rmsgs;
  struct iovec *riov;
  struct sockaddr_storage *rnames;
  char *rcontrol;
  struct mmsghdr *smsgs;
  struct iovec *siov;
  struct sockaddr_storage *snames;
  char *scontrol;
} udp_socket;

#define CONTROL_SPACE 64 /* CMSG_SPACE(sizeof(struct in6_pktinfo)) is 32; room for both families */

static napi_value errno_error(napi_env env, int err, const char *syscall, const char *detail) {
  const char *name = uv_err_name(-err);
  char message[256];
  snprintf(message, sizeof message, "%s %s%s%s (%s)", syscall, name, detail ? " " : "", detail ? detail : "",
           strerror(err));
  napi_value msg, code, error, value;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code);
  napi_create_error(env, code, msg, &error);
  napi_create_int32(env, -err, &value);
  napi_set_named_property(env, error, "errno", value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, error, "syscall", value);
  return error;
}

static void throw_errno(napi_env env, int err, const char *syscall, const char *detail) {
  napi_throw(env, errno_error(env, err, syscall, detail));
}

static void free_native(udp_socket *s) {
  free(s->rmsgs);
  free(s->riov);
  free(s->rnames);
  free(s->rcontrol);
  free(s->smsgs);
  free(s->siov);
  free(s->snames);
  free(s->scontrol);
  s->rmsgs = NULL;
  s->riov = NULL;
  s->rnames = NULL;
  s->rcontrol = NULL;
  s->smsgs = NULL;
  s->siov = NULL;
  s->snames = NULL;
  s->scontrol = NULL;
}

static void call_js(udp_socket *s, napi_ref fn_ref, size_t argc, napi_value *argv) {
  napi_env env = s->env;
  napi_value fn, self, result;
  if (fn_ref == NULL) return;
  if (napi_get_reference_value(env, fn_ref, &fn) != napi_ok || fn == NULL) return;
  if (napi_get_reference_value(env, s->self, &self) != napi_ok || self == NULL) return;
  napi_status status = napi_make_callback(env, s->async_context, self, fn, argc, argv, &result);
  if (status == napi_pending_exception) {
    napi_value exception;
    napi_get_and_clear_last_exception(env, &exception);
    napi_fatal_exception(env, exception);
  }
}

static void report_error(udp_socket *s, int err, const char *syscall) {
  napi_handle_scope scope;
  napi_open_handle_scope(s->env, &scope);
  napi_value error = errno_error(s->env, err, syscall, NULL);
  call_js(s, s->on_error, 1, &error);
  napi_close_handle_scope(s->env, scope);
}

static void store_address(uint32_t *words, const void *addr, int family) {
  if (family == AF_INET) {
    words[0] = ntohl(((const struct in_addr *)addr)->s_addr);
    words[1] = words[2] = words[3] = 0;
  } else {
    memcpy(words, addr, 16);
  }
}

/* Reads one batch; returns the number of datagrams (0 when none are waiting, -errno on error). */
static int read_batch(udp_socket *s) {
  for (uint32_t i = 0; i < s->recv_capacity; i++) {
    s->rmsgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
    s->rmsgs[i].msg_hdr.msg_controllen = CONTROL_SPACE;
    s->rmsgs[i].msg_hdr.msg_flags = 0;
  }
  int n;
  do {
    n = recvmmsg(s->fd, s->rmsgs, s->recv_capacity, MSG_DONTWAIT, NULL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
  for (int i = 0; i < n; i++) {
    struct msghdr *h = &s->rmsgs[i].msg_hdr;
    uint32_t *meta = s->recv_meta + (size_t)i * META_WORDS;
    meta[RECV_LENGTH] = s->rmsgs[i].msg_len;
    meta[RECV_FLAGS] = (h->msg_flags & MSG_TRUNC) ? FLAG_TRUNCATED : 0;
    meta[RECV_IFINDEX] = 0;
    memset(meta + RECV_DST, 0, 16);
    if (s->family == AF_INET) {
      const struct sockaddr_in *from = (const struct sockaddr_in *)&s->rnames[i];
      meta[RECV_SRC_PORT] = ntohs(from->sin_port);
      store_address(meta + RECV_SRC, &from->sin_addr, AF_INET);
    } else {
      const struct sockaddr_in6 *from = (const struct sockaddr_in6 *)&s->rnames[i];
      meta[RECV_SRC_PORT] = ntohs(from->sin6_port);
      store_address(meta + RECV_SRC, &from->sin6_addr, AF_INET6);
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        struct in_pktinfo info;
        memcpy(&info, CMSG_DATA(c), sizeof info);
        store_address(meta + RECV_DST, &info.ipi_addr, AF_INET);
        meta[RECV_IFINDEX] = (uint32_t)info.ipi_ifindex;
      } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
        struct in6_pktinfo info;
        memcpy(&info, CMSG_DATA(c), sizeof info);
        store_address(meta + RECV_DST, &info.ipi6_addr, AF_INET6);
        meta[RECV_IFINDEX] = info.ipi6_ifindex;
      }
    }
  }
  return n;
}

static void on_poll(uv_poll_t *handle, int status, int events) {
  udp_socket *s = handle->data;
  if (s->closed) return;
  if (status < 0) {
    report_error(s, -status, "poll");
    return;
  }
  if (!(events & UV_READABLE)) return;
  napi_handle_scope scope;
  napi_open_handle_scope(s->env, &scope);
  for (int round = 0; round < MAX_BATCHES_PER_WAKEUP && !s->closed; round++) {
    int n = read_batch(s);
    if (n < 0) {
      /* Unconnected UDP sockets without IP_RECVERR see no ICMP errors; what is left (ENOMEM, ...) is reported. */
      report_error(s, -n, "recvmmsg");
      break;
    }
    if (n == 0) break;
    napi_value count;
    napi_create_uint32(s->env, (uint32_t)n, &count);
    call_js(s, s->on_batch, 1, &count);
    if ((uint32_t)n < s->recv_capacity) break;
  }
  napi_close_handle_scope(s->env, scope);
}

static udp_socket *unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  void *data = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok) return NULL;
  if (napi_unwrap(env, self, &data) != napi_ok) return NULL;
  return data;
}

static int get_typed_bytes(napi_env env, napi_value value, void **data, size_t *bytes) {
  bool is_typed;
  napi_is_typedarray(env, value, &is_typed);
  if (!is_typed) return 0;
  napi_typedarray_type type;
  size_t length;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, &length, data, &buffer, &offset) != napi_ok) return 0;
  size_t element = (type == napi_uint32_array || type == napi_int32_array) ? 4 : 1;
  if (type != napi_uint8_array && type != napi_uint32_array) return 0;
  *bytes = length * element;
  return 1;
}

static int get_u32(napi_env env, napi_value options, const char *name, uint32_t *out) {
  napi_value v;
  if (napi_get_named_property(env, options, name, &v) != napi_ok) return 0;
  return napi_get_value_uint32(env, v, out) == napi_ok;
}

static void release_references(udp_socket *s) {
  napi_ref *refs[] = {&s->keep[0], &s->keep[1], &s->keep[2], &s->keep[3], &s->keep[4],
                      &s->on_batch, &s->on_error, &s->on_close};
  for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
    if (*refs[i]) napi_delete_reference(s->env, *refs[i]);
    *refs[i] = NULL;
  }
}

static void finalize_socket(napi_env env, void *data, void *hint) {
  (void)hint;
  udp_socket *s = data;
  /* Only reachable once the strong self reference is gone: after the uv close callback, or at environment teardown. */
  if (!s->handle_closed) {
    /* Teardown with the socket still open: the loop is going away, stop watching and let go of the fd. */
    if (s->polling) uv_poll_stop(&s->poll);
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
    /* The uv handle is embedded in s: leak s rather than free memory libuv may still list. */
    return;
  }
  release_references(s);
  if (s->async_context) napi_async_destroy(env, s->async_context);
  if (s->self) napi_delete_reference(env, s->self);
  free_native(s);
  free(s);
}

/*
 * new NativeSocket({ family: 4|6, address, port, device, reuseAddress, recvData, recvSlot, recvMeta, sendData,
 *                    sendMeta, onBatch, onError })
 * Creates, configures and binds the socket; throws an Error with an errno code (EADDRINUSE, EACCES, ...) on failure.
 */
static napi_value socket_new(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  napi_get_cb_info(env, info, &argc, argv, &self, NULL);
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "NativeSocket needs an options object");
    return NULL;
  }
  napi_value o = argv[0];
  uint32_t family = 0, port = 0, recv_slot = 0, reuse = 0;
  if (!get_u32(env, o, "family", &family) || (family != 4 && family != 6) || !get_u32(env, o, "port", &port) ||
      port > 65535 || !get_u32(env, o, "recvSlot", &recv_slot) || recv_slot == 0 ||
      !get_u32(env, o, "reuseAddress", &reuse)) {
    napi_throw_type_error(env, NULL, "NativeSocket: family must be 4 or 6, port 0..65535, recvSlot > 0");
    return NULL;
  }
  char address[INET6_ADDRSTRLEN + 1] = {0};
  char device[IFNAMSIZ + 1] = {0};
  size_t len;
  napi_value v;
  napi_get_named_property(env, o, "address", &v);
  if (napi_get_value_string_utf8(env, v, address, sizeof address, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "NativeSocket: address must be a string");
    return NULL;
  }
  napi_get_named_property(env, o, "device", &v);
  if (napi_get_value_string_utf8(env, v, device, sizeof device, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "NativeSocket: device must be a string");
    return NULL;
  }

  const char *array_names[5] = {"recvData", "recvMeta", "sendData", "sendMeta", NULL};
  void *arrays[4];
  size_t array_bytes[4];
  napi_value array_values[4];
  for (int i = 0; i < 4; i++) {
    napi_get_named_property(env, o, array_names[i], &array_values[i]);
    if (!get_typed_bytes(env, array_values[i], &arrays[i], &array_bytes[i])) {
      char message[96];
      snprintf(message, sizeof message, "NativeSocket: %s must be a Uint8Array or Uint32Array", array_names[i]);
      napi_throw_type_error(env, NULL, message);
      return NULL;
    }
  }
  uint32_t recv_capacity = (uint32_t)(array_bytes[1] / (META_WORDS * 4));
  uint32_t send_capacity = (uint32_t)(array_bytes[3] / (META_WORDS * 4));
  if (recv_capacity == 0 || send_capacity == 0 || array_bytes[0] < (size_t)recv_capacity * recv_slot) {
    napi_throw_range_error(env, NULL, "NativeSocket: arrays too small for the batch sizes");
    return NULL;
  }
  napi_value on_batch, on_error;
  napi_get_named_property(env, o, "onBatch", &on_batch);
  napi_get_named_property(env, o, "onError", &on_error);
  napi_valuetype t1, t2;
  napi_typeof(env, on_batch, &t1);
  napi_typeof(env, on_error, &t2);
  if (t1 != napi_function || t2 != napi_function) {
    napi_throw_type_error(env, NULL, "NativeSocket: onBatch and onError must be functions");
    return NULL;
  }

  int af = family == 4 ? AF_INET : AF_INET6;
  struct sockaddr_storage bind_address;
  socklen_t bind_length;
  memset(&bind_address, 0, sizeof bind_address);
  if (af == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)&bind_address;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, address, &a->sin_addr) != 1) {
      napi_throw_type_error(env, "ERR_INVALID_ADDRESS", "NativeSocket: address is not an IPv4 address");
      return NULL;
    }
    bind_length = sizeof *a;
  } else {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&bind_address;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, address, &a->sin6_addr) != 1) {
      napi_throw_type_error(env, "ERR_INVALID_ADDRESS", "NativeSocket: address is not an IPv6 address");
      return NULL;
    }
    bind_length = sizeof *a;
  }

  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw_errno(env, errno, "socket", NULL);
    return NULL;
  }
  int one = 1;
  const char *failed = NULL;
  if (af == AF_INET) {
    if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) < 0) failed = "setsockopt IP_PKTINFO";
  } else {
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0) failed = "setsockopt IPV6_V6ONLY";
    else if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one) < 0)
      failed = "setsockopt IPV6_RECVPKTINFO";
  }
  if (!failed && reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
    failed = "setsockopt SO_REUSEADDR";
  if (!failed && device[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, (socklen_t)strlen(device) + 1) < 0)
    failed = "setsockopt SO_BINDTODEVICE";
  if (failed) {
    int err = errno;
    close(fd);
    throw_errno(env, err, failed, device[0] && strstr(failed, "DEVICE") ? device : NULL);
    return NULL;
  }
  if (bind(fd, (struct sockaddr *)&bind_address, bind_length) < 0) {
    int err = errno;
    close(fd);
    char detail[INET6_ADDRSTRLEN + 16];
    snprintf(detail, sizeof detail, af == AF_INET ? "%s:%u" : "[%s]:%u", address, port);
    throw_errno(env, err, "bind", detail);
    return NULL;
  }

  udp_socket *s = calloc(1, sizeof *s);
  if (s == NULL) {
    close(fd);
    throw_errno(env, ENOMEM, "calloc", NULL);
    return NULL;
  }
  s->env = env;
  s->fd = fd;
  s->family = af;
  s->handle_closed = 1; /* until uv_poll_init */
  s->recv_data = arrays[0];
  s->recv_slot = recv_slot;
  s->recv_capacity = recv_capacity;
  s->recv_meta = arrays[1];
  s->send_data = arrays[2];
  s->send_data_length = array_bytes[2];
  s->send_capacity = send_capacity;
  s->send_meta = arrays[3];
  s->rmsgs = calloc(recv_capacity, sizeof *s->rmsgs);
  s->riov = calloc(recv_capacity, sizeof *s->riov);
  s->rnames = calloc(recv_capacity, sizeof *s->rnames);
  s->rcontrol = calloc(recv_capacity, CONTROL_SPACE);
  s->smsgs = calloc(send_capacity, sizeof *s->smsgs);
  s->siov = calloc(send_capacity, sizeof *s->siov);
  s->snames = calloc(send_capacity, sizeof *s->snames);
  s->scontrol = calloc(send_capacity, CONTROL_SPACE);
  if (!s->rmsgs || !s->riov || !s->rnames || !s->rcontrol || !s->smsgs || !s->siov || !s->snames || !s->scontrol) {
    free_native(s);
    free(s);
    close(fd);
    throw_errno(env, ENOMEM, "calloc", NULL);
    return NULL;
  }
  for (uint32_t i = 0; i < recv_capacity; i++) {
    s->riov[i].iov_base = s->recv_data + (size_t)i * recv_slot;
    s->riov[i].iov_len = recv_slot;
    s->rmsgs[i].msg_hdr.msg_name = &s->rnames[i];
    s->rmsgs[i].msg_hdr.msg_iov = &s->riov[i];
    s->rmsgs[i].msg_hdr.msg_iovlen = 1;
    s->rmsgs[i].msg_hdr.msg_control = s->rcontrol + (size_t)i * CONTROL_SPACE;
  }
  for (int i = 0; i < 4; i++) napi_create_reference(env, array_values[i], 1, &s->keep[i]);
  napi_create_reference(env, on_batch, 1, &s->on_batch);
  napi_create_reference(env, on_error, 1, &s->on_error);
  napi_value resource_name;
  napi_create_string_utf8(env, "UDPPKTINFO", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, self, resource_name, &s->async_context);
  if (napi_wrap(env, self, s, finalize_socket, NULL, NULL) != napi_ok) {
    close(fd);
    free_native(s);
    free(s);
    return NULL;
  }
  napi_create_reference(env, self, 1, &s->self);
  return self;
}

static napi_value socket_start(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  udp_socket *s = unwrap(env, info, &argc, NULL);
  if (s == NULL || s->closed) {
    napi_throw_error(env, "ERR_SOCKET_CLOSED", "the socket is closed");
    return NULL;
  }
  if (s->polling) return NULL;
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  int r = uv_poll_init(loop, &s->poll, s->fd);
  if (r < 0) {
    throw_errno(env, -r, "uv_poll_init", NULL);
    return NULL;
  }
  s->handle_closed = 0;
  s->poll.data = s;
  r = uv_poll_start(&s->poll, UV_READABLE, on_poll);
  if (r < 0) {
    throw_errno(env, -r, "uv_poll_start", NULL);
    return NULL;
  }
  s->polling = 1;
  return NULL;
}

/* Attaches one pktinfo control message to h: the source address the reply leaves from. */
static void set_source(struct msghdr *h, char *control, int level, int type, const void *info, size_t size) {
  h->msg_control = control;
  h->msg_controllen = CMSG_SPACE(size);
  memset(control, 0, h->msg_controllen);
  struct cmsghdr *c = CMSG_FIRSTHDR(h);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(size);
  memcpy(CMSG_DATA(c), info, size);
}

/* flush(count): sends staged datagrams 0..count-1 with one sendmmsg per run; returns how many were not sent. */
static napi_value socket_flush(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  udp_socket *s = unwrap(env, info, &argc, argv);
  uint32_t count = 0;
  if (s == NULL || argc < 1 || napi_get_value_uint32(env, argv[0], &count) != napi_ok || count > s->send_capacity) {
    napi_throw_range_error(env, NULL, "flush(count): count out of range");
    return NULL;
  }
  if (s->closed) {
    napi_throw_error(env, "ERR_SOCKET_CLOSED", "the socket is closed");
    return NULL;
  }
  uint32_t failed = 0;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t *meta = s->send_meta + (size_t)i * META_WORDS;
    struct msghdr *h = &s->smsgs[i].msg_hdr;
    memset(h, 0, sizeof *h);
    meta[SEND_ERRNO] = 0;
    size_t offset = meta[SEND_OFFSET], length = meta[SEND_LENGTH];
    if (offset > s->send_data_length || length > s->send_data_length - offset) length = 0, offset = 0;
    s->siov[i].iov_base = s->send_data + offset;
    s->siov[i].iov_len = length;
    h->msg_iov = &s->siov[i];
    h->msg_iovlen = 1;
    h->msg_name = &s->snames[i];
    char *control = s->scontrol + (size_t)i * CONTROL_SPACE;
    if (s->family == AF_INET) {
      struct sockaddr_in *to = (struct sockaddr_in *)&s->snames[i];
      memset(to, 0, sizeof *to);
      to->sin_family = AF_INET;
      to->sin_port = htons((uint16_t)meta[SEND_DST_PORT]);
      to->sin_addr.s_addr = htonl(meta[SEND_DST]);
      h->msg_namelen = sizeof *to;
      if (meta[SEND_SRC] != 0) {
        struct in_pktinfo pi;
        memset(&pi, 0, sizeof pi);
        pi.ipi_spec_dst.s_addr = htonl(meta[SEND_SRC]);
        set_source(h, control, IPPROTO_IP, IP_PKTINFO, &pi, sizeof pi);
      }
    } else {
      struct sockaddr_in6 *to = (struct sockaddr_in6 *)&s->snames[i];
      memset(to, 0, sizeof *to);
      to->sin6_family = AF_INET6;
      to->sin6_port = htons((uint16_t)meta[SEND_DST_PORT]);
      memcpy(&to->sin6_addr, meta + SEND_DST, 16);
      h->msg_namelen = sizeof *to;
      static const uint32_t zero[4] = {0, 0, 0, 0};
      if (memcmp(meta + SEND_SRC, zero, 16) != 0) {
        struct in6_pktinfo pi;
        memset(&pi, 0, sizeof pi);
        memcpy(&pi.ipi6_addr, meta + SEND_SRC, 16);
        set_source(h, control, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof pi);
      }
    }
  }
  uint32_t next = 0;
  while (next < count) {
    int sent = sendmmsg(s->fd, s->smsgs + next, count - next, MSG_DONTWAIT);
    if (sent < 0) {
      if (errno == EINTR) continue;
      /* sendmmsg fails only on its first datagram: record that one and go on with the rest. UDP may drop, so a full
       * socket buffer (EAGAIN) is recorded like any other failure rather than queued. */
      s->send_meta[(size_t)next * META_WORDS + SEND_ERRNO] = (uint32_t)errno;
      failed++;
      next++;
      continue;
    }
    next += (uint32_t)sent;
  }
  napi_value result;
  napi_create_uint32(env, failed, &result);
  return result;
}

/* The descriptor is released: close it, call back, and let the finalizer free the rest when JS drops the object. */
static void finish_close(udp_socket *s) {
  napi_env env = s->env;
  s->handle_closed = 1;
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  call_js(s, s->on_close, 0, NULL);
  napi_close_handle_scope(env, scope);
  /* Strong references are GC roots: the callbacks close over the JS wrapper, which holds this object, so they would
   * keep each other (and the arenas) alive for ever. Nothing uses them once closed. */
  release_references(s);
  uint32_t refs;
  napi_reference_unref(env, s->self, &refs);
}

static void on_closed(uv_handle_t *handle) { finish_close(handle->data); }

/* close(callback): stops reading, closes the fd after libuv has let go of it, then calls back. Idempotent. */
static napi_value socket_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  udp_socket *s = unwrap(env, info, &argc, argv);
  if (s == NULL || s->closed) return NULL;
  s->closed = 1;
  if (argc >= 1) {
    napi_valuetype t;
    napi_typeof(env, argv[0], &t);
    if (t == napi_function) napi_create_reference(env, argv[0], 1, &s->on_close);
  }
  if (s->polling) uv_poll_stop(&s->poll);
  s->polling = 0;
  if (!s->handle_closed) {
    uv_close((uv_handle_t *)&s->poll, on_closed);
    return NULL;
  }
  /* Never started: nothing is registered with libuv, so close now and call back synchronously. */
  finish_close(s);
  return NULL;
}

static napi_value socket_local_port(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  udp_socket *s = unwrap(env, info, &argc, NULL);
  if (s == NULL || s->fd < 0) {
    napi_throw_error(env, "ERR_SOCKET_CLOSED", "the socket is closed");
    return NULL;
  }
  struct sockaddr_storage a;
  socklen_t len = sizeof a;
  if (getsockname(s->fd, (struct sockaddr *)&a, &len) < 0) {
    throw_errno(env, errno, "getsockname", NULL);
    return NULL;
  }
  uint16_t port = a.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&a)->sin_port)
                                         : ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
  napi_value result;
  napi_create_uint32(env, port, &result);
  return result;
}

static napi_value socket_ref(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  udp_socket *s = unwrap(env, info, &argc, argv);
  bool on = true;
  if (argc >= 1) napi_get_value_bool(env, argv[0], &on);
  if (s != NULL && !s->handle_closed) {
    if (on) uv_ref((uv_handle_t *)&s->poll);
    else uv_unref((uv_handle_t *)&s->poll);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
      {"start", NULL, socket_start, NULL, NULL, NULL, napi_default, NULL},
      {"flush", NULL, socket_flush, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, socket_close, NULL, NULL, NULL, napi_default, NULL},
      {"localPort", NULL, socket_local_port, NULL, NULL, NULL, napi_default, NULL},
      {"setRef", NULL, socket_ref, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value cls, words;
  napi_define_class(env, "NativeSocket", NAPI_AUTO_LENGTH, socket_new, NULL, sizeof methods / sizeof methods[0],
                    methods, &cls);
  napi_set_named_property(env, exports, "NativeSocket", cls);
  napi_create_uint32(env, META_WORDS, &words);
  napi_set_named_property(env, exports, "META_WORDS", words);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
