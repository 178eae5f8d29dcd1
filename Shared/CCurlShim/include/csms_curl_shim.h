// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// Typed, non-variadic wrappers over curl_easy_setopt and curl_easy_getinfo, which Swift cannot
// call (they are C variadic functions). The header deliberately names no libcurl type: the handle
// is a void pointer and options/infos are their numeric values, so the curl declarations belong to
// the CCurl module alone and Swift sees one CURLoption type, not two.
#ifndef CSMS_CURL_SHIM_H
#define CSMS_CURL_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION callback.
typedef size_t (*csms_curl_data_callback)(char *data, size_t size, size_t count, void *context);

/// CURLOPT_XFERINFOFUNCTION callback; a non-zero return aborts the transfer.
typedef int (*csms_curl_progress_callback)(
    void *context, int64_t download_total, int64_t download_now, int64_t upload_total, int64_t upload_now);

/// curl_global_init(CURL_GLOBAL_DEFAULT); returns the CURLcode.
int csms_curl_global_init(void);

/// curl_easy_setopt for options taking a long (CURLOPTTYPE_LONG); returns the CURLcode.
int csms_curl_setopt_long(void *handle, uint32_t option, long value);

/// curl_easy_setopt for options taking a curl_off_t (CURLOPTTYPE_OFF_T).
int csms_curl_setopt_offset(void *handle, uint32_t option, int64_t value);

/// curl_easy_setopt for options taking a C string (libcurl copies it, except CURLOPT_POSTFIELDS).
int csms_curl_setopt_string(void *handle, uint32_t option, const char *value);

/// curl_easy_setopt for options taking an object pointer (a curl_slist, a CURLU, callback data).
int csms_curl_setopt_pointer(void *handle, uint32_t option, void *value);

/// curl_easy_setopt for CURLOPT_WRITEFUNCTION or CURLOPT_HEADERFUNCTION.
int csms_curl_setopt_data_callback(void *handle, uint32_t option, csms_curl_data_callback callback);

/// curl_easy_setopt(CURLOPT_XFERINFOFUNCTION).
int csms_curl_setopt_progress_callback(void *handle, csms_curl_progress_callback callback);

/// curl_easy_getinfo for CURLINFO_LONG values.
int csms_curl_getinfo_long(void *handle, uint32_t info, long *value);

/// curl_easy_getinfo for CURLINFO_STRING values (owned by the handle; valid until its next use).
int csms_curl_getinfo_string(void *handle, uint32_t info, const char **value);

#endif
